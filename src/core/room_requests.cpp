#include "core/room_requests.hpp"

#include "core/chat_rules.hpp"
#include "core/create_chat_token.hpp"
#include "core/json_write.hpp"
#include "core/text_scan.hpp"
#include "core/utf8.hpp"

namespace ivschat {
namespace {

inline constexpr TextRule kRoomNameRule{0, 128, ""};
inline constexpr TextRule kLambdaArnRule{0, 170, ""};
inline constexpr TextRule kLoggingArnRule{1, 128, ""};
inline constexpr TextRule kNextTokenRule{0, 1024, ""};
inline constexpr TextRule kTagKeyRule{1, 128, ""};
inline constexpr TextRule kTagValueRule{0, 256, ""};
inline constexpr std::size_t kMaxLoggingConfigurations = 3;
inline constexpr std::size_t kMaxTags = 50;

// ^[a-zA-Z0-9-_]*$
bool isRoomName(std::string_view text) {
  for (const char c : text) {
    if (!isAlnumOrDash(c) && c != '_') return false;
  }
  return true;
}

// ^$|^arn:aws:lambda:[a-z0-9-]+:[0-9]{12}:function:.+ (not anchored at the end: `.` is one
// character that is not a line terminator, \n \r U+2028 U+2029).
bool isLambdaArn(std::string_view text) {
  if (text.empty()) return true;
  if (!(consumeLiteral(text, "arn:aws:lambda:") && consumeRun(text, isLowerAlnumOrDash) && consumeLiteral(text, ":") &&
        consumeRun(text, isAsciiDigit, 12, 12) && consumeLiteral(text, ":function:") && !text.empty())) {
    return false;
  }
  return text[0] != '\n' && text[0] != '\r' && text.substr(0, 3) != "\xE2\x80\xA8" && text.substr(0, 3) != "\xE2\x80\xA9";
}

// ^arn:aws:ivschat:[a-z0-9-]+:[0-9]+:logging-configuration/[a-zA-Z0-9-]+$
bool isLoggingConfigurationArn(std::string_view text) {
  return consumeLiteral(text, "arn:aws:ivschat:") && consumeRun(text, isLowerAlnumOrDash) && consumeLiteral(text, ":") &&
         consumeRun(text, isAsciiDigit) && consumeLiteral(text, ":logging-configuration/") &&
         consumeRun(text, isAlnumOrDash) && text.empty();
}

// A text field with a pattern: checkText's checks, then PATTERN (`what` says what it must be).
std::optional<std::string_view> checkPatternText(const JsonValue* value, std::string_view field, bool required,
                                                 const TextRule& rule, bool (*matches)(std::string_view),
                                                 const char* what, FieldErrors& errors) {
  const std::optional<std::string_view> text = checkText(value, field, required, rule, errors);
  if (!text) return std::nullopt;
  if (!matches(*text)) {
    errors.add(field, error_code::kPattern, "{} must be {}.", {field, what});
    return std::nullopt;
  }
  return text;
}

constexpr const char* kRoomNameText = "made of ASCII letters, digits, '-' and '_'";
constexpr const char* kLambdaArnText =
    "empty or a Lambda function ARN such as arn:aws:lambda:us-east-1:123456789012:function:review";
constexpr const char* kLoggingArnText =
    "a logging-configuration ARN such as arn:aws:ivschat:us-east-1:123456789012:logging-configuration/AbCdEf123456";

// The members of a room request, each as its compact JSON in a slot of its own: the slots are
// in name order, so the body is written in sorted order whatever order the checks run in.
constexpr std::string_view kRoomMembers[] = {
    "identifier",           "loggingConfigurationIdentifier", "loggingConfigurationIdentifiers",
    "maxResults",           "maximumMessageLength",           "maximumMessageRatePerSecond",
    "messageReviewHandler", "messageReviewHandlerUri",        "name",
    "nextToken",            "tags"};
constexpr std::size_t kRoomMemberCount = sizeof(kRoomMembers) / sizeof(kRoomMembers[0]);

class RoomBody {
 public:
  /// The slot of `name` (one of kRoomMembers), for the member's JSON.
  std::string& slot(std::string_view name) {
    std::size_t index = 0;
    while (index + 1 < kRoomMemberCount && kRoomMembers[index] != name) ++index;
    return slots_[index];
  }
  void text(std::string_view name, std::optional<std::string_view> value) {
    if (value) appendJsonString(slot(name), *value);
  }
  void number(std::string_view name, std::optional<std::int64_t> value) {
    if (value) slot(name) = std::string_view(Decimal(static_cast<std::uint64_t>(*value)));
  }
  std::string build() const {
    std::string body = "{";
    for (std::size_t i = 0; i < kRoomMemberCount; ++i) {
      if (slots_[i].empty()) continue;
      if (body.size() > 1) body.push_back(',');
      appendJsonString(body, kRoomMembers[i]);
      body.push_back(':');
      body += slots_[i];
    }
    body.push_back('}');
    return body;
  }

