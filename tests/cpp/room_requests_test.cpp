// The room requests (CreateRoom, GetRoom, ListRooms, UpdateRoom, DeleteRoom; the admin module's
// calls): the shared fixtures (tests/fixtures/room-requests.json, also read by the JS tests), the
// patterns as the service matches them, and the operation names the signer uses as paths.
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

TEST(RoomFixtures, EveryCase) {
  const json fixture = testing::readFixture("room-requests.json");
  for (const json& item : fixture["cases"]) {
    SCOPED_TRACE(item["name"].get<std::string>());
    const json input = testing::expandFixture(item["input"]);
    const std::string text = input.dump();
    const LosslessJson request(text, testing::workspace());
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

TEST(RoomRequests, OperationNamesAreThePaths) {
  EXPECT_STREQ(roomOperationName(RoomCall::CreateRoom), "CreateRoom");
  EXPECT_STREQ(roomOperationName(RoomCall::GetRoom), "GetRoom");
  EXPECT_STREQ(roomOperationName(RoomCall::ListRooms), "ListRooms");
  EXPECT_STREQ(roomOperationName(RoomCall::UpdateRoom), "UpdateRoom");
  EXPECT_STREQ(roomOperationName(RoomCall::DeleteRoom), "DeleteRoom");
}

TEST(RoomRequests, PatternsAreMatchedAsTheServiceDoes) {
  const auto errorsOf = [](RoomCall call, const std::string& text) {
    const LosslessJson request(text, testing::workspace());
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
  const LosslessJson spelled(R"({"maximumMessageLength":5e1,"maximumMessageRatePerSecond":7.0})", testing::workspace());
  EXPECT_EQ(buildRoomRequest(RoomCall::CreateRoom, spelled.document).body,
            R"({"maximumMessageLength":50,"maximumMessageRatePerSecond":7})");
}

}  // namespace
}  // namespace ivschat
