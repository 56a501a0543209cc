// Server frames: the shared fixtures (tests/fixtures/chat-frames-parse.json, also read by the JS
// tests) plus what JSON data cannot hold: raw ill-formed UTF-8, random damage, deep nesting.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "chat_frames_fixtures.hpp"
#include "core/utf8.hpp"
#include "core_results.hpp"

namespace ivschat {
namespace {

using testing::Frame;
using testing::ordered_json;
using testing::parseFrame;

std::map<std::string, std::string> expectedMap(const ordered_json& expected, const char* name) {
  std::map<std::string, std::string> out;
  if (!expected.contains(name)) return out;
  for (const auto& item : expected.at(name).items()) out[item.key()] = item.value().get<std::string>();
  return out;
}

TEST(ServerFramesFixtures, ParseCases) {
  static const std::set<std::string> kFields = {
      "ok", "kind", "type", "id", "requestId", "content", "attributes", "sendTime", "sendTimeMillis",
      "senderUserId", "senderAttributes", "eventName", "errorCode", "errorMessage", "deletedMessageId",
      "disconnectedUserId", "reason"};
  const ordered_json doc = testing::loadOrderedFixture("chat-frames-parse.json");
  const ordered_json& cases = doc.at("cases");
  ASSERT_GE(cases.size(), 100u);
  std::set<std::string> names;
  std::size_t accepted = 0;
  std::size_t rejected = 0;
  for (const ordered_json& c : cases) {
    const std::string name = c.at("name").get<std::string>();
    SCOPED_TRACE(name);
    EXPECT_TRUE(names.insert(name).second) << "duplicate case name";
    const Frame f = parseFrame(testing::caseText(c, "text", "frame"));
    const ordered_json e = testing::expandOrdered(c.at("expected"));
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
    EXPECT_EQ(f.kind, e.value("kind", std::string("UNKNOWN")));
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

TEST(ServerFrames, RawIllFormedUtf8IsNotJson) {
  const std::string head = "{\"Type\":\"MESSAGE\",\"Id\":\"Rmx2ZWxRbm9x\",\"SendTime\":\"2022-12-02T08:21:20Z\","
                           "\"Sender\":{\"UserId\":\"a\"},\"Content\":\"";
  for (const std::string bad : {"\xC3", "\xC0\xAF", "\xED\xA0\x80", "\xFF", "\xF4\x90\x80\x80"}) {
    const Frame f = parseFrame(head + bad + "\"}");
    EXPECT_FALSE(f.ok);
    EXPECT_NE(f.error.find("JSON"), std::string::npos) << f.error;
  }
  EXPECT_TRUE(parseFrame(head + "\xC3\xA9\"}").ok);  // the same frame, well-formed
}

TEST(ServerFrames, DeeplyNestedUnknownMemberIsSkipped) {
  const std::size_t depth = 200000;
  std::string text = R"({"Type":"ERROR","Junk":)";
  text += std::string(depth, '[') + std::string(depth, ']');
  text += R"(,"ErrorCode":429})";
  const Frame f = parseFrame(text);
  EXPECT_TRUE(f.ok) << f.error;
  EXPECT_EQ(f.errorCode, 429);
}

TEST(ServerFrames, TooManyValuesIsMalformedNotHalfRead) {
  std::string text = R"({"Type":"ERROR","ErrorCode":429,"Junk":[)";
  for (int i = 0; i < 10000; ++i) text += i ? ",1" : "1";
  const Frame f = parseFrame(text + "]}");
  EXPECT_FALSE(f.ok);
  EXPECT_NE(f.error.find("more values"), std::string::npos) << f.error;
}

TEST(ServerFramesRobustness, DamagedInputGivesConsistentResults) {
  std::mt19937 random(20240601);
  const ordered_json parse = testing::loadOrderedFixture("chat-frames-parse.json");
  std::size_t tried = 0;
  std::uniform_int_distribution<int> byte(0, 255);
  for (const ordered_json& c : parse.at("cases")) {
    const std::string text = testing::caseText(c, "text", "frame");
    if (text.size() > 4000 || text.empty()) continue;
    for (int round = 0; round < 60; ++round) {
      std::string copy = round < 20 ? text.substr(0, text.size() * static_cast<std::size_t>(round) / 20) : text;
      std::uniform_int_distribution<std::size_t> at(0, text.size() - 1);
      if (round >= 20) copy[at(random)] = static_cast<char>(byte(random));
      ++tried;
      const Frame f = parseFrame(copy);
      EXPECT_EQ(f.ok, f.error.empty());
      if (f.ok) {
        EXPECT_FALSE(f.type.empty());
      } else {
        EXPECT_TRUE(isValidUtf8(f.error));
      }
    }
  }
  EXPECT_GT(tried, 5000u);
}

}  // namespace
}  // namespace ivschat
