#include "core/chat_frames.hpp"

#include <climits>
#include <cmath>
#include <exception>
#include <initializer_list>
#include <optional>
#include <utility>

#include "core/json_input.hpp"
#include "core/json_write.hpp"
#include "core/rfc3339.hpp"
#include "core/utf8.hpp"

namespace ivschat {
namespace {

using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// Shared by both directions

// appendJsonString (json_write.hpp) for text that may be ill-formed: bad sequences become U+FFFD.
void appendValidJsonString(std::string& out, std::string_view text) {
  if (isValidUtf8(text)) {
    appendJsonString(out, text);
  } else {
    appendJsonString(out, sanitizeUtf8(text));
  }
}

std::string plural(std::size_t count, const char* noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

// ---------------------------------------------------------------------------------------------
// Client action frames


bool isAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Collects the errors of one action request. Each check adds every problem it finds.
class ActionChecker {
 public:
  std::vector<FieldError> errors;

  void add(std::string field, const char* code, std::string message) {
    errors.push_back({std::move(field), code, std::move(message)});
  }

  // The request object, or nullptr after reporting why there is none.
  const json* request(const JsonInput& input) {
    if (!input.ok) {
      add("request", error_code::kType, "The request is " + input.error + ".");
      return nullptr;
    }
    if (!input.value.is_object()) {
      add("request", error_code::kType,
          std::string("The request must be a JSON object; it is ") + jsonTypeName(input.value) + ".");
      return nullptr;
    }
    return &input.value;
  }

  static const json* member(const json& object, const char* name) {
    const auto found = object.find(name);
    if (found == object.end() || found->is_null()) return nullptr;
    return &*found;
  }

  // The member's text when it is a string; reports REQUIRED (when `required`) or TYPE otherwise.
  const std::string* text(const json* value, const char* field, bool required) {
    if (!value) {
      if (required) add(field, error_code::kRequired, std::string(field) + " is required.");
      return nullptr;
    }
    if (!value->is_string()) {
      add(field, error_code::kType,
          std::string(field) + " must be a string; it is " + jsonTypeName(*value) + ".");
      return nullptr;
    }
    return &value->get_ref<const std::string&>();
  }

  // Valid UTF-8 and min..max code points. `limitNote` explains where the maximum comes from.
  bool length(const std::string& value, const char* field, std::size_t min, std::size_t max,
              const char* limitNote = "") {
    const auto count = codePointCount(value);
    if (!count) {
      add(field, error_code::kInvalidUtf8,
          std::string(field) + " is not valid Unicode text (invalid UTF-8 or a lone surrogate).");
      return false;
    }
    if (*count < min) {
      add(field, error_code::kTooShort,
          std::string(field) + " must have at least " + plural(min, "character") + "; it has " +
              std::to_string(*count) + ".");
      return false;
    }
    if (*count > max) {
      add(field, error_code::kTooLong,
          std::string(field) + " must have at most " + plural(max, "character") + limitNote +
              "; it has " + std::to_string(*count) + ".");
      return false;
    }
    return true;
  }

  // An optional Reason: 1-256 code points of valid UTF-8.
  const std::string* reason(const json& request) {
    const std::string* value = text(member(request, "reason"), "reason", false);
    if (value && !length(*value, "reason", 1, kMaxReasonLength)) return nullptr;
    return value;
  }

  // The optional attributes map, or nullptr when absent or in error.
  const json* attributes(const json& request) {
    const json* value = member(request, "attributes");
    if (!value) return nullptr;
    return checkAttributeMap(*value, errors) ? value : nullptr;
  }

  void unknownMembers(const json& request, std::initializer_list<const char*> known,
                      const char* action, const char* listed) {
    for (const auto& item : request.items()) {
      bool isKnown = false;
      for (const char* name : known) isKnown = isKnown || item.key() == name;
      if (isKnown) continue;
      const std::string shown = sanitizeUtf8(item.key());
      add(shown, error_code::kUnknownField,
          "\"" + shown + "\" is not a " + action + " field; the fields are " + listed + ".");
    }
  }

  void requestId(std::string_view id) {
    if (id.empty()) {
      add("requestId", error_code::kTooShort, "requestId must not be empty.");
      return;
    }
    bool printable = true;
    for (char c : id) printable = printable && c >= 0x20 && c <= 0x7E;
    if (!printable) {
      add("requestId", error_code::kPattern,
          "requestId must be printable ASCII (such as a UUID).");
    }
    const std::size_t count = codePointCount(id).value_or(id.size());
    if (count > kMaxRequestIdLength) {
      add("requestId", error_code::kTooLong,
          "requestId must have at most 128 characters; it has " + std::to_string(count) + ".");
    }
  }
};

// The request as JSON, read losslessly. Text ending in a backslash can never be JSON; it is
// refused here because parseJsonKeepingInvalidText does not return on it (its string-literal
// scan makes no progress on a final backslash).
JsonInput readRequest(std::string_view text) {
  if (!text.empty() && text.back() == '\\') {
    JsonInput input;
    input.error = "not valid JSON (error at byte " + std::to_string(text.size()) + ")";
    return input;
  }
  return parseJsonKeepingInvalidText(text);
}

// The frame's start: `{"Action":"…","RequestId":"…"`.
std::string frameStart(const char* action, std::string_view requestId, std::size_t extra) {
  std::string frame;
  frame.reserve(48 + requestId.size() + extra);
  frame += "{\"Action\":\"";
  frame += action;
  frame += "\",\"RequestId\":";
  appendJsonString(frame, requestId);
  return frame;
}

void appendMember(std::string& frame, const char* name, std::string_view value) {
  frame += ",\"";
  frame += name;
  frame += "\":";
  appendJsonString(frame, value);
}

ChatFrameBuild finish(ActionChecker& checker, std::string frame) {
  ChatFrameBuild result;
  result.ok = checker.errors.empty();
  result.errors = std::move(checker.errors);
  if (result.ok) result.frame = std::move(frame);
  return result;
}

// Runs a builder, turning any exception into an error so nothing unwinds into the caller.
template <typename Build>
ChatFrameBuild guarded(Build build) {
  try {
    return build();
  } catch (const std::exception& e) {
    ChatFrameBuild result;
    result.errors.push_back({"request", "INTERNAL", std::string("Internal error: ") + e.what()});
    return result;
  } catch (...) {
    ChatFrameBuild result;
    result.errors.push_back({"request", "INTERNAL", "Internal error."});
    return result;
  }
}

// ---------------------------------------------------------------------------------------------
// Server frames

constexpr const char* kNullType = "null";
constexpr const char* kTooBigForInt = "does not fit a 32-bit integer";

// A string member: absent (missing or null), a string, or something else.
struct TextMember {
  std::string value;
  bool present = false;
  const char* wrongType = nullptr;  // what was sent instead of a string

  void set(std::string& text) {
    value = std::move(text);
    present = true;
    wrongType = nullptr;
  }
  void setOther(const char* typeName) {
    value.clear();
    present = false;
    wrongType = typeName == kNullType ? nullptr : typeName;
  }
};

// A string-map member: absent, an object of string values, or something else.
struct MapMember {
  std::map<std::string, std::string> values;
  const char* wrongType = nullptr;     // the member is not an object
  const char* badValueType = nullptr;  // the first value that is not a string

  void reset() {
    values.clear();
    wrongType = nullptr;
    badValueType = nullptr;
  }
};

// Everything a frame may carry, before its Type says what it needs.
struct Collected {
  TextMember type, id, requestId, content, sendTime, eventName, errorMessage;
  MapMember attributes;
  bool senderPresent = false;
  const char* senderWrongType = nullptr;
  TextMember senderUserId;
  MapMember senderAttributes;
  bool errorCodePresent = false;
  int errorCode = 0;
  const char* errorCodeProblem = nullptr;  // why ErrorCode is unusable, as "is …" or "does …"
  const char* errorCodeType = nullptr;     // what was sent instead of a number
};

enum class Place { kBeforeRoot, kRoot, kAttributes, kSender, kSenderAttributes, kAfterRoot };
enum class RootMember {
  kOther, kType, kId, kRequestId, kContent, kAttributes, kSendTime, kSender, kEventName,
  kErrorCode, kErrorMessage
};
enum class SenderMember { kOther, kUserId, kAttributes };

RootMember rootMemberFor(const std::string& key) {
  if (key == "Type") return RootMember::kType;
  if (key == "Id") return RootMember::kId;
  if (key == "RequestId") return RootMember::kRequestId;
  if (key == "Content") return RootMember::kContent;
  if (key == "Attributes") return RootMember::kAttributes;
  if (key == "SendTime") return RootMember::kSendTime;
  if (key == "Sender") return RootMember::kSender;
  if (key == "EventName") return RootMember::kEventName;
  if (key == "ErrorCode") return RootMember::kErrorCode;
  if (key == "ErrorMessage") return RootMember::kErrorMessage;
  return RootMember::kOther;
}

// Fills a Collected straight from nlohmann's SAX events: no document tree is built, the known
// strings are moved out of the lexer, and unknown members are skipped whatever their depth.
class FrameReader final : public nlohmann::json_sax<json> {
 public:
  Collected c;
  std::string error;  // set when this reader stopped the parse

  bool null() override { return scalar(kNullType, nullptr); }
  bool boolean(bool) override { return scalar("a boolean", nullptr); }
  bool number_integer(number_integer_t v) override {
    const bool fits = v >= INT_MIN && v <= INT_MAX;
    return number(fits ? std::optional<int>(static_cast<int>(v)) : std::nullopt, kTooBigForInt);
  }
  bool number_unsigned(number_unsigned_t v) override {
    const bool fits = v <= static_cast<number_unsigned_t>(INT_MAX);
    return number(fits ? std::optional<int>(static_cast<int>(v)) : std::nullopt, kTooBigForInt);
  }
  bool number_float(number_float_t v, const string_t&) override {
    if (std::floor(v) != v) return number(std::nullopt, "is a fraction, not a whole number");
    const bool fits = v >= static_cast<double>(INT_MIN) && v <= static_cast<double>(INT_MAX);
    return number(fits ? std::optional<int>(static_cast<int>(v)) : std::nullopt, kTooBigForInt);
  }
  bool string(string_t& v) override { return scalar("a string", &v); }
  bool binary(binary_t&) override { return scalar("binary data", nullptr); }

  bool start_object(std::size_t) override {
    if (skip_ > 0) {
      ++skip_;
      return true;
    }
    switch (place_) {
      case Place::kBeforeRoot:
        place_ = Place::kRoot;
        return true;
      case Place::kRoot:
        if (member_ == RootMember::kAttributes) {
          c.attributes.reset();
          place_ = Place::kAttributes;
          return true;
        }
        if (member_ == RootMember::kSender) {
          c.senderPresent = true;
          c.senderWrongType = nullptr;
          c.senderUserId.setOther(kNullType);
          c.senderAttributes.reset();
          place_ = Place::kSender;
          return true;
        }
        break;
      case Place::kSender:
        if (senderMember_ == SenderMember::kAttributes) {
          c.senderAttributes.reset();
          place_ = Place::kSenderAttributes;
          return true;
        }
        break;
      default:
        break;
    }
    return skipContainer("an object");
  }

  bool start_array(std::size_t) override {
    if (skip_ > 0) {
      ++skip_;
      return true;
    }
    return skipContainer("an array");
  }

  bool end_object() override { return close(); }
  bool end_array() override { return close(); }

  bool key(string_t& v) override {
    if (skip_ > 0) return true;
    switch (place_) {
      case Place::kRoot: member_ = rootMemberFor(v); break;
      case Place::kSender:
        senderMember_ = v == "UserId"       ? SenderMember::kUserId
                        : v == "Attributes" ? SenderMember::kAttributes
                                            : SenderMember::kOther;
        break;
      case Place::kAttributes:
      case Place::kSenderAttributes: pendingKey_ = std::move(v); break;
      default: break;
    }
    return true;
  }

  // Only the position is kept: nlohmann's message quotes the input.
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception&) override {
    parseErrorAt_ = position;
    return false;
  }

  std::optional<std::size_t> parseErrorAt() const { return parseErrorAt_; }

 private:
  bool notAnObject() {
    error = "The frame is not a JSON object.";
    return false;
  }

  bool skipContainer(const char* typeName) {
    if (place_ == Place::kBeforeRoot) return notAnObject();
    scalar(typeName, nullptr);  // records the wrong type where a known member expected another
    skip_ = 1;
    return true;
  }

  bool close() {
    if (skip_ > 0) {
      --skip_;
      return true;
    }
    switch (place_) {
      case Place::kRoot: place_ = Place::kAfterRoot; break;
      case Place::kAttributes:
      case Place::kSender: place_ = Place::kRoot; break;
      case Place::kSenderAttributes: place_ = Place::kSender; break;
      default: break;
    }
    return true;
  }

  bool number(std::optional<int> whole, const char* problem) {
    if (skip_ == 0 && place_ == Place::kRoot && member_ == RootMember::kErrorCode) {
      c.errorCodePresent = true;
      c.errorCode = whole.value_or(0);
      c.errorCodeProblem = whole ? nullptr : problem;
      c.errorCodeType = nullptr;
      return true;
    }
    return scalar("a number", nullptr);
  }

  // A value that is not a container we descend into; `text` is set for strings.
  bool scalar(const char* typeName, std::string* text) {
    if (skip_ > 0) return true;
    switch (place_) {
      case Place::kBeforeRoot: return notAnObject();
      case Place::kRoot: rootValue(typeName, text); return true;
      case Place::kSender:
        if (senderMember_ == SenderMember::kUserId) {
          setText(c.senderUserId, typeName, text);
        } else if (senderMember_ == SenderMember::kAttributes) {
          c.senderAttributes.reset();
          if (typeName != kNullType) c.senderAttributes.wrongType = typeName;
        }
        return true;
      case Place::kAttributes: mapValue(c.attributes, typeName, text); return true;
      case Place::kSenderAttributes: mapValue(c.senderAttributes, typeName, text); return true;
      default: return true;
    }
  }

  static void setText(TextMember& member, const char* typeName, std::string* text) {
    if (text) {
      member.set(*text);
    } else {
      member.setOther(typeName);
    }
  }

  void mapValue(MapMember& map, const char* typeName, std::string* text) {
    if (text) {
      map.values.insert_or_assign(std::move(pendingKey_), std::move(*text));
    } else if (!map.badValueType) {
      map.badValueType = typeName;
    }
  }

  void rootValue(const char* typeName, std::string* text) {
    switch (member_) {
      case RootMember::kType: setText(c.type, typeName, text); break;
      case RootMember::kId: setText(c.id, typeName, text); break;
      case RootMember::kRequestId: setText(c.requestId, typeName, text); break;
      case RootMember::kContent: setText(c.content, typeName, text); break;
      case RootMember::kSendTime: setText(c.sendTime, typeName, text); break;
      case RootMember::kEventName: setText(c.eventName, typeName, text); break;
      case RootMember::kErrorMessage: setText(c.errorMessage, typeName, text); break;
      case RootMember::kAttributes:
        c.attributes.reset();
        if (typeName != kNullType) c.attributes.wrongType = typeName;
        break;
      case RootMember::kSender:
        c.senderPresent = typeName != kNullType;
        c.senderWrongType = c.senderPresent ? typeName : nullptr;
        c.senderUserId.setOther(kNullType);
        c.senderAttributes.reset();
        break;
      case RootMember::kErrorCode:
        c.errorCodePresent = typeName != kNullType;
        c.errorCode = 0;
        c.errorCodeProblem = nullptr;
        c.errorCodeType = c.errorCodePresent ? typeName : nullptr;
        break;
      case RootMember::kOther: break;
    }
  }

  Place place_ = Place::kBeforeRoot;
  RootMember member_ = RootMember::kOther;
  SenderMember senderMember_ = SenderMember::kOther;
  std::size_t skip_ = 0;  // depth inside a container being skipped
  std::string pendingKey_;
  std::optional<std::size_t> parseErrorAt_;
};

// Checks the members a Type needs and moves them into the result; the first problem wins.
class FrameChecker {
 public:
  explicit FrameChecker(const char* frameType) : frameType_(frameType) {}

