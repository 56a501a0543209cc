// Room history from CloudWatch Logs (src/core/chat_logs.hpp): the shared fixtures
// (tests/fixtures/chat-logs.json, also read by tests/backend/history-fixtures.test.js through the
// history module) for the requests, their signatures, the records and the answer pages; then what
// JSON data cannot hold: raw ill-formed UTF-8, and damage to every byte of a record.
#include <gtest/gtest.h>

#include "core/chat_logs.hpp"
#include "core/ivs_signed_request.hpp"
#include "core/json_lossless.hpp"
#include "core_results.hpp"
#include "fixtures.hpp"

namespace ivschat {
namespace {

using nlohmann::json;

LogsCall logsCallNamed(const std::string& name) {
  if (name == "GetLogEvents") return LogsCall::GetLogEvents;
  if (name == "FilterLogEvents") return LogsCall::FilterLogEvents;
  throw std::runtime_error("no logs call " + name);
}

const char* statusName(ChatLogRecordStatus status) {
  switch (status) {
    case ChatLogRecordStatus::Ok: return "OK";
    case ChatLogRecordStatus::TooLarge: return "TOO_LARGE";
    case ChatLogRecordStatus::NotJson: return "NOT_JSON";
    case ChatLogRecordStatus::OtherVersion: return "OTHER_VERSION";
    case ChatLogRecordStatus::Malformed: return "MALFORMED";
  }
  return "?";
}

const char* kindName(ChatLogItemKind kind) {
  switch (kind) {
    case ChatLogItemKind::Message: return "MESSAGE";
    case ChatLogItemKind::DeleteMessage: return "DELETE_MESSAGE";
    case ChatLogItemKind::Event: return "EVENT";
  }
  return "?";
}

JsonWorkspace& recordWorkspace() {
  static JsonWorkspace workspace(2048, kMaxChatLogRecordBytes * 2);
  return workspace;
}

std::string recordText(const json& item) {
  if (item.contains("text")) return item["text"].get<std::string>();
  return testing::expandFixture(item["record"]).dump();
}

TEST(ChatLogFixtures, Requests) {
  const json fixture = testing::readFixture("chat-logs.json");
  ASSERT_GE(fixture["requests"].size(), 10u);
  for (const json& item : fixture["requests"]) {
    SCOPED_TRACE(item["name"].get<std::string>());
    const std::string text = testing::expandFixture(item["request"]).dump();
    const testing::ShippedValue request(text, false);
    const LogsRequest built = buildLogsRequest(logsCallNamed(item["call"]), request.document);
    json codes = json::array();
    for (const FieldError& error : built.errors.list()) {
      codes.push_back({error.field, error.code});
      EXPECT_NE(error.message.find(error.field), std::string::npos) << "the message names the field: " << error.message;
    }
    EXPECT_EQ(codes, item.value("errors", json::array()));
    if (!built.ok()) {
      EXPECT_EQ(built.body, "");
      continue;
    }
    EXPECT_EQ(built.body, item["expected"]["body"].get<std::string>());
    EXPECT_EQ(built.logStreamName, item["expected"]["logStreamName"].get<std::string>());
    EXPECT_EQ(json::parse(built.body).dump(), built.body) << "compact, in sorted order";
  }
}

TEST(ChatLogFixtures, SigningMatchesTheOracle) {
  const json fixture = testing::readFixture("chat-logs.json");
  ASSERT_GE(fixture["signing"].size(), 2u);
  for (const json& item : fixture["signing"]) {
    SCOPED_TRACE(item["name"].get<std::string>());
    const std::string text = item["request"].dump();
    const testing::ShippedValue request(text, false);
    const LogsCall call = logsCallNamed(item["call"]);
    const LogsRequest built = buildLogsRequest(call, request.document);
    ASSERT_TRUE(built.ok());
    const json& expected = item["expected"];
    const std::string region = item["region"].get<std::string>().empty() ? "us-west-2" : item["region"].get<std::string>();
    const std::string endpoint = item["endpoint"];
    std::string host;
    std::string basePath;
    if (!endpoint.empty()) {
      const std::string rest = endpoint.substr(endpoint.find("//") + 2);
      host = rest.substr(0, rest.find('/'));
      basePath = rest.find('/') == std::string::npos ? "" : rest.substr(rest.find('/'));
    }
    const json& credentials = item["credentials"];
    const std::string accessKeyId = credentials["accessKeyId"];
    const std::string secret = credentials["secretAccessKey"];
    const std::string token = credentials.value("sessionToken", std::string());
    const SignedIvsRequest signedRequest =
        signAwsJsonRequest(kLogsService, logsTarget(call), built.body, region, {host, basePath},
                           {accessKeyId, secret, token}, item["epochMillis"].get<std::int64_t>());
    ASSERT_FALSE(signedRequest.problem) << signedRequest.problem->message;
    EXPECT_EQ(built.body, expected["body"].get<std::string>());
    EXPECT_EQ(signedRequest.host, expected["host"].get<std::string>());
    EXPECT_EQ(signedRequest.path, expected["path"].get<std::string>());
    EXPECT_EQ(std::string(logsTarget(call)), expected["target"].get<std::string>());
    EXPECT_EQ(std::string(signedRequest.amzDate.data(), signedRequest.amzDate.size()), expected["amzDate"].get<std::string>());
    EXPECT_EQ(signedRequest.authorization, expected["authorization"].get<std::string>());
  }
}

TEST(ChatLogFixtures, Records) {
  const json fixture = testing::readFixture("chat-logs.json");
  ASSERT_GE(fixture["records"].size(), 20u);
  for (const json& item : fixture["records"]) {
    SCOPED_TRACE(item["name"].get<std::string>());
    const ChatLogRecord record = readChatLogRecord(recordText(item), recordWorkspace());
    const json& expected = item["expected"];
    EXPECT_EQ(statusName(record.status), expected["status"].get<std::string>()) << record.error;
    if (record.status != ChatLogRecordStatus::Ok) {
      EXPECT_FALSE(record.error.empty());
      continue;
    }
    EXPECT_EQ(kindName(record.item.kind), expected["kind"].get<std::string>());
    EXPECT_EQ(record.item.id, expected["id"].get<std::string>());
    EXPECT_EQ(record.item.sendTimeMillis, expected["sendTimeMillis"].get<std::int64_t>());
    EXPECT_EQ(record.item.userId, expected["userId"].get<std::string>());
    EXPECT_EQ(record.item.target, expected["target"].get<std::string>());
    EXPECT_EQ(record.item.json, expected["json"].get<std::string>());
    if (!record.item.json.empty()) EXPECT_EQ(nlohmann::ordered_json::parse(record.item.json).dump(), record.item.json) << "compact JSON";
  }
}

TEST(ChatLogFixtures, Pages) {
  const json fixture = testing::readFixture("chat-logs.json");
  for (const json& item : fixture["pages"]) {
    SCOPED_TRACE(item["name"].get<std::string>());
    const std::string body = item["body"];
    testing::workspace().resetArena();
    const JsonDocument envelope = scanJson(body, testing::workspace());
    const ChatLogPage page = readChatLogPage(envelope, recordWorkspace());
    const json& expected = item["expected"];
    ASSERT_EQ(page.ok, expected["ok"].get<bool>()) << page.error;
    if (!page.ok) {
      EXPECT_STRNE(page.error, "");
      continue;
    }
    EXPECT_EQ(page.events, expected["events"].get<std::size_t>());
    EXPECT_EQ(page.skippedTooLarge, expected["skippedTooLarge"].get<std::size_t>());
    EXPECT_EQ(page.skippedNotJson, expected["skippedNotJson"].get<std::size_t>());
    EXPECT_EQ(page.skippedOtherVersion, expected["skippedOtherVersion"].get<std::size_t>());
    EXPECT_EQ(page.skippedMalformed, expected["skippedMalformed"].get<std::size_t>());
    EXPECT_EQ(page.firstTimestamp, expected.value("firstTimestamp", std::int64_t{-1}));
    EXPECT_EQ(page.lastTimestamp, expected.value("lastTimestamp", std::int64_t{-1}));
    EXPECT_EQ(std::string(page.nextForwardToken), expected["nextForwardToken"].get<std::string>());
    EXPECT_EQ(std::string(page.nextBackwardToken), expected["nextBackwardToken"].get<std::string>());
    EXPECT_EQ(std::string(page.nextToken), expected["nextToken"].get<std::string>());
    json items = json::array();
    for (const ChatLogItem& got : page.items) {
      items.push_back({kindName(got.kind), got.id, std::to_string(got.sendTimeMillis), got.userId, got.target});
    }
    EXPECT_EQ(items, expected["items"]);
  }
}

TEST(ChatLogRecords, IllFormedUtf8IsNotJson) {
  const std::string record = std::string(R"({"event_timestamp":"2024-01-15T10:30:00Z","type":"MESSAGE","version":"1.0",)") +
                             R"("payload":{"Type":"MESSAGE","Id":"a","Content":")" + "\xC3\x28" +
                             R"(","SendTime":"2024-01-15T10:30:00Z","Sender":{"UserId":"u"}}})";
  EXPECT_EQ(readChatLogRecord(record, recordWorkspace()).status, ChatLogRecordStatus::NotJson);
}

