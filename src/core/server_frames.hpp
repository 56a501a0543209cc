#pragma once
// The frames IVS Chat sends (Type MESSAGE, EVENT, ERROR), read into typed values.
//
// What real frames contain is accepted: `"Attributes": null`, a missing or empty RequestId,
// unknown extra members, SendTime with 0-9 fractional digits and delete events carrying only the
// older `MessageID`. Duplicate members: the last one wins, as with JSON.parse. A frame is
// malformed (ok = false) when it is not JSON in UTF-8 (lone surrogate escapes included), not an
// object, has no non-empty string Type, lacks a field its type requires, or has a known field of
// the wrong type:
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
#include <string>
#include <string_view>

#include "core/json_scan.hpp"

namespace ivschat {

/// System event names.
inline constexpr std::string_view kDeleteMessageEvent = "aws:DELETE_MESSAGE";
inline constexpr std::string_view kDisconnectUserEvent = "aws:DISCONNECT_USER";

enum class ServerFrameKind : std::uint8_t { Message, Event, Error, Unknown };

/// A server frame as views into its scanned document. Only the fields of its kind are filled;
/// the others keep their defaults. When !ok, only `error` is set.
struct ServerFrame {
  bool ok = false;
  std::string error;  // why the frame is malformed, when !ok; never quotes the frame's data
  ServerFrameKind kind = ServerFrameKind::Unknown;
  std::string_view type;       // Type as sent
  std::string_view id;         // all kinds (optional on ERROR)
  std::string_view requestId;  // all kinds; "" when missing, null or empty
  std::string_view content;    // MESSAGE
  /// MESSAGE, EVENT: the Attributes object (every value a string), nullptr when null or absent.
  const JsonValue* attributes = nullptr;
  std::string_view sendTime;        // MESSAGE, EVENT: as sent
  std::int64_t sendTimeMillis = 0;  // MESSAGE, EVENT: ms since the epoch
  std::string_view senderUserId;    // MESSAGE
  const JsonValue* senderAttributes = nullptr;  // MESSAGE: the sender token's attributes
  std::string_view eventName;                   // EVENT
  int errorCode = 0;                            // ERROR
  std::string_view errorMessage;                // ERROR; "" when missing or null
  std::string_view deletedMessageId;    // EVENT aws:DELETE_MESSAGE: MessageId, else MessageID
  std::string_view disconnectedUserId;  // EVENT aws:DISCONNECT_USER: UserId
  std::string_view reason;              // EVENT aws:DELETE_MESSAGE / aws:DISCONNECT_USER: Reason
};

/// Reads one server frame from its scan (scanJson of the frame's text: strict, so a lone
/// surrogate escape makes it malformed).
ServerFrame readServerFrame(const JsonDocument& document);

/// Reads a server frame that is a value inside a scanned document (the payload of a chat log
/// record, core/chat_logs.hpp), with the same rules; the document itself was checked. A frame
/// one level down needs scanJsonDeep, so that its Sender.Attributes values are recorded.
ServerFrame readServerFrameObject(const JsonDocument& document, const JsonValue& frame);

}  // namespace ivschat
