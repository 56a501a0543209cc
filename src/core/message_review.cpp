#include "core/message_review.hpp"

#include <initializer_list>

#include "core/chat_actions.hpp"
#include "core/chat_rules.hpp"
#include "core/json_write.hpp"
#include "core/utf8.hpp"

namespace ivschat {
namespace {

bool readText(const JsonDocument& document, const JsonValue& object, std::string_view name, std::string_view& out) {
  const JsonValue* value = presentMember(document, object, name);
  if (!value) return true;
  if (value->kind != JsonKind::String) return false;
  out = value->text;
  return true;
}

// A string map whose names and values are UTF-8 (none when absent).
bool isTextMap(const JsonDocument& document, const JsonValue* map) {
  if (!map) return true;
  for (const JsonValue& item : document.children(*map)) {
    if (!isValidUtf8(item.key) || !isValidUtf8(item.text)) return false;
  }
  return true;
}

bool readMap(const JsonDocument& document, const JsonValue& object, std::string_view name, const JsonValue*& out) {
  const JsonValue* value = presentMember(document, object, name);
  if (!value) return true;
  if (value->kind != JsonKind::Object) return false;
  for (const JsonValue& item : document.children(*value)) {
    if (item.kind != JsonKind::String) return false;
  }
  out = value;
  return true;
}

}  // namespace

ReviewInput readReviewInput(const JsonDocument& document) {
  ReviewInput input;
  if (!document.ok || document.root().kind != JsonKind::Object) {
    input.error = "the review event is not a JSON object";
    return input;
  }
  const JsonValue& root = document.root();
  const JsonValue* content = presentMember(document, root, "Content");
  if (!content || content->kind != JsonKind::String) {
    input.error = "the review event has no Content string";
    return input;
  }
  input.content = content->text;
  if (!readText(document, root, "MessageId", input.messageId) || !readText(document, root, "RoomArn", input.roomArn) ||
      !readMap(document, root, "Attributes", input.attributes)) {
    input.error = "the review event's MessageId, RoomArn or Attributes is of the wrong type";
    return input;
  }
  if (const JsonValue* sender = presentMember(document, root, "Sender")) {
    if (sender->kind != JsonKind::Object || !readText(document, *sender, "UserId", input.senderUserId) ||
        !readText(document, *sender, "Ip", input.senderIp) ||
        !readMap(document, *sender, "Attributes", input.senderAttributes)) {
      input.error = "the review event's Sender is not { UserId, Ip, Attributes }";
      return input;
    }
  }
  // JSON.parse keeps an escaped lone surrogate, which is not text: IVS sends none.
  bool text = isTextMap(document, input.attributes) && isTextMap(document, input.senderAttributes);
  for (const std::string_view field : {input.content, input.messageId, input.roomArn, input.senderUserId, input.senderIp}) {
    text = text && isValidUtf8(field);
  }
  if (!text) {
    input.error = "the review event holds text that is not valid UTF-8 (an escaped lone surrogate)";
    return input;
  }
  input.ok = true;
  return input;
}

ReviewAnswer buildReviewAnswer(const JsonDocument& decision) {
  ReviewAnswer answer;
  FieldErrors& errors = answer.errors;
  const JsonValue* object = requestObject(decision, errors);
  if (!object) return answer;
  const auto member = [&](std::string_view name) { return presentMember(decision, *object, name); };
  const JsonValue* allow = member("allow");
  if (!allow) {
    errors.add("allow", error_code::kRequired, "allow is required (true to deliver the message, false to refuse it).");
  } else if (allow->kind != JsonKind::Boolean) {
    errors.add("allow", error_code::kType, "allow must be true or false; it is {}.", {jsonTypeName(*allow)});
  }
  const std::optional<std::string_view> content =
      checkText(member("content"), "content", true, {1, kMaxMessageLength, " (a message's limit)"}, errors);
  const JsonValue* attributes = member("attributes");
  const bool attributesFine = !attributes || checkStringMap(*attributes, "attributes", decision, errors);
  const std::optional<std::string_view> reason = checkText(member("reason"), "reason", false, kReasonRule, errors);
  // Only a refusal writes the reason (as Attributes.Reason): only there can it collide or overflow.
  const bool refused = allow && allow->kind == JsonKind::Boolean && !allow->boolean;
  if (refused && attributes && attributesFine && reason && presentMember(decision, *attributes, "Reason")) {
    errors.add("reason", error_code::kDuplicate, "reason is written as Attributes.Reason, and attributes has a Reason already.");
  }
  if (refused && reason && attributesFine) {
    // On a refusal the reason joins the attributes, and the 1 KB counts it too.
    std::size_t total = std::string_view("Reason").size() + reason->size();
    if (attributes) {
      for (const JsonValue& item : decision.children(*attributes)) total += item.key.size() + item.text.size();
    }
    if (total > kMaxAttributesBytes) {
      errors.add("reason", error_code::kTooLarge,
                 "reason is sent as Attributes.Reason, and with it the attributes total {} bytes; at most 1024.",
                 {Decimal(total)});
    }
  }
  checkKnownMembers(*object, decision, {"allow", "content", "attributes", "reason"}, "review decision", errors);
  if (!errors.empty() || !content) return answer;

  answer.allow = allow->boolean;
  std::string& body = answer.body;
  body.reserve(64 + content->size() + (attributes ? kMaxAttributesBytes : 0));
  body += "{\"Attributes\":";
  if (attributes && !(reason && !answer.allow)) {
    appendSortedStringMap(body, decision, *attributes);
  } else if (reason && !answer.allow) {
    // The reason travels as an attribute of the refused message, beside the app's own.
    std::string map = "{";
    if (attributes) {
      std::string own;
      appendSortedStringMap(own, decision, *attributes);
      map += own.substr(1, own.size() - 2);
      if (own.size() > 2) map += ',';
    }
    map += "\"Reason\":";
    appendJsonString(map, *reason);
    map += '}';
    body += map;
  } else {
    body += "{}";
  }
  body += ",\"Content\":";
  appendJsonString(body, *content);
  body += ",\"ReviewResult\":";
  body += answer.allow ? "\"ALLOW\"}" : "\"DENY\"}";
  return answer;
}

}  // namespace ivschat
