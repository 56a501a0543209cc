// Chat action frames: the shared fixtures (tests/fixtures/chat-frames-build.json, also read by
// the JS tests) plus what JSON data cannot hold: raw ill-formed UTF-8, NaN and infinite limits.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <set>

#include "chat_frames_fixtures.hpp"
#include "core/utf8.hpp"
#include "core_results.hpp"

namespace ivschat {
namespace {

using testing::buildAction;
using testing::Built;
using testing::Codes;
using testing::ordered_json;

std::string describe(const Built& result) {
  std::string out;
  for (const FieldError& e : result.errors) out += "\n  " + e.field + " " + e.code + ": " + e.message;
  return out.empty() ? "(no errors)" : out;
}

TEST(ChatActionsFixtures, BuildCases) {
  const ordered_json doc = testing::loadOrderedFixture("chat-frames-build.json");
  const ordered_json& cases = doc.at("cases");
  ASSERT_GE(cases.size(), 100u);
  std::set<std::string> names;
  std::size_t built = 0;
  std::size_t refused = 0;
  for (const ordered_json& c : cases) {
    const std::string name = c.at("name").get<std::string>();
    SCOPED_TRACE(name);
    EXPECT_TRUE(names.insert(name).second) << "duplicate case name";
    const Built result = buildAction(c.at("action").get<std::string>(), testing::actionRequestText(c),
                                     c.value("maxMessageLength", 500.0));
    if (c.contains("frame")) {
      ++built;
      EXPECT_TRUE(result.ok()) << describe(result);
      EXPECT_EQ(result.frame, testing::expandOrdered(c.at("frame")).dump());
      continue;
    }
    ++refused;
    const ordered_json& expected = c.at("errors");
    EXPECT_FALSE(result.ok());
    EXPECT_EQ(result.frame, "");
    EXPECT_EQ(result.errors.size(), expected.size()) << describe(result);
    for (std::size_t i = 0; i < std::min(result.errors.size(), expected.size()); ++i) {
      const FieldError& actual = result.errors[i];
      EXPECT_EQ(actual.field, expected[i].at("field").get<std::string>()) << describe(result);
      EXPECT_EQ(actual.code, expected[i].at("code").get<std::string>()) << describe(result);
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

std::string send(const std::string& membersAfterId) { return "{\"requestId\":\"r\"" + membersAfterId + "}"; }

// Raw ill-formed UTF-8: only reachable from C++ (JS strings always encode to valid UTF-8 or to
// the generalized surrogate bytes covered by the fixtures).
TEST(ChatActions, RawIllFormedUtf8IsInvalidUtf8AtItsField) {
  const std::string replacement = "\xEF\xBF\xBD";
  EXPECT_EQ(buildAction("SEND_MESSAGE", send(",\"content\":\"ab\xC3\"")).codes(), (Codes{{"content", "INVALID_UTF8"}}));
  EXPECT_EQ(buildAction("SEND_MESSAGE", send(",\"content\":\"\xC0\xAF\"")).codes(), (Codes{{"content", "INVALID_UTF8"}}));
  EXPECT_EQ(buildAction("SEND_MESSAGE", send(",\"content\":\"\xED\xA0\x80\"")).codes(), (Codes{{"content", "INVALID_UTF8"}}));
  EXPECT_EQ(buildAction("SEND_MESSAGE", send(",\"content\":\"\xF4\x90\x80\x80\"")).codes(),
            (Codes{{"content", "INVALID_UTF8"}}));
  EXPECT_EQ(buildAction("SEND_MESSAGE", send(",\"content\":\"hi\",\"attributes\":{\"\xFF\":\"x\",\"k\":\"\xFE\"}")).codes(),
            (Codes{{"attributes[\"" + replacement + "\"]", "INVALID_UTF8"}, {"attributes.k", "INVALID_UTF8"}}));
  EXPECT_EQ(buildAction("SEND_MESSAGE", send(",\"content\":\"hi\",\"\xFF\":1")).codes(), (Codes{{replacement, "UNKNOWN_FIELD"}}));
  EXPECT_EQ(buildAction("DELETE_MESSAGE", send(",\"id\":\"AbCdEf12345\xFF\"")).codes(), (Codes{{"id", "INVALID_UTF8"}}));
  EXPECT_EQ(buildAction("DELETE_MESSAGE", send(",\"id\":\"AbCdEf123456\",\"reason\":\"\x80\"")).codes(),
            (Codes{{"reason", "INVALID_UTF8"}}));
  EXPECT_EQ(buildAction("DISCONNECT_USER", send(",\"userId\":\"\xF5\x80\x80\x80\"")).codes(), (Codes{{"userId", "INVALID_UTF8"}}));
  EXPECT_EQ(buildAction("DISCONNECT_USER", send(",\"userId\":\"u\",\"reason\":\"ok\xE2\x82\"")).codes(),
            (Codes{{"reason", "INVALID_UTF8"}}));
  EXPECT_EQ(buildAction("SEND_MESSAGE", "{\"content\":\"hi\",\"requestId\":\"\xFF\"}").codes(), (Codes{{"requestId", "INVALID_UTF8"}}));
  // An error message may be shown anywhere: it never carries the ill-formed bytes.
  const Built bad = buildAction("SEND_MESSAGE", send(",\"content\":\"hi\",\"attributes\":{\"\xFF\":1}"));
  ASSERT_FALSE(bad.errors.empty());
  for (const FieldError& e : bad.errors) {
    EXPECT_TRUE(isValidUtf8(e.field)) << e.field;
    EXPECT_TRUE(isValidUtf8(e.message)) << e.message;
  }
}

TEST(ChatActions, TextEndingInABackslashIsNotJson) {
  for (const std::string text : {"{\"content\":\"a\\", "\\", "{\"id\":\"\\"}) {
    for (const char* action : {"SEND_MESSAGE", "DELETE_MESSAGE", "DISCONNECT_USER"}) {
      EXPECT_EQ(buildAction(action, text).codes(), (Codes{{"request", "TYPE"}})) << action << " " << text;
    }
  }
}

TEST(ChatActions, NanAndInfiniteLimits) {
  const std::string fits = send(",\"content\":\"" + std::string(500, 'a') + "\"");
  const std::string over = send(",\"content\":\"" + std::string(501, 'a') + "\"");
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_TRUE(buildAction("SEND_MESSAGE", fits, inf).ok());  // above 500: clamped
  EXPECT_EQ(buildAction("SEND_MESSAGE", over, inf).codes(), (Codes{{"content", "TOO_LONG"}}));
  EXPECT_EQ(buildAction("SEND_MESSAGE", fits, nan).codes(), (Codes{{"maxMessageLength", "RANGE"}}));
  EXPECT_EQ(buildAction("SEND_MESSAGE", fits, -inf).codes(), (Codes{{"maxMessageLength", "RANGE"}}));
  EXPECT_EQ(buildAction("SEND_MESSAGE", fits, 0.5).codes(), (Codes{{"maxMessageLength", "RANGE"}}));
  EXPECT_TRUE(buildAction("SEND_MESSAGE", send(",\"content\":\"ab\""), 2.0).ok());
}

TEST(ChatActions, FrameTextIsExact) {
  EXPECT_EQ(buildAction("SEND_MESSAGE", R"({"attributes":{"b":"2","a":"1"},"content":"hi","requestId":"id-1"})").frame,
            R"({"Action":"SEND_MESSAGE","RequestId":"id-1","Content":"hi","Attributes":{"a":"1","b":"2"}})");
  EXPECT_EQ(buildAction("DELETE_MESSAGE", R"({"reason":"spam","id":"AbCdEf123456","requestId":"id-2"})").frame,
            R"({"Action":"DELETE_MESSAGE","RequestId":"id-2","Id":"AbCdEf123456","Reason":"spam"})");
  EXPECT_EQ(buildAction("DISCONNECT_USER", R"({"userId":"zoë","requestId":"id-3"})").frame,
            R"({"Action":"DISCONNECT_USER","RequestId":"id-3","UserId":"zoë"})");
}

TEST(ChatActions, TheOfficialClientsActionMemberIsAccepted) {
  EXPECT_TRUE(buildAction("SEND_MESSAGE", R"({"action":"SEND_MESSAGE","content":"hi","requestId":"r"})").ok());
  EXPECT_EQ(buildAction("SEND_MESSAGE", R"({"action":"DELETE_MESSAGE","content":"hi","requestId":"r"})").codes(),
            (Codes{{"action", "ENUM"}}));
}

TEST(ChatActions, EveryAsciiCharacterRoundTrips) {
  std::string content;
  for (int c = 1; c < 0x80; ++c) content.push_back(static_cast<char>(c));
  content += std::string(1, '\0') + "é😀\xE2\x80\xA8";
  const std::string request = nlohmann::json{{"content", content}, {"requestId", "r\"\\"}}.dump();
  const Built result = buildAction("SEND_MESSAGE", request);
  ASSERT_TRUE(result.ok()) << describe(result);
  const nlohmann::json frame = nlohmann::json::parse(result.frame);
  EXPECT_EQ(frame.at("Content").get<std::string>(), content);
  EXPECT_EQ(frame.at("RequestId").get<std::string>(), "r\"\\");
  // The same escaping as nlohmann's (and so JSON.stringify's) compact output.
  EXPECT_EQ(result.frame.substr(result.frame.find("\"Content\":") + 10), nlohmann::json(content).dump() + "}");
}

// Damaged input: every result is consistent (errors, or a frame that is JSON).
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

TEST(ChatActionsRobustness, DamagedInputGivesConsistentResults) {
  std::mt19937 random(20240601);
  const ordered_json build = testing::loadOrderedFixture("chat-frames-build.json");
  std::size_t tried = 0;
  for (const ordered_json& c : build.at("cases")) {
    const std::string text = testing::actionRequestText(c);
    if (text.size() > 4000) continue;
    for (const std::string& input : damaged(text, random)) {
      for (const char* action : {"SEND_MESSAGE", "DELETE_MESSAGE", "DISCONNECT_USER"}) {
        ++tried;
        const Built result = buildAction(action, input, 3);
        EXPECT_EQ(result.ok(), !result.frame.empty());
        if (result.ok()) EXPECT_TRUE(nlohmann::json::accept(result.frame)) << result.frame;
        for (const FieldError& e : result.errors) {
          EXPECT_NE(e.code, nullptr);
          EXPECT_FALSE(e.message.empty());
          EXPECT_TRUE(isValidUtf8(e.message));
        }
      }
    }
  }
  EXPECT_GT(tried, 5000u);
}

}  // namespace
}  // namespace ivschat
