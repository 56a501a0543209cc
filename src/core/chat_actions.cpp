#include "core/chat_actions.hpp"

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <optional>

#include "core/chat_rules.hpp"
#include "core/json_write.hpp"
#include "core/utf8.hpp"

namespace ivschat {
namespace {

// The checks every action shares, in the order its errors are reported.
class ActionRequest {
 public:
  ActionRequest(const JsonDocument& document, const char* action)
      : document_(document), action_(action), object_(requestObject(document, frame.errors)) {}

  ChatActionFrame frame;

  bool isObject() const noexcept { return object_ != nullptr; }
  const JsonValue* member(std::string_view name) const noexcept {
    return object_ ? presentMember(document_, *object_, name) : nullptr;
  }

  std::optional<std::string_view> text(std::string_view name, bool required, const TextRule& rule) {
    if (!object_) return std::nullopt;
    return checkText(member(name), name, required, rule, frame.errors);
  }

  std::optional<std::string_view> reason() { return text("reason", false, kReasonRule); }

  std::optional<std::string_view> messageId(std::string_view name) {
    if (!object_) return std::nullopt;
    return checkMessageId(member(name), name, frame.errors);
  }

  // `action` (optional, must name this action), then UNKNOWN_FIELD for the rest.
  void otherMembers(std::initializer_list<std::string_view> known) {
    if (!object_) return;
    if (const JsonValue* action = member("action")) {
      if (action->kind != JsonKind::String || action->text != action_) {
        frame.errors.add("action", error_code::kEnum,
                         "action must be {} when given (the official client's request objects carry it); it is {}.",
                         {action_, action->kind == JsonKind::String ? quoted(action->text) : jsonTypeName(*action)});
      }
    }
    checkKnownMembers(*object_, document_, known, action_, frame.errors);
  }

  // Reported last: 1-128 printable ASCII.
  std::optional<std::string_view> requestId() {
    if (!object_) return std::nullopt;
    const std::optional<std::string_view> id =
        checkText(member("requestId"), "requestId", true, {1, kMaxRequestIdLength, ""}, frame.errors);
    if (!id) return std::nullopt;
    for (const char c : *id) {
      if (c < 0x20 || c > 0x7E) {
        frame.errors.add("requestId", error_code::kPattern, "requestId must be printable ASCII (such as a UUID).");
        return std::nullopt;
      }
    }
    return id;
  }

  // The frame's start, `{"Action":"…","RequestId":"…"`, once every check has passed.
  std::string& start(std::string_view requestId, std::size_t extra) {
    std::string& out = frame.frame;
    out.reserve(48 + requestId.size() + extra);
    out += "{\"Action\":\"";
    out += action_;
    out += "\",\"RequestId\":";
    appendJsonString(out, requestId);
    return out;
  }

 private:
  const JsonDocument& document_;
  const char* action_;
  const JsonValue* object_;
};

void appendMember(std::string& frame, const char* name, std::string_view value) {
  frame += ",\"";
  frame += name;
  frame += "\":";
  appendJsonString(frame, value);
}

}  // namespace

ChatActionFrame buildSendMessageFrame(const JsonDocument& request, double maxMessageLength) {
  ActionRequest action(request, "SEND_MESSAGE");
  // The limit is checked first but reported after the request's fields (see the header).
  std::size_t limit = kMaxMessageLength;
  const bool limitFine = !(std::isnan(maxMessageLength) || maxMessageLength < 1 ||
                           (std::isfinite(maxMessageLength) && std::floor(maxMessageLength) != maxMessageLength));
  if (limitFine && maxMessageLength < static_cast<double>(kMaxMessageLength)) {
    limit = static_cast<std::size_t>(maxMessageLength);
  }
  const std::optional<std::string_view> content =
      action.text("content", true, {1, limit, " (the room's maximum message length)"});
  const JsonValue* attributes = action.member("attributes");
  const bool attributesFine = !attributes || checkStringMap(*attributes, "attributes", request, action.frame.errors);
  action.otherMembers({"content", "attributes", "requestId", "action"});
  if (!limitFine && action.isObject()) {
    action.frame.errors.add("maxMessageLength", error_code::kRange,
                            "maxMessageLength must be a whole number of at least 1 (rooms allow 1 to 500).");
  }
  const std::optional<std::string_view> requestId = action.requestId();
  if (!action.frame.ok() || !content || !attributesFine || !requestId) return std::move(action.frame);

  std::string& frame = action.start(*requestId, content->size() + 32 + (attributes ? kMaxAttributesBytes : 0));
  appendMember(frame, "Content", *content);
  if (attributes) {
    frame += ",\"Attributes\":";
    appendSortedStringMap(frame, request, *attributes);
  }
  frame.push_back('}');
  return std::move(action.frame);
}

ChatActionFrame buildDeleteMessageFrame(const JsonDocument& request) {
  ActionRequest action(request, "DELETE_MESSAGE");
  const std::optional<std::string_view> id = action.messageId("id");
  const std::optional<std::string_view> reason = action.reason();
  action.otherMembers({"id", "reason", "requestId", "action"});
  const std::optional<std::string_view> requestId = action.requestId();
  if (!action.frame.ok() || !id || !requestId) return std::move(action.frame);

  std::string& frame = action.start(*requestId, id->size() + (reason ? reason->size() : 0) + 32);
  appendMember(frame, "Id", *id);
  if (reason) appendMember(frame, "Reason", *reason);
  frame.push_back('}');
  return std::move(action.frame);
}

ChatActionFrame buildDisconnectUserFrame(const JsonDocument& request) {
  ActionRequest action(request, "DISCONNECT_USER");
  const std::optional<std::string_view> userId = action.text("userId", true, kUserIdRule);
  const std::optional<std::string_view> reason = action.reason();
  action.otherMembers({"userId", "reason", "requestId", "action"});
  const std::optional<std::string_view> requestId = action.requestId();
  if (!action.frame.ok() || !userId || !requestId) return std::move(action.frame);

  std::string& frame = action.start(*requestId, userId->size() + (reason ? reason->size() : 0) + 32);
  appendMember(frame, "UserId", *userId);
  if (reason) appendMember(frame, "Reason", *reason);
  frame.push_back('}');
  return std::move(action.frame);
}

}  // namespace ivschat
