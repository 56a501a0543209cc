// The one binding file: plain value types in and out, and no C++ exception ever unwinds into
// JavaScript (each entry point catches everything and reports it in its result).
#include <emscripten/bind.h>

#include <string>

#include "core/aws_response.hpp"
#include "core/chat_frames.hpp"
#include "core/create_chat_token.hpp"
#include "core/sigv4.hpp"
#include "core/utf8.hpp"

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

// Validates, builds and signs in one crossing: the request as JSON text in, a ready request out,
// packed in one string (js/core-wrap.js unpacks it into CoreSignedRequest):
//   "1" url "\n" host "\n" amzDate "\n" securityToken "\n" authorization "\n" body
//        (none of the first five can hold a line break: the endpoint, the credentials and the
//        date are checked; the body is compact JSON, so it has none either, and comes last)
//   "V" errorsJson                  the request is invalid
//   "E" errorField "\n" error        a signing input is unusable (never quotes a secret)
std::string signCreateChatTokenRequestPackedJs(const std::string& requestJson, const std::string& region,
                                               const std::string& endpoint, const std::string& accessKeyId,
                                               const std::string& secretAccessKey,
                                               const std::string& sessionToken, double epochMillis) {
  try {
    const CreateChatTokenValidation validation = validateCreateChatTokenRequestJson(requestJson);
    if (!validation.ok()) return "V" + fieldErrorsToJson(validation.errors).dump();
    const std::string signingRegion =
        region.empty() ? regionFromRoomArn(validation.request.roomIdentifier).value_or("") : region;
    SignedHttpRequest signedRequest = signCreateChatTokenRequest(
        buildCreateChatTokenBody(validation.request), signingRegion, endpoint,
        {accessKeyId, secretAccessKey, sessionToken}, static_cast<std::int64_t>(epochMillis));
    if (!signedRequest.ok) return "E" + signedRequest.errorField + "\n" + signedRequest.error;
    std::string_view host, amzDate, securityToken, authorization;
    for (const auto& [name, value] : signedRequest.headers) {
      if (name == "host") host = value;
      else if (name == "x-amz-date") amzDate = value;
      else if (name == "x-amz-security-token") securityToken = value;
      else if (name == "authorization") authorization = value;
    }
    std::string packed;
    packed.reserve(8 + signedRequest.url.size() + host.size() + amzDate.size() + securityToken.size() +
                   authorization.size() + signedRequest.body.size());
    packed.push_back('1');
    for (const std::string_view part : {std::string_view(signedRequest.url), host, amzDate, securityToken, authorization}) {
      packed.append(part).push_back('\n');
    }
    packed += signedRequest.body;
    return packed;
  } catch (...) {
    return "E\ninternal error while signing";
  }
}

std::string buildValidationExceptionBodyJs(const std::string& errorsJson) {
  try {
    std::vector<FieldError> errors;
    for (const auto& item : nlohmann::json::parse(errorsJson)) {
      errors.push_back({item.value("field", ""), item.value("code", ""), item.value("message", "")});
    }
    return buildValidationExceptionBody(errors);
  } catch (...) {
    return buildValidationExceptionBody({});
  }
}

// An action frame built in the core, packed in one string (js/core-wrap.js unpacks it into
// CoreFrameBuild): "1" + the frame, or "0" + the errors as JSON.
std::string packFrameBuild(ChatFrameBuild&& build) {
  if (build.ok) return "1" + build.frame;
  return "0" + fieldErrorsToJson(build.errors).dump();
}

template <typename Build>
std::string buildFrameSafely(Build&& build) {
  try {
    return packFrameBuild(build());
  } catch (...) {
    return "0" + internalErrorJson("frame building failed");
  }
}

std::string buildSendMessageFramePackedJs(const std::string& requestJson, const std::string& requestId,
                                          double maxMessageLength) {
  return buildFrameSafely([&] { return buildSendMessageFrame(requestJson, requestId, maxMessageLength); });
}

std::string buildDeleteMessageFramePackedJs(const std::string& requestJson, const std::string& requestId) {
  return buildFrameSafely([&] { return buildDeleteMessageFrame(requestJson, requestId); });
}

