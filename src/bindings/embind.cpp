// The one binding file: plain value types in and out, and no C++ exception ever unwinds into
// JavaScript (each entry point catches everything and reports it in its result).
#include <emscripten/bind.h>

#include <string>

#include "core/aws_response.hpp"
#include "core/create_chat_token.hpp"

namespace {

using namespace ivschat;

struct JsValidationResult {
  bool ok = false;
  std::string errorsJson = "[]";  // [{field, code, message}]
  std::string body;               // POST /CreateChatToken body, when ok
  std::string region;             // from the room ARN, when ok
};

struct JsChatTokenResponse {
  bool ok = false;
  std::string error;
  std::string token;
  double tokenExpirationMillis = 0;
  double sessionExpirationMillis = 0;
};

struct JsAwsError {
  int status = 0;
  std::string type;
  std::string message;
  std::string reason;
  std::string fieldListJson = "[]";  // [{name, message}]
  std::string resourceId;
  std::string resourceType;
};

std::string internalErrorJson(const char* what) {
  return fieldErrorsToJson({{"request", "INTERNAL", std::string("Internal error: ") + what}}).dump();
}

JsValidationResult validateCreateChatTokenRequestJs(const std::string& jsonText) {
  JsValidationResult result;
  try {
    const CreateChatTokenValidation validation = validateCreateChatTokenRequestJson(jsonText);
    result.ok = validation.ok();
    if (!result.ok) {
      result.errorsJson = fieldErrorsToJson(validation.errors).dump();
      return result;
    }
    result.body = buildCreateChatTokenBody(validation.request);
    result.region = regionFromRoomArn(validation.request.roomIdentifier).value_or("");
  } catch (const std::exception& e) {
    result = {};
    result.errorsJson = internalErrorJson(e.what());
  } catch (...) {
    result = {};
    result.errorsJson = internalErrorJson("unknown");
  }
  return result;
}

JsChatTokenResponse parseCreateChatTokenResponseJs(const std::string& body) {
  JsChatTokenResponse result;
  try {
    const ChatTokenResponse parsed = parseCreateChatTokenResponse(body);
    result.ok = parsed.ok;
    result.error = parsed.error;
    result.token = parsed.token;
    result.tokenExpirationMillis = static_cast<double>(parsed.tokenExpirationMillis);
    result.sessionExpirationMillis = static_cast<double>(parsed.sessionExpirationMillis);
  } catch (...) {
    result = {};
    result.error = "the response could not be read";
  }
  return result;
}

JsAwsError parseAwsErrorJs(int status, const std::string& errorTypeHeader, const std::string& body) {
  JsAwsError result;
  result.status = status;
  try {
    const AwsError error = parseAwsError(status, errorTypeHeader, body);
    result.type = error.type;
    result.message = error.message;
    result.reason = error.reason;
    result.resourceId = error.resourceId;
    result.resourceType = error.resourceType;
    nlohmann::json fieldList = nlohmann::json::array();
    for (const AwsFieldProblem& problem : error.fieldList) {
      fieldList.push_back({{"name", problem.name}, {"message", problem.message}});
    }
    result.fieldListJson = fieldList.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } catch (...) {
    result.type = errorTypeForStatus(status);
  }
  return result;
}

std::string messagingUrlForRoomJs(const std::string& roomArn) {
  try {
    const auto region = regionFromRoomArn(roomArn);
    return region ? messagingUrl(*region) : std::string();
  } catch (...) {
    return {};
  }
}

}  // namespace

EMSCRIPTEN_BINDINGS(ivschat_core) {
  using emscripten::value_object;
  value_object<JsValidationResult>("ValidationResult")
      .field("ok", &JsValidationResult::ok)
      .field("errorsJson", &JsValidationResult::errorsJson)
      .field("body", &JsValidationResult::body)
      .field("region", &JsValidationResult::region);
  value_object<JsChatTokenResponse>("ChatTokenResponse")
      .field("ok", &JsChatTokenResponse::ok)
      .field("error", &JsChatTokenResponse::error)
      .field("token", &JsChatTokenResponse::token)
      .field("tokenExpirationMillis", &JsChatTokenResponse::tokenExpirationMillis)
      .field("sessionExpirationMillis", &JsChatTokenResponse::sessionExpirationMillis);
  value_object<JsAwsError>("AwsError")
      .field("status", &JsAwsError::status)
      .field("type", &JsAwsError::type)
      .field("message", &JsAwsError::message)
      .field("reason", &JsAwsError::reason)
      .field("fieldListJson", &JsAwsError::fieldListJson)
      .field("resourceId", &JsAwsError::resourceId)
      .field("resourceType", &JsAwsError::resourceType);

  emscripten::function("validateCreateChatTokenRequest", &validateCreateChatTokenRequestJs);
  emscripten::function("parseCreateChatTokenResponse", &parseCreateChatTokenResponseJs);
  emscripten::function("parseAwsError", &parseAwsErrorJs);
  emscripten::function("messagingUrlForRoom", &messagingUrlForRoomJs);
}
