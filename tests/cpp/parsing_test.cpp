#include <gtest/gtest.h>

#include "core/aws_response.hpp"
#include "core/json_lossless.hpp"
#include "core/rfc3339.hpp"
#include "core/utf8.hpp"
#include "core_results.hpp"
#include "fixtures.hpp"

namespace ivschat {
namespace {

using nlohmann::json;

TEST(Rfc3339, ParsesEveryValidFixture) {
  const json fixture = testing::readFixture("rfc3339.json");
  ASSERT_FALSE(fixture["valid"].empty());
  for (const json& item : fixture["valid"]) {
    const std::string text = item[0].get<std::string>();
    const auto parsed = parseRfc3339(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    EXPECT_EQ(parsed->epochMillis(), item[1].get<std::int64_t>()) << text;
  }
}

TEST(Rfc3339, RejectsEveryInvalidFixture) {
  const json fixture = testing::readFixture("rfc3339.json");
  ASSERT_FALSE(fixture["invalid"].empty());
  for (const json& item : fixture["invalid"]) {
    EXPECT_FALSE(parseRfc3339(item.get<std::string>()).has_value()) << item;
  }
}

TEST(Rfc3339, KeepsNanoseconds) {
  const auto parsed = parseRfc3339("2022-12-02T08:21:20.754555595Z");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->nanoseconds, 754555595);
  EXPECT_EQ(parsed->epochSeconds, 1669969280);
  EXPECT_EQ(parseRfc3339("2022-12-02T08:21:20.7Z")->nanoseconds, 700000000);
}

TEST(Rfc3339, FormatsMillisecondsLikeToIsoString) {
  EXPECT_EQ(formatRfc3339Millis(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(formatRfc3339Millis(1669969280754), "2022-12-02T08:21:20.754Z");
  EXPECT_EQ(formatRfc3339Millis(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(formatRfc3339Millis(951782400000), "2000-02-29T00:00:00.000Z");
  for (std::int64_t ms : {0LL, 1LL, 86399999LL, 1709251199000LL, 4102444800123LL}) {
    EXPECT_EQ(parseRfc3339(formatRfc3339Millis(ms))->epochMillis(), ms);
  }
}

TEST(ChatTokenResponse, MatchesEveryFixture) {
  const json fixture = testing::readFixture("create-chat-token-responses.json");
  for (const json& item : fixture["responses"]) {
    SCOPED_TRACE(item["name"].get<std::string>());
    const std::string body = item["body"].get<std::string>();
    const testing::ShippedValue input(body, false);
    const auto parsed = readCreateChatTokenResponse(input.document);
    EXPECT_EQ(parsed.ok, item["ok"].get<bool>());
    if (parsed.ok) {
      EXPECT_EQ(parsed.token, item["token"].get<std::string>());
      EXPECT_EQ(parsed.tokenExpirationMillis, item["tokenExpirationMillis"].get<std::int64_t>());
      EXPECT_EQ(parsed.sessionExpirationMillis, item["sessionExpirationMillis"].get<std::int64_t>());
    } else {
      EXPECT_EQ(std::string(parsed.error), item["error"].get<std::string>());
      EXPECT_TRUE(parsed.token.empty());
      EXPECT_EQ(std::string(parsed.error).find("tok-secret"), std::string::npos);
    }
  }
}

TEST(AwsError, MatchesEveryFixture) {
  const json fixture = testing::readFixture("create-chat-token-responses.json");
  for (const json& item : fixture["errors"]) {
    SCOPED_TRACE(item["name"].get<std::string>());
    const std::string body = item["body"].get<std::string>();
    const testing::ShippedValue input(body, false);
    const JsonDocument& document = input.document;
    const auto error = readAwsError(item["status"].get<int>(), item["header"].get<std::string>(), document);
    EXPECT_EQ(error.type, item["type"].get<std::string>());
    EXPECT_EQ(error.message, item["message"].get<std::string>());
    EXPECT_EQ(error.reason, item["reason"].get<std::string>());
    EXPECT_EQ(error.resourceId, item["resourceId"].get<std::string>());
    EXPECT_EQ(error.resourceType, item["resourceType"].get<std::string>());
    json fieldList = json::array();
    if (error.fieldList) {
      for (const JsonValue& problem : document.children(*error.fieldList)) {
        if (problem.kind != JsonKind::Object) continue;
        fieldList.push_back({{"name", stringMember(document, problem, "name")},
                             {"message", stringMember(document, problem, "message")}});
      }
    }
    EXPECT_EQ(fieldList, item["fieldList"]);
  }
}

TEST(AwsError, SanitizesTypesAsTheSdksDo) {
  EXPECT_EQ(sanitizeErrorType("ValidationException"), "ValidationException");
  EXPECT_EQ(sanitizeErrorType("a.b#ValidationException"), "ValidationException");
  EXPECT_EQ(sanitizeErrorType("ValidationException:http://x.y/z"), "ValidationException");
  EXPECT_EQ(sanitizeErrorType("a#b#Last:http://x#y"), "Last");
  EXPECT_EQ(sanitizeErrorType(""), "");
}

TEST(Utf8, CountsCodePoints) {
  EXPECT_EQ(codePointCount("").value(), 0u);
  EXPECT_EQ(codePointCount("abc").value(), 3u);
  EXPECT_EQ(codePointCount("\xC3\xA9").value(), 1u);          // é
  EXPECT_EQ(codePointCount("\xE7\x94\xA8").value(), 1u);      // 用
  EXPECT_EQ(codePointCount("\xF0\x9F\x98\x80").value(), 1u);  // 😀
  EXPECT_EQ(codePointCount("\xF4\x8F\xBF\xBF").value(), 1u);  // U+10FFFF
  EXPECT_FALSE(codePointCount("\xED\xA0\x80").has_value());   // surrogate
  EXPECT_FALSE(codePointCount("\xFF").has_value());
  EXPECT_FALSE(codePointCount("\xF0\x9F\x98").has_value());   // truncated
}

TEST(Utf8, SanitizeReplacesEachBadByte) {
  EXPECT_EQ(sanitizeUtf8("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(sanitizeUtf8("ok \xC3\xA9"), "ok \xC3\xA9");
}

TEST(LosslessJson, ReportsMalformedTextByPositionOnly) {
  const auto result = testing::validateText(R"({"token":"hunter2",)");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].message.find("hunter2"), std::string::npos);
  EXPECT_NE(result.errors[0].message.find("byte"), std::string::npos);
  EXPECT_FALSE(LosslessJson(R"({"a":"\ud800)", testing::workspace()).document.ok);
  EXPECT_FALSE(LosslessJson("", testing::workspace()).document.ok);
}

// Regression: a text ending inside an escape used to loop forever.
TEST(LosslessJson, TextEndingInABackslashIsMalformed) {
  EXPECT_FALSE(LosslessJson("{\"content\":\"a\\", testing::workspace()).document.ok);
  EXPECT_FALSE(LosslessJson("\"\\", testing::workspace()).document.ok);
  EXPECT_FALSE(LosslessJson("{\"a\":\"\\ud800\\", testing::workspace()).document.ok);
  EXPECT_EQ(testing::validateText("{\"userId\":\"\\").errors.at(0).code, std::string("TYPE"));
}

}  // namespace
}  // namespace ivschat
