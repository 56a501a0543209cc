#pragma once
// The message review handler's contract (IVS Chat User Guide, "IVS Chat Message Review
// Handler"): IVS invokes the handler for every SendMessage of a room with
//   { Content, MessageId, RoomArn, Attributes: {..}, Sender: { Attributes: {..}, UserId, Ip } }
// and takes back
//   { Content, ReviewResult: "ALLOW" | "DENY", Attributes: {..} }
// An answer IVS finds invalid (or an error, or no answer within 200 ms) silently applies the
// room's fallbackResult, so an app's decision is checked here before it is answered:
//   allow       required, true or false                          -> ReviewResult
//   content     required (the shim passes the message's own when the app gives none): 1-500
//               code points of valid UTF-8, as a message's content -> Content
//   attributes  optional string map, 1 KB total, as a message's    -> Attributes ({} when absent)
//   reason      optional, 1-256 code points                         -> Attributes.Reason on DENY
// The guide's table of the answer's field limits is not published in a form we could read; the
// limits above are those of the message itself (the tightest the answer can need), so nothing
// that passes here can be refused for its size.
#include <string>
#include <string_view>

#include "core/field_checks.hpp"
#include "core/json_scan.hpp"

namespace ivschat {

struct ReviewInput {
  bool ok = false;
  const char* error = "";  // why the event is unusable (never quotes it)
  std::string_view content, messageId, roomArn, senderUserId, senderIp;
  const JsonValue* attributes = nullptr;        // a string map, or nullptr when absent or null
  const JsonValue* senderAttributes = nullptr;  // the same
};

/// Reads the event IVS sends the handler: every member optional but Content (strings where
/// strings are written, string maps for the attributes); other members are ignored.
ReviewInput readReviewInput(const JsonDocument& document);

struct ReviewAnswer {
  FieldErrors errors;  // why the app's decision cannot be answered
  std::string body;    // the answer for IVS, when ok()
  bool allow = false;
  bool ok() const noexcept { return errors.empty(); }
};

/// Checks an app's decision `{ allow, content, attributes?, reason? }` (read with LosslessJson)
/// and writes IVS's answer: `{"Attributes":{..},"Content":..,"ReviewResult":..}`.
ReviewAnswer buildReviewAnswer(const JsonDocument& decision);

}  // namespace ivschat
