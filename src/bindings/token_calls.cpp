// The bodies of the calls about CreateChatToken tokens and AWS answers (declared in
// boundary/calls.js): validating a request, reading a token answer and an AWS error.
#include "boundary_calls.hpp"
#include "core/aws_response.hpp"
#include "core/create_chat_token.hpp"
#include "core/json_scan.hpp"
#include "core/value_table.hpp"

namespace ivschat::boundary {

using bindings::workspace;

void ParseChatTokenResponse::run(const Inputs& in, bindings::Output& out) {
  const JsonDocument document = readValueTable(in.body.bytes, workspace());
  const ChatTokenResponse response = readCreateChatTokenResponse(document);
  if (!response.ok) {
    Failed(out).error(response.error);
    return;
  }
  Ok(out)
      .tokenExpirationMillis(static_cast<double>(response.tokenExpirationMillis))
      .sessionExpirationMillis(static_cast<double>(response.sessionExpirationMillis))
      .token(response.token);
}

void ParseAwsError::run(const Inputs& in, bindings::Output& out) {
  const JsonDocument document = readValueTable(in.body.bytes, workspace());
  const AwsError error = readAwsError(in.status, in.errorTypeHeader, document);
  Ok ok(out);
  ok.limit(static_cast<double>(error.limit))
      .type(error.type)
      .message(error.message)
      .reason(error.reason)
      .resourceId(error.resourceId)
      .resourceType(error.resourceType);
  if (error.fieldList) {
    for (const JsonValue& item : document.children(*error.fieldList)) {
      if (item.kind == JsonKind::Object) ok.fieldList(stringMember(document, item, "name"), stringMember(document, item, "message"));
    }
  }
}

void ValidateCreateChatTokenRequest::run(const Inputs& in, bindings::Output& out) {
  const JsonDocument request = readValueTable(in.request.bytes, workspace());
  const CreateChatTokenValidation validation = validateCreateChatTokenRequest(request);
  if (!validation.ok()) {
    Invalid(out).errors(validation.errors);
    return;
  }
  Ok(out)
      .body(buildCreateChatTokenBody(request, validation.request))
      .region(regionFromRoomArn(validation.request.roomIdentifier));
}

}  // namespace ivschat::boundary
