#include "core/create_chat_token.hpp"

#include <cstdint>

#include "core/json_write.hpp"
#include "core/text_scan.hpp"
#include "core/utf8.hpp"

namespace ivschat {
namespace {

constexpr std::array<std::string_view, 3> kCapabilities = {"SEND_MESSAGE", "DISCONNECT_USER",
                                                           "DELETE_MESSAGE"};
constexpr std::string_view kArnPrefix = "arn:aws:ivschat:";

void checkCapabilities(const JsonValue* value, const JsonDocument& document,
                       CreateChatTokenValidation& result) {
  if (!value) return;
  FieldErrors& errors = result.errors;
  const bool array = value->kind == JsonKind::Array || value->kind == JsonKind::OversizedArray;
  if (!array) {
    errors.add("capabilities", error_code::kType, "capabilities must be an array of strings; it is {}.",
               {jsonTypeName(*value)});
    return;
  }
  if (value->kind == JsonKind::OversizedArray || value->size > kMaxCapabilityItems) {
    errors.add("capabilities", error_code::kTooLong,
               "capabilities must have at most 3 items (SEND_MESSAGE, DISCONNECT_USER, DELETE_MESSAGE, each "
               "once); it has {}.",
               {Decimal(value->size)});
    return;
  }
  CreateChatTokenRequest& request = result.request;
  request.hasCapabilities = true;
  std::size_t index = 0;
  for (const JsonValue& item : document.children(*value)) {
    const std::string field = formatMessage("capabilities[{}]", {Decimal(index++)});
    if (item.kind != JsonKind::String) {
      errors.add(field, error_code::kType, "{} must be a string; it is {}.", {field, jsonTypeName(item)});
      continue;
    }
    bool known = false;
    for (const std::string_view capability : kCapabilities) known = known || item.text == capability;
    bool repeated = false;
    for (std::size_t k = 0; k < request.capabilityCount; ++k) {
      repeated = repeated || request.capabilities[k] == item.text;
    }
    if (!known) {
      errors.add(field, error_code::kEnum, "{} is {}; it must be SEND_MESSAGE, DISCONNECT_USER or DELETE_MESSAGE.",
                 {field, quoted(item.text)});
    } else if (repeated) {
      errors.add(field, error_code::kDuplicate, "{} repeats {}.", {field, item.text});
    } else {
      request.capabilities[request.capabilityCount++] = item.text;
    }
  }
}

void checkSessionDuration(const JsonValue* value, CreateChatTokenValidation& result) {
  if (!value) return;
  const char* field = "sessionDurationInMinutes";
  const ExactNumber number = exactNumber(*value);
  if (value->kind != JsonKind::Number || number.shape == ExactNumber::Fraction) {
    result.errors.add(field, error_code::kType, "{} must be a whole number of minutes; it is {}.",
                      {field, value->kind == JsonKind::Number ? "a fraction" : jsonTypeName(*value)});
    return;
  }
  if (number.shape == ExactNumber::LargeWhole || number.value < kMinSessionDurationMinutes ||
      number.value > kMaxSessionDurationMinutes) {
    result.errors.add(field, error_code::kRange, "{} must be between 1 and 180; it is {}.",
                      {field, numberText(*value)});
    return;
  }
  result.request.sessionDurationInMinutes = number.value;
}

}  // namespace

bool matchesRoomArnPattern(std::string_view text) noexcept {
  return consumeLiteral(text, kArnPrefix) && consumeRun(text, isLowerAlnumOrDash) &&
         consumeLiteral(text, ":") && consumeRun(text, isAsciiDigit) && consumeLiteral(text, ":room/") &&
         consumeRun(text, isAlnumOrDash) && text.empty();
}

std::string_view regionFromRoomArn(std::string_view roomArn) noexcept {
  if (!matchesRoomArnPattern(roomArn)) return {};
  roomArn.remove_prefix(kArnPrefix.size());
  return roomArn.substr(0, roomArn.find(':'));
}

std::optional<std::string_view> checkRoomArn(const JsonValue* value, std::string_view field,
                                             FieldErrors& errors) {
  const TextRule rule{1, kMaxRoomIdentifierLength, ""};
  if (value && value->kind == JsonKind::OversizedString) return checkText(value, field, true, rule, errors);
  // Presence, type and UTF-8 here; the length and the pattern below, both reported.
  const std::optional<std::string_view> text = checkText(value, field, true, {0, SIZE_MAX, ""}, errors);
  if (!text) return std::nullopt;
  if (text->empty()) {
    errors.add(field, error_code::kTooShort,
               "{} must not be empty; it is the room's ARN, arn:aws:ivschat:<region>:<account>:room/<id>.", {field});
    return std::nullopt;
  }
  bool fine = true;
  const std::size_t length = codePointCount(*text).value_or(0);
  if (length > rule.max) {
    errors.add(field, error_code::kTooLong, "{} must have at most {}; it has {}.",
               {field, plural(rule.max, "character"), Decimal(length)});
    fine = false;
  }
  if (!matchesRoomArnPattern(*text)) {
    errors.add(field, error_code::kPattern,
               "{} must be a room ARN such as arn:aws:ivschat:us-east-1:123456789012:room/AbCdEf123456.", {field});
    fine = false;
  }
  return fine ? text : std::nullopt;
}

CreateChatTokenValidation validateCreateChatTokenRequest(const JsonDocument& document) {
  CreateChatTokenValidation result;
  const JsonValue* request = requestObject(document, result.errors);
  if (!request) return result;
  const auto member = [&](std::string_view name) { return presentMember(document, *request, name); };
  if (const auto arn = checkRoomArn(member("roomIdentifier"), "roomIdentifier", result.errors)) {
    result.request.roomIdentifier = *arn;
  }
  if (const auto userId = checkText(member("userId"), "userId", true, kUserIdRule, result.errors)) {
    result.request.userId = *userId;
  }
  checkCapabilities(member("capabilities"), document, result);
  checkSessionDuration(member("sessionDurationInMinutes"), result);
  if (const JsonValue* attributes = member("attributes")) {
    if (checkStringMap(*attributes, "attributes", document, result.errors)) {
      result.request.attributes = attributes;
    }
  }
  checkKnownMembers(*request, document,
                    {"roomIdentifier", "userId", "capabilities", "sessionDurationInMinutes", "attributes"},
                    "CreateChatToken", result.errors);
  return result;
}

std::string buildCreateChatTokenBody(const JsonDocument& document, const CreateChatTokenRequest& request) {
  std::string body;
  body.reserve(112 + request.roomIdentifier.size() + request.userId.size() +
               (request.attributes ? kMaxAttributesBytes : 0));
  body.push_back('{');
  if (request.attributes) {
    body += "\"attributes\":";
    appendSortedStringMap(body, document, *request.attributes);
    body.push_back(',');
  }
  if (request.hasCapabilities) {
    body += "\"capabilities\":[";
    for (std::size_t i = 0; i < request.capabilityCount; ++i) {
      if (i > 0) body.push_back(',');
      appendJsonString(body, request.capabilities[i]);
    }
    body += "],";
  }
  body += "\"roomIdentifier\":";
  appendJsonString(body, request.roomIdentifier);
  if (request.sessionDurationInMinutes) {
    body += ",\"sessionDurationInMinutes\":";
    body.append(Decimal(static_cast<std::uint64_t>(*request.sessionDurationInMinutes)));
  }
  body += ",\"userId\":";
  appendJsonString(body, request.userId);
  body.push_back('}');
  return body;
}

}  // namespace ivschat
