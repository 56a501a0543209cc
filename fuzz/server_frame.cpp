// Fuzz target: reading a server frame (MESSAGE, EVENT, ERROR or another Type).
//   input: the WebSocket text frame (any bytes)
// Invariants, checked against nlohmann's own parse of the same text:
//   - the frame is ok exactly when the DOM satisfies server_frames.hpp's rules, worked out here
//     independently (for ErrorCode, whole-ness is decided from the number's text: the DOM's
//     double cannot tell 1e-400 from 0);
//   - when !ok: a non-empty error that is a fixed sentence (printable ASCII: it never quotes the
//     frame's data, which holds user content) and every other field at its default;
//   - when ok: the fields its kind requires are there and non-empty, SendTime reads as RFC 3339
//     with the same milliseconds, Type/Id/RequestId/Content/Sender.UserId/EventName/ErrorCode/
//     ErrorMessage are the values the document holds (ERROR frames keep the document's Id), the
//     attribute maps equal the document's, and they are written back (json_write.hpp) byte for
//     byte as nlohmann dumps them;
//   - the frame is read as plain JSON (no markers): no value is a marker kind, so attributes
//     such as {"$bigint":""} or {"$nonFinite":"NaN"} are the string maps they are.
#include <climits>
#include <map>
#include <nlohmann/json.hpp>

#include "core/json_write.hpp"
#include "core/rfc3339.hpp"
#include "core/server_frames.hpp"
#include "core/utf8.hpp"
#include "fuzz_support.hpp"

using namespace ivschat;
using nlohmann::json;

