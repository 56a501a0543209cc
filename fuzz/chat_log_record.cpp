// Fuzz target: reading one chat log record (core/chat_logs.hpp), a log event's message in a
// room's CloudWatch Logs stream.
//   input: the record's text (any bytes)
// Invariants, checked against nlohmann's own parse of the same text and against the server-frame
// reader run on the payload alone (its own document, re-written by nlohmann):
//   - TooLarge exactly when the text is over kMaxChatLogRecordBytes; otherwise NotJson exactly
//     when nlohmann refuses the text (or the scan holds more values than its workspace:
//     Malformed);
//   - Ok exactly when the DOM is an object with version "1.0", type "MESSAGE" or "EVENT", an
//     event_timestamp that reads as RFC 3339 and a payload object that readServerFrame accepts,
//     as a frame of the record's type; OtherVersion exactly when version is another string;
//   - when not Ok: a non-empty error in printable ASCII (it never quotes the record) and an
//     empty item;
//   - when Ok: the item is the payload's (Id, SendTime, Sender.UserId, the deleted message's id,
//     the event's name), and its JSON parses to the message in ChatRoom's shape or the event's
//     attributes, equal to the DOM's.
#include <map>
#include <nlohmann/json.hpp>

#include "core/chat_logs.hpp"
#include "core/rfc3339.hpp"
#include "core/server_frames.hpp"
#include "fuzz_support.hpp"

using namespace ivschat;
using nlohmann::json;

namespace {

JsonWorkspace& recordWorkspace() {
  static JsonWorkspace workspace(2048, kMaxChatLogRecordBytes * 2);
  return workspace;
}

std::string textOf(const json* value) {
  return value && value->is_string() ? value->get<std::string>() : std::string();
}

std::map<std::string, std::string> mapOf(const json& object) {
  std::map<std::string, std::string> out;
  for (const auto& item : object.items()) out[item.key()] = item.value().get<std::string>();
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::asText(data, size);
  const ChatLogRecord record = readChatLogRecord(text, recordWorkspace());
  const ChatLogItem& item = record.item;
  if (record.status != ChatLogRecordStatus::Ok) {
    FUZZ_CHECK(!record.error.empty());
    FUZZ_CHECK(fuzz::isPrintableAscii(record.error));
    FUZZ_CHECK(item.id.empty() && item.userId.empty() && item.target.empty() && item.json.empty());
  }
  if (text.size() > kMaxChatLogRecordBytes) {
    FUZZ_CHECK(record.status == ChatLogRecordStatus::TooLarge);
    return 0;
  }
  FUZZ_CHECK(record.status != ChatLogRecordStatus::TooLarge);
  const json dom = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (dom.is_discarded()) {
    FUZZ_CHECK(record.status == ChatLogRecordStatus::NotJson);
    return 0;
  }
  FUZZ_CHECK(record.status != ChatLogRecordStatus::NotJson);
  if (record.status == ChatLogRecordStatus::Malformed && record.error.find("more values") != std::string::npos) return 0;

  // The rules, on the DOM.
  const json* version = dom.is_object() ? fuzz::domPresent(dom, "version") : nullptr;
  const bool versionString = version && version->is_string();
  if (versionString && version->get_ref<const std::string&>() != kChatLogVersion) {
    FUZZ_CHECK(record.status == ChatLogRecordStatus::OtherVersion);
    return 0;
  }
  FUZZ_CHECK(record.status != ChatLogRecordStatus::OtherVersion);
  const std::string type = textOf(dom.is_object() ? fuzz::domPresent(dom, "type") : nullptr);
  const json* timestamp = dom.is_object() ? fuzz::domPresent(dom, "event_timestamp") : nullptr;
  const json* payload = dom.is_object() ? fuzz::domPresent(dom, "payload") : nullptr;
  bool expectedOk = versionString && (type == "MESSAGE" || type == "EVENT") && timestamp && timestamp->is_string() &&
                    parseRfc3339(timestamp->get_ref<const std::string&>()).has_value() && payload && payload->is_object();
  // The payload alone, as a frame (its own document).
  std::string payloadText;
  ServerFrame frame;
  if (expectedOk) {
    payloadText = payload->dump();
    const JsonDocument payloadDocument = fuzz::scanStrict(payloadText, fuzz::workspace());
    frame = readServerFrame(payloadDocument);
    const ServerFrameKind kind = type == "MESSAGE" ? ServerFrameKind::Message : ServerFrameKind::Event;
    expectedOk = frame.ok && frame.kind == kind;
  }
  FUZZ_CHECK((record.status == ChatLogRecordStatus::Ok) == expectedOk);
  if (!expectedOk) return 0;

  FUZZ_CHECK(item.id == frame.id);
  FUZZ_CHECK(item.sendTimeMillis == frame.sendTimeMillis);
  if (frame.kind == ServerFrameKind::Message) {
    FUZZ_CHECK(item.kind == ChatLogItemKind::Message);
    FUZZ_CHECK(item.userId == frame.senderUserId);
    const json message = json::parse(item.json, nullptr, false);
    FUZZ_CHECK(message.is_object());
    FUZZ_CHECK(textOf(fuzz::domMember(message, "id")) == frame.id);
    FUZZ_CHECK(textOf(fuzz::domMember(message, "content")) == textOf(fuzz::domMember(*payload, "Content")));
    FUZZ_CHECK(textOf(fuzz::domMember(message, "requestId")) == textOf(fuzz::domMember(*payload, "RequestId")));
    const json* sendTime = fuzz::domMember(message, "sendTime");
    FUZZ_CHECK(sendTime && sendTime->is_string());
    const std::optional<Timestamp> written = parseRfc3339(sendTime->get_ref<const std::string&>());
    FUZZ_CHECK(written && written->epochMillis() == frame.sendTimeMillis);
    FUZZ_CHECK(fuzz::domStringMap(fuzz::domMember(message, "attributes")) == fuzz::domStringMap(fuzz::domMember(*payload, "Attributes")));
    const json* sender = fuzz::domMember(message, "sender");
    FUZZ_CHECK(sender && sender->is_object());
    FUZZ_CHECK(textOf(fuzz::domMember(*sender, "userId")) == frame.senderUserId);
    FUZZ_CHECK(fuzz::domStringMap(fuzz::domMember(*sender, "attributes")) ==
               fuzz::domStringMap(fuzz::domMember(*fuzz::domMember(*payload, "Sender"), "Attributes")));
  } else if (frame.eventName == kDeleteMessageEvent) {
    FUZZ_CHECK(item.kind == ChatLogItemKind::DeleteMessage);
    FUZZ_CHECK(item.target == frame.deletedMessageId && !item.target.empty());
  } else {
    FUZZ_CHECK(item.kind == ChatLogItemKind::Event);
    FUZZ_CHECK(item.target == frame.eventName);
    const json attributes = json::parse(item.json, nullptr, false);
    FUZZ_CHECK(attributes.is_object());
    const json* given = fuzz::domPresent(*payload, "Attributes");
    FUZZ_CHECK(mapOf(attributes) == (given ? mapOf(*given) : std::map<std::string, std::string>()));
  }
  return 0;
}
