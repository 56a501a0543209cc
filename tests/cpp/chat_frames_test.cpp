// Chat frames: the shared fixtures (tests/fixtures/chat-frames-*.json, also read by the JS tests)
// plus what JSON data cannot hold: raw ill-formed UTF-8, NaN and infinite limits, random damage.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/chat_frames.hpp"
#include "core/utf8.hpp"

namespace {

using ivschat::ChatFrameBuild;
using ivschat::FieldError;
using ivschat::ServerFrame;
using ivschat::ServerFrameKind;
using nlohmann::ordered_json;

ordered_json loadFixture(const std::string& name) {
  std::ifstream in(std::string(IVSCHAT_FIXTURES_DIR) + "/" + name, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open fixture " + name);
  return ordered_json::parse(in);
}

// Expands the fixtures' generator objects {"$repeat": s, "count": n} into s repeated n times.
ordered_json expand(const ordered_json& value) {
  if (value.is_object()) {
    if (value.contains("$repeat")) {
      const std::string unit = value.at("$repeat").get<std::string>();
      const auto count = value.at("count").get<std::size_t>();
      std::string out;
      out.reserve(unit.size() * count);
      for (std::size_t i = 0; i < count; ++i) out += unit;
      return out;
    }
    ordered_json out = ordered_json::object();
    for (const auto& item : value.items()) out[item.key()] = expand(item.value());
    return out;
  }
  if (value.is_array()) {
    ordered_json out = ordered_json::array();
    for (const auto& item : value) out.push_back(expand(item));
    return out;
  }
  return value;
}

// The case's exact text, or its JSON value serialized compactly.
std::string caseText(const ordered_json& c, const char* textKey, const char* valueKey) {
  if (c.contains(textKey)) return c.at(textKey).get<std::string>();
  return expand(c.at(valueKey)).dump();
}

std::string describe(const std::vector<FieldError>& errors) {
  std::string out;
  for (const FieldError& e : errors) out += "\n  " + e.field + " " + e.code + ": " + e.message;
  return out.empty() ? "(no errors)" : out;
}

ChatFrameBuild runBuildCase(const ordered_json& c) {
  const std::string action = c.at("action").get<std::string>();
  const std::string input = caseText(c, "inputText", "input");
  const std::string requestId =
      c.contains("requestId") ? expand(c.at("requestId")).get<std::string>() : std::string("req-1");
  if (action == "SEND_MESSAGE") {
    return ivschat::buildSendMessageFrame(input, requestId, c.value("maxMessageLength", 500.0));
  }
  if (action == "DELETE_MESSAGE") return ivschat::buildDeleteMessageFrame(input, requestId);
  if (action == "DISCONNECT_USER") return ivschat::buildDisconnectUserFrame(input, requestId);
  throw std::runtime_error("unknown action " + action);
}

TEST(ChatFramesFixtures, BuildCases) {
  const ordered_json doc = loadFixture("chat-frames-build.json");
  const ordered_json& cases = doc.at("cases");
  ASSERT_GE(cases.size(), 100u);
  std::set<std::string> names;
  std::size_t built = 0;
  std::size_t refused = 0;
  for (const ordered_json& c : cases) {
    const std::string name = c.at("name").get<std::string>();
    SCOPED_TRACE(name);
    EXPECT_TRUE(names.insert(name).second) << "duplicate case name";
    const ChatFrameBuild result = runBuildCase(c);
    if (c.contains("frame")) {
      ++built;
      EXPECT_TRUE(result.ok) << describe(result.errors);
      EXPECT_TRUE(result.errors.empty());
      EXPECT_EQ(result.frame, expand(c.at("frame")).dump());
      continue;
    }
    ++refused;
    const ordered_json& expected = c.at("errors");
    EXPECT_FALSE(result.ok);
    EXPECT_EQ(result.frame, "");
    EXPECT_EQ(result.errors.size(), expected.size()) << describe(result.errors);
    for (std::size_t i = 0; i < std::min(result.errors.size(), expected.size()); ++i) {
      const FieldError& actual = result.errors[i];
      EXPECT_EQ(actual.field, expected[i].at("field").get<std::string>()) << describe(result.errors);
      EXPECT_EQ(actual.code, expected[i].at("code").get<std::string>()) << describe(result.errors);
      EXPECT_FALSE(actual.message.empty());
      for (const auto& part : expected[i].value("messageContains", ordered_json::array())) {
        EXPECT_NE(actual.message.find(part.get<std::string>()), std::string::npos)
            << "message \"" << actual.message << "\" lacks \"" << part.get<std::string>() << "\"";
      }
    }
  }
  EXPECT_GE(built, 30u);
  EXPECT_GE(refused, 50u);
}

std::map<std::string, std::string> expectedMap(const ordered_json& expected, const char* name) {
  std::map<std::string, std::string> out;
  if (!expected.contains(name)) return out;
  for (const auto& item : expected.at(name).items()) out[item.key()] = item.value().get<std::string>();
  return out;
}

TEST(ChatFramesFixtures, ParseCases) {
  static const std::set<std::string> kFields = {
      "ok", "kind", "type", "id", "requestId", "content", "attributes", "sendTime", "sendTimeMillis",
      "senderUserId", "senderAttributes", "eventName", "errorCode", "errorMessage", "deletedMessageId",
      "disconnectedUserId", "reason"};
  const ordered_json doc = loadFixture("chat-frames-parse.json");
  const ordered_json& cases = doc.at("cases");
  ASSERT_GE(cases.size(), 100u);
  std::set<std::string> names;
  std::size_t accepted = 0;
  std::size_t rejected = 0;
  for (const ordered_json& c : cases) {
    const std::string name = c.at("name").get<std::string>();
    SCOPED_TRACE(name);
    EXPECT_TRUE(names.insert(name).second) << "duplicate case name";
    const ServerFrame f = ivschat::parseServerFrame(caseText(c, "text", "frame"));
    const ordered_json e = expand(c.at("expected"));
    for (const auto& item : e.items()) EXPECT_TRUE(kFields.count(item.key())) << "unknown field " << item.key();

    const bool ok = e.at("ok").get<bool>();
    EXPECT_EQ(f.ok, ok) << f.error;
    if (ok) {
      ++accepted;
      EXPECT_EQ(f.error, "");
    } else {
      ++rejected;
      EXPECT_FALSE(f.error.empty());
      if (c.contains("errorContains")) {
        EXPECT_NE(f.error.find(c.at("errorContains").get<std::string>()), std::string::npos) << f.error;
      }
      for (const auto& part : c.value("errorExcludes", ordered_json::array())) {
        EXPECT_EQ(f.error.find(part.get<std::string>()), std::string::npos) << f.error;
      }
    }
    const auto str = [&](const char* field) { return e.value(field, std::string()); };
    EXPECT_STREQ(ivschat::serverFrameKindName(f.kind), e.value("kind", std::string("UNKNOWN")).c_str());
    EXPECT_EQ(f.type, str("type"));
    EXPECT_EQ(f.id, str("id"));
    EXPECT_EQ(f.requestId, str("requestId"));
    EXPECT_EQ(f.content, str("content"));
    EXPECT_EQ(f.attributes, expectedMap(e, "attributes"));
    EXPECT_EQ(f.sendTime, str("sendTime"));
    EXPECT_EQ(f.sendTimeMillis, e.value("sendTimeMillis", std::int64_t{0}));
    EXPECT_EQ(f.senderUserId, str("senderUserId"));
    EXPECT_EQ(f.senderAttributes, expectedMap(e, "senderAttributes"));
    EXPECT_EQ(f.eventName, str("eventName"));
    EXPECT_EQ(f.errorCode, e.value("errorCode", 0));
    EXPECT_EQ(f.errorMessage, str("errorMessage"));
    EXPECT_EQ(f.deletedMessageId, str("deletedMessageId"));
    EXPECT_EQ(f.disconnectedUserId, str("disconnectedUserId"));
    EXPECT_EQ(f.reason, str("reason"));
  }
  EXPECT_GE(accepted, 40u);
  EXPECT_GE(rejected, 60u);
}

// ---------------------------------------------------------------------------------------------
// Raw ill-formed UTF-8: only reachable from C++ (JS strings always encode to valid UTF-8 or to
// the generalized surrogate bytes covered by the fixtures).

std::vector<std::pair<std::string, std::string>> fieldsAndCodes(const ChatFrameBuild& result) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const FieldError& e : result.errors) out.emplace_back(e.field, e.code);
  return out;
}

