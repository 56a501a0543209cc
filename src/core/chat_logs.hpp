#pragma once
// A room's chat history from its CloudWatch Logs destination (issue 22): the CloudWatch Logs
// read requests, and the chat log records in their answers.
//
// Where IVS writes (IVS Chat user guide, "IVS Chat Logging"; the local server writes the same,
// js/local/log-delivery.js): one log stream per room in the configuration's log group, named
// `aws/IVSChatLogs/1.0/room_{roomId}` ({roomId} the last part of the room ARN). Each log event's
// message is one record, `{"event_timestamp", "type": "MESSAGE" | "EVENT", "version": "1.0",
// "payload"}`, the payload being the frame clients received.
//
// Requests (CloudWatch Logs API 2014-03-28, awsJson1_1; signed with core/ivs_signed_request.hpp's
// signAwsJsonRequest for the service `logs`). Every rule checked, all errors at once
// (field_checks.hpp's paths and codes), then the body: compact JSON, members in sorted order:
//   roomIdentifier   required, a room ARN: gives the log stream's name (and the region)
//   logGroupName     required, 1-512 of [.\-_/#A-Za-z0-9]
//   startTime        optional, epoch ms, a whole number 0 .. 2^53-1
//   endTime          optional, as startTime
//   limit            optional, 1-10000 events
//   nextToken        optional, 1-4096 characters (the service's token, passed back)
//   startFromHead    optional boolean, GetLogEvents only (false: the newest events first)
// GetLogEvents names the stream (logStreamName); FilterLogEvents names it in logStreamNames.
//
// Answers: `{ "events": [{ "timestamp", "message", "ingestionTime", ... }], "nextForwardToken",
// "nextBackwardToken" }` (GetLogEvents) or `{ "events", "nextToken", "searchedLogStreams" }`
// (FilterLogEvents). A record that is not IVS's is skipped and counted by why: larger than
// kMaxChatLogRecordBytes, not JSON, of another version, or not IVS's shape (members missing or
// of the wrong type, a payload that is not a valid frame of the record's type). Nothing of a
// skipped record is returned.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/field_checks.hpp"
#include "core/json_scan.hpp"

namespace ivschat {

/// The read calls, numbered as the history module's binding passes them.
enum class LogsCall : int { GetLogEvents = 0, FilterLogEvents = 1 };
inline constexpr int kLogsCallCount = 2;

/// `Logs_20140328.GetLogEvents`, ...: the X-Amz-Target header of the call.
const char* logsTarget(LogsCall call) noexcept;

/// The signing name of CloudWatch Logs (and the first label of its default host).
inline constexpr std::string_view kLogsService = "logs";
/// The record format this reader knows (the records' "version").
inline constexpr std::string_view kChatLogVersion = "1.0";
/// IVS's records are far smaller (content 500 characters, attributes 1 KB each, escaped):
/// larger ones are not IVS's and are skipped.
inline constexpr std::size_t kMaxChatLogRecordBytes = 16 * 1024;

/// The log stream IVS writes a room's records to: `aws/IVSChatLogs/1.0/room_{roomId}`.
std::string chatLogStreamName(std::string_view roomArn);

struct LogsRequest {
  FieldErrors errors;               // every violation, in field order
  std::string body;                 // the POST body, when ok()
  std::string_view roomIdentifier;  // the room ARN, when ok()
  std::string logStreamName;        // when ok()
  bool ok() const noexcept { return errors.empty(); }
};

/// Checks a scanned request (read with LosslessJson) for `call` and builds its body.
LogsRequest buildLogsRequest(LogsCall call, const JsonDocument& document);

/// Why a record was not taken.
enum class ChatLogRecordStatus : std::uint8_t { Ok, TooLarge, NotJson, OtherVersion, Malformed };

enum class ChatLogItemKind : std::uint8_t { Message, DeleteMessage, Event };

/// What one record says, owning its text (the record's scan is gone when it is returned).
struct ChatLogItem {
  ChatLogItemKind kind = ChatLogItemKind::Event;
  std::string id;                   // the payload's Id
  std::int64_t sendTimeMillis = 0;  // the payload's SendTime
  std::string userId;               // Message: Sender.UserId
  std::string target;               // DeleteMessage: the deleted message's id; Event: EventName
  /// Message: the message as ChatRoom's `message` event has it, as JSON:
  ///   {"id","requestId"?,"content","attributes"?,"sendTime","sender":{"userId","attributes"?}}
  ///   (sendTime: RFC 3339 with milliseconds; attributes with names in byte order).
  /// Event: its Attributes as a JSON object ("{}" when none). DeleteMessage: "".
  std::string json;
};

struct ChatLogRecord {
  ChatLogRecordStatus status = ChatLogRecordStatus::Malformed;
  std::string error;  // why, when not Ok (never quotes the record)
  ChatLogItem item;   // when Ok
};

/// Reads one record (a log event's message). `workspace` is reset and reused.
ChatLogRecord readChatLogRecord(std::string_view text, JsonWorkspace& workspace);

struct ChatLogPage {
  bool ok = false;
  const char* error = "";  // when !ok: why the answer is unusable (never quotes it)
  std::vector<ChatLogItem> items;  // in the answer's order (oldest first within the page)
  std::size_t events = 0;          // log events in the page
  std::size_t skippedTooLarge = 0;
  std::size_t skippedNotJson = 0;
  std::size_t skippedOtherVersion = 0;
  std::size_t skippedMalformed = 0;  // including log events without a message
  std::int64_t firstTimestamp = -1;  // the CloudWatch timestamps of the first and last events
  std::int64_t lastTimestamp = -1;
  std::string_view nextForwardToken;   // GetLogEvents
  std::string_view nextBackwardToken;  // GetLogEvents
  std::string_view nextToken;          // FilterLogEvents
};

/// Reads a 2xx answer of GetLogEvents or FilterLogEvents (scanned into `envelope`), each record
/// read with `recordWorkspace`. Tokens are views into the envelope's scan.
ChatLogPage readChatLogPage(const JsonDocument& envelope, JsonWorkspace& recordWorkspace);

}  // namespace ivschat
