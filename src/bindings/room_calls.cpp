// The body of the room call (declared in boundary/calls.js, in the admin module only):
// validating, building and SigV4-signing one of CreateRoom, GetRoom, ListRooms, UpdateRoom,
// DeleteRoom and the five logging-configuration calls. Apart from control_plane_calls.cpp, so that the backend module never links the
// room builders.
#include "boundary_calls.hpp"
#include "bindings/signed_call.hpp"
#include "core/create_chat_token.hpp"
#include "core/room_requests.hpp"
#include "core/value_table.hpp"

namespace ivschat::boundary {

using bindings::workspace;

// The declaration's numbers are the core's.
static_assert(static_cast<int>(SignRoomRequest::Call::CreateRoom) == static_cast<int>(RoomCall::CreateRoom) &&
              static_cast<int>(SignRoomRequest::Call::GetRoom) == static_cast<int>(RoomCall::GetRoom) &&
              static_cast<int>(SignRoomRequest::Call::ListRooms) == static_cast<int>(RoomCall::ListRooms) &&
              static_cast<int>(SignRoomRequest::Call::UpdateRoom) == static_cast<int>(RoomCall::UpdateRoom) &&
              static_cast<int>(SignRoomRequest::Call::DeleteRoom) == static_cast<int>(RoomCall::DeleteRoom) &&
              static_cast<int>(SignRoomRequest::Call::CreateLoggingConfiguration) ==
                  static_cast<int>(RoomCall::CreateLoggingConfiguration) &&
              static_cast<int>(SignRoomRequest::Call::GetLoggingConfiguration) ==
                  static_cast<int>(RoomCall::GetLoggingConfiguration) &&
              static_cast<int>(SignRoomRequest::Call::ListLoggingConfigurations) ==
                  static_cast<int>(RoomCall::ListLoggingConfigurations) &&
              static_cast<int>(SignRoomRequest::Call::UpdateLoggingConfiguration) ==
                  static_cast<int>(RoomCall::UpdateLoggingConfiguration) &&
              static_cast<int>(SignRoomRequest::Call::DeleteLoggingConfiguration) ==
                  static_cast<int>(RoomCall::DeleteLoggingConfiguration) &&
              kRoomCallCount == 10);

void SignRoomRequest::run(const Inputs& in, bindings::Output& out) {
  const auto call = static_cast<RoomCall>(in.call);
  const JsonDocument request = readValueTable(in.request.bytes, workspace());
  const ControlPlaneRequest built = buildRoomRequest(call, request);
  if (built.ok() && in.region.empty() && built.roomIdentifier.empty()) {
    // CreateRoom, ListRooms and their logging-configuration twins name no resource whose ARN
    // would give the region.
    Failed(out).field("region").error(isLoggingConfigurationCall(call)
                                          ? "This call names no logging configuration to take the region from: give the region (e.g. us-east-1)."
                                          : "This call names no room to take the region from: give the region (e.g. us-east-1).");
    return;
  }
  const std::string_view region = in.region.empty() ? regionFromIvsChatArn(built.roomIdentifier) : in.region;
  bindings::writeSignedCall<SignRoomRequest>(in, roomOperationName(call), built, region, out);
}

}  // namespace ivschat::boundary