  std::string error;

  bool required(TextMember& member, const char* name, std::string& out, bool nonEmpty) {
    if (!member.present) {
      if (member.wrongType) return wrongType(name, member.wrongType, "a string");
      return fail(std::string(" has no ") + name + ".");
    }
    if (nonEmpty && member.value.empty()) return fail(std::string("'s ") + name + " is empty.");
    out = std::move(member.value);
    return true;
  }

  bool optional(TextMember& member, const char* name, std::string& out) {
    if (member.wrongType) return wrongType(name, member.wrongType, "a string");
    out = std::move(member.value);
    return true;
  }

  bool map(MapMember& member, const char* name, std::map<std::string, std::string>& out) {
    if (member.wrongType) return wrongType(name, member.wrongType, "an object");
    if (member.badValueType) {
      return fail(std::string("'s ") + name + " has a value that is " + member.badValueType +
                  ", not a string.");
    }
    out = std::move(member.values);
    return true;
  }

  bool sendTime(TextMember& member, std::string& out, std::int64_t& millis) {
    if (!required(member, "SendTime", out, false)) return false;
    const std::optional<Timestamp> time = parseRfc3339(out);
    if (!time) return fail("'s SendTime is not an RFC 3339 date-time.");
    millis = time->epochMillis();
    return true;
  }