TEST(ChatLogRecords, TheLargestRecordTakenAndOneByteMore) {
  const std::string head = R"({"event_timestamp":"2024-01-15T10:30:00Z","type":"MESSAGE","version":"1.0",)"
                           R"("payload":{"Type":"MESSAGE","Id":"a","SendTime":"2024-01-15T10:30:00Z","Sender":{"UserId":"u"},"Content":")";
  const std::string tail = "\"}}";
  const std::string largest = head + std::string(kMaxChatLogRecordBytes - head.size() - tail.size(), 'x') + tail;
  ASSERT_EQ(largest.size(), kMaxChatLogRecordBytes);
  EXPECT_EQ(readChatLogRecord(largest, recordWorkspace()).status, ChatLogRecordStatus::Ok);
  const std::string over = head + std::string(kMaxChatLogRecordBytes + 1 - head.size() - tail.size(), 'x') + tail;
  EXPECT_EQ(readChatLogRecord(over, recordWorkspace()).status, ChatLogRecordStatus::TooLarge);
}

// Every single-byte change of a valid record is either read as a valid record (whose message JSON
// parses) or skipped with a reason; none crashes or passes as something it is not.
TEST(ChatLogRecords, DamagedRecordsAreSkippedOrStillValid) {
  const json fixture = testing::readFixture("chat-logs.json");
  const std::string valid = recordText(fixture["records"][0]);
  std::size_t skipped = 0;
  for (std::size_t at = 0; at < valid.size(); ++at) {
    for (const char replacement : {'"', '{', '}', ',', '\\', 'x', '\0'}) {
      std::string damaged = valid;
      damaged[at] = replacement;
      const ChatLogRecord record = readChatLogRecord(damaged, recordWorkspace());
      if (record.status != ChatLogRecordStatus::Ok) {
        ++skipped;
        EXPECT_FALSE(record.error.empty());
        continue;
      }
      if (record.item.kind == ChatLogItemKind::Message) {
        EXPECT_TRUE(json::accept(record.item.json)) << damaged;
      }
    }
  }
  EXPECT_GT(skipped, valid.size());
}

