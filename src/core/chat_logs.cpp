#include "core/chat_logs.hpp"

#include "core/create_chat_token.hpp"
#include "core/json_write.hpp"
#include "core/rfc3339.hpp"
#include "core/server_frames.hpp"

namespace ivschat {
namespace {

constexpr std::int64_t kMaxTime = 9007199254740991;  // 2^53 - 1: every JavaScript time fits
constexpr std::size_t kMaxNextTokenLength = 4096;
constexpr std::string_view kStreamPrefix = "aws/IVSChatLogs/1.0/room_";

bool isLogGroupNameCharacter(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
         c == '_' || c == '/' || c == '#';
}

std::optional<std::string_view> checkLogGroupName(const JsonValue* value, FieldErrors& errors) {
  const std::optional<std::string_view> name = checkText(value, "logGroupName", true, {1, 512, ""}, errors);
  if (!name) return std::nullopt;
  for (const char c : *name) {
    if (!isLogGroupNameCharacter(c)) {
      errors.add("logGroupName", error_code::kPattern,
                 "logGroupName must hold only letters, digits and . - _ / # (a CloudWatch Logs log group name).");
      return std::nullopt;
    }
  }
  return name;
}

std::optional<bool> checkBoolean(const JsonValue* value, std::string_view field, FieldErrors& errors) {
  if (!value) return std::nullopt;
  if (value->kind != JsonKind::Boolean) {
    errors.add(field, error_code::kType, "{} must be a boolean; it is {}.", {field, jsonTypeName(*value)});
    return std::nullopt;
  }
  return value->boolean;
}

void appendName(std::string& body, std::string_view name, bool& first) {
  if (!first) body.push_back(',');
  first = false;
  appendJsonString(body, name);
  body.push_back(':');
}

void appendNumber(std::string& body, std::string_view name, std::optional<std::int64_t> value, bool& first) {
  if (!value) return;
  appendName(body, name, first);
  body += std::to_string(*value);
}

void appendText(std::string& body, std::string_view name, std::optional<std::string_view> value, bool& first) {
  if (!value) return;
  appendName(body, name, first);
  appendJsonString(body, *value);
}

ChatLogRecord skipped(ChatLogRecordStatus status, std::string error) {
  ChatLogRecord record;
  record.status = status;
  record.error = std::move(error);
  return record;
}

// The message as ChatRoom's `message` event has it (js/chat/frame-events.js), as JSON.
std::string messageJson(const JsonDocument& document, const ServerFrame& frame) {
  std::string out;
  out.reserve(128 + frame.content.size());
  out += "{\"id\":";
  appendJsonString(out, frame.id);
  if (!frame.requestId.empty()) {
    out += ",\"requestId\":";
    appendJsonString(out, frame.requestId);
  }
  out += ",\"content\":";
  appendJsonString(out, frame.content);
  if (frame.attributes) {
    out += ",\"attributes\":";
    appendSortedStringMap(out, document, *frame.attributes);
  }
  out += ",\"sendTime\":";
  appendJsonString(out, formatRfc3339Millis(frame.sendTimeMillis));
  out += ",\"sender\":{\"userId\":";
  appendJsonString(out, frame.senderUserId);
  if (frame.senderAttributes) {
    out += ",\"attributes\":";
    appendSortedStringMap(out, document, *frame.senderAttributes);
  }
  out += "}}";
  return out;
}

const JsonValue* stringMember(const JsonDocument& document, const JsonValue& object, std::string_view name) {
  const JsonValue* value = presentMember(document, object, name);
  return value && value->kind == JsonKind::String ? value : nullptr;
}

}  // namespace

const char* logsTarget(LogsCall call) noexcept {
  return call == LogsCall::FilterLogEvents ? "Logs_20140328.FilterLogEvents" : "Logs_20140328.GetLogEvents";
}

std::string chatLogStreamName(std::string_view roomArn) {
  const std::size_t slash = roomArn.rfind('/');
  std::string name(kStreamPrefix);
  name.append(slash == std::string_view::npos ? roomArn : roomArn.substr(slash + 1));
  return name;
}

LogsRequest buildLogsRequest(LogsCall call, const JsonDocument& document) {
  LogsRequest result;
  FieldErrors& errors = result.errors;
  const JsonValue* request = requestObject(document, errors);
  if (!request) return result;
  const auto member = [&](std::string_view name) { return presentMember(document, *request, name); };
  const std::optional<std::string_view> room = checkRoomArn(member("roomIdentifier"), "roomIdentifier", errors);
  const std::optional<std::string_view> group = checkLogGroupName(member("logGroupName"), errors);
  const std::optional<std::int64_t> startTime = checkWholeNumber(member("startTime"), "startTime", 0, kMaxTime, errors);
  const std::optional<std::int64_t> endTime = checkWholeNumber(member("endTime"), "endTime", 0, kMaxTime, errors);
  const std::optional<std::int64_t> limit = checkWholeNumber(member("limit"), "limit", 1, 10000, errors);
  const std::optional<std::string_view> nextToken =
      checkText(member("nextToken"), "nextToken", false, {1, kMaxNextTokenLength, ""}, errors);
  std::optional<bool> startFromHead;
  if (call == LogsCall::GetLogEvents) {
    startFromHead = checkBoolean(member("startFromHead"), "startFromHead", errors);
    checkKnownMembers(*request, document,
                      {"roomIdentifier", "logGroupName", "startTime", "endTime", "limit", "nextToken", "startFromHead"},
                      "GetLogEvents", errors);
  } else {
    checkKnownMembers(*request, document,
                      {"roomIdentifier", "logGroupName", "startTime", "endTime", "limit", "nextToken"},
                      "FilterLogEvents", errors);
  }
  if (startTime && endTime && *endTime < *startTime) {
    errors.add("endTime", error_code::kRange, "endTime must not be before startTime.");
  }
  if (!errors.empty()) return result;
  result.roomIdentifier = *room;
  result.logStreamName = chatLogStreamName(*room);
  std::string& body = result.body;
  body.reserve(256);
  body.push_back('{');
  bool first = true;
  appendNumber(body, "endTime", endTime, first);
  appendNumber(body, "limit", limit, first);
  appendText(body, "logGroupName", group, first);
  if (call == LogsCall::GetLogEvents) {
    appendText(body, "logStreamName", result.logStreamName, first);
  } else {
    appendName(body, "logStreamNames", first);
    body.push_back('[');
    appendJsonString(body, result.logStreamName);
    body.push_back(']');
  }
  appendText(body, "nextToken", nextToken, first);
  if (startFromHead) {
    appendName(body, "startFromHead", first);
    body += *startFromHead ? "true" : "false";
  }
  appendNumber(body, "startTime", startTime, first);
  body.push_back('}');
  return result;
}

ChatLogRecord readChatLogRecord(std::string_view text, JsonWorkspace& workspace) {
  if (text.size() > kMaxChatLogRecordBytes) {
    return skipped(ChatLogRecordStatus::TooLarge,
                   formatMessage("The record is larger than {} bytes.", {Decimal(kMaxChatLogRecordBytes)}));
  }
  workspace.resetArena();
  // The payload is one level down: its Sender.Attributes values are four levels below the root.
  const JsonDocument document = scanJsonDeep(text, workspace);
  if (document.truncated) return skipped(ChatLogRecordStatus::Malformed, "The record holds more values than IVS's.");
  if (!document.ok) {
    return skipped(ChatLogRecordStatus::NotJson,
                   formatMessage("The record is not valid JSON (error at byte {}).", {Decimal(document.errorOffset)}));
  }
  const JsonValue& root = document.root();
  if (root.kind != JsonKind::Object) return skipped(ChatLogRecordStatus::Malformed, "The record is not a JSON object.");
  const JsonValue* version = stringMember(document, root, "version");
  if (!version) return skipped(ChatLogRecordStatus::Malformed, "The record has no version string.");
  if (version->text != kChatLogVersion) {
    return skipped(ChatLogRecordStatus::OtherVersion, "The record is of another version than 1.0.");
  }
  const JsonValue* type = stringMember(document, root, "type");
  const bool isMessage = type && type->text == "MESSAGE";
  if (!type || (!isMessage && type->text != "EVENT")) {
    return skipped(ChatLogRecordStatus::Malformed, "The record's type is not MESSAGE or EVENT.");
  }
  const JsonValue* eventTimestamp = stringMember(document, root, "event_timestamp");
  if (!eventTimestamp || !parseRfc3339(eventTimestamp->text)) {
    return skipped(ChatLogRecordStatus::Malformed, "The record's event_timestamp is not an RFC 3339 date-time.");
  }
  const JsonValue* payload = presentMember(document, root, "payload");
  if (!payload || payload->kind != JsonKind::Object) {
    return skipped(ChatLogRecordStatus::Malformed, "The record's payload is not an object.");
  }
  const ServerFrame frame = readServerFrameObject(document, *payload);
  if (!frame.ok) return skipped(ChatLogRecordStatus::Malformed, "The record's payload: " + frame.error);
  const ServerFrameKind expected = isMessage ? ServerFrameKind::Message : ServerFrameKind::Event;
  if (frame.kind != expected) {
    return skipped(ChatLogRecordStatus::Malformed, "The record's payload is not a frame of the record's type.");
  }
  ChatLogRecord record;
  record.status = ChatLogRecordStatus::Ok;
  ChatLogItem& item = record.item;
  item.id.assign(frame.id);
  item.sendTimeMillis = frame.sendTimeMillis;
  if (isMessage) {
    item.kind = ChatLogItemKind::Message;
    item.userId.assign(frame.senderUserId);
    item.json = messageJson(document, frame);
  } else if (frame.eventName == kDeleteMessageEvent) {
    item.kind = ChatLogItemKind::DeleteMessage;
    item.target.assign(frame.deletedMessageId);
  } else {
    item.kind = ChatLogItemKind::Event;
    item.target.assign(frame.eventName);
    if (frame.attributes) {
      appendSortedStringMap(item.json, document, *frame.attributes);
    } else {
      item.json = "{}";
    }
  }
  return record;
}

ChatLogPage readChatLogPage(const JsonDocument& envelope, JsonWorkspace& recordWorkspace) {
  ChatLogPage page;
  if (envelope.truncated) {
    page.error = "the answer holds more events than the reader takes (ask for fewer with limit)";
    return page;
  }
  if (!envelope.ok || envelope.root().kind != JsonKind::Object) {
    page.error = "the answer is not a JSON object";
    return page;
  }
  const JsonValue& root = envelope.root();
  const JsonValue* events = presentMember(envelope, root, "events");
  if (!events || events->kind != JsonKind::Array) {
    page.error = "the answer has no list of events";
    return page;
  }
  for (const char* name : {"nextForwardToken", "nextBackwardToken", "nextToken"}) {
    const JsonValue* token = presentMember(envelope, root, name);
    if (token && token->kind != JsonKind::String) {
      page.error = "a token of the answer is not a string";
      return page;
    }
  }
  if (const JsonValue* token = stringMember(envelope, root, "nextForwardToken")) page.nextForwardToken = token->text;
  if (const JsonValue* token = stringMember(envelope, root, "nextBackwardToken")) page.nextBackwardToken = token->text;
  if (const JsonValue* token = stringMember(envelope, root, "nextToken")) page.nextToken = token->text;
  page.events = static_cast<std::size_t>(events->size);
  page.items.reserve(page.events);
  for (const JsonValue& event : envelope.children(*events)) {
    const JsonValue* message = event.kind == JsonKind::Object ? stringMember(envelope, event, "message") : nullptr;
    if (!message) {
      ++page.skippedMalformed;
      continue;
    }
    if (const JsonValue* timestamp = presentMember(envelope, event, "timestamp")) {
      const ExactNumber number = timestamp->kind == JsonKind::Number ? exactNumber(*timestamp) : ExactNumber{};
      if (number.shape == ExactNumber::Whole && number.value >= 0) {
        if (page.firstTimestamp < 0) page.firstTimestamp = number.value;
        page.lastTimestamp = number.value;
      }
    }
    ChatLogRecord record = readChatLogRecord(message->text, recordWorkspace);
    switch (record.status) {
      case ChatLogRecordStatus::Ok: page.items.push_back(std::move(record.item)); break;
      case ChatLogRecordStatus::TooLarge: ++page.skippedTooLarge; break;
      case ChatLogRecordStatus::NotJson: ++page.skippedNotJson; break;
      case ChatLogRecordStatus::OtherVersion: ++page.skippedOtherVersion; break;
      case ChatLogRecordStatus::Malformed: ++page.skippedMalformed; break;
    }
  }
  page.ok = true;
  return page;
}

}  // namespace ivschat
