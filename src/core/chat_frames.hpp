#pragma once
// The chat WebSocket frames: building the client's action frames after checking every rule, and
// reading the server's frames into typed values.
//
// Action rules. Lengths count code points, as Smithy does. The socket API publishes almost no
// limits, so each rule names its source: the room's limit, or the HTTP twin of the action in the
// service model (botocore/data/ivschat/2020-07-14/service-2.json).
//   SEND_MESSAGE     content    required, valid UTF-8, 1..limit code points. The limit is the
//                               room's maximumMessageLength (shape RoomMaxMessageLength: 1-500,
//                               default 500), given by the caller; above 500 it is clamped to 500
//                               (no room allows more); below 1, a fraction or NaN is a RANGE error
//                               on `maxMessageLength`.
//                    attributes optional map of string to string, valid UTF-8. IVS publishes no
//                               limit for message attributes; we apply the "1 KB total" that
//                               CreateChatToken and SendEvent publish for theirs, counted the same
//                               way as the token's: UTF-8 bytes of every key plus every value, at
//                               most 1024 (kMaxAttributesBytes).
//   DELETE_MESSAGE   id         required, exactly 12 of [a-zA-Z0-9] (DeleteMessageRequest.id,
//                               shape MessageID: min 12, max 12, pattern [a-zA-Z0-9]+)
//                    reason     optional, 1-256, valid UTF-8 (DeleteMessageRequest.reason, shape
//                               Reason: min 1, max 256)
//   DISCONNECT_USER  userId     required, 1-128, valid UTF-8 (DisconnectUserRequest.userId, shape
//                               UserID: min 1, max 128)
//                    reason     optional, 1-256, valid UTF-8 (DisconnectUserRequest.reason, shape
//                               Reason)
//   every action     requestId  1-128 printable ASCII (0x20-0x7E). IVS publishes no format and the
//                               official SDKs send UUIDs; the bound keeps frames small and the id
//                               safe to show in logs and error messages.
// As for CreateChatToken: a JSON null counts as absent, any other member is UNKNOWN_FIELD, and
// errors carry the FieldError paths and codes of create_chat_token.hpp. Errors come in this
// order: the request's own fields as listed above, unknown members (sorted), `maxMessageLength`,
// `requestId`.
//
// Server frames (Type MESSAGE, EVENT, ERROR). What real frames contain is accepted:
// `"Attributes": null`, a missing or empty RequestId, unknown extra members, SendTime with 0-9
// fractional digits and delete events carrying only the older `MessageID`. Duplicate members:
// the last one wins, as with JSON.parse. A frame is malformed (ok = false) when it is not JSON in
// UTF-8 (lone surrogate escapes included), not an object, has no non-empty string Type, lacks a
// field its type requires, or has a known field of the wrong type:
//   MESSAGE  Id (non-empty string), Content (string), SendTime (RFC 3339), Sender (object) with
//            Sender.UserId (non-empty string); RequestId, Attributes, Sender.Attributes optional.
//   EVENT    Id (non-empty string), EventName (non-empty string), SendTime (RFC 3339); RequestId,
//            Attributes optional. aws:DELETE_MESSAGE also needs the attribute MessageId (or
//            MessageID), aws:DISCONNECT_USER the attribute UserId; Reason is optional for both.
//   ERROR    ErrorCode (a whole number that fits an int); Id, RequestId, ErrorMessage optional.
// Attribute values that are not strings make the frame malformed rather than being stringified:
// IVS attributes are string maps on every path (messages, events, tokens), so such a value means
// the frame did not come from IVS, and a made-up string would be data nobody sent.
// Any other Type is not an error: the frame is ok with kind Unknown, so clients can skip it.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/create_chat_token.hpp"