using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST(ChatFramesBuild, RawIllFormedUtf8IsInvalidUtf8AtItsField) {
  const std::string replacement = "\xEF\xBF\xBD";
  EXPECT_EQ(fieldsAndCodes(ivschat::buildSendMessageFrame("{\"content\":\"ab\xC3\"}", "r")),
            (Pairs{{"content", "INVALID_UTF8"}}));
  EXPECT_EQ(fieldsAndCodes(ivschat::buildSendMessageFrame("{\"content\":\"\xC0\xAF\"}", "r")),  // overlong '/'
            (Pairs{{"content", "INVALID_UTF8"}}));
  EXPECT_EQ(fieldsAndCodes(ivschat::buildSendMessageFrame("{\"content\":\"\xED\xA0\x80\"}", "r")),  // CESU-8
            (Pairs{{"content", "INVALID_UTF8"}}));
  EXPECT_EQ(fieldsAndCodes(ivschat::buildSendMessageFrame("{\"content\":\"\xF4\x90\x80\x80\"}", "r")),  // > U+10FFFF
            (Pairs{{"content", "INVALID_UTF8"}}));
  EXPECT_EQ(fieldsAndCodes(ivschat::buildSendMessageFrame(
                "{\"content\":\"hi\",\"attributes\":{\"\xFF\":\"x\",\"k\":\"\xFE\"}}", "r")),
            (Pairs{{"attributes.k", "INVALID_UTF8"}, {"attributes[\"" + replacement + "\"]", "INVALID_UTF8"}}));
  EXPECT_EQ(fieldsAndCodes(ivschat::buildSendMessageFrame("{\"content\":\"hi\",\"\xFF\":1}", "r")),
            (Pairs{{replacement, "UNKNOWN_FIELD"}}));
  EXPECT_EQ(fieldsAndCodes(ivschat::buildDeleteMessageFrame("{\"id\":\"AbCdEf12345\xFF\"}", "r")),
            (Pairs{{"id", "INVALID_UTF8"}}));
  EXPECT_EQ(fieldsAndCodes(ivschat::buildDeleteMessageFrame("{\"id\":\"AbCdEf123456\",\"reason\":\"\x80\"}", "r")),
            (Pairs{{"reason", "INVALID_UTF8"}}));
  EXPECT_EQ(fieldsAndCodes(ivschat::buildDisconnectUserFrame("{\"userId\":\"\xF5\x80\x80\x80\"}", "r")),
            (Pairs{{"userId", "INVALID_UTF8"}}));
  EXPECT_EQ(fieldsAndCodes(ivschat::buildDisconnectUserFrame("{\"userId\":\"u\",\"reason\":\"ok\xE2\x82\"}", "r")),
            (Pairs{{"reason", "INVALID_UTF8"}}));
  EXPECT_EQ(fieldsAndCodes(ivschat::buildSendMessageFrame("{\"content\":\"hi\"}", "\xFF")),
            (Pairs{{"requestId", "PATTERN"}}));
  // An error message may be shown anywhere: it never carries the ill-formed bytes.
  const ChatFrameBuild bad =
      ivschat::buildSendMessageFrame("{\"content\":\"hi\",\"attributes\":{\"\xFF\":1}}", "r");
  for (const FieldError& e : bad.errors) {
    EXPECT_TRUE(ivschat::isValidUtf8(e.field)) << e.field;
    EXPECT_TRUE(ivschat::isValidUtf8(e.message)) << e.message;
  }
}

