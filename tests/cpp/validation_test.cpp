#include <gtest/gtest.h>

#include "core/create_chat_token.hpp"
#include "fixtures.hpp"

namespace ivschat {
namespace {

using nlohmann::json;

struct ValidationCase {
  std::string name;
  json fixture;
};

std::vector<ValidationCase> loadCases() {
  std::vector<ValidationCase> cases;
  const json fixture = testing::readFixture("create-chat-token-validation.json");
  for (const json& item : fixture["cases"]) {
    cases.push_back({item["name"].get<std::string>(), item});
  }
  return cases;
}

json codesOf(const CreateChatTokenValidation& result) {
  json out = json::array();
  for (const FieldError& error : result.errors) out.push_back({{"field", error.field}, {"code", error.code}});
  return out;
}

void expectMatches(const CreateChatTokenValidation& result, const json& fixture) {
  EXPECT_EQ(codesOf(result), fixture["errors"]);
  for (const FieldError& error : result.errors) {
    EXPECT_FALSE(error.message.empty()) << error.field;
    EXPECT_NE(error.message.find(error.field), std::string::npos) << "the message names the field";
  }
  if (result.ok() && fixture.contains("body")) {
    EXPECT_EQ(buildCreateChatTokenBody(result.request), fixture["body"].get<std::string>());
  }
}

class ValidationFixture : public ::testing::TestWithParam<ValidationCase> {};

TEST_P(ValidationFixture, MatchesExpectedErrors) {
  const json& fixture = GetParam().fixture;
  if (fixture.contains("inputJson")) {
    expectMatches(validateCreateChatTokenRequestJson(fixture["inputJson"].get<std::string>()), fixture);
    return;
  }
  const json input = testing::expandFixture(fixture["input"]);
  SCOPED_TRACE("from a JSON document");
  expectMatches(validateCreateChatTokenRequest(input), fixture);
  SCOPED_TRACE("from JSON text");
  expectMatches(validateCreateChatTokenRequestJson(input.dump()), fixture);
}

INSTANTIATE_TEST_SUITE_P(Fixture, ValidationFixture, ::testing::ValuesIn(loadCases()),
                         [](const ::testing::TestParamInfo<ValidationCase>& info) {
                           std::string name;
                           for (char c : info.param.name) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return name + "_" + std::to_string(info.index);
                         });

const char* const kArn = "arn:aws:ivschat:us-west-2:123456789012:room/AbCdEf123456";

// Raw ill-formed UTF-8 can only come from C++ callers, so these cases live here, not in data.
TEST(Validation, RejectsRawInvalidUtf8InEveryStringField) {
  json input = {{"roomIdentifier", kArn}, {"userId", std::string("al\xFFice")},
                {"attributes", {{"ok", "fine"}, {"bad", std::string("\xC0\xAF")}}}};
  const auto result = validateCreateChatTokenRequest(input);
  json expected = json::array({{{"field", "userId"}, {"code", "INVALID_UTF8"}},
                               {{"field", "attributes.bad"}, {"code", "INVALID_UTF8"}}});
  EXPECT_EQ(codesOf(result), expected);
}

TEST(Validation, RejectsRawInvalidUtf8InJsonTextAtTheRightField) {
  const std::string text = std::string("{\"roomIdentifier\":\"") + kArn +
                           "\",\"userId\":\"x\xED\xA0\x80y\",\"attributes\":{\"k\":\"\xF5\"}}";
  const auto result = validateCreateChatTokenRequestJson(text);
  json expected = json::array({{{"field", "userId"}, {"code", "INVALID_UTF8"}},
                               {{"field", "attributes.k"}, {"code", "INVALID_UTF8"}}});
  EXPECT_EQ(codesOf(result), expected);
}

TEST(Validation, OverlongAndOutOfRangeSequencesAreInvalid) {
  for (const std::string bad : {std::string("\xC1\x81"), std::string("\xE0\x80\xAF"),
                                std::string("\xF4\x90\x80\x80"), std::string("\xF0\x8F\xBF\xBF"),
                                std::string("\xE2\x82"), std::string("\x80")}) {
    const auto result = validateCreateChatTokenRequest({{"roomIdentifier", kArn}, {"userId", bad}});
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_EQ(result.errors[0].code, "INVALID_UTF8");
  }
}

TEST(Validation, TextThatIsNotJsonIsOneTypeErrorWithoutQuotingTheInput) {
  const auto result = validateCreateChatTokenRequestJson("{\"userId\": secret-value");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].field, "request");
  EXPECT_EQ(result.errors[0].code, "TYPE");
  EXPECT_EQ(result.errors[0].message.find("secret"), std::string::npos);
}