 private:
  std::string slots_[kRoomMemberCount];
};

void checkReviewHandler(const JsonValue* value, const JsonDocument& document, FieldErrors& errors, RoomBody& body) {
  if (!value) return;
  constexpr std::string_view field = "messageReviewHandler";
  if (value->kind != JsonKind::Object) {
    errors.add(field, error_code::kType, "{} must be an object { uri, fallbackResult }; it is {}.",
               {field, jsonTypeName(*value)});
    return;
  }
  const std::size_t before = errors.list().size();
  const auto member = [&](std::string_view name) { return presentMember(document, *value, name); };
  const std::optional<std::string_view> uri = checkPatternText(member("uri"), "messageReviewHandler.uri", false,
                                                               kLambdaArnRule, isLambdaArn, kLambdaArnText, errors);
  const JsonValue* fallback = member("fallbackResult");
  std::optional<std::string_view> fallbackResult;
  if (fallback && fallback->kind == JsonKind::String && fallback->text != "ALLOW" && fallback->text != "DENY") {
    errors.add("messageReviewHandler.fallbackResult", error_code::kEnum,
               "messageReviewHandler.fallbackResult is {}; it must be ALLOW or DENY.", {quoted(fallback->text)});
  } else {
    fallbackResult = checkText(fallback, "messageReviewHandler.fallbackResult", false, {4, 5, ""}, errors);
  }
  for (const JsonValue& item : document.children(*value)) {
    if (item.key == "uri" || item.key == "fallbackResult") continue;
    const std::string path = memberPath(field, item.key);
    errors.add(path, error_code::kUnknownField, "\"{}\" is not a messageReviewHandler field; the fields are uri and fallbackResult.",
               {path});
  }
  if (errors.list().size() != before) return;
  std::string json = "{";
  if (fallbackResult) {
    json += "\"fallbackResult\":";
    appendJsonString(json, *fallbackResult);
  }
  if (uri) {
    if (json.size() > 1) json.push_back(',');
    json += "\"uri\":";
    appendJsonString(json, *uri);
  }
  json.push_back('}');
  body.slot(field) = std::move(json);
}

void checkLoggingConfigurations(const JsonValue* value, const JsonDocument& document, FieldErrors& errors,
                                RoomBody& body) {
  if (!value) return;
  constexpr std::string_view field = "loggingConfigurationIdentifiers";
  const bool array = value->kind == JsonKind::Array || value->kind == JsonKind::OversizedArray;
  if (!array) {
    errors.add(field, error_code::kType, "{} must be an array of logging-configuration ARNs; it is {}.",
               {field, jsonTypeName(*value)});
    return;
  }
  if (value->kind == JsonKind::OversizedArray || value->size > kMaxLoggingConfigurations) {
    errors.add(field, error_code::kTooLong, "{} must have at most 3 items; it has {}.", {field, Decimal(value->size)});
    return;
  }
  std::string json = "[";
  bool fine = true;
  std::size_t index = 0;
  for (const JsonValue& item : document.children(*value)) {
    const std::string path = formatMessage("{}[{}]", {field, Decimal(index++)});
    const auto arn = checkPatternText(&item, path, true, kLoggingArnRule, isLoggingConfigurationArn, kLoggingArnText, errors);
    if (!arn) {
      fine = false;
      continue;
    }
    if (json.size() > 1) json.push_back(',');
    appendJsonString(json, *arn);
  }
  json.push_back(']');
  if (fine) body.slot(field) = std::move(json);
}

void checkTags(const JsonValue* value, const JsonDocument& document, FieldErrors& errors, RoomBody& body) {
  if (!value) return;
  constexpr std::string_view field = "tags";
  if (value->kind != JsonKind::Object && value->kind != JsonKind::OversizedObject) {
    errors.add(field, error_code::kType, "{} must be an object of string values; it is {}.", {field, jsonTypeName(*value)});
    return;
  }
  if (value->kind == JsonKind::OversizedObject || value->size > kMaxTags) {
    errors.add(field, error_code::kTooLarge, "{} must have at most 50 tags; it has {}.", {field, Decimal(value->size)});
    return;
  }
  const std::size_t before = errors.list().size();
  for (const JsonValue& item : document.children(*value)) {
    const std::string path = memberPath(field, item.key);
    const std::optional<std::size_t> keyLength = codePointCount(item.key);
    if (!keyLength) {
      errors.add(path, error_code::kInvalidUtf8, "{} has a name that is not valid Unicode text.", {path});
    } else if (*keyLength < kTagKeyRule.min || *keyLength > kTagKeyRule.max) {
      errors.add(path, *keyLength < kTagKeyRule.min ? error_code::kTooShort : error_code::kTooLong,
                 "{} has a key of {}; tag keys have 1 to 128 characters.", {path, plural(*keyLength, "character")});
    }
    checkText(&item, path, true, kTagValueRule, errors);
  }
  if (errors.list().size() != before) return;
  appendSortedStringMap(body.slot(field), document, *value);
}

}  // namespace

const char* roomOperationName(RoomCall call) noexcept {
  switch (call) {
    case RoomCall::CreateRoom: return "CreateRoom";
    case RoomCall::GetRoom: return "GetRoom";
    case RoomCall::ListRooms: return "ListRooms";
    case RoomCall::UpdateRoom: return "UpdateRoom";
    case RoomCall::DeleteRoom: return "DeleteRoom";
  }
  return "";
}

ControlPlaneRequest buildRoomRequest(RoomCall call, const JsonDocument& document) {
  ControlPlaneRequest result;
  FieldErrors& errors = result.errors;
  const JsonValue* request = requestObject(document, errors);
  if (!request) return result;
  const auto member = [&](std::string_view name) { return presentMember(document, *request, name); };
  RoomBody body;
  std::optional<std::string_view> identifier;
  if (call != RoomCall::CreateRoom && call != RoomCall::ListRooms) {
    identifier = checkRoomArn(member("identifier"), "identifier", errors);
    body.text("identifier", identifier);
  }
  switch (call) {
    case RoomCall::CreateRoom:
    case RoomCall::UpdateRoom:
      body.text("name", checkPatternText(member("name"), "name", false, kRoomNameRule, isRoomName, kRoomNameText, errors));
      body.number("maximumMessageLength", checkWholeNumber(member("maximumMessageLength"), "maximumMessageLength", 1, 500, errors));
      body.number("maximumMessageRatePerSecond",
                  checkWholeNumber(member("maximumMessageRatePerSecond"), "maximumMessageRatePerSecond", 1, 100, errors));
      checkReviewHandler(member("messageReviewHandler"), document, errors, body);
      checkLoggingConfigurations(member("loggingConfigurationIdentifiers"), document, errors, body);
      if (call == RoomCall::CreateRoom) {
        checkTags(member("tags"), document, errors, body);
        checkKnownMembers(*request, document,
                          {"name", "maximumMessageLength", "maximumMessageRatePerSecond", "messageReviewHandler",
                           "loggingConfigurationIdentifiers", "tags"},
                          "CreateRoom", errors);
      } else {
        checkKnownMembers(*request, document,
                          {"identifier", "name", "maximumMessageLength", "maximumMessageRatePerSecond",
                           "messageReviewHandler", "loggingConfigurationIdentifiers"},
                          "UpdateRoom", errors);
      }
      break;
    case RoomCall::ListRooms:
      body.text("name", checkPatternText(member("name"), "name", false, kRoomNameRule, isRoomName, kRoomNameText, errors));
      body.text("nextToken", checkText(member("nextToken"), "nextToken", false, kNextTokenRule, errors));
      body.number("maxResults", checkWholeNumber(member("maxResults"), "maxResults", 1, 50, errors));
      body.text("messageReviewHandlerUri", checkPatternText(member("messageReviewHandlerUri"), "messageReviewHandlerUri",
                                                            false, kLambdaArnRule, isLambdaArn, kLambdaArnText, errors));
      body.text("loggingConfigurationIdentifier",
                checkPatternText(member("loggingConfigurationIdentifier"), "loggingConfigurationIdentifier", false,
                                 kLoggingArnRule, isLoggingConfigurationArn, kLoggingArnText, errors));
      checkKnownMembers(*request, document,
                        {"name", "nextToken", "maxResults", "messageReviewHandlerUri", "loggingConfigurationIdentifier"},
                        "ListRooms", errors);
      break;
    default:  // GetRoom, DeleteRoom
      checkKnownMembers(*request, document, {"identifier"}, roomOperationName(call), errors);
      break;
  }
  if (!errors.empty()) return result;
  if (identifier) result.roomIdentifier = *identifier;
  result.body = body.build();
  return result;
}

}  // namespace ivschat