TEST(ChatFramesParse, RawIllFormedUtf8IsNotJson) {
  const std::string head = "{\"Type\":\"MESSAGE\",\"Id\":\"Rmx2ZWxRbm9x\",\"SendTime\":\"2022-12-02T08:21:20Z\","
                           "\"Sender\":{\"UserId\":\"a\"},\"Content\":\"";
  for (const std::string bad : {"\xC3", "\xC0\xAF", "\xED\xA0\x80", "\xFF", "\xF4\x90\x80\x80"}) {
    const ServerFrame f = ivschat::parseServerFrame(head + bad + "\"}");
    EXPECT_FALSE(f.ok);
    EXPECT_NE(f.error.find("JSON"), std::string::npos) << f.error;
  }
  EXPECT_TRUE(ivschat::parseServerFrame(head + "\xC3\xA9\"}").ok);  // the same frame, well-formed
}

TEST(ChatFramesBuild, TextEndingInABackslashIsNotJson) {
  // parseJsonKeepingInvalidText never returns on this text; the builders must not reach it.
  for (const std::string text : {"{\"content\":\"a\\", "\\", "{\"id\":\"\\"}) {
    EXPECT_EQ(fieldsAndCodes(ivschat::buildSendMessageFrame(text, "r")), (Pairs{{"request", "TYPE"}}));
    EXPECT_EQ(fieldsAndCodes(ivschat::buildDeleteMessageFrame(text, "r")), (Pairs{{"request", "TYPE"}}));
    EXPECT_EQ(fieldsAndCodes(ivschat::buildDisconnectUserFrame(text, "r")), (Pairs{{"request", "TYPE"}}));
  }
}

