// Fuzz target: reading a server frame (MESSAGE, EVENT, ERROR or another Type).
//   input: the WebSocket text frame (any bytes)
// Invariants, checked against nlohmann's own parse of the same text:
//   - text that is not strict JSON, or not an object, is never ok;
//   - when !ok: a non-empty error that is a fixed sentence (printable ASCII: it never quotes the
//     frame's data, which holds user content) and every other field at its default;
//   - when ok: the fields its kind requires are there and non-empty, SendTime reads as RFC 3339
//     with the same milliseconds, Type/Id/Content/Sender.UserId/ErrorCode are the values the
//     document holds, the attribute maps equal the document's, and they survive
//     attributesToJson() unchanged.
#include <map>
#include <nlohmann/json.hpp>

#include "core/chat_frames.hpp"
#include "core/rfc3339.hpp"
#include "core/utf8.hpp"
#include "fuzz_support.hpp"

using namespace ivschat;
using nlohmann::json;

namespace {

using StringMap = std::map<std::string, std::string>;

bool isDefault(const ServerFrame& f) {
  return f.kind == ServerFrameKind::Unknown && f.type.empty() && f.id.empty() &&
         f.requestId.empty() && f.content.empty() && f.attributes.empty() && f.sendTime.empty() &&
         f.sendTimeMillis == 0 && f.senderUserId.empty() && f.senderAttributes.empty() &&
         f.eventName.empty() && f.errorCode == 0 && f.errorMessage.empty() &&
         f.deletedMessageId.empty() && f.disconnectedUserId.empty() && f.reason.empty();
}

// The document's string map at `value`: absent or null is empty.
StringMap mapOf(const json* value) {
  StringMap out;
  if (!value || value->is_null()) return out;
  FUZZ_CHECK(value->is_object());
  for (const auto& item : value->items()) {
    FUZZ_CHECK(item.value().is_string());
    out[item.key()] = item.value().get<std::string>();
  }
  return out;
}

const json* find(const json& object, const char* name) {
  const auto found = object.find(name);
  return found == object.end() ? nullptr : &*found;
}

std::string textOf(const json* value) {
  return value && value->is_string() ? value->get<std::string>() : std::string();
}

void checkMapSurvivesJson(const StringMap& map) {
  const json reread = json::parse(attributesToJson(map), nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(!reread.is_discarded() && reread.is_object());
  FUZZ_CHECK(reread.get<StringMap>() == map);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::asText(data, size);
  const ServerFrame frame = parseServerFrame(text);
  const json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
  const bool isObject = !document.is_discarded() && document.is_object();

  if (!frame.ok) {
    FUZZ_CHECK(!frame.error.empty());
    FUZZ_CHECK(fuzz::isPrintableAscii(frame.error));
    FUZZ_CHECK(isDefault(frame));
    return 0;
  }
  FUZZ_CHECK(isObject);
  FUZZ_CHECK(frame.error.empty());
  FUZZ_CHECK(!frame.type.empty());
  FUZZ_CHECK(textOf(find(document, "Type")) == frame.type);
  FUZZ_CHECK(isValidUtf8(frame.type) && isValidUtf8(frame.id) && isValidUtf8(frame.requestId) &&
             isValidUtf8(frame.content) && isValidUtf8(frame.senderUserId) &&
             isValidUtf8(frame.eventName) && isValidUtf8(frame.errorMessage) &&
             isValidUtf8(frame.reason));
  FUZZ_CHECK(textOf(find(document, "RequestId")) == frame.requestId || frame.kind == ServerFrameKind::Unknown);

  switch (frame.kind) {
    case ServerFrameKind::Message: {
      FUZZ_CHECK(frame.type == "MESSAGE");
      FUZZ_CHECK(!frame.id.empty() && !frame.senderUserId.empty());
      FUZZ_CHECK(textOf(find(document, "Id")) == frame.id);
      FUZZ_CHECK(textOf(find(document, "Content")) == frame.content);
      const json* sender = find(document, "Sender");
      FUZZ_CHECK(sender && sender->is_object());
      FUZZ_CHECK(textOf(find(*sender, "UserId")) == frame.senderUserId);
      FUZZ_CHECK(mapOf(find(document, "Attributes")) == frame.attributes);
      FUZZ_CHECK(mapOf(find(*sender, "Attributes")) == frame.senderAttributes);
      break;
    }
    case ServerFrameKind::Event:
      FUZZ_CHECK(frame.type == "EVENT");
      FUZZ_CHECK(!frame.id.empty() && !frame.eventName.empty());
      FUZZ_CHECK(textOf(find(document, "Id")) == frame.id);
      FUZZ_CHECK(textOf(find(document, "EventName")) == frame.eventName);
      FUZZ_CHECK(mapOf(find(document, "Attributes")) == frame.attributes);
      if (frame.eventName == kDeleteMessageEvent) FUZZ_CHECK(!frame.deletedMessageId.empty());
      if (frame.eventName == kDisconnectUserEvent) FUZZ_CHECK(!frame.disconnectedUserId.empty());
      break;
    case ServerFrameKind::Error: {
      FUZZ_CHECK(frame.type == "ERROR");
      const json* code = find(document, "ErrorCode");
      FUZZ_CHECK(code && code->is_number());
      FUZZ_CHECK(code->get<double>() == static_cast<double>(frame.errorCode));
      FUZZ_CHECK(textOf(find(document, "ErrorMessage")) == frame.errorMessage);
      FUZZ_CHECK(textOf(find(document, "Id")) == frame.id);
      break;
    }
    case ServerFrameKind::Unknown:
      FUZZ_CHECK(frame.type != "MESSAGE" && frame.type != "EVENT" && frame.type != "ERROR");
      {
        ServerFrame bare = frame;
        bare.type.clear();
        bare.ok = false;
        FUZZ_CHECK(isDefault(bare));
      }
      break;
  }
  if (frame.kind == ServerFrameKind::Message || frame.kind == ServerFrameKind::Event) {
    const auto time = parseRfc3339(frame.sendTime);
    FUZZ_CHECK(time && time->epochMillis() == frame.sendTimeMillis);
    FUZZ_CHECK(textOf(find(document, "SendTime")) == frame.sendTime);
  }
  checkMapSurvivesJson(frame.attributes);
  checkMapSurvivesJson(frame.senderAttributes);
  return 0;
}
