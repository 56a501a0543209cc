// The bodies of the control-plane calls (declared in boundary/calls.js): validating, building and
// SigV4-signing one IVS Chat call, and reading a moderation call's answer.
#include "boundary_calls.hpp"
#include "core/control_plane_requests.hpp"
#include "core/create_chat_token.hpp"
#include "core/ivs_signed_request.hpp"
#include "core/json_lossless.hpp"
#include "core/json_scan.hpp"

namespace ivschat::boundary {

using bindings::workspace;

// The declaration's numbers are the core's.
static_assert(static_cast<int>(SignRequest::Call::CreateChatToken) == static_cast<int>(ControlPlaneCall::CreateChatToken) &&
              static_cast<int>(SignRequest::Call::SendEvent) == static_cast<int>(ControlPlaneCall::SendEvent) &&
              static_cast<int>(SignRequest::Call::DeleteMessage) == static_cast<int>(ControlPlaneCall::DeleteMessage) &&
              static_cast<int>(SignRequest::Call::DisconnectUser) == static_cast<int>(ControlPlaneCall::DisconnectUser) &&
              kControlPlaneCallCount == 4);
static_assert(static_cast<int>(ParseModerationAnswer::Call::SendEvent) == static_cast<int>(ControlPlaneCall::SendEvent) &&
              static_cast<int>(ParseModerationAnswer::Call::DeleteMessage) == static_cast<int>(ControlPlaneCall::DeleteMessage) &&
              static_cast<int>(ParseModerationAnswer::Call::DisconnectUser) == static_cast<int>(ControlPlaneCall::DisconnectUser));

void SignRequest::run(const Inputs& in, bindings::Output& out) {
  const auto call = static_cast<ControlPlaneCall>(in.call);
  const LosslessJson request(in.request.text, workspace(), in.request.markers);
  const ControlPlaneRequest built = buildControlPlaneRequest(call, request.document);
  if (!built.ok()) {
    Invalid(out).errors(built.errors);
    return;
  }
  const std::string_view signingRegion = in.region.empty() ? regionFromRoomArn(built.roomIdentifier) : in.region;
  AwsCredentials credentials;
  credentials.accessKeyId = in.accessKeyId;
  credentials.secretAccessKey = in.secretAccessKey;
  credentials.sessionToken = in.sessionToken;
  // JavaScript checked epochMillis is finite; the cast is then defined.
  const SignedIvsRequest signedRequest = signIvsChatRequest(operationName(call), built.body, signingRegion, {in.host, in.basePath},
                                                            credentials, static_cast<std::int64_t>(in.epochMillis));
  if (signedRequest.problem) {
    Failed(out).field(signedRequest.problem->field).error(signedRequest.problem->message);
    return;
  }
  Ok(out)
      .host(signedRequest.host)
      .path(signedRequest.path)
      .amzDate({signedRequest.amzDate.data(), signedRequest.amzDate.size()})
      .authorization(signedRequest.authorization)
      .body(built.body);
}

void ParseModerationAnswer::run(const Inputs& in, bindings::Output& out) {
  workspace().resetArena();
  const JsonDocument document = scanJson(in.body, workspace());
  const ModerationAnswer answer = readModerationAnswer(static_cast<ControlPlaneCall>(in.call), document);
  if (!answer.ok) {
    Failed(out).error(answer.error);
    return;
  }
  Ok(out).id(answer.id);
}

}  // namespace ivschat::boundary