// ---------------------------------------------------------------------------------------------
// Limits that JSON cannot express

TEST(ChatFramesBuild, NanAndInfiniteLimits) {
  const std::string fits = "{\"content\":\"" + std::string(500, 'a') + "\"}";
  const std::string over = "{\"content\":\"" + std::string(501, 'a') + "\"}";
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_TRUE(ivschat::buildSendMessageFrame(fits, "r", inf).ok);  // above 500: clamped
  EXPECT_EQ(fieldsAndCodes(ivschat::buildSendMessageFrame(over, "r", inf)), (Pairs{{"content", "TOO_LONG"}}));
  EXPECT_EQ(fieldsAndCodes(ivschat::buildSendMessageFrame(fits, "r", nan)), (Pairs{{"maxMessageLength", "RANGE"}}));
  EXPECT_EQ(fieldsAndCodes(ivschat::buildSendMessageFrame(fits, "r", -inf)), (Pairs{{"maxMessageLength", "RANGE"}}));
  EXPECT_EQ(fieldsAndCodes(ivschat::buildSendMessageFrame(fits, "r", 0.5)), (Pairs{{"maxMessageLength", "RANGE"}}));
  EXPECT_TRUE(ivschat::buildSendMessageFrame("{\"content\":\"ab\"}", "r", 2.0).ok);
  // The default argument is the room default.
  EXPECT_TRUE(ivschat::buildSendMessageFrame(fits, "r").ok);
  EXPECT_FALSE(ivschat::buildSendMessageFrame(over, "r").ok);
}

// ---------------------------------------------------------------------------------------------
// Frames as text

TEST(ChatFramesBuild, FrameTextIsExact) {
  EXPECT_EQ(ivschat::buildSendMessageFrame(R"({"attributes":{"b":"2","a":"1"},"content":"hi"})", "id-1").frame,
            R"({"Action":"SEND_MESSAGE","RequestId":"id-1","Content":"hi","Attributes":{"a":"1","b":"2"}})");
  EXPECT_EQ(ivschat::buildDeleteMessageFrame(R"({"reason":"spam","id":"AbCdEf123456"})", "id-2").frame,
            R"({"Action":"DELETE_MESSAGE","RequestId":"id-2","Id":"AbCdEf123456","Reason":"spam"})");
  EXPECT_EQ(ivschat::buildDisconnectUserFrame(R"({"userId":"zoë"})", "id-3").frame,
            R"({"Action":"DISCONNECT_USER","RequestId":"id-3","UserId":"zoë"})");
}

TEST(ChatFramesBuild, EveryAsciiCharacterRoundTrips) {
  std::string content;
  for (int c = 1; c < 0x80; ++c) content.push_back(static_cast<char>(c));
  content += std::string(1, '\0') + "é😀\xE2\x80\xA8";
  const std::string request = nlohmann::json{{"content", content}}.dump();
  const ChatFrameBuild result = ivschat::buildSendMessageFrame(request, "r\"\\");
  ASSERT_TRUE(result.ok) << describe(result.errors);
  const nlohmann::json frame = nlohmann::json::parse(result.frame);
  EXPECT_EQ(frame.at("Content").get<std::string>(), content);
  EXPECT_EQ(frame.at("RequestId").get<std::string>(), "r\"\\");
  // The same escaping as nlohmann's (and so JSON.stringify's) compact output.
  EXPECT_EQ(result.frame.substr(result.frame.find("\"Content\":") + 10),
            nlohmann::json(content).dump() + "}");
}

