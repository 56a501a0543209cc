#include "core/aws_response.hpp"

#include <nlohmann/json.hpp>

#include "core/rfc3339.hpp"
#include "core/utf8.hpp"

namespace ivschat {
namespace {

using nlohmann::json;

json parseQuietly(std::string_view body) {
  return json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
}

std::string stringMember(const json& object, const char* name) {
  const auto found = object.find(name);
  if (found == object.end() || !found->is_string()) return {};
  return found->get<std::string>();
}

}  // namespace

ChatTokenResponse parseCreateChatTokenResponse(std::string_view body) {
  ChatTokenResponse response;
  const json document = parseQuietly(body);
  if (document.is_discarded()) {
    response.error = "the response body is not JSON";
    return response;
  }
  if (!document.is_object()) {
    response.error = "the response body is not a JSON object";
    return response;
  }
  const auto token = document.find("token");
  if (token == document.end() || !token->is_string() || token->get_ref<const std::string&>().empty()) {
    response.error = "the response has no token";
    return response;
  }
  const auto readTime = [&](const char* name, std::int64_t& out) {
    const auto found = document.find(name);
    if (found == document.end() || !found->is_string()) {
      response.error = std::string("the response has no ") + name;
      return false;
    }
    const auto parsed = parseRfc3339(found->get_ref<const std::string&>());
    if (!parsed) {
      response.error = std::string("the response's ") + name + " is not an RFC 3339 date-time";
      return false;
    }
    out = parsed->epochMillis();
    return true;
  };
  if (!readTime("tokenExpirationTime", response.tokenExpirationMillis) ||
      !readTime("sessionExpirationTime", response.sessionExpirationMillis)) {
    return response;
  }
  response.token = token->get<std::string>();
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

std::string errorTypeForStatus(int status) {
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

AwsError parseAwsError(int status, std::string_view errorTypeHeader, std::string_view body) {
  AwsError error;
  error.status = status;
  const json document = parseQuietly(body);
  const bool isObject = !document.is_discarded() && document.is_object();

  std::string type = sanitizeErrorType(errorTypeHeader);
  if (type.empty() && isObject) type = sanitizeErrorType(stringMember(document, "code"));
  if (type.empty() && isObject) type = sanitizeErrorType(stringMember(document, "__type"));
  error.type = type.empty() ? errorTypeForStatus(status) : type;

  if (!isObject) return error;
  error.message = stringMember(document, "message");
  if (error.message.empty()) error.message = stringMember(document, "Message");
  error.message = sanitizeUtf8(error.message);
  error.reason = stringMember(document, "reason");
  error.resourceId = stringMember(document, "resourceId");
  error.resourceType = stringMember(document, "resourceType");
  const auto fieldList = document.find("fieldList");
  if (fieldList != document.end() && fieldList->is_array()) {
    for (const json& item : *fieldList) {
      if (!item.is_object()) continue;
      error.fieldList.push_back({stringMember(item, "name"), stringMember(item, "message")});
    }
  }
  return error;
}

}  // namespace ivschat
