// CreateChatToken validation: the shared fixtures (tests/fixtures/create-chat-token-validation.json,
// also read by the JS tests) plus what JSON data cannot hold (raw ill-formed UTF-8).
#include <gtest/gtest.h>

#include "core/create_chat_token.hpp"
#include "core_results.hpp"
#include "fixtures.hpp"

namespace ivschat {
namespace {

using nlohmann::json;
using testing::Codes;
using testing::validateText;

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

class ValidationFixture : public ::testing::TestWithParam<ValidationCase> {};

TEST_P(ValidationFixture, MatchesExpectedErrors) {
  const json& fixture = GetParam().fixture;
  const std::string text = fixture.contains("inputJson") ? fixture["inputJson"].get<std::string>()
                                                         : testing::expandFixture(fixture["input"]).dump();
  const testing::Validated result = validateText(text);
  json codes = json::array();
  for (const FieldError& error : result.errors) codes.push_back({{"field", error.field}, {"code", error.code}});
  EXPECT_EQ(codes, fixture["errors"]);
  for (const FieldError& error : result.errors) {
    EXPECT_FALSE(error.message.empty()) << error.field;
    EXPECT_NE(error.message.find(error.field), std::string::npos) << "the message names the field";
  }
  if (result.ok() && fixture.contains("body")) EXPECT_EQ(*result.body, fixture["body"].get<std::string>());
}

INSTANTIATE_TEST_SUITE_P(Fixture, ValidationFixture, ::testing::ValuesIn(loadCases()),
                         [](const ::testing::TestParamInfo<ValidationCase>& info) {
                           std::string name;
                           for (char c : info.param.name) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return name + "_" + std::to_string(info.index);
                         });

const std::string kArn = "arn:aws:ivschat:us-west-2:123456789012:room/AbCdEf123456";

std::string request(const std::string& membersAfterArn) {
  return "{\"roomIdentifier\":\"" + kArn + "\"" + membersAfterArn + "}";
}

// Raw ill-formed UTF-8 can only come from C++ callers, so these cases live here, not in data.
TEST(Validation, RawIllFormedUtf8IsReportedAtItsField) {
  const auto result = validateText(request(",\"userId\":\"al\xFFice\",\"attributes\":{\"ok\":\"fine\",\"bad\":\"\xC0\xAF\"}"));
  EXPECT_EQ(result.codes(), (Codes{{"userId", "INVALID_UTF8"}, {"attributes.bad", "INVALID_UTF8"}}));
}

TEST(Validation, LoneSurrogatesInRawBytesAreReportedAtTheirField) {
  const auto result = validateText(request(",\"userId\":\"x\xED\xA0\x80y\",\"attributes\":{\"k\":\"\xF5\"}"));
  EXPECT_EQ(result.codes(), (Codes{{"userId", "INVALID_UTF8"}, {"attributes.k", "INVALID_UTF8"}}));
}

TEST(Validation, OverlongAndOutOfRangeSequencesAreInvalid) {
  for (const std::string bad : {std::string("\xC1\x81"), std::string("\xE0\x80\xAF"), std::string("\xF4\x90\x80\x80"),
                                std::string("\xF0\x8F\xBF\xBF"), std::string("\xE2\x82"), std::string("\x80")}) {
    const auto result = validateText(request(",\"userId\":\"" + bad + "\""));
    EXPECT_EQ(result.codes(), (Codes{{"userId", "INVALID_UTF8"}}));
  }
}

TEST(Validation, TextThatIsNotJsonIsOneTypeErrorWithoutQuotingTheInput) {
  const auto result = validateText("{\"userId\": secret-value");
  EXPECT_EQ(result.codes(), (Codes{{"request", "TYPE"}}));
  EXPECT_EQ(result.errors[0].message.find("secret"), std::string::npos);
}

TEST(Validation, MessagesNameTheFieldAndTheLimit) {
  const auto result = validateText(request(",\"userId\":\"" + std::string(129, 'a') + "\",\"sessionDurationInMinutes\":181"));
  ASSERT_EQ(result.errors.size(), 2u);
  EXPECT_EQ(result.errors[0].message, "userId must have at most 128 characters; it has 129.");
  EXPECT_EQ(result.errors[1].message, "sessionDurationInMinutes must be between 1 and 180; it is 181.");
}

TEST(Validation, TokenAndActionFieldsShareTheirWording) {
  // One toolkit: an empty userId reads the same for a token and for DISCONNECT_USER.
  const auto token = validateText(request(",\"userId\":\"\""));
  const auto kick = testing::buildAction("DISCONNECT_USER", R"({"userId":"","requestId":"r"})");
  ASSERT_EQ(token.errors.size(), 1u);
  ASSERT_EQ(kick.errors.size(), 1u);
  EXPECT_EQ(token.errors[0].message, kick.errors[0].message);
  EXPECT_EQ(token.errors[0].message, "userId must have at least 1 character; it has 0.");
}

TEST(Validation, DurationsAreWholeNumbersDecidedFromTheirText) {
  for (const char* whole : {"60", "60.0", "6e1", "600e-1", "1.8E2", "0.01e3"}) {
    const auto result = validateText(request(",\"userId\":\"a\",\"sessionDurationInMinutes\":" + std::string(whole)));
    ASSERT_TRUE(result.ok()) << whole;
  }
  EXPECT_EQ(*validateText(request(",\"userId\":\"a\",\"sessionDurationInMinutes\":6e1")).sessionDurationInMinutes, 60);
  for (const char* fraction : {"60.5", "179.99999999999997", "1e-7", "0.5"}) {
    EXPECT_EQ(validateText(request(",\"userId\":\"a\",\"sessionDurationInMinutes\":" + std::string(fraction))).codes(),
              (Codes{{"sessionDurationInMinutes", "TYPE"}}))
        << fraction;
  }
  for (const char* outside : {"0", "181", "-1", "1e300", "9007199254740993", "18446744073709551616", "-0.0e5"}) {
    const auto codes = validateText(request(",\"userId\":\"a\",\"sessionDurationInMinutes\":" + std::string(outside))).codes();
    EXPECT_EQ(codes, (Codes{{"sessionDurationInMinutes", "RANGE"}})) << outside;
  }
  // As JSON.parse would not: nlohmann refuses a number that overflows a double.
  EXPECT_EQ(validateText(request(",\"userId\":\"a\",\"sessionDurationInMinutes\":1e400")).codes(), (Codes{{"request", "TYPE"}}));
}

TEST(Validation, MarkersFromTheShimAreNamedAtTheirField) {
  const auto result = validateText(request(
      ",\"userId\":{\"$oversizedString\":536870912},\"capabilities\":{\"$oversizedArray\":1000000},"
      "\"sessionDurationInMinutes\":{\"$bigint\":\"\"},\"attributes\":{\"a\":{\"$nonFinite\":\"NaN\"}}"),
      true);
  EXPECT_EQ(result.codes(), (Codes{{"userId", "TOO_LONG"},
                                   {"capabilities", "TOO_LONG"},
                                   {"sessionDurationInMinutes", "TYPE"},
                                   {"attributes.a", "TYPE"}}));
  EXPECT_NE(result.errors[0].message.find("536870912"), std::string::npos);
  EXPECT_NE(result.errors[1].message.find("1000000"), std::string::npos);
  EXPECT_NE(result.errors[2].message.find("a BigInt"), std::string::npos);
  EXPECT_NE(result.errors[3].message.find("NaN"), std::string::npos);
  EXPECT_EQ(validateText("{\"$oversizedObject\":3000}", true).codes(), (Codes{{"request", "TOO_LARGE"}}));
  EXPECT_EQ(validateText(request(",\"userId\":\"a\",\"attributes\":{\"$oversizedObject\":3000}"), true).codes(),
            (Codes{{"attributes", "TOO_LARGE"}}));
  EXPECT_EQ(validateText(request(",\"userId\":\"a\",\"attributes\":{\"k\":{\"$oversizedString\":5000}}"), true).codes(),
            (Codes{{"attributes", "TOO_LARGE"}}));
}

TEST(Validation, AForgedMarkerIsNeverAValue) {
  // Read as markers (the text holds a real one too), a marker with a small size is still refused.
  const auto forged = validateText(
      request(",\"userId\":\"a\",\"sessionDurationInMinutes\":{\"$bigint\":\"\"},"
              "\"attributes\":{\"k\":{\"$oversizedString\":0}}"),
      true);
  EXPECT_EQ(forged.codes(), (Codes{{"sessionDurationInMinutes", "TYPE"}, {"attributes", "TOO_LARGE"}}));
}

TEST(Validation, WithoutMarkersTheirShapesArePlainJson) {
  // A user's own attribute named like a marker is an ordinary string member.
  const auto plain = validateText(request(",\"userId\":\"a\",\"attributes\":{\"$bigint\":\"1\"}"));
  ASSERT_TRUE(plain.ok());
  EXPECT_NE(plain.body->find("\"attributes\":{\"$bigint\":\"1\"}"), std::string::npos) << *plain.body;
  EXPECT_EQ(validateText(request(",\"userId\":{\"$oversizedString\":5000}")).codes(), (Codes{{"userId", "TYPE"}}));
}

TEST(Validation, LongArraysAreRefusedByTheirLengthAndTheListIsCapped) {
  std::string many = ",\"userId\":\"a\",\"capabilities\":[";
  for (int i = 0; i < 17; ++i) many += std::string(i ? "," : "") + "\"X\"";
  const auto byLength = validateText(request(many + "]"));
  EXPECT_EQ(byLength.codes(), (Codes{{"capabilities", "TOO_LONG"}}));
  // Every attribute wrong: at most kMaxFieldErrors listed, then one entry counting the rest.
  std::string attributes = ",\"userId\":\"a\",\"attributes\":{";
  for (int i = 0; i < 100; ++i) attributes += std::string(i ? "," : "") + "\"k" + std::to_string(i) + "\":1";
  const auto capped = validateText(request(attributes + "}"));
  ASSERT_EQ(capped.errors.size(), kMaxFieldErrors + 1);
  EXPECT_EQ(capped.errors.back().code, std::string(error_code::kTooManyErrors));
  EXPECT_NE(capped.errors.back().message.find("36 more problems"), std::string::npos) << capped.errors.back().message;
}

TEST(Validation, DuplicateMembersTakeTheLastValueAndAreReportedOnce) {
  const auto result = validateText(request(",\"userId\":1,\"userId\":\"bob\",\"x\":1,\"x\":2"));
  EXPECT_EQ(result.codes(), (Codes{{"x", "UNKNOWN_FIELD"}}));
  const auto body = validateText(request(",\"userId\":\"bob\",\"attributes\":{\"a\":\"1\",\"a\":\"2\"}")).body;
  ASSERT_TRUE(body);
  EXPECT_NE(body->find("\"attributes\":{\"a\":\"2\"}"), std::string::npos) << *body;
}

TEST(Validation, AMisspeltMemberSaysWhichFieldWasMeantAndComesFirst) {
  const auto misspelt = validateText(request(",\"userID\":\"bob\""));
  ASSERT_EQ(misspelt.codes(), (Codes{{"userID", "UNKNOWN_FIELD"}, {"userId", "REQUIRED"}}));
  EXPECT_EQ(misspelt.errors[0].message.rfind("\"userID\" is not a CreateChatToken field; did you mean userId?", 0), 0u)
      << misspelt.errors[0].message;
  // One edit away (a letter dropped, two swapped), any letter case: the same suggestion.
  for (const char* name : {"usrId", "userdI", "USERID", "sessionDurationInMinute", "capabilites"}) {
    const auto result = validateText(request(",\"userId\":\"bob\",\"" + std::string(name) + "\":1"));
    ASSERT_EQ(result.errors.size(), 1u) << name;
    EXPECT_NE(result.errors[0].message.find("did you mean"), std::string::npos) << result.errors[0].message;
  }
  // Nothing close: no guess.
  const auto far = validateText(request(",\"userId\":\"bob\",\"colour\":1"));
  ASSERT_EQ(far.errors.size(), 1u);
  EXPECT_EQ(far.errors[0].message.find("did you mean"), std::string::npos) << far.errors[0].message;
}

TEST(RequestBuilding, RegionComesFromTheArn) {
  EXPECT_EQ(regionFromRoomArn(kArn), "us-west-2");
  EXPECT_EQ(regionFromRoomArn("arn:aws:ivschat::1:room/a"), "");
}

TEST(RequestBuilding, BodyIsDeterministicWhateverTheInputOrder) {
  const auto a = validateText("{\"userId\":\"u\",\"attributes\":{\"b\":\"2\",\"a\":\"1\"},\"roomIdentifier\":\"" + kArn + "\"}");
  const auto b = validateText(request(",\"attributes\":{\"a\":\"1\",\"b\":\"2\"},\"userId\":\"u\""));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a.body, *b.body);
}

TEST(RequestBuilding, MemberPathsQuoteNamesThatAreNotIdentifiers) {
  EXPECT_EQ(memberPath("attributes", "color"), "attributes.color");
  EXPECT_EQ(memberPath("attributes", "_x$1"), "attributes._x$1");
  EXPECT_EQ(memberPath("attributes", "1st"), "attributes[\"1st\"]");
  EXPECT_EQ(memberPath("attributes", "a.b"), "attributes[\"a.b\"]");
  EXPECT_EQ(memberPath("attributes", ""), "attributes[\"\"]");
  EXPECT_EQ(memberPath("attributes", "q\"uote"), "attributes[\"q\\\"uote\"]");
  const std::string shortened = memberPath("attributes", std::string(300, 'k'));
  EXPECT_EQ(shortened, "attributes[\"" + std::string(kMaxShownNameBytes, 'k') + "...\"]");
}

}  // namespace
}  // namespace ivschat
