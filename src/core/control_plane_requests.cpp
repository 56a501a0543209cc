#include "core/control_plane_requests.hpp"

#include "core/chat_rules.hpp"
#include "core/create_chat_token.hpp"
#include "core/json_write.hpp"

namespace ivschat {
namespace {

void appendMember(std::string& body, std::string_view name, std::string_view value, bool& first) {
  if (!first) body.push_back(',');
  first = false;
  appendJsonString(body, name);
  body.push_back(':');
  appendJsonString(body, value);
}

// The moderation calls: their members' checks, then the body in sorted member order.
ControlPlaneRequest buildModerationRequest(ControlPlaneCall call, const JsonDocument& document) {
  ControlPlaneRequest result;
  FieldErrors& errors = result.errors;
  const JsonValue* request = requestObject(document, errors);
  if (!request) return result;
  const auto member = [&](std::string_view name) { return presentMember(document, *request, name); };
  const std::optional<std::string_view> room = checkRoomArn(member("roomIdentifier"), "roomIdentifier", errors);
  std::optional<std::string_view> eventName, id, userId, reason;
  const JsonValue* attributes = nullptr;
  switch (call) {
    case ControlPlaneCall::SendEvent:
      eventName = checkText(member("eventName"), "eventName", true, kEventNameRule, errors);
      attributes = member("attributes");
      if (attributes && !checkStringMap(*attributes, "attributes", document, errors)) attributes = nullptr;
      checkKnownMembers(*request, document, {"roomIdentifier", "eventName", "attributes"}, "SendEvent", errors);
      break;
    case ControlPlaneCall::DeleteMessage:
      id = checkMessageId(member("id"), "id", errors);
      reason = checkText(member("reason"), "reason", false, kReasonRule, errors);
      checkKnownMembers(*request, document, {"roomIdentifier", "id", "reason"}, "DeleteMessage", errors);
      break;
    default:
      userId = checkText(member("userId"), "userId", true, kUserIdRule, errors);
      reason = checkText(member("reason"), "reason", false, kReasonRule, errors);
      checkKnownMembers(*request, document, {"roomIdentifier", "userId", "reason"}, "DisconnectUser", errors);
      break;
  }
  if (!errors.empty()) return result;
  result.roomIdentifier = *room;
  std::string& body = result.body;
  body.reserve(160 + (attributes ? kMaxAttributesBytes : 0));
  body.push_back('{');
  bool first = true;
  if (attributes) {
    body += "\"attributes\":";
    appendSortedStringMap(body, document, *attributes);
    first = false;
  }
  if (eventName) appendMember(body, "eventName", *eventName, first);
  if (id) appendMember(body, "id", *id, first);
  if (reason) appendMember(body, "reason", *reason, first);
  appendMember(body, "roomIdentifier", *room, first);
  if (userId) appendMember(body, "userId", *userId, first);
  body.push_back('}');
  return result;
}

}  // namespace

const char* operationName(ControlPlaneCall call) noexcept {
  switch (call) {
    case ControlPlaneCall::CreateChatToken: return "CreateChatToken";
    case ControlPlaneCall::SendEvent: return "SendEvent";
    case ControlPlaneCall::DeleteMessage: return "DeleteMessage";
    case ControlPlaneCall::DisconnectUser: return "DisconnectUser";
  }
  return "";
}

ControlPlaneRequest buildControlPlaneRequest(ControlPlaneCall call, const JsonDocument& document) {
  if (call != ControlPlaneCall::CreateChatToken) return buildModerationRequest(call, document);
  CreateChatTokenValidation validation = validateCreateChatTokenRequest(document);
  ControlPlaneRequest result;
  if (validation.ok()) {
    result.body = buildCreateChatTokenBody(document, validation.request);
    result.roomIdentifier = validation.request.roomIdentifier;
  }
  result.errors = std::move(validation.errors);
  return result;
}

ModerationAnswer readModerationAnswer(ControlPlaneCall call, const JsonDocument& document) {
  ModerationAnswer answer;
  if (!document.ok || document.root().kind != JsonKind::Object) {
    answer.error = "the answer is not a JSON object";
    return answer;
  }
  if (call == ControlPlaneCall::DisconnectUser) {
    answer.ok = true;
    return answer;
  }
  const JsonValue* id = document.member(document.root(), "id");
  FieldErrors problems;
  if (!checkMessageId(id, "id", problems)) {
    answer.error = "the answer has no id of 12 letters and digits";
    return answer;
  }
  answer.ok = true;
  answer.id = id->text;
  return answer;
}

}  // namespace ivschat
