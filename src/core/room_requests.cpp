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

bool isLoggingConfigurationArn(std::string_view text) { return matchesLoggingConfigurationArnPattern(text); }

// ^[a-z0-9-.]+$ (S3 bucket names)
bool isBucketName(std::string_view text) {
  return consumeRun(text, [](char c) { return isLowerAlnumOrDash(c) || c == '.'; }) && text.empty();
}

// ^[\.\-_/#A-Za-z0-9]+$ (CloudWatch Logs log group names)
bool isLogGroupName(std::string_view text) {
  return consumeRun(text, [](char c) { return isAlnumOrDash(c) || c == '.' || c == '_' || c == '/' || c == '#'; }) &&
         text.empty();
}

// ^[a-zA-Z0-9_.-]+$ (Firehose delivery stream names)
bool isDeliveryStreamName(std::string_view text) {
  return consumeRun(text, [](char c) { return isAlnumOrDash(c) || c == '.' || c == '_'; }) && text.empty();
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

/// The members of destinationConfiguration (a union: exactly one is set), each with its one field.
struct DestinationRule {
  std::string_view member;
  std::string_view field;
  TextRule rule;
  bool (*matches)(std::string_view);
  const char* what;
};
constexpr DestinationRule kDestinations[] = {
    {"s3", "bucketName", {3, 63, ""}, isBucketName, "made of lower-case ASCII letters, digits, '-' and '.'"},
    {"cloudWatchLogs", "logGroupName", {1, 512, ""}, isLogGroupName,
     "made of ASCII letters, digits, '.', '-', '_', '/' and '#'"},
    {"firehose", "deliveryStreamName", {1, 64, ""}, isDeliveryStreamName,
     "made of ASCII letters, digits, '_', '.' and '-'"},
};

// The members of a room request, each as its compact JSON in a slot of its own: the slots are
// in name order, so the body is written in sorted order whatever order the checks run in.
constexpr std::string_view kRoomMembers[] = {
    "destinationConfiguration",
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

void checkDestination(const JsonValue* value, bool required, const JsonDocument& document, FieldErrors& errors,
                      RoomBody& body) {
  constexpr std::string_view field = "destinationConfiguration";
  if (!value) {
    if (required) {
      errors.add(field, error_code::kRequired,
                 "{} is required: one of s3 { bucketName }, cloudWatchLogs { logGroupName } or firehose "
                 "{ deliveryStreamName }.",
                 {field});
    }
    return;
  }
  if (value->kind != JsonKind::Object) {
    errors.add(field, error_code::kType,
               "{} must be an object with one of s3, cloudWatchLogs or firehose; it is {}.", {field, jsonTypeName(*value)});
    return;
  }
  const std::size_t before = errors.list().size();
  const DestinationRule* chosen = nullptr;
  const JsonValue* chosenValue = nullptr;
  std::string_view names[3];
  std::size_t count = 0;
  for (const DestinationRule& destination : kDestinations) {
    const JsonValue* item = presentMember(document, *value, destination.member);
    if (!item) continue;
    names[count++] = destination.member;
    chosen = &destination;
    chosenValue = item;
  }
  std::string set;  // "s3 and firehose", "s3, cloudWatchLogs and firehose"
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) set += i + 1 == count ? " and " : ", ";
    set += names[i];
  }
  if (count == 0) {
    errors.add(field, error_code::kRequired, "{} must set one of s3, cloudWatchLogs or firehose; it sets none.", {field});
  } else if (count > 1) {
    errors.add(field, error_code::kType, "{} must set exactly one of s3, cloudWatchLogs or firehose; it sets {}.",
               {field, set});
  } else {
    const std::string path = memberPath(field, chosen->member);
    if (chosenValue->kind != JsonKind::Object) {
      errors.add(path, error_code::kType, "{} must be an object { {} }; it is {}.",
                 {path, chosen->field, jsonTypeName(*chosenValue)});
    } else {
      const std::string innerPath = memberPath(path, chosen->field);
      const std::optional<std::string_view> name =
          checkPatternText(presentMember(document, *chosenValue, chosen->field), innerPath, true, chosen->rule,
                           chosen->matches, chosen->what, errors);
      for (const JsonValue& item : document.children(*chosenValue)) {
        if (item.key == chosen->field) continue;
        const std::string unknown = memberPath(path, item.key);
        errors.add(unknown, error_code::kUnknownField, "\"{}\" is not a {} field; the only field is {}.",
                   {unknown, path, chosen->field});
      }
      if (name && errors.list().size() == before) {
        std::string json = "{";
        appendJsonString(json, chosen->member);
        json += ":{";
        appendJsonString(json, chosen->field);
        json.push_back(':');
        appendJsonString(json, *name);
        json += "}}";
        body.slot(field) = std::move(json);
      }
    }
  }
  for (const JsonValue& item : document.children(*value)) {
    if (item.key == "s3" || item.key == "cloudWatchLogs" || item.key == "firehose") continue;
    const std::string path = memberPath(field, item.key);
    errors.add(path, error_code::kUnknownField,
               "\"{}\" is not a destinationConfiguration field; the fields are s3, cloudWatchLogs and firehose.", {path});
  }
  if (errors.list().size() != before) body.slot(field).clear();
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

// ^arn:aws:ivschat:[a-z0-9-]+:[0-9]+:logging-configuration/[a-zA-Z0-9-]+$
bool matchesLoggingConfigurationArnPattern(std::string_view text) noexcept {
  return consumeLiteral(text, "arn:aws:ivschat:") && consumeRun(text, isLowerAlnumOrDash) && consumeLiteral(text, ":") &&
         consumeRun(text, isAsciiDigit) && consumeLiteral(text, ":logging-configuration/") &&
         consumeRun(text, isAlnumOrDash) && text.empty();
}

std::string_view regionFromIvsChatArn(std::string_view arn) noexcept {
  if (!matchesRoomArnPattern(arn) && !matchesLoggingConfigurationArnPattern(arn)) return {};
  arn.remove_prefix(std::string_view("arn:aws:ivschat:").size());
  return arn.substr(0, arn.find(':'));
}

const char* roomOperationName(RoomCall call) noexcept {
  switch (call) {
    case RoomCall::CreateRoom: return "CreateRoom";
    case RoomCall::GetRoom: return "GetRoom";
    case RoomCall::ListRooms: return "ListRooms";
    case RoomCall::UpdateRoom: return "UpdateRoom";
    case RoomCall::DeleteRoom: return "DeleteRoom";
    case RoomCall::CreateLoggingConfiguration: return "CreateLoggingConfiguration";
    case RoomCall::GetLoggingConfiguration: return "GetLoggingConfiguration";
    case RoomCall::ListLoggingConfigurations: return "ListLoggingConfigurations";
    case RoomCall::UpdateLoggingConfiguration: return "UpdateLoggingConfiguration";
    case RoomCall::DeleteLoggingConfiguration: return "DeleteLoggingConfiguration";
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
  if (!namesNoResource(call)) {
    identifier = isLoggingConfigurationCall(call)
                     ? checkPatternText(member("identifier"), "identifier", true, kLoggingArnRule,
                                        isLoggingConfigurationArn, kLoggingArnText, errors)
                     : checkRoomArn(member("identifier"), "identifier", errors);
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
    case RoomCall::CreateLoggingConfiguration:
    case RoomCall::UpdateLoggingConfiguration: {
      const bool create = call == RoomCall::CreateLoggingConfiguration;
      body.text("name", checkPatternText(member("name"), "name", false, kRoomNameRule, isRoomName, kRoomNameText, errors));
      checkDestination(member("destinationConfiguration"), create, document, errors, body);
      if (create) {
        checkTags(member("tags"), document, errors, body);
        checkKnownMembers(*request, document, {"name", "destinationConfiguration", "tags"}, "CreateLoggingConfiguration",
                          errors);
      } else {
        checkKnownMembers(*request, document, {"identifier", "name", "destinationConfiguration"},
                          "UpdateLoggingConfiguration", errors);
      }
      break;
    }
    case RoomCall::ListLoggingConfigurations:
      body.text("nextToken", checkText(member("nextToken"), "nextToken", false, kNextTokenRule, errors));
      body.number("maxResults", checkWholeNumber(member("maxResults"), "maxResults", 1, 50, errors));
      checkKnownMembers(*request, document, {"nextToken", "maxResults"}, "ListLoggingConfigurations", errors);
      break;
    default:  // GetRoom, DeleteRoom, GetLoggingConfiguration, DeleteLoggingConfiguration
      checkKnownMembers(*request, document, {"identifier"}, roomOperationName(call), errors);
      break;
  }
  if (!errors.empty()) return result;
  if (identifier) result.roomIdentifier = *identifier;
  result.body = body.build();
  return result;
}

}  // namespace ivschat
