#include "core/create_chat_token.hpp"

#include <array>
#include <cmath>
#include <set>

#include "core/json_input.hpp"
#include "core/json_write.hpp"
#include "core/utf8.hpp"

namespace ivschat {
namespace {

using nlohmann::json;

constexpr std::array<const char*, 3> kCapabilities = {"SEND_MESSAGE", "DISCONNECT_USER",
                                                      "DELETE_MESSAGE"};
constexpr std::array<const char*, 5> kMembers = {"roomIdentifier", "userId", "capabilities",
                                                 "sessionDurationInMinutes", "attributes"};


std::string plural(std::size_t count, const char* noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

class Validator {
 public:
  CreateChatTokenValidation run(const json& input) {
    if (!input.is_object()) {
      add("request", error_code::kType,
          std::string("The request must be a JSON object; it is ") + jsonTypeName(input) + ".");
      return std::move(result_);
    }
    roomIdentifier(member(input, "roomIdentifier"));
    userId(member(input, "userId"));
    capabilities(member(input, "capabilities"));
    sessionDuration(member(input, "sessionDurationInMinutes"));
    attributes(member(input, "attributes"));
    for (const auto& item : input.items()) {
      bool known = false;
      for (const char* name : kMembers) known = known || item.key() == name;
      if (!known) {
        const std::string shown = sanitizeUtf8(item.key());
        add(shown, error_code::kUnknownField,
            "\"" + shown + "\" is not a CreateChatToken field; the fields are roomIdentifier, "
            "userId, capabilities, sessionDurationInMinutes and attributes.");
      }
    }
    return std::move(result_);
  }

 private:
  static const json* member(const json& object, const char* name) {
    const auto found = object.find(name);
    if (found == object.end() || found->is_null()) return nullptr;
    return &*found;
  }

  void add(std::string field, const char* code, std::string message) {
    result_.errors.push_back({std::move(field), code, std::move(message)});
  }

  bool requireString(const json* value, const char* field) {
    if (!value) {
      add(field, error_code::kRequired, std::string(field) + " is required.");
      return false;
    }
    if (!value->is_string()) {
      add(field, error_code::kType,
          std::string(field) + " must be a string; it is " + jsonTypeName(*value) + ".");
      return false;
    }
    return true;
  }

  // Checks UTF-8 and a 1..max code point length; returns false when it added an error.
  bool checkText(const std::string& text, const std::string& field, std::size_t maxLength) {
    const auto length = codePointCount(text);
    if (!length) {
      add(field, error_code::kInvalidUtf8, field + " is not valid Unicode text (invalid UTF-8 or a lone surrogate).");
      return false;
    }
    if (*length == 0) {
      add(field, error_code::kTooShort, field + " must not be empty.");
      return false;
    }
    if (*length > maxLength) {
      add(field, error_code::kTooLong,
          field + " must be at most " + plural(maxLength, "character") + "; it has " +
              std::to_string(*length) + ".");
      return false;
    }
    return true;
  }

  void roomIdentifier(const json* value) {
    if (!requireString(value, "roomIdentifier")) return;
    const std::string& text = value->get_ref<const std::string&>();
    const auto length = codePointCount(text);
    if (!length) {
      add("roomIdentifier", error_code::kInvalidUtf8, "roomIdentifier is not valid Unicode text.");
      return;
    }
    if (*length == 0) {
      add("roomIdentifier", error_code::kTooShort,
          "roomIdentifier must not be empty; it is the room's ARN, "
          "arn:aws:ivschat:{region}:{account}:room/{id}.");
      return;
    }
    if (*length > kMaxRoomIdentifierLength) {
      add("roomIdentifier", error_code::kTooLong,
          "roomIdentifier must be at most 128 characters; it has " + std::to_string(*length) + ".");
    }
    if (!matchesRoomArnPattern(text)) {
      add("roomIdentifier", error_code::kPattern,
          "roomIdentifier must be a room ARN such as "
          "arn:aws:ivschat:us-east-1:123456789012:room/AbCdEf123456.");
    } else {
      result_.request.roomIdentifier = text;
    }
  }

  void userId(const json* value) {
    if (!requireString(value, "userId")) return;
    const std::string& text = value->get_ref<const std::string&>();
    if (checkText(text, "userId", kMaxUserIdLength)) result_.request.userId = text;
  }

  void capabilities(const json* value) {
    if (!value) return;
    if (!value->is_array()) {
      add("capabilities", error_code::kType,
          std::string("capabilities must be an array of strings; it is ") + jsonTypeName(*value) + ".");
      return;
    }
    std::vector<std::string> accepted;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < value->size(); ++i) {
      const json& item = (*value)[i];
      const std::string field = "capabilities[" + std::to_string(i) + "]";
      if (!item.is_string()) {
        add(field, error_code::kType,
            field + " must be a string; it is " + jsonTypeName(item) + ".");
        continue;
      }
      const std::string& name = item.get_ref<const std::string&>();
      bool known = false;
      for (const char* capability : kCapabilities) known = known || name == capability;
      if (!known) {
        add(field, error_code::kEnum,
            field + " is \"" + sanitizeUtf8(name) +
                "\"; it must be SEND_MESSAGE, DISCONNECT_USER or DELETE_MESSAGE.");
      } else if (!seen.insert(name).second) {
        add(field, error_code::kDuplicate, field + " repeats " + name + ".");
      } else {
        accepted.push_back(name);
      }
    }
    result_.request.capabilities = std::move(accepted);
  }

  void sessionDuration(const json* value) {
    if (!value) return;
    const char* field = "sessionDurationInMinutes";
    std::optional<double> number;
    if (value->is_number_integer() || value->is_number_unsigned()) {
      number = value->get<double>();
    } else if (value->is_number_float()) {
      const double d = value->get<double>();
      if (std::isfinite(d) && std::floor(d) == d) number = d;
    }
    if (!number) {
      add(field, error_code::kType,
          std::string(field) + " must be a whole number of minutes; it is " +
              (value->is_number_float() ? std::string("a fraction") : std::string(jsonTypeName(*value))) + ".");
      return;
    }
    if (*number < static_cast<double>(kMinSessionDurationMinutes) ||
        *number > static_cast<double>(kMaxSessionDurationMinutes)) {
      add(field, error_code::kRange,
          std::string(field) + " must be between 1 and 180; it is " + value->dump() + ".");
      return;
    }
    result_.request.sessionDurationInMinutes = static_cast<std::int64_t>(*number);
  }

  void attributes(const json* value) {
    if (!value || !checkAttributeMap(*value, result_.errors)) return;
    std::map<std::string, std::string> accepted;
    for (const auto& item : value->items()) accepted.emplace(item.key(), item.value().get<std::string>());
    result_.request.attributes = std::move(accepted);
  }

  CreateChatTokenValidation result_;
};

bool isLowerAlnumOrDash(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isAlnumOrDash(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '-';
}
bool isIdentifierStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
}

template <typename Predicate>
bool consumeRun(std::string_view& text, Predicate accepts) {
  std::size_t length = 0;
  while (length < text.size() && accepts(text[length])) ++length;
  if (length == 0) return false;
  text.remove_prefix(length);
  return true;
}

bool consumeLiteral(std::string_view& text, std::string_view literal) {
  if (text.substr(0, literal.size()) != literal) return false;
  text.remove_prefix(literal.size());
  return true;
}

}  // namespace

const char* jsonTypeName(const json& value) {
  switch (value.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return "a number";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "an array";
    case json::value_t::object:
      // The JS shim sends NaN and Infinity, which JSON lacks, as {"$nonFinite": "NaN"}.
      if (value.size() == 1 && value.contains("$nonFinite")) {
        const json& name = value["$nonFinite"];
        if (name == "NaN") return "NaN";
        if (name == "Infinity") return "Infinity";
        if (name == "-Infinity") return "-Infinity";
      }
      return "an object";
    default: return "an unsupported value";
  }
}

bool checkAttributeMap(const json& value, std::vector<FieldError>& errors) {
  const auto add = [&errors](std::string field, const char* code, std::string message) {
    errors.push_back({std::move(field), code, std::move(message)});
  };
  if (!value.is_object()) {
    add("attributes", error_code::kType,
        std::string("attributes must be an object of string values; it is ") + jsonTypeName(value) + ".");
    return false;
  }
  std::size_t totalBytes = 0;
  bool fine = true;
  for (const auto& item : value.items()) {
    const auto pathOf = [&item] { return attributePath("attributes", item.key()); };
    totalBytes += item.key().size();
    if (!isValidUtf8(item.key())) {
      const std::string path = pathOf();
      add(path, error_code::kInvalidUtf8, path + " has a name that is not valid Unicode text.");
      fine = false;
    }
    if (!item.value().is_string()) {
      const std::string path = pathOf();
      add(path, error_code::kType, path + " must be a string; it is " + jsonTypeName(item.value()) + ".");
      fine = false;
      continue;
    }
    const std::string& text = item.value().get_ref<const std::string&>();
    totalBytes += text.size();
    if (!isValidUtf8(text)) {
      const std::string path = pathOf();
      add(path, error_code::kInvalidUtf8, path + " is not valid Unicode text.");
      fine = false;
    }
  }
  if (totalBytes > kMaxAttributesBytes) {
    add("attributes", error_code::kTooLarge,
        "attributes must total at most 1024 bytes of UTF-8 (all names plus all values); they have " +
            std::to_string(totalBytes) + ".");
    fine = false;
  }
  return fine;
}

bool matchesRoomArnPattern(std::string_view text) noexcept {
  return consumeLiteral(text, "arn:aws:ivschat:") && consumeRun(text, isLowerAlnumOrDash) &&
         consumeLiteral(text, ":") && consumeRun(text, isDigit) && consumeLiteral(text, ":room/") &&
         consumeRun(text, isAlnumOrDash) && text.empty();
}

std::optional<std::string> regionFromRoomArn(std::string_view roomArn) {
  if (!matchesRoomArnPattern(roomArn)) return std::nullopt;
  roomArn.remove_prefix(std::string_view("arn:aws:ivschat:").size());
  return std::string(roomArn.substr(0, roomArn.find(':')));
}

std::string controlPlaneUrl(std::string_view region) {
  return "https://ivschat." + std::string(region) + ".amazonaws.com";
}

std::string messagingUrl(std::string_view region) {
  return "wss://edge.ivschat." + std::string(region) + ".amazonaws.com";
}

std::string attributePath(std::string_view prefix, std::string_view key) {
  bool identifier = !key.empty() && isIdentifierStart(key[0]);
  for (char c : key) identifier = identifier && (isIdentifierStart(c) || isDigit(c));
  if (identifier) return std::string(prefix) + "." + std::string(key);
  return std::string(prefix) + "[" + json(sanitizeUtf8(key)).dump() + "]";
}

CreateChatTokenValidation validateCreateChatTokenRequest(const json& input) {
  return Validator().run(input);
}

CreateChatTokenValidation validateCreateChatTokenRequestJson(std::string_view jsonText) {
  JsonInput input = parseJsonKeepingInvalidText(jsonText);
  if (!input.ok) {
    CreateChatTokenValidation result;
    result.errors.push_back({"request", error_code::kType, "The request is " + input.error + "."});
    return result;
  }
  return validateCreateChatTokenRequest(input.value);
}

std::string buildCreateChatTokenBody(const CreateChatTokenRequest& request) {
  // Written directly (the same bytes as dumping an nlohmann object: members in sorted order,
  // attribute keys in byte order as std::map keeps them, the same escapes).
  std::size_t size = 96 + request.roomIdentifier.size() + request.userId.size();
  if (request.attributes) {
    for (const auto& [key, value] : *request.attributes) size += key.size() + value.size() + 6;
  }
  std::string body;
  body.reserve(size);
  body.push_back('{');
  if (request.attributes) {
    body += "\"attributes\":{";
    bool first = true;
    for (const auto& [key, value] : *request.attributes) {
      if (!first) body.push_back(',');
      first = false;
      appendJsonString(body, key);
      body.push_back(':');
      appendJsonString(body, value);
    }
    body += "},";
  }
  if (request.capabilities) {
    body += "\"capabilities\":[";
    for (std::size_t i = 0; i < request.capabilities->size(); ++i) {
      if (i > 0) body.push_back(',');
      appendJsonString(body, (*request.capabilities)[i]);
    }
    body += "],";
  }
  body += "\"roomIdentifier\":";
  appendJsonString(body, request.roomIdentifier);
  if (request.sessionDurationInMinutes) {
    body += ",\"sessionDurationInMinutes\":";
    body += std::to_string(*request.sessionDurationInMinutes);
  }
  body += ",\"userId\":";
  appendJsonString(body, request.userId);
  body.push_back('}');
  return body;
}

json fieldErrorsToJson(const std::vector<FieldError>& errors) {
  json list = json::array();
  for (const FieldError& error : errors) {
    list.push_back({{"field", error.field}, {"code", error.code}, {"message", error.message}});
  }
  return list;
}

std::string buildValidationExceptionBody(const std::vector<FieldError>& errors) {
  json fieldList = json::array();
  for (const FieldError& error : errors) {
    fieldList.push_back({{"name", error.field}, {"message", error.message}});
  }
  std::string message = errors.empty() ? std::string("The request is not valid.") : errors.front().message;
  if (errors.size() > 1) message += " (and " + plural(errors.size() - 1, "more problem") + ")";
  return json{{"message", message}, {"reason", "FIELD_VALIDATION_FAILED"}, {"fieldList", fieldList}}
      .dump();
}

}  // namespace ivschat