TEST(ChatFramesParse, KindNames) {
  EXPECT_STREQ(ivschat::serverFrameKindName(ServerFrameKind::Message), "MESSAGE");
  EXPECT_STREQ(ivschat::serverFrameKindName(ServerFrameKind::Event), "EVENT");
  EXPECT_STREQ(ivschat::serverFrameKindName(ServerFrameKind::Error), "ERROR");
  EXPECT_STREQ(ivschat::serverFrameKindName(ServerFrameKind::Unknown), "UNKNOWN");
}

TEST(ChatFramesParse, DeeplyNestedUnknownMemberIsSkipped) {
  const std::size_t depth = 200000;
  std::string text = R"({"Type":"ERROR","Junk":)";
  text += std::string(depth, '[') + std::string(depth, ']');
  text += R"(,"ErrorCode":429})";
  const ServerFrame f = ivschat::parseServerFrame(text);
  EXPECT_TRUE(f.ok) << f.error;
  EXPECT_EQ(f.errorCode, 429);
}

TEST(ChatFramesParse, AttributesToJson) {
  EXPECT_EQ(ivschat::attributesToJson({}), "{}");
  EXPECT_EQ(ivschat::attributesToJson({{"b", "2"}, {"a", "x\"\n\x01"}}), R"({"a":"x\"\n\u0001","b":"2"})");
  EXPECT_EQ(ivschat::attributesToJson({{"k\xFF", "v\xC3"}}), "{\"k\xEF\xBF\xBD\":\"v\xEF\xBF\xBD\"}");
  const std::map<std::string, std::string> unicode = {{"émoji", "😀"}, {"", ""}};
  using StringMap = std::map<std::string, std::string>;
  EXPECT_EQ(nlohmann::json::parse(ivschat::attributesToJson(unicode)).get<StringMap>(), unicode);
}

// ---------------------------------------------------------------------------------------------
// Damaged input: nothing throws, and every result is consistent.

void checkBuild(const ChatFrameBuild& result) {
  EXPECT_EQ(result.ok, result.errors.empty());
  EXPECT_EQ(result.ok, !result.frame.empty());
  if (result.ok) {
    EXPECT_TRUE(nlohmann::json::accept(result.frame)) << result.frame;
  }
  for (const FieldError& e : result.errors) {
    EXPECT_FALSE(e.code.empty());
    EXPECT_FALSE(e.message.empty());
  }
}

void checkParse(const ServerFrame& f) {
  EXPECT_EQ(f.ok, f.error.empty());
  if (f.ok) {
    EXPECT_FALSE(f.type.empty());
  } else {
    EXPECT_TRUE(ivschat::isValidUtf8(f.error));
  }
}

std::vector<std::string> damaged(const std::string& text, std::mt19937& random) {
  std::vector<std::string> out;
  for (std::size_t cut = 0; cut < text.size(); cut += 1 + text.size() / 40) out.push_back(text.substr(0, cut));
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 12 && !text.empty(); ++round) {
    std::string copy = text;
    std::uniform_int_distribution<std::size_t> at(0, copy.size() - 1);
    for (int k = 0; k <= round % 3; ++k) copy[at(random)] = static_cast<char>(byte(random));
    out.push_back(std::move(copy));
  }
  return out;
}

TEST(ChatFramesRobustness, DamagedInputNeverThrows) {
  std::mt19937 random(20240601);
  const ordered_json build = loadFixture("chat-frames-build.json");
  std::size_t tried = 0;
  for (const ordered_json& c : build.at("cases")) {
    const std::string text = caseText(c, "inputText", "input");
    if (text.size() > 4000) continue;
    for (const std::string& input : damaged(text, random)) {
      ++tried;
      EXPECT_NO_THROW(checkBuild(ivschat::buildSendMessageFrame(input, "r", 3)));
      EXPECT_NO_THROW(checkBuild(ivschat::buildDeleteMessageFrame(input, "r")));
      EXPECT_NO_THROW(checkBuild(ivschat::buildDisconnectUserFrame(input, "r")));
    }
  }
  const ordered_json parse = loadFixture("chat-frames-parse.json");
  for (const ordered_json& c : parse.at("cases")) {
    const std::string text = caseText(c, "text", "frame");
    if (text.size() > 4000) continue;
    for (const std::string& input : damaged(text, random)) {
      ++tried;
      EXPECT_NO_THROW(checkParse(ivschat::parseServerFrame(input)));
    }
  }
  EXPECT_GT(tried, 5000u);
}

}  // namespace