TEST(ChatLogRequests, StreamNamesAreIvss) {
  EXPECT_EQ(chatLogStreamName("arn:aws:ivschat:us-east-1:123456789012:room/g1H2I3j4k5L6"),
            "aws/IVSChatLogs/1.0/room_g1H2I3j4k5L6");
  EXPECT_STREQ(logsTarget(LogsCall::GetLogEvents), "Logs_20140328.GetLogEvents");
  EXPECT_STREQ(logsTarget(LogsCall::FilterLogEvents), "Logs_20140328.FilterLogEvents");
}

// The IVS Chat form is unchanged by the generalised signer: the CreateChatToken vectors of
// tests/fixtures/sigv4-create-chat-token.json are checked in sigv4_test.cpp; here the logs form
// refuses what the IVS form refuses.
TEST(ChatLogRequests, SigningRefusesBadInputs) {
  const AwsCredentials credentials{"AKIDEXAMPLE", "secret", ""};
  EXPECT_STREQ(signAwsJsonRequest(kLogsService, "t", "{}", "US-EAST-1", {}, credentials, 0).problem->field, "region");
  EXPECT_STREQ(signAwsJsonRequest(kLogsService, "t", "{}", "us-east-1", {"a b", ""}, credentials, 0).problem->field, "endpoint");
  EXPECT_STREQ(signAwsJsonRequest(kLogsService, "t", "{}", "us-east-1", {}, {"", "s", ""}, 0).problem->field, "accessKeyId");
}

}  // namespace
}  // namespace ivschat