TEST(Validation, MessagesNameTheFieldAndTheLimit) {
  const auto result = validateCreateChatTokenRequest(
      {{"roomIdentifier", kArn}, {"userId", std::string(129, 'a')}, {"sessionDurationInMinutes", 181}});
  ASSERT_EQ(result.errors.size(), 2u);
  EXPECT_EQ(result.errors[0].message, "userId must be at most 128 characters; it has 129.");
  EXPECT_EQ(result.errors[1].message, "sessionDurationInMinutes must be between 1 and 180; it is 181.");
}

TEST(Validation, IntegralFloatDurationIsAccepted) {
  const auto result = validateCreateChatTokenRequestJson(std::string("{\"roomIdentifier\":\"") + kArn +
                                                         "\",\"userId\":\"a\",\"sessionDurationInMinutes\":60.0}");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result.request.sessionDurationInMinutes, 60);
}

TEST(RequestBuilding, RegionAndUrlsComeFromTheArn) {
  EXPECT_EQ(regionFromRoomArn(kArn).value(), "us-west-2");
  EXPECT_FALSE(regionFromRoomArn("arn:aws:ivschat::1:room/a").has_value());
  EXPECT_EQ(controlPlaneUrl("eu-west-1"), "https://ivschat.eu-west-1.amazonaws.com");
  EXPECT_EQ(messagingUrl("ap-south-1"), "wss://edge.ivschat.ap-south-1.amazonaws.com");
}

TEST(RequestBuilding, BodyIsDeterministicWhateverTheInputOrder) {
  const auto a = validateCreateChatTokenRequestJson(
      std::string("{\"userId\":\"u\",\"attributes\":{\"b\":\"2\",\"a\":\"1\"},\"roomIdentifier\":\"") + kArn + "\"}");
  const auto b = validateCreateChatTokenRequestJson(
      std::string("{\"roomIdentifier\":\"") + kArn + "\",\"attributes\":{\"a\":\"1\",\"b\":\"2\"},\"userId\":\"u\"}");
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(buildCreateChatTokenBody(a.request), buildCreateChatTokenBody(b.request));
}

TEST(RequestBuilding, ValidationExceptionBodyHasTheServiceShape) {
  const auto body = json::parse(buildValidationExceptionBody(
      {{"userId", "TOO_LONG", "userId is too long."}, {"capabilities[0]", "ENUM", "bad capability."}}));
  EXPECT_EQ(body["reason"], "FIELD_VALIDATION_FAILED");
  EXPECT_EQ(body["message"], "userId is too long. (and 1 more problem)");
  EXPECT_EQ(body["fieldList"], json::array({{{"name", "userId"}, {"message", "userId is too long."}},
                                            {{"name", "capabilities[0]"}, {"message", "bad capability."}}}));
}

TEST(RequestBuilding, AttributePathsQuoteKeysThatAreNotIdentifiers) {
  EXPECT_EQ(attributePath("attributes", "color"), "attributes.color");
  EXPECT_EQ(attributePath("attributes", "_x$1"), "attributes._x$1");
  EXPECT_EQ(attributePath("attributes", "1st"), "attributes[\"1st\"]");
  EXPECT_EQ(attributePath("attributes", "a.b"), "attributes[\"a.b\"]");
  EXPECT_EQ(attributePath("attributes", ""), "attributes[\"\"]");
  EXPECT_EQ(attributePath("attributes", "q\"uote"), "attributes[\"q\\\"uote\"]");
}

}  // namespace
}  // namespace ivschat