std::string buildDisconnectUserFramePackedJs(const std::string& requestJson, const std::string& requestId) {
  return buildFrameSafely([&] { return buildDisconnectUserFrame(requestJson, requestId); });
}

// UTF-16 code units of valid UTF-8 text: its String length once decoded.
std::size_t utf16Length(std::string_view text) {
  std::size_t units = 0;
  for (const char byte : text) {
    const auto c = static_cast<unsigned char>(byte);
    units += static_cast<std::size_t>((c & 0xC0) != 0x80) + static_cast<std::size_t>(c >= 0xF0);
  }
  return units;
}

// A server frame in one string, so that a frame costs one crossing and one decode instead of one
// per field (js/core-wrap.js unpacks it into the CoreServerFrame object):
//   "!" + error                     when the frame is malformed
//   kind letter (M, E, R, U), then sendTimeMillis, errorCode and the UTF-16 lengths of the 12
//   texts below, each in decimal followed by ',', then ';' and the 12 texts back to back:
//   type, id, requestId, content, attributesJson, senderUserId, senderAttributesJson, eventName,
//   errorMessage, deletedMessageId, disconnectedUserId, reason (maps as JSON text, '' if empty).
std::string packServerFrame(ServerFrame& frame) {
  if (!frame.ok) return "!" + frame.error;
  std::string attributesJson = frame.attributes.empty() ? std::string() : attributesToJson(frame.attributes);
  std::string senderAttributesJson =
      frame.senderAttributes.empty() ? std::string() : attributesToJson(frame.senderAttributes);
  std::string* texts[] = {&frame.type,         &frame.id,           &frame.requestId,
                          &frame.content,      &attributesJson,     &frame.senderUserId,
                          &senderAttributesJson, &frame.eventName,  &frame.errorMessage,
                          &frame.deletedMessageId, &frame.disconnectedUserId, &frame.reason};
  std::size_t size = 64;
  for (std::string* text : texts) {
    // The parser only yields valid UTF-8; anything else would make the lengths disagree with
    // what TextDecoder produces.
    if (!isValidUtf8(*text)) *text = sanitizeUtf8(*text);
    size += text->size() + 4;
  }
  std::string packed;
  packed.reserve(size);
  switch (frame.kind) {
    case ServerFrameKind::Message: packed.push_back('M'); break;
    case ServerFrameKind::Event: packed.push_back('E'); break;
    case ServerFrameKind::Error: packed.push_back('R'); break;
    case ServerFrameKind::Unknown: packed.push_back('U'); break;
  }
  packed += std::to_string(frame.sendTimeMillis);
  packed.push_back(',');
  packed += std::to_string(frame.errorCode);
  packed.push_back(',');
  for (const std::string* text : texts) {
    packed += std::to_string(utf16Length(*text));
    packed.push_back(',');
  }
  packed.push_back(';');
  for (const std::string* text : texts) packed += *text;
  return packed;
}

std::string parseServerFramePackedJs(const std::string& text) {
  try {
    ServerFrame frame = parseServerFrame(text);
    return packServerFrame(frame);
  } catch (...) {
    return "!the frame could not be read";
  }
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
  emscripten::function("signCreateChatTokenRequestPacked", &signCreateChatTokenRequestPackedJs);
  emscripten::function("buildValidationExceptionBody", &buildValidationExceptionBodyJs);
  emscripten::function("buildSendMessageFramePacked", &buildSendMessageFramePackedJs);
  emscripten::function("buildDeleteMessageFramePacked", &buildDeleteMessageFramePackedJs);
  emscripten::function("buildDisconnectUserFramePacked", &buildDisconnectUserFramePackedJs);
  emscripten::function("parseServerFramePacked", &parseServerFramePackedJs);
  emscripten::function("parseCreateChatTokenResponse", &parseCreateChatTokenResponseJs);
  emscripten::function("parseAwsError", &parseAwsErrorJs);
  emscripten::function("messagingUrlForRoom", &messagingUrlForRoomJs);
}
