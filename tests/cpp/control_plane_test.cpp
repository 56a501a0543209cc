// The server-side moderation requests: the shared fixtures (tests/fixtures/moderation-requests.json,
// also read by the JS tests), the answers, and the operation names the signer uses as paths.
#include <gtest/gtest.h>

#include "core/control_plane_requests.hpp"
#include "core/json_lossless.hpp"
#include "core_results.hpp"
#include "fixtures.hpp"

namespace ivschat {
namespace {

using nlohmann::json;

ControlPlaneCall callNamed(const std::string& name) {
  for (int i = 0; i < kControlPlaneCallCount; ++i) {
    if (name == operationName(static_cast<ControlPlaneCall>(i))) return static_cast<ControlPlaneCall>(i);
  }
  throw std::runtime_error("no operation " + name);
}

TEST(ControlPlaneFixtures, EveryCase) {
  const json fixture = testing::readFixture("moderation-requests.json");
  for (const json& item : fixture["cases"]) {
    SCOPED_TRACE(item["name"].get<std::string>());
    const std::string text = testing::expandFixture(item["input"]).dump();
    const testing::ShippedValue request(text, false);
    const ControlPlaneRequest built = buildControlPlaneRequest(callNamed(item["operation"]), request.document);
    json codes = json::array();
    for (const FieldError& error : built.errors.list()) {
      codes.push_back({{"field", error.field}, {"code", error.code}});
      EXPECT_NE(error.message.find(error.field), std::string::npos) << "the message names the field: " << error.message;
    }
    EXPECT_EQ(codes, item["errors"]);
    if (built.ok()) {
      EXPECT_EQ(std::string(built.roomIdentifier), item["input"]["roomIdentifier"].get<std::string>());
      if (item.contains("body")) EXPECT_EQ(built.body, item["body"].get<std::string>());
      EXPECT_EQ(json::parse(built.body), testing::expandFixture(item["input"]).is_object() ? [&] {
        json members = testing::expandFixture(item["input"]);
        for (auto it = members.begin(); it != members.end();) it = it->is_null() ? members.erase(it) : std::next(it);
        return members;
      }() : json());
    }
  }
}

TEST(ControlPlane, OperationNamesAreThePaths) {
  EXPECT_STREQ(operationName(ControlPlaneCall::CreateChatToken), "CreateChatToken");
  EXPECT_STREQ(operationName(ControlPlaneCall::SendEvent), "SendEvent");
  EXPECT_STREQ(operationName(ControlPlaneCall::DeleteMessage), "DeleteMessage");
  EXPECT_STREQ(operationName(ControlPlaneCall::DisconnectUser), "DisconnectUser");
}

TEST(ControlPlane, RawIllFormedUtf8IsReportedAtItsField) {
  const std::string text = "{\"roomIdentifier\":\"arn:aws:ivschat:us-west-2:1:room/a\",\"eventName\":\"e\xFF\"}";
  const testing::ShippedValue request(text, false);
  const ControlPlaneRequest built = buildControlPlaneRequest(ControlPlaneCall::SendEvent, request.document);
  ASSERT_EQ(built.errors.list().size(), 1u);
  EXPECT_EQ(built.errors.list()[0].field, "eventName");
  EXPECT_STREQ(built.errors.list()[0].code, "INVALID_UTF8");
}

TEST(ControlPlane, AnswersAreReadForTheirCall) {
  const auto read = [](ControlPlaneCall call, const std::string& body) {
    testing::workspace().resetArena();
    return readModerationAnswer(call, scanJson(body, testing::workspace()));
  };
  EXPECT_TRUE(read(ControlPlaneCall::SendEvent, "{\"id\":\"AbCdEf123456\"}").ok);
  EXPECT_EQ(read(ControlPlaneCall::DeleteMessage, "{\"id\":\"AbCdEf123456\",\"x\":1}").id, "AbCdEf123456");
  EXPECT_TRUE(read(ControlPlaneCall::DisconnectUser, "{}").ok);
  for (const char* bad : {"{}", "{\"id\":5}", "{\"id\":\"short\"}", "[]", "not json", "{\"id\":\"AbCdEf12345!\"}"}) {
    const ModerationAnswer answer = read(ControlPlaneCall::SendEvent, bad);
    EXPECT_FALSE(answer.ok) << bad;
    EXPECT_NE(std::string(answer.error), "") << bad;
  }
  EXPECT_FALSE(read(ControlPlaneCall::DisconnectUser, "[]").ok);
}

}  // namespace
}  // namespace ivschat
