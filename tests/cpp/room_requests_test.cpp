// The room requests (CreateRoom, GetRoom, ListRooms, UpdateRoom, DeleteRoom) and the
// logging-configuration requests (CreateLoggingConfiguration ... DeleteLoggingConfiguration): the
// admin module's calls. The shared fixtures (tests/fixtures/room-requests.json and
// logging-configuration-requests.json, also read by the JS tests), the patterns as the service
// matches them, the regions of the identifiers, and the operation names the signer uses as paths.
#include <gtest/gtest.h>

#include "core/json_lossless.hpp"
#include "core/room_requests.hpp"
#include "core_results.hpp"
#include "fixtures.hpp"

namespace ivschat {
namespace {

using nlohmann::json;

RoomCall roomCallNamed(const std::string& name) {
  for (int i = 0; i < kRoomCallCount; ++i) {
    if (name == roomOperationName(static_cast<RoomCall>(i))) return static_cast<RoomCall>(i);
  }
  throw std::runtime_error("no room operation " + name);
}

void checkFixture(const char* file) {
  const json fixture = testing::readFixture(file);
  ASSERT_FALSE(fixture["cases"].empty());
  for (const json& item : fixture["cases"]) {
    SCOPED_TRACE(item["name"].get<std::string>());
    const json input = testing::expandFixture(item["input"]);
    const std::string text = input.dump();
    const testing::ShippedValue request(text, false);
    const ControlPlaneRequest built = buildRoomRequest(roomCallNamed(item["operation"]), request.document);
    json codes = json::array();
    for (const FieldError& error : built.errors.list()) {
      codes.push_back({{"field", error.field}, {"code", error.code}});
      EXPECT_NE(error.message.find(error.field), std::string::npos) << "the message names the field: " << error.message;
    }
    EXPECT_EQ(codes, item["errors"]);
    if (!built.ok()) {
      EXPECT_EQ(built.body, "");
      continue;
    }
    // The room whose ARN gives the region: the identifier, none for CreateRoom and ListRooms.
    EXPECT_EQ(std::string(built.roomIdentifier), input.value("identifier", std::string()));
    if (item.contains("body")) EXPECT_EQ(built.body, item["body"].get<std::string>());
    json members = input;
    for (auto it = members.begin(); it != members.end();) it = it->is_null() ? members.erase(it) : std::next(it);
    EXPECT_EQ(json::parse(built.body), members);
    EXPECT_EQ(json::parse(built.body).dump(), built.body) << "compact, in sorted order";
  }
}

TEST(RoomFixtures, EveryCase) { checkFixture("room-requests.json"); }

TEST(LoggingConfigurationFixtures, EveryCase) { checkFixture("logging-configuration-requests.json"); }

TEST(RoomRequests, OperationNamesAreThePaths) {
  EXPECT_STREQ(roomOperationName(RoomCall::CreateRoom), "CreateRoom");
  EXPECT_STREQ(roomOperationName(RoomCall::GetRoom), "GetRoom");
  EXPECT_STREQ(roomOperationName(RoomCall::ListRooms), "ListRooms");
  EXPECT_STREQ(roomOperationName(RoomCall::UpdateRoom), "UpdateRoom");
  EXPECT_STREQ(roomOperationName(RoomCall::DeleteRoom), "DeleteRoom");
  EXPECT_STREQ(roomOperationName(RoomCall::CreateLoggingConfiguration), "CreateLoggingConfiguration");
  EXPECT_STREQ(roomOperationName(RoomCall::GetLoggingConfiguration), "GetLoggingConfiguration");
  EXPECT_STREQ(roomOperationName(RoomCall::ListLoggingConfigurations), "ListLoggingConfigurations");
  EXPECT_STREQ(roomOperationName(RoomCall::UpdateLoggingConfiguration), "UpdateLoggingConfiguration");
  EXPECT_STREQ(roomOperationName(RoomCall::DeleteLoggingConfiguration), "DeleteLoggingConfiguration");
  for (int i = 0; i < kRoomCallCount; ++i) {
    const auto call = static_cast<RoomCall>(i);
    EXPECT_EQ(isLoggingConfigurationCall(call), std::string(roomOperationName(call)).find("LoggingConfiguration") != std::string::npos);
  }
}

TEST(LoggingConfigurationRequests, RegionsOfTheIdentifiers) {
  EXPECT_EQ(regionFromIvsChatArn("arn:aws:ivschat:ap-south-1:123456789012:logging-configuration/AbCdEf123456"), "ap-south-1");
  EXPECT_EQ(regionFromIvsChatArn("arn:aws:ivschat:eu-west-1:123456789012:room/AbCdEf123456"), "eu-west-1");
  EXPECT_EQ(regionFromIvsChatArn("arn:aws:ivschat:eu-west-1:123456789012:channel/AbCdEf123456"), "");
  EXPECT_EQ(regionFromIvsChatArn("arn:aws:ivschat:eu-west-1:123456789012:logging-configuration/"), "");
  EXPECT_EQ(regionFromIvsChatArn(""), "");
  EXPECT_TRUE(namesNoResource(RoomCall::CreateLoggingConfiguration));
  EXPECT_TRUE(namesNoResource(RoomCall::ListLoggingConfigurations));
  EXPECT_FALSE(namesNoResource(RoomCall::GetLoggingConfiguration));
  // The identifier comes back as the ARN the region is read from.
  const testing::ShippedValue get(R"({"identifier":"arn:aws:ivschat:ap-south-1:1:logging-configuration/x"})", false);
  const ControlPlaneRequest built = buildRoomRequest(RoomCall::GetLoggingConfiguration, get.document);
  ASSERT_TRUE(built.ok());
  EXPECT_EQ(regionFromIvsChatArn(built.roomIdentifier), "ap-south-1");
}

TEST(LoggingConfigurationRequests, DestinationsAsTheServiceMatchesThem) {
  const auto errorsOf = [](RoomCall call, const std::string& text) {
    const testing::ShippedValue request(text, false);
    const ControlPlaneRequest built = buildRoomRequest(call, request.document);
    json codes = json::array();
    for (const FieldError& error : built.errors.list()) codes.push_back(error.field + " " + error.code);
    return codes;
  };
  const auto bodyOf = [](RoomCall call, const std::string& text) {
    const testing::ShippedValue request(text, false);
    return buildRoomRequest(call, request.document).body;
  };
  constexpr RoomCall create = RoomCall::CreateLoggingConfiguration;
  // Every character each pattern allows, and a null member of the union counts as absent.
  EXPECT_EQ(errorsOf(create, R"({"destinationConfiguration":{"s3":{"bucketName":"abcdefghijklmnopqrstuvwxyz0123456789-."}}})"), json::array());
  EXPECT_EQ(errorsOf(create, R"({"destinationConfiguration":{"cloudWatchLogs":{"logGroupName":".-_/#AZaz09"}}})"), json::array());
  EXPECT_EQ(errorsOf(create, R"({"destinationConfiguration":{"firehose":{"deliveryStreamName":"AZaz09_.-"}}})"), json::array());
  EXPECT_EQ(bodyOf(create, R"({"destinationConfiguration":{"s3":null,"firehose":{"deliveryStreamName":"f"}}})"),
            R"({"destinationConfiguration":{"firehose":{"deliveryStreamName":"f"}}})");
  // One character outside each pattern.
  EXPECT_EQ(errorsOf(create, R"({"destinationConfiguration":{"s3":{"bucketName":"abc/"}}})"),
            json::array({"destinationConfiguration.s3.bucketName PATTERN"}));
  EXPECT_EQ(errorsOf(create, R"({"destinationConfiguration":{"cloudWatchLogs":{"logGroupName":"a*"}}})"),
            json::array({"destinationConfiguration.cloudWatchLogs.logGroupName PATTERN"}));
  EXPECT_EQ(errorsOf(create, R"({"destinationConfiguration":{"firehose":{"deliveryStreamName":"a#"}}})"),
            json::array({"destinationConfiguration.firehose.deliveryStreamName PATTERN"}));
  // Lengths count code points; a name outside the pattern by its length alone is TOO_LONG.
  EXPECT_EQ(errorsOf(create, R"({"destinationConfiguration":{"s3":{"bucketName":"ééé"}}})"),
            json::array({"destinationConfiguration.s3.bucketName PATTERN"}));
  // Three set: one TYPE error naming them; the unknown members of the union are listed after.
  const testing::ShippedValue three(
      R"({"destinationConfiguration":{"s3":{"bucketName":"abc"},"cloudWatchLogs":{"logGroupName":"g"},"firehose":{"deliveryStreamName":"f"},"x":1}})",
      false);
  const ControlPlaneRequest built = buildRoomRequest(create, three.document);
  ASSERT_EQ(built.errors.list().size(), 2u);
  EXPECT_EQ(built.errors.list()[0].message,
            "destinationConfiguration must set exactly one of s3, cloudWatchLogs or firehose; it sets s3, cloudWatchLogs and firehose.");
  EXPECT_EQ(built.errors.list()[1].field, "destinationConfiguration.x");
  EXPECT_EQ(built.errors.list()[1].code, std::string(error_code::kUnknownField));
  // A misspelt destination: nothing set, and the misspelling named.
  EXPECT_EQ(errorsOf(create, R"({"destinationConfiguration":{"S3":{"bucketName":"abc"}}})"),
            json::array({"destinationConfiguration REQUIRED", "destinationConfiguration.S3 UNKNOWN_FIELD"}));
}

TEST(RoomRequests, PatternsAreMatchedAsTheServiceDoes) {
  const auto errorsOf = [](RoomCall call, const std::string& text) {
    const testing::ShippedValue request(text, false);
    const ControlPlaneRequest built = buildRoomRequest(call, request.document);
    json codes = json::array();
    for (const FieldError& error : built.errors.list()) {
      codes.push_back(error.field + " " + error.code);
    }
    return codes;
  };
  // The Lambda pattern is not anchored at its end: anything after "function:" but a line end.
  EXPECT_EQ(errorsOf(RoomCall::ListRooms, R"({"messageReviewHandlerUri":"arn:aws:lambda:us-east-1:123456789012:function:f:1 x"})"),
            json::array());
  EXPECT_EQ(errorsOf(RoomCall::ListRooms, R"({"messageReviewHandlerUri":"arn:aws:lambda:us-east-1:123456789012:function:\nf"})"),
            json::array({"messageReviewHandlerUri PATTERN"}));
  EXPECT_EQ(errorsOf(RoomCall::ListRooms, R"({"messageReviewHandlerUri":"arn:aws:lambda:us-east-1:1234567890123:function:f"})"),
            json::array({"messageReviewHandlerUri PATTERN"}));
  EXPECT_EQ(errorsOf(RoomCall::ListRooms, R"({"messageReviewHandlerUri":"arn:aws:lambda:us-east-1:123456789012:function:"})"),
            json::array({"messageReviewHandlerUri PATTERN"}));
  EXPECT_EQ(errorsOf(RoomCall::CreateRoom, R"({"loggingConfigurationIdentifiers":["arn:aws:ivschat:us-east-1:1:logging-configuration/a b"]})"),
            json::array({"loggingConfigurationIdentifiers[0] PATTERN"}));
  // Whole numbers however they are spelled; written back as integers.
  const testing::ShippedValue spelled(R"({"maximumMessageLength":5e1,"maximumMessageRatePerSecond":7.0})", false);
  EXPECT_EQ(buildRoomRequest(RoomCall::CreateRoom, spelled.document).body,
            R"({"maximumMessageLength":50,"maximumMessageRatePerSecond":7})");
}

}  // namespace
}  // namespace ivschat