namespace {

using StringMap = std::map<std::string, std::string>;

bool isDefault(const ServerFrame& f) {
  return f.kind == ServerFrameKind::Unknown && f.type.empty() && f.id.empty() && f.requestId.empty() &&
         f.content.empty() && f.attributes == nullptr && f.sendTime.empty() && f.sendTimeMillis == 0 &&
         f.senderUserId.empty() && f.senderAttributes == nullptr && f.eventName.empty() && f.errorCode == 0 &&
         f.errorMessage.empty() && f.deletedMessageId.empty() && f.disconnectedUserId.empty() && f.reason.empty();
}

std::string textOf(const json* value) {
  return value && value->is_string() ? value->get<std::string>() : std::string();
}

// Whether a number's text is a whole number that fits an int, decided on its digits alone.
bool wholeIntText(std::string_view text, std::int64_t& out) {
  std::int64_t value = 0;
  if (fuzz::shapeOfNumberText(text, value) != fuzz::NumberShape::Whole) return false;
  if (value < INT_MIN || value > INT_MAX) return false;
  out = value;
  return true;
}

// A string map member as the rules read it: absent or null is fine (no map); else an object of
// string values.
bool domMapFine(const json* value) {
  if (!value || value->is_null()) return true;
  if (!value->is_object()) return false;
  for (const auto& item : value->items()) {
    if (!item.value().is_string()) return false;
  }
  return true;
}

// A text member: absent/null fine unless required; else a string, non-empty when asked.
bool domTextFine(const json& object, const char* name, bool required, bool nonEmpty) {
  const json* value = fuzz::domPresent(object, name);
  if (!value) return !required;
  if (!value->is_string()) return false;
  return !nonEmpty || !value->get_ref<const std::string&>().empty();
}

std::string domAttribute(const json& frame, const char* name) {
  const json* attributes = fuzz::domPresent(frame, "Attributes");
  return attributes ? textOf(fuzz::domMember(*attributes, name)) : std::string();
}

// server_frames.hpp's rules on the DOM. `errorCodeText` is the ErrorCode's text as scanned.
bool expectedOk(const json& frame, const JsonDocument& document) {
  if (!frame.is_object()) return false;
  const json* type = fuzz::domPresent(frame, "Type");
  if (!type || !type->is_string() || type->get_ref<const std::string&>().empty()) return false;
  const std::string& kind = type->get_ref<const std::string&>();
  if (kind == "MESSAGE") {
    if (!domTextFine(frame, "Id", true, true) || !domTextFine(frame, "RequestId", false, false) ||
        !domTextFine(frame, "Content", true, false) || !domMapFine(fuzz::domPresent(frame, "Attributes")) ||
        !domTextFine(frame, "SendTime", true, false) || !parseRfc3339(textOf(fuzz::domMember(frame, "SendTime")))) {
      return false;
    }
    const json* sender = fuzz::domPresent(frame, "Sender");
    return sender && sender->is_object() && domTextFine(*sender, "UserId", true, true) &&
           domMapFine(fuzz::domPresent(*sender, "Attributes"));
  }
  if (kind == "EVENT") {
    if (!domTextFine(frame, "Id", true, true) || !domTextFine(frame, "RequestId", false, false) ||
        !domTextFine(frame, "EventName", true, true) || !domMapFine(fuzz::domPresent(frame, "Attributes")) ||
        !domTextFine(frame, "SendTime", true, false) || !parseRfc3339(textOf(fuzz::domMember(frame, "SendTime")))) {
      return false;
    }
    const std::string eventName = textOf(fuzz::domMember(frame, "EventName"));
    if (eventName == kDeleteMessageEvent) {
      return !domAttribute(frame, "MessageId").empty() || !domAttribute(frame, "MessageID").empty();
    }
    if (eventName == kDisconnectUserEvent) return !domAttribute(frame, "UserId").empty();
    return true;
  }
  if (kind == "ERROR") {
    const json* code = fuzz::domPresent(frame, "ErrorCode");
    if (!code || !code->is_number()) return false;
    std::int64_t value = 0;
    if (code->is_number_integer()) {
      if (code->is_number_unsigned()) {
        if (code->get<std::uint64_t>() > static_cast<std::uint64_t>(INT_MAX)) return false;
      } else if (code->get<std::int64_t>() < INT_MIN || code->get<std::int64_t>() > INT_MAX) {
        return false;
      }
    } else {
      // A float: its text, from the scan (the last ErrorCode member of the root, as in the DOM).
      const JsonValue* scanned = document.member(document.root(), "ErrorCode");
      FUZZ_CHECK(scanned && scanned->kind == JsonKind::Number && !scanned->integer);
      if (!wholeIntText(scanned->text, value)) return false;
      FUZZ_CHECK(code->get<double>() == static_cast<double>(value));
    }
    return domTextFine(frame, "Id", false, false) && domTextFine(frame, "RequestId", false, false) &&
           domTextFine(frame, "ErrorMessage", false, false);
  }
  return true;  // another Type: ok, kind Unknown
}

void checkMapWritesAsNlohmann(const JsonDocument& document, const JsonValue* map) {
  if (!map) return;
  std::string written;
  appendSortedStringMap(written, document, *map);
  FUZZ_CHECK(written == json(fuzz::stringMapOf(document, map)).dump());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::asText(data, size);
  const JsonDocument document = fuzz::scanStrict(text, fuzz::workspace());
  fuzz::checkNoMarker(document);
  const ServerFrame frame = readServerFrame(document);
  const json dom = json::parse(text, nullptr, /*allow_exceptions=*/false);
  const bool strict = !dom.is_discarded();
  if (!document.truncated) {
    FUZZ_CHECK(document.ok == strict);
    FUZZ_CHECK(frame.ok == (strict && expectedOk(dom, document)));
  }

  if (!frame.ok) {
    FUZZ_CHECK(!frame.error.empty());
    FUZZ_CHECK(fuzz::isPrintableAscii(frame.error));
    FUZZ_CHECK(isDefault(frame));
    return 0;
  }
  FUZZ_CHECK(strict && dom.is_object());
  FUZZ_CHECK(frame.error.empty());
  FUZZ_CHECK(!frame.type.empty());
  FUZZ_CHECK(textOf(fuzz::domMember(dom, "Type")) == frame.type);
  FUZZ_CHECK(isValidUtf8(frame.type) && isValidUtf8(frame.id) && isValidUtf8(frame.requestId) &&
             isValidUtf8(frame.content) && isValidUtf8(frame.senderUserId) && isValidUtf8(frame.eventName) &&
             isValidUtf8(frame.errorMessage) && isValidUtf8(frame.reason) && isValidUtf8(frame.sendTime) &&
             isValidUtf8(frame.deletedMessageId) && isValidUtf8(frame.disconnectedUserId));
  if (frame.kind != ServerFrameKind::Unknown) {
    FUZZ_CHECK(textOf(fuzz::domMember(dom, "RequestId")) == frame.requestId);
  }

  switch (frame.kind) {
    case ServerFrameKind::Message: {
      FUZZ_CHECK(frame.type == "MESSAGE");
      FUZZ_CHECK(!frame.id.empty() && !frame.senderUserId.empty());
      FUZZ_CHECK(textOf(fuzz::domMember(dom, "Id")) == frame.id);
      FUZZ_CHECK(textOf(fuzz::domMember(dom, "Content")) == frame.content);
      const json* sender = fuzz::domMember(dom, "Sender");
      FUZZ_CHECK(sender && sender->is_object());
      FUZZ_CHECK(textOf(fuzz::domMember(*sender, "UserId")) == frame.senderUserId);
      FUZZ_CHECK(fuzz::domStringMap(fuzz::domMember(dom, "Attributes")) ==
                 fuzz::stringMapOf(document, frame.attributes));
      FUZZ_CHECK(fuzz::domStringMap(fuzz::domMember(*sender, "Attributes")) ==
                 fuzz::stringMapOf(document, frame.senderAttributes));
      FUZZ_CHECK((fuzz::domPresent(dom, "Attributes") != nullptr) == (frame.attributes != nullptr));
      FUZZ_CHECK((fuzz::domPresent(*sender, "Attributes") != nullptr) == (frame.senderAttributes != nullptr));
      FUZZ_CHECK(frame.eventName.empty() && frame.errorCode == 0 && frame.errorMessage.empty() &&
                 frame.deletedMessageId.empty() && frame.disconnectedUserId.empty() && frame.reason.empty());
      break;
    }
    case ServerFrameKind::Event:
      FUZZ_CHECK(frame.type == "EVENT");
      FUZZ_CHECK(!frame.id.empty() && !frame.eventName.empty());
      FUZZ_CHECK(textOf(fuzz::domMember(dom, "Id")) == frame.id);
      FUZZ_CHECK(textOf(fuzz::domMember(dom, "EventName")) == frame.eventName);
      FUZZ_CHECK(fuzz::domStringMap(fuzz::domMember(dom, "Attributes")) ==
                 fuzz::stringMapOf(document, frame.attributes));
      FUZZ_CHECK((fuzz::domPresent(dom, "Attributes") != nullptr) == (frame.attributes != nullptr));
      FUZZ_CHECK(frame.content.empty() && frame.senderUserId.empty() && frame.senderAttributes == nullptr &&
                 frame.errorCode == 0 && frame.errorMessage.empty());
      if (frame.eventName == kDeleteMessageEvent) {
        const std::string messageId = domAttribute(dom, "MessageId");
        FUZZ_CHECK(!frame.deletedMessageId.empty());
        FUZZ_CHECK(frame.deletedMessageId == (messageId.empty() ? domAttribute(dom, "MessageID") : messageId));
        FUZZ_CHECK(frame.reason == domAttribute(dom, "Reason") && frame.disconnectedUserId.empty());
      } else if (frame.eventName == kDisconnectUserEvent) {
        FUZZ_CHECK(!frame.disconnectedUserId.empty());
        FUZZ_CHECK(frame.disconnectedUserId == domAttribute(dom, "UserId"));
        FUZZ_CHECK(frame.reason == domAttribute(dom, "Reason") && frame.deletedMessageId.empty());
      } else {
        FUZZ_CHECK(frame.deletedMessageId.empty() && frame.disconnectedUserId.empty() && frame.reason.empty());
      }
      break;
    case ServerFrameKind::Error: {
      FUZZ_CHECK(frame.type == "ERROR");
      const json* code = fuzz::domMember(dom, "ErrorCode");
      FUZZ_CHECK(code && code->is_number());
      FUZZ_CHECK(code->get<double>() == static_cast<double>(frame.errorCode));
      FUZZ_CHECK(textOf(fuzz::domMember(dom, "ErrorMessage")) == frame.errorMessage);
      FUZZ_CHECK(textOf(fuzz::domMember(dom, "Id")) == frame.id);
      FUZZ_CHECK(frame.content.empty() && frame.attributes == nullptr && frame.sendTime.empty() &&
                 frame.sendTimeMillis == 0 && frame.senderUserId.empty() && frame.senderAttributes == nullptr &&
                 frame.eventName.empty() && frame.reason.empty());
      break;
    }
    case ServerFrameKind::Unknown: {
      FUZZ_CHECK(frame.type != "MESSAGE" && frame.type != "EVENT" && frame.type != "ERROR");
      ServerFrame bare = frame;
      bare.type = {};
      FUZZ_CHECK(isDefault(bare));
      break;
    }
  }
  if (frame.kind == ServerFrameKind::Message || frame.kind == ServerFrameKind::Event) {
    const auto time = parseRfc3339(frame.sendTime);
    FUZZ_CHECK(time && time->epochMillis() == frame.sendTimeMillis);
    FUZZ_CHECK(textOf(fuzz::domMember(dom, "SendTime")) == frame.sendTime);
  }
  checkMapWritesAsNlohmann(document, frame.attributes);
  checkMapWritesAsNlohmann(document, frame.senderAttributes);
  return 0;
}
