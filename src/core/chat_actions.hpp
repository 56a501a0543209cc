#pragma once
// The chat client's action frames: every rule checked, then the frame built.
//
// Lengths count code points, as Smithy does. The socket API publishes almost no limits, so each
// rule names its source: the room's limit, or the HTTP twin of the action in the service model
// (botocore/data/ivschat/2020-07-14/service-2.json).
//   SEND_MESSAGE     content    required, valid UTF-8, 1..limit code points. The limit is the
//                               room's maximumMessageLength (shape RoomMaxMessageLength: 1-500,
//                               default 500), given by the caller; above 500 it is clamped to 500
//                               (no room allows more); below 1, a fraction or NaN is a RANGE error
//                               on `maxMessageLength`.
//                    attributes optional map of string to string, valid UTF-8. IVS publishes no
//                               limit for message attributes; we apply the "1 KB total" that
//                               CreateChatToken and SendEvent publish for theirs, counted the same
//                               way: UTF-8 bytes of every name plus every value, at most 1024.
//   DELETE_MESSAGE   id         required, exactly 12 of [a-zA-Z0-9] (DeleteMessageRequest.id,
//                               shape MessageID: min 12, max 12, pattern [a-zA-Z0-9]+)
//                    reason     optional, 1-256, valid UTF-8 (DeleteMessageRequest.reason, shape
//                               Reason: min 1, max 256)
//   DISCONNECT_USER  userId     required, 1-128, valid UTF-8 (DisconnectUserRequest.userId, shape
//                               UserID: min 1, max 128)
//                    reason     optional, 1-256, valid UTF-8 (DisconnectUserRequest.reason)
//   every action     requestId  required, 1-128 printable ASCII (0x20-0x7E). IVS publishes no
//                               format and the official SDKs send UUIDs; the bound keeps frames
//                               small and the id safe to show in logs and error messages.
//                    action     optional: the official client's request objects carry their
//                               action's name ("SEND_MESSAGE", ...); any other value is an error.
// As for CreateChatToken: a JSON null counts as absent, any other member is UNKNOWN_FIELD, and
// errors carry field_checks.hpp's paths and codes, in this order: the action's own fields as
// listed above, unknown members, `maxMessageLength`, `requestId`.
#include <cstddef>
#include <string>

#include "core/chat_rules.hpp"
#include "core/field_checks.hpp"
#include "core/json_scan.hpp"

namespace ivschat {

/// The largest maximumMessageLength a room can have, and the default one.
inline constexpr std::size_t kMaxMessageLength = 500;
inline constexpr std::size_t kMaxRequestIdLength = 128;

struct ChatActionFrame {
  FieldErrors errors;  // every violation; empty when the frame was built
  std::string frame;   // the WebSocket text frame to send, when ok()
  bool ok() const noexcept { return errors.empty(); }
};

/// `{"Action":"SEND_MESSAGE","RequestId":…,"Content":…,"Attributes":{…}}` from a scanned
/// `{ content, attributes?, requestId }` (Attributes only when given, names in sorted order).
/// `maxMessageLength` is the room's maximumMessageLength as a JavaScript number, taken unchanged
/// so that every check of it happens here.
ChatActionFrame buildSendMessageFrame(const JsonDocument& request,
                                      double maxMessageLength = static_cast<double>(kMaxMessageLength));

/// `{"Action":"DELETE_MESSAGE","RequestId":…,"Id":…,"Reason":…}` from `{ id, reason?, requestId }`.
ChatActionFrame buildDeleteMessageFrame(const JsonDocument& request);

/// `{"Action":"DISCONNECT_USER","RequestId":…,"UserId":…,"Reason":…}` from
/// `{ userId, reason?, requestId }`.
ChatActionFrame buildDisconnectUserFrame(const JsonDocument& request);

}  // namespace ivschat
