// The bodies of the control-plane calls (declared in boundary/calls.js): validating, building and
// SigV4-signing one IVS Chat call, and reading a moderation call's answer.
#include "boundary_calls.hpp"
#include "bindings/signed_call.hpp"
#include "core/control_plane_requests.hpp"
#include "core/create_chat_token.hpp"
#include "core/ivs_signed_request.hpp"
#include "core/json_scan.hpp"
#include "core/value_table.hpp"

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
  const JsonDocument request = readValueTable(in.request.bytes, workspace());
  const ControlPlaneRequest built = buildControlPlaneRequest(call, request);
  // Every call of this module names its room, whose ARN gives the region unless one is given.
  const std::string_view region = in.region.empty() ? regionFromRoomArn(built.roomIdentifier) : in.region;
  bindings::writeSignedCall<SignRequest>(in, operationName(call), built, region, out);
}

void ParseModerationAnswer::run(const Inputs& in, bindings::Output& out) {
  const JsonDocument document = readValueTable(in.body.bytes, workspace());
  const ModerationAnswer answer = readModerationAnswer(static_cast<ControlPlaneCall>(in.call), document);
  if (!answer.ok) {
    Failed(out).error(answer.error);
    return;
  }
  Ok(out).id(answer.id);
}

}  // namespace ivschat::boundary
