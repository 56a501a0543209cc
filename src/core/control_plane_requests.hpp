#pragma once
// The control-plane calls the backend module validates and signs: CreateChatToken, and the
// three server-side moderation calls. Every rule checked, all errors at once (field_checks.hpp's
// paths and codes), then the body: compact JSON, members and attribute names in sorted order,
// absent optional members left out.
//   SendEvent       roomIdentifier  required, a room ARN (as CreateChatToken's)
//                   eventName       required, 1-100 code points        [EventName]
//                   attributes      optional, a string map, 1 KB total (as a token's)
//   DeleteMessage   roomIdentifier  required, a room ARN
//                   id              required, a message id             [MessageID]
//                   reason          optional, 1-256 code points        [Reason]
//   DisconnectUser  roomIdentifier  required, a room ARN
//                   userId          required, 1-128 code points        [UserID]
//                   reason          optional, 1-256 code points        [Reason]
// Answers: SendEvent and DeleteMessage `{ "id": <message id> }`, DisconnectUser `{}`.
#include <string>
#include <string_view>

#include "core/field_checks.hpp"
#include "core/json_scan.hpp"

namespace ivschat {

/// The calls, numbered as the binding passes them.
enum class ControlPlaneCall : int { CreateChatToken = 0, SendEvent = 1, DeleteMessage = 2, DisconnectUser = 3 };
inline constexpr int kControlPlaneCallCount = 4;

/// `CreateChatToken`, `SendEvent`, ...: the operation's name, which is also its path.
const char* operationName(ControlPlaneCall call) noexcept;

struct ControlPlaneRequest {
  FieldErrors errors;               // every violation, in field order
  std::string body;                 // the POST body, when ok()
  std::string_view roomIdentifier;  // the room ARN, when ok()
  bool ok() const noexcept { return errors.empty(); }
};

/// Checks a scanned request (read with LosslessJson) for `call` and builds its body.
ControlPlaneRequest buildControlPlaneRequest(ControlPlaneCall call, const JsonDocument& document);

struct ModerationAnswer {
  bool ok = false;
  const char* error = "";  // why the body is unusable (never quotes it)
  std::string_view id;     // SendEvent, DeleteMessage: the event's or message's id
};

/// Reads a 2xx answer of SendEvent, DeleteMessage or DisconnectUser.
ModerationAnswer readModerationAnswer(ControlPlaneCall call, const JsonDocument& document);

}  // namespace ivschat