  bool fail(const std::string& rest) {
    error = std::string("The ") + frameType_ + " frame" + rest;
    return false;
  }

 private:
  bool wrongType(const char* name, const char* actual, const char* expected) {
    return fail(std::string("'s ") + name + " is " + actual + ", not " + expected + ".");
  }

  const char* frameType_;
};

ServerFrame failed(std::string error) {
  ServerFrame frame;
  frame.error = std::move(error);
  return frame;
}

// The value of the first of `names` present among the attributes, else "".
std::string firstAttribute(const std::map<std::string, std::string>& attributes,
                           std::initializer_list<const char*> names) {
  for (const char* name : names) {
    const auto found = attributes.find(name);
    if (found != attributes.end()) return found->second;
  }
  return {};
}

ServerFrame readMessage(Collected& c) {
  ServerFrame frame;
  FrameChecker check("MESSAGE");
  if (!check.required(c.id, "Id", frame.id, true) ||
      !check.optional(c.requestId, "RequestId", frame.requestId) ||
      !check.required(c.content, "Content", frame.content, false) ||
      !check.map(c.attributes, "Attributes", frame.attributes) ||
      !check.sendTime(c.sendTime, frame.sendTime, frame.sendTimeMillis)) {
    return failed(std::move(check.error));
  }
  if (c.senderWrongType) {
    check.fail(std::string("'s Sender is ") + c.senderWrongType + ", not an object.");
    return failed(std::move(check.error));
  }
  if (!c.senderPresent) {
    check.fail(" has no Sender.");
    return failed(std::move(check.error));
  }
  if (!check.required(c.senderUserId, "Sender.UserId", frame.senderUserId, true) ||
      !check.map(c.senderAttributes, "Sender.Attributes", frame.senderAttributes)) {
    return failed(std::move(check.error));
  }
  frame.kind = ServerFrameKind::Message;
  return frame;
}

ServerFrame readEvent(Collected& c) {
  ServerFrame frame;
  FrameChecker check("EVENT");
  if (!check.required(c.id, "Id", frame.id, true) ||
      !check.optional(c.requestId, "RequestId", frame.requestId) ||
      !check.required(c.eventName, "EventName", frame.eventName, true) ||
      !check.map(c.attributes, "Attributes", frame.attributes) ||
      !check.sendTime(c.sendTime, frame.sendTime, frame.sendTimeMillis)) {
    return failed(std::move(check.error));
  }
  if (frame.eventName == kDeleteMessageEvent) {
    // Older frames spell it MessageID; MessageId wins when both are there.
    frame.deletedMessageId = firstAttribute(frame.attributes, {"MessageId", "MessageID"});
    if (frame.deletedMessageId.empty()) {
      check.fail(" aws:DELETE_MESSAGE has no MessageId attribute.");
      return failed(std::move(check.error));
    }
    frame.reason = firstAttribute(frame.attributes, {"Reason"});
  } else if (frame.eventName == kDisconnectUserEvent) {
    frame.disconnectedUserId = firstAttribute(frame.attributes, {"UserId"});
    if (frame.disconnectedUserId.empty()) {
      check.fail(" aws:DISCONNECT_USER has no UserId attribute.");
      return failed(std::move(check.error));
    }
    frame.reason = firstAttribute(frame.attributes, {"Reason"});
  }
  frame.kind = ServerFrameKind::Event;
  return frame;
}

ServerFrame readError(Collected& c) {
  ServerFrame frame;
  FrameChecker check("ERROR");
  if (!c.errorCodePresent) {
    check.fail(" has no ErrorCode.");
    return failed(std::move(check.error));
  }
  if (c.errorCodeType) {
    check.fail(std::string("'s ErrorCode is ") + c.errorCodeType + ", not a number.");
    return failed(std::move(check.error));
  }
  if (c.errorCodeProblem) {
    check.fail(std::string("'s ErrorCode ") + c.errorCodeProblem + ".");
    return failed(std::move(check.error));
  }
  frame.errorCode = c.errorCode;
  if (!check.optional(c.id, "Id", frame.id) ||
      !check.optional(c.requestId, "RequestId", frame.requestId) ||
      !check.optional(c.errorMessage, "ErrorMessage", frame.errorMessage)) {
    return failed(std::move(check.error));
  }
  frame.kind = ServerFrameKind::Error;
  return frame;
}

}  // namespace

ChatFrameBuild buildSendMessageFrame(std::string_view requestJson, std::string_view requestId,
                                     double maxMessageLength) {
  return guarded([&] {
    ActionChecker checker;
    const JsonInput input = readRequest(requestJson);
    // The limit is checked first but reported after the request's fields (see the header).
    std::size_t limit = kMaxMessageLength;
    bool limitFine = true;
    if (std::isnan(maxMessageLength) || maxMessageLength < 1 ||
        (std::isfinite(maxMessageLength) && std::floor(maxMessageLength) != maxMessageLength)) {
      limitFine = false;  // content is then held to the largest limit there is
    } else if (maxMessageLength < static_cast<double>(kMaxMessageLength)) {
      limit = static_cast<std::size_t>(maxMessageLength);
    }
    const std::string* content = nullptr;
    const json* attributes = nullptr;
    if (const json* request = checker.request(input)) {
      content = checker.text(ActionChecker::member(*request, "content"), "content", true);
      if (content && !checker.length(*content, "content", 1, limit, " (the room's maximum message length)")) {
        content = nullptr;
      }
      attributes = checker.attributes(*request);
      checker.unknownMembers(*request, {"content", "attributes"}, "SEND_MESSAGE",
                             "content and attributes");
    }
    if (!limitFine) {
      checker.add("maxMessageLength", error_code::kRange,
                  "maxMessageLength must be a whole number of at least 1 (rooms allow 1 to 500).");
    }
    checker.requestId(requestId);
    if (!checker.errors.empty()) return finish(checker, {});

    std::size_t extra = content->size() + 16;
    if (attributes) {
      for (const auto& item : attributes->items()) {
        extra += item.key().size() + item.value().get_ref<const std::string&>().size() + 6;
      }
    }
    std::string frame = frameStart("SEND_MESSAGE", requestId, extra + 32);
    appendMember(frame, "Content", *content);
    if (attributes) {
      frame += ",\"Attributes\":{";
      bool first = true;
      for (const auto& item : attributes->items()) {  // nlohmann objects iterate in sorted order
        if (!first) frame.push_back(',');
        first = false;
        appendJsonString(frame, item.key());
        frame.push_back(':');
        appendJsonString(frame, item.value().get_ref<const std::string&>());
      }
      frame.push_back('}');
    }
    frame.push_back('}');
    return finish(checker, std::move(frame));
  });
}

ChatFrameBuild buildDeleteMessageFrame(std::string_view requestJson, std::string_view requestId) {
  return guarded([&] {
    ActionChecker checker;
    const JsonInput input = readRequest(requestJson);
    const std::string* id = nullptr;
    const std::string* reason = nullptr;
    if (const json* request = checker.request(input)) {
      id = checker.text(ActionChecker::member(*request, "id"), "id", true);
      if (id) {
        const auto count = codePointCount(*id);
        if (!count) {
          checker.add("id", error_code::kInvalidUtf8, "id is not valid Unicode text.");
        } else {
          if (*count < kMessageIdLength) {
            checker.add("id", error_code::kTooShort,
                        "id must have exactly 12 characters; it has " + std::to_string(*count) + ".");
          } else if (*count > kMessageIdLength) {
            checker.add("id", error_code::kTooLong,
                        "id must have exactly 12 characters; it has " + std::to_string(*count) + ".");
          }
          bool alnum = !id->empty();
          for (char ch : *id) alnum = alnum && isAsciiAlnum(ch);
          if (!alnum && !id->empty()) {
            checker.add("id", error_code::kPattern,
                        "id must be made of ASCII letters and digits, as the Id of a received "
                        "message is.");
          }
        }
      }
      reason = checker.reason(*request);
      checker.unknownMembers(*request, {"id", "reason"}, "DELETE_MESSAGE", "id and reason");
    }
    checker.requestId(requestId);
    if (!checker.errors.empty()) return finish(checker, {});

    std::string frame = frameStart("DELETE_MESSAGE", requestId,
                                   id->size() + (reason ? reason->size() : 0) + 32);
    appendMember(frame, "Id", *id);
    if (reason) appendMember(frame, "Reason", *reason);
    frame.push_back('}');
    return finish(checker, std::move(frame));
  });
}

ChatFrameBuild buildDisconnectUserFrame(std::string_view requestJson, std::string_view requestId) {
  return guarded([&] {
    ActionChecker checker;
    const JsonInput input = readRequest(requestJson);
    const std::string* userId = nullptr;
    const std::string* reason = nullptr;
    if (const json* request = checker.request(input)) {
      userId = checker.text(ActionChecker::member(*request, "userId"), "userId", true);
      if (userId && !checker.length(*userId, "userId", 1, kMaxUserIdLength)) userId = nullptr;
      reason = checker.reason(*request);
      checker.unknownMembers(*request, {"userId", "reason"}, "DISCONNECT_USER", "userId and reason");
    }
    checker.requestId(requestId);
    if (!checker.errors.empty()) return finish(checker, {});

    std::string frame = frameStart("DISCONNECT_USER", requestId,
                                   userId->size() + (reason ? reason->size() : 0) + 32);
    appendMember(frame, "UserId", *userId);
    if (reason) appendMember(frame, "Reason", *reason);
    frame.push_back('}');
    return finish(checker, std::move(frame));
  });
}

const char* serverFrameKindName(ServerFrameKind kind) noexcept {
  switch (kind) {
    case ServerFrameKind::Message: return "MESSAGE";
    case ServerFrameKind::Event: return "EVENT";
    case ServerFrameKind::Error: return "ERROR";
    case ServerFrameKind::Unknown: break;
  }
  return "UNKNOWN";
}

ServerFrame parseServerFrame(std::string_view text) {
  try {
    FrameReader reader;
    const bool parsed = json::sax_parse(text, &reader, json::input_format_t::json, true);
    if (!parsed) {
      if (!reader.error.empty()) return failed(std::move(reader.error));
      if (reader.parseErrorAt()) {
        return failed("The frame is not valid JSON (error at byte " +
                      std::to_string(*reader.parseErrorAt()) + ").");
      }
      return failed("The frame is not valid JSON.");
    }
    Collected& c = reader.c;
    if (!c.type.present) {
      if (c.type.wrongType) {
        return failed(std::string("The frame's Type is ") + c.type.wrongType + ", not a string.");
      }
      return failed("The frame has no Type.");
    }
    if (c.type.value.empty()) return failed("The frame's Type is empty.");
    ServerFrame frame;
    if (c.type.value == "MESSAGE") {
      frame = readMessage(c);
    } else if (c.type.value == "EVENT") {
      frame = readEvent(c);
    } else if (c.type.value == "ERROR") {
      frame = readError(c);
    } else {
      frame.kind = ServerFrameKind::Unknown;
    }
    if (!frame.error.empty()) return frame;
    frame.ok = true;
    frame.type = std::move(c.type.value);
    return frame;
  } catch (const std::exception&) {
    return failed("The frame could not be read (internal error).");
  } catch (...) {
    return failed("The frame could not be read (internal error).");
  }
}

std::string attributesToJson(const std::map<std::string, std::string>& attributes) {
  std::string out;
  out.push_back('{');
  bool first = true;
  for (const auto& [key, value] : attributes) {
    if (!first) out.push_back(',');
    first = false;
    appendValidJsonString(out, key);
    out.push_back(':');
    appendValidJsonString(out, value);
  }
  out.push_back('}');
  return out;
}

}  // namespace ivschat
