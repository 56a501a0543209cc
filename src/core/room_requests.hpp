#pragma once
// The five room calls and the five logging-configuration calls, which only the admin module
// (ivschat-admin.wasm: the CLI, the backend's createRoom ... deleteRoom and
// createLoggingConfiguration ... deleteLoggingConfiguration) validates and signs, so that the token backend's module never holds
// their rules. As the other control-plane calls: every rule checked, all errors at once
// (field_checks.hpp's paths and codes), then the body: compact JSON, members and map keys in
// sorted order, absent optional members left out. Service model 2020-07-14; `identifier` is a
// room ARN, as the model's RoomIdentifier pattern requires:
//   CreateRoom      name                             optional, 0-128, [a-zA-Z0-9-_]*        [RoomName]
//                   maximumMessageLength             optional, a whole number 1-500
//                   maximumMessageRatePerSecond      optional, a whole number 1-100
//                   messageReviewHandler             optional, { uri?, fallbackResult? }:
//                     uri            0-170, empty or ^arn:aws:lambda:[a-z0-9-]+:[0-9]{12}:function:.+
//                     fallbackResult ALLOW or DENY
//                   loggingConfigurationIdentifiers  optional, at most 3 logging-configuration
//                                                    ARNs of 1-128 characters
//                   tags                             optional, at most 50; keys 1-128, values 0-256
//   UpdateRoom      identifier (required) and CreateRoom's members but tags
//   GetRoom,
//   DeleteRoom      identifier                       required, a room ARN
//   ListRooms       name, nextToken (0-1024), maxResults (1-50), messageReviewHandlerUri (as uri),
//                   loggingConfigurationIdentifier (one logging-configuration ARN); all optional
//   CreateLoggingConfiguration
//                   name                             optional, 0-128, [a-zA-Z0-9-_]*  [LoggingConfigurationName]
//                   destinationConfiguration         required, a union: exactly one of
//                     s3.bucketName                  3-63, ^[a-z0-9-.]+$
//                     cloudWatchLogs.logGroupName    1-512, ^[\.\-_/#A-Za-z0-9]+$
//                     firehose.deliveryStreamName    1-64, ^[a-zA-Z0-9_.-]+$
//                   tags                             optional, as CreateRoom's
//   UpdateLoggingConfiguration
//                   identifier (required), name and destinationConfiguration (both optional)
//   GetLoggingConfiguration,
//   DeleteLoggingConfiguration
//                   identifier                       required, a logging-configuration ARN, 1-128
//   ListLoggingConfigurations
//                   nextToken (0-1024), maxResults (1-50); both optional
// A union with no member set is REQUIRED, with more than one TYPE; an unknown member of the
// union or of its destination is UNKNOWN_FIELD at its path. CreateRoom, ListRooms,
// CreateLoggingConfiguration and ListLoggingConfigurations name no resource, so they are
// signed for the region given; the others for their identifier's region unless one is given.
// The answers are read by JavaScript (js/backend/rooms.js).
#include "core/control_plane_requests.hpp"

namespace ivschat {

/// The admin module's calls, numbered as its binding passes them.
enum class RoomCall : int {
  CreateRoom = 0,
  GetRoom = 1,
  ListRooms = 2,
  UpdateRoom = 3,
  DeleteRoom = 4,
  CreateLoggingConfiguration = 5,
  GetLoggingConfiguration = 6,
  ListLoggingConfigurations = 7,
  UpdateLoggingConfiguration = 8,
  DeleteLoggingConfiguration = 9,
};
inline constexpr int kRoomCallCount = 10;

/// Whether `call` is one of the five logging-configuration calls.
constexpr bool isLoggingConfigurationCall(RoomCall call) noexcept {
  return static_cast<int>(call) >= static_cast<int>(RoomCall::CreateLoggingConfiguration);
}

/// Whether `call` names no resource (its region must be given): CreateRoom, ListRooms,
/// CreateLoggingConfiguration, ListLoggingConfigurations.
constexpr bool namesNoResource(RoomCall call) noexcept {
  return call == RoomCall::CreateRoom || call == RoomCall::ListRooms || call == RoomCall::CreateLoggingConfiguration ||
         call == RoomCall::ListLoggingConfigurations;
}

/// ^arn:aws:ivschat:[a-z0-9-]+:[0-9]+:logging-configuration/[a-zA-Z0-9-]+$ (the length is checked apart).
bool matchesLoggingConfigurationArnPattern(std::string_view text) noexcept;

/// The region of a valid room or logging-configuration ARN (its fourth field), else empty.
std::string_view regionFromIvsChatArn(std::string_view arn) noexcept;

/// `CreateRoom`, `GetRoom`, ...: the operation's name, which is also its path.
const char* roomOperationName(RoomCall call) noexcept;

/// Checks a scanned request (read with LosslessJson) for `call` and builds its body;
/// `roomIdentifier` is the `identifier`, a room ARN or a logging-configuration ARN (empty for
/// the calls that name no resource).
ControlPlaneRequest buildRoomRequest(RoomCall call, const JsonDocument& document);

}  // namespace ivschat
