#include "core/aws_response.hpp"

#include "core/rfc3339.hpp"
#include "core/utf8.hpp"

namespace ivschat {
namespace {

struct TimeMember {
  const char* name;
  const char* missing;
  const char* malformed;
};
constexpr TimeMember kTokenExpiration = {"tokenExpirationTime", "the response has no tokenExpirationTime",
                                         "the response's tokenExpirationTime is not an RFC 3339 date-time"};
constexpr TimeMember kSessionExpiration = {"sessionExpirationTime", "the response has no sessionExpirationTime",
                                           "the response's sessionExpirationTime is not an RFC 3339 date-time"};

bool readTime(const JsonDocument& document, const TimeMember& member, std::int64_t& out, ChatTokenResponse& response) {
  const JsonValue* value = document.member(document.root(), member.name);
  const std::optional<Timestamp> time =
      value && value->kind == JsonKind::String ? parseRfc3339(value->text) : std::nullopt;
  if (!time) {
    response.error = value && value->kind == JsonKind::String ? member.malformed : member.missing;
    return false;
  }
  out = time->epochMillis();
  return true;
}

}  // namespace

std::string_view stringMember(const JsonDocument& document, const JsonValue& object, std::string_view name) noexcept {
  const JsonValue* value = document.member(object, name);
  return value && value->kind == JsonKind::String ? value->text : std::string_view();
}

ChatTokenResponse readCreateChatTokenResponse(const JsonDocument& document) {
  ChatTokenResponse response;
  if (!document.ok) {
    response.error = document.truncated ? "the response holds more values than a token response" : "the response body is not JSON";
    return response;
  }
  if (document.root().kind != JsonKind::Object) {
    response.error = "the response body is not a JSON object";
    return response;
  }
  response.token = stringMember(document, document.root(), "token");
  if (response.token.empty()) {
    response.error = "the response has no token";
    return response;
  }
  if (!readTime(document, kTokenExpiration, response.tokenExpirationMillis, response) ||
      !readTime(document, kSessionExpiration, response.sessionExpirationMillis, response)) {
    response.token = {};
    return response;
  }
  response.ok = true;
  return response;
}

std::string sanitizeErrorType(std::string_view raw) {
  const auto colon = raw.find(':');
  if (colon != std::string_view::npos) raw = raw.substr(0, colon);
  const auto hash = raw.rfind('#');
  if (hash != std::string_view::npos) raw = raw.substr(hash + 1);
  while (!raw.empty() && (raw.front() == ' ' || raw.front() == '\t')) raw.remove_prefix(1);
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t')) raw.remove_suffix(1);
  return sanitizeUtf8(raw);
}

const char* errorTypeForStatus(int status) noexcept {
  switch (status) {
    case 400: return "ValidationException";
    case 401:
    case 403: return "AccessDeniedException";
    case 404: return "ResourceNotFoundException";
    case 409: return "ConflictException";
    case 429: return "ThrottlingException";
    case 503: return "ServiceUnavailableException";
    default: return status >= 500 ? "InternalServerException" : "UnknownError";
  }
}

AwsError readAwsError(int status, std::string_view errorTypeHeader, const JsonDocument& document) {
  AwsError error;
  const JsonValue* body = document.ok && document.root().kind == JsonKind::Object ? &document.root() : nullptr;
  error.type = sanitizeErrorType(errorTypeHeader);
  if (error.type.empty() && body) error.type = sanitizeErrorType(stringMember(document, *body, "code"));
  if (error.type.empty() && body) error.type = sanitizeErrorType(stringMember(document, *body, "__type"));
  if (error.type.empty()) error.type = errorTypeForStatus(status);
  if (!body) return error;
  error.message = stringMember(document, *body, "message");
  if (error.message.empty()) error.message = stringMember(document, *body, "Message");
  error.reason = stringMember(document, *body, "reason");
  error.resourceId = stringMember(document, *body, "resourceId");
  error.resourceType = stringMember(document, *body, "resourceType");
  const JsonValue* fieldList = document.member(*body, "fieldList");
  if (fieldList && fieldList->kind == JsonKind::Array) error.fieldList = fieldList;
  if (const JsonValue* limit = document.member(*body, "limit")) {
    const ExactNumber number = exactNumber(*limit);
    if (limit->kind == JsonKind::Number && number.shape == ExactNumber::Whole && number.value >= 0) error.limit = number.value;
  }
  return error;
}

}  // namespace ivschat
