#pragma once
// The five room calls, which only the admin module (ivschat-admin.wasm: the CLI and the backend's
// createRoom ... deleteRoom) validates and signs, so that the token backend's module never holds
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
// CreateRoom and ListRooms name no room, so they are signed for the region given. The answers
// are read by JavaScript (js/backend/rooms.js).
#include "core/control_plane_requests.hpp"

namespace ivschat {

/// The room calls, numbered as the admin module's binding passes them.
enum class RoomCall : int { CreateRoom = 0, GetRoom = 1, ListRooms = 2, UpdateRoom = 3, DeleteRoom = 4 };
inline constexpr int kRoomCallCount = 5;

/// `CreateRoom`, `GetRoom`, ...: the operation's name, which is also its path.
const char* roomOperationName(RoomCall call) noexcept;

/// Checks a scanned request (read with LosslessJson) for `call` and builds its body;
/// `roomIdentifier` is the `identifier` (empty for CreateRoom and ListRooms).
ControlPlaneRequest buildRoomRequest(RoomCall call, const JsonDocument& document);

}  // namespace ivschat