namespace ivschat {

/// The largest maximumMessageLength a room can have, and the default one.
inline constexpr std::size_t kMaxMessageLength = 500;
/// Message ids are exactly this many ASCII letters and digits.
inline constexpr std::size_t kMessageIdLength = 12;
inline constexpr std::size_t kMaxReasonLength = 256;
inline constexpr std::size_t kMaxRequestIdLength = 128;

/// System event names.
inline constexpr const char* kDeleteMessageEvent = "aws:DELETE_MESSAGE";
inline constexpr const char* kDisconnectUserEvent = "aws:DISCONNECT_USER";

/// The outcome of building a client action frame.
struct ChatFrameBuild {
  bool ok = false;
  std::vector<FieldError> errors;  // every violation; empty when ok
  std::string frame;               // the WebSocket text frame to send, when ok; else empty
};

/// `{"Action":"SEND_MESSAGE","RequestId":…,"Content":…,"Attributes":{…}}` from the JSON text of
/// `{ content, attributes? }` (Attributes only when given, keys in sorted order).
/// `maxMessageLength` is the room's maximumMessageLength as a JavaScript number, taken unchanged
/// so that every check of it happens here. Never throws: even an internal failure comes back as
/// an error (code INTERNAL on `request`).
ChatFrameBuild buildSendMessageFrame(std::string_view requestJson, std::string_view requestId,
                                     double maxMessageLength = static_cast<double>(kMaxMessageLength));

/// `{"Action":"DELETE_MESSAGE","RequestId":…,"Id":…,"Reason":…}` from the JSON text of
/// `{ id, reason? }` (Reason only when given). Never throws.
ChatFrameBuild buildDeleteMessageFrame(std::string_view requestJson, std::string_view requestId);

/// `{"Action":"DISCONNECT_USER","RequestId":…,"UserId":…,"Reason":…}` from the JSON text of
/// `{ userId, reason? }` (Reason only when given). Never throws.
ChatFrameBuild buildDisconnectUserFrame(std::string_view requestJson, std::string_view requestId);

enum class ServerFrameKind { Message, Event, Error, Unknown };

/// "MESSAGE", "EVENT", "ERROR" or "UNKNOWN".
const char* serverFrameKindName(ServerFrameKind kind) noexcept;

/// A server frame read into typed values. Only the fields of its kind are filled; the others
/// keep their defaults. When !ok, only `error` is set.
struct ServerFrame {
  bool ok = false;
  std::string error;  // why the frame is malformed, when !ok; never quotes the frame's data
  ServerFrameKind kind = ServerFrameKind::Unknown;
  std::string type;       // Type as sent (for kind Unknown, the only field set)
  std::string id;         // all kinds (optional on ERROR)
  std::string requestId;  // all kinds; "" when missing, null or empty
  std::string content;    // MESSAGE
  std::map<std::string, std::string> attributes;  // MESSAGE, EVENT; empty when null or absent
  std::string sendTime;                           // MESSAGE, EVENT: as sent
  std::int64_t sendTimeMillis = 0;                // MESSAGE, EVENT: ms since the epoch
  std::string senderUserId;                       // MESSAGE
  std::map<std::string, std::string> senderAttributes;  // MESSAGE: the sender token's attributes
  std::string eventName;                                // EVENT
  int errorCode = 0;                                    // ERROR
  std::string errorMessage;                             // ERROR; "" when missing or null
  std::string deletedMessageId;    // EVENT aws:DELETE_MESSAGE: MessageId, else MessageID
  std::string disconnectedUserId;  // EVENT aws:DISCONNECT_USER: UserId
  std::string reason;              // EVENT aws:DELETE_MESSAGE / aws:DISCONNECT_USER: Reason or ""
};

/// Reads one server text frame. The JSON is parsed once, straight into the result (no document
/// tree), so this is cheap enough for every frame. Never throws.
ServerFrame parseServerFrame(std::string_view text);

/// A string map as a compact JSON object, keys in sorted order: `{"color":"red"}`. Escapes as
/// JSON.stringify does; ill-formed UTF-8 is written as U+FFFD. For the binding layer.
std::string attributesToJson(const std::map<std::string, std::string>& attributes);

}  // namespace ivschat
