#include "core/server_frames.hpp"

#include <climits>
#include <initializer_list>

#include "core/field_checks.hpp"
#include "core/rfc3339.hpp"

namespace ivschat {
namespace {

// Checks the members a Type needs; the first problem wins and becomes the frame's error.
class FrameReader {
 public:
  FrameReader(const JsonDocument& document, const JsonValue& object, const char* frameType)
      : document_(document), object_(object), frameType_(frameType) {}

  std::string error;

  const JsonValue* member(std::string_view name) const noexcept { return memberOf(object_, name); }
  const JsonValue* memberOf(const JsonValue& object, std::string_view name) const noexcept {
    return presentMember(document_, object, name);
  }

  bool text(const JsonValue* value, const char* name, std::string_view& out, bool required, bool nonEmpty) {
    if (!value) return !required || fail(" has no {}.", {name});
    if (value->kind != JsonKind::String) return wrongType(name, *value, "a string");
    if (nonEmpty && value->text.empty()) return fail("'s {} is empty.", {name});
    out = value->text;
    return true;
  }

  bool text(const char* name, std::string_view& out, bool required, bool nonEmpty) {
    return text(member(name), name, out, required, nonEmpty);
  }

  bool map(const JsonValue* value, const char* name, const JsonValue*& out) {
    if (!value) return true;
    if (value->kind != JsonKind::Object) return wrongType(name, *value, "an object");
    for (const JsonValue& item : document_.children(*value)) {
      if (item.kind != JsonKind::String) {
        return fail("'s {} has a value that is {}, not a string.", {name, jsonTypeName(item)});
      }
    }
    out = value;
    return true;
  }

  bool sendTime(ServerFrame& frame) {
    if (!text("SendTime", frame.sendTime, true, false)) return false;
    const std::optional<Timestamp> time = parseRfc3339(frame.sendTime);
    if (!time) return fail("'s SendTime is not an RFC 3339 date-time.");
    frame.sendTimeMillis = time->epochMillis();
    return true;
  }

  // The value of the last attribute called `name` (attributes were checked to be strings).
  std::string_view attribute(const JsonValue* attributes, std::string_view name) const noexcept {
    const JsonValue* value = attributes ? document_.member(*attributes, name) : nullptr;
    return value ? value->text : std::string_view();
  }

  bool fail(std::string_view pattern, std::initializer_list<std::string_view> args = {}) {
    error = formatMessage("The {} frame", {frameType_}).append(formatMessage(pattern, args));
    return false;
  }

 private:
  bool wrongType(const char* name, const JsonValue& value, const char* expected) {
    return fail("'s {} is {}, not {}.", {name, jsonTypeName(value), expected});
  }

  const JsonDocument& document_;
  const JsonValue& object_;
  const char* frameType_;
};

bool readMessage(FrameReader& read, ServerFrame& frame) {
  if (!read.text("Id", frame.id, true, true) || !read.text("RequestId", frame.requestId, false, false) ||
      !read.text("Content", frame.content, true, false) ||
      !read.map(read.member("Attributes"), "Attributes", frame.attributes) || !read.sendTime(frame)) {
    return false;
  }
  const JsonValue* sender = read.member("Sender");
  if (!sender) return read.fail(" has no Sender.");
  if (sender->kind != JsonKind::Object) {
    return read.fail("'s Sender is {}, not an object.", {jsonTypeName(*sender)});
  }
  return read.text(read.memberOf(*sender, "UserId"), "Sender.UserId", frame.senderUserId, true, true) &&
         read.map(read.memberOf(*sender, "Attributes"), "Sender.Attributes", frame.senderAttributes);
}

bool readEvent(FrameReader& read, ServerFrame& frame) {
  if (!read.text("Id", frame.id, true, true) || !read.text("RequestId", frame.requestId, false, false) ||
      !read.text("EventName", frame.eventName, true, true) ||
      !read.map(read.member("Attributes"), "Attributes", frame.attributes) || !read.sendTime(frame)) {
    return false;
  }
  if (frame.eventName == kDeleteMessageEvent) {
    // Older frames spell it MessageID; MessageId wins when both are there.
    frame.deletedMessageId = read.attribute(frame.attributes, "MessageId");
    if (frame.deletedMessageId.empty()) frame.deletedMessageId = read.attribute(frame.attributes, "MessageID");
    if (frame.deletedMessageId.empty()) return read.fail(" aws:DELETE_MESSAGE has no MessageId attribute.");
    frame.reason = read.attribute(frame.attributes, "Reason");
  } else if (frame.eventName == kDisconnectUserEvent) {
    frame.disconnectedUserId = read.attribute(frame.attributes, "UserId");
    if (frame.disconnectedUserId.empty()) return read.fail(" aws:DISCONNECT_USER has no UserId attribute.");
    frame.reason = read.attribute(frame.attributes, "Reason");
  }
  return true;
}

bool readError(FrameReader& read, ServerFrame& frame) {
  const JsonValue* code = read.member("ErrorCode");
  if (!code) return read.fail(" has no ErrorCode.");
  if (code->kind != JsonKind::Number) {
    return read.fail("'s ErrorCode is {}, not a number.", {jsonTypeName(*code)});
  }
  const ExactNumber number = exactNumber(*code);
  if (number.shape == ExactNumber::Fraction) return read.fail("'s ErrorCode is a fraction, not a whole number.");
  if (number.shape == ExactNumber::LargeWhole || number.value < INT_MIN || number.value > INT_MAX) {
    return read.fail("'s ErrorCode does not fit a 32-bit integer.");
  }
  frame.errorCode = static_cast<int>(number.value);
  return read.text("Id", frame.id, false, false) && read.text("RequestId", frame.requestId, false, false) &&
         read.text("ErrorMessage", frame.errorMessage, false, false);
}

struct KindReader {
  const char* type;
  ServerFrameKind kind;
  bool (*read)(FrameReader&, ServerFrame&);
};
constexpr KindReader kKindReaders[] = {
    {"MESSAGE", ServerFrameKind::Message, readMessage},
    {"EVENT", ServerFrameKind::Event, readEvent},
    {"ERROR", ServerFrameKind::Error, readError},
};

ServerFrame malformed(std::string error) {
  ServerFrame frame;
  frame.error = std::move(error);
  return frame;
}

}  // namespace

ServerFrame readServerFrame(const JsonDocument& document) {
  if (document.truncated) return malformed("The frame holds more values than any frame of IVS Chat.");
  if (!document.ok) {
    return malformed(formatMessage("The frame is not valid JSON (error at byte {}).", {Decimal(document.errorOffset)}));
  }
  return readServerFrameObject(document, document.root());
}

ServerFrame readServerFrameObject(const JsonDocument& document, const JsonValue& root) {
  if (root.kind != JsonKind::Object) return malformed("The frame is not a JSON object.");
  const JsonValue* type = presentMember(document, root, "Type");
  if (!type) return malformed("The frame has no Type.");
  if (type->kind != JsonKind::String) {
    return malformed(formatMessage("The frame's Type is {}, not a string.", {jsonTypeName(*type)}));
  }
  if (type->text.empty()) return malformed("The frame's Type is empty.");
  ServerFrame frame;
  frame.type = type->text;
  frame.kind = ServerFrameKind::Unknown;
  for (const KindReader& kind : kKindReaders) {
    if (type->text != kind.type) continue;
    frame.kind = kind.kind;
    FrameReader reader(document, root, kind.type);
    if (!kind.read(reader, frame)) return malformed(std::move(reader.error));
    break;
  }
  frame.ok = true;
  return frame;
}

}  // namespace ivschat
