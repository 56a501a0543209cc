// Fuzz target: building the client's action frames (SEND_MESSAGE, DELETE_MESSAGE,
// DISCONNECT_USER) from the same input.
//   input: line 1 the request id (any bytes but '\n'), line 2 the room's maxMessageLength as a
//          number for strtod ("500", "0.5", "nan", "-inf", "1e308"; empty means the default),
//          the rest the request's JSON text (any bytes)
// Invariants:
//   - ok exactly when there are no errors; a frame only when ok; errors well formed (never
//     INTERNAL, i.e. no exception was caught), valid UTF-8 and serializable;
//   - a frame is strict JSON holding exactly the expected members: the right Action, the
//     request id as given (1-128 printable ASCII), and values within the documented limits;
//     its text is byte for byte the compact JSON of those members in the documented order;
//   - when the request is strict JSON, the frame's values are the request's values.
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>

#include "core/chat_frames.hpp"
#include "core/utf8.hpp"
#include "fuzz_support.hpp"

using namespace ivschat;
using nlohmann::json;

namespace {

double limitFrom(std::string_view line) {
  if (line.empty()) return static_cast<double>(kMaxMessageLength);
  const std::string text(line.substr(0, 64));
  return std::strtod(text.c_str(), nullptr);
}

bool lengthWithin(const json& value, std::size_t min, std::size_t max) {
  if (!value.is_string()) return false;
  const auto count = codePointCount(value.get_ref<const std::string&>());
  return count && *count >= min && *count <= max;
}

std::set<std::string> keysOf(const json& object) {
  std::set<std::string> keys;
  for (const auto& item : object.items()) keys.insert(item.key());
  return keys;
}

// A member of a frame document, or null when it has none.
json get(const json& object, const char* name) {
  const auto found = object.find(name);
  return found == object.end() ? json(nullptr) : *found;
}

// Checks the result of one builder and returns the frame as a document (null when !ok).
json checkBuild(const ChatFrameBuild& build, const char* action, std::string_view requestId) {
  FUZZ_CHECK(build.ok == build.errors.empty());
  fuzz::checkFieldErrors(build.errors);
  if (!build.ok) {
    FUZZ_CHECK(build.frame.empty());
    return nullptr;
  }
  FUZZ_CHECK(!requestId.empty() && requestId.size() <= kMaxRequestIdLength);
  FUZZ_CHECK(fuzz::isPrintableAscii(requestId));
  const json frame = json::parse(build.frame, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(!frame.is_discarded() && frame.is_object());
  FUZZ_CHECK(get(frame, "Action") == action);
  FUZZ_CHECK(get(frame, "RequestId") == requestId);
  return frame;
}

// The frame text must be exactly the compact JSON of its members in the documented order, with
// JSON.stringify's escaping (nlohmann's dump escapes the same characters the same way).
void checkExactText(const ChatFrameBuild& build, const json& frame,
                    std::initializer_list<const char*> order) {
  nlohmann::ordered_json expected = nlohmann::ordered_json::object();
  for (const char* name : order) {
    const auto found = frame.find(name);
    if (found != frame.end()) expected[name] = *found;  // attribute keys come sorted from json
  }
  FUZZ_CHECK(expected.dump() == build.frame);
}

// The request's member `name` when the request is strict JSON; absent and null give null.
json memberOf(const json& request, const char* name) {
  if (!request.is_object()) return nullptr;
  const auto found = request.find(name);
  return found == request.end() ? json(nullptr) : *found;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = fuzz::splitLines(fuzz::asText(data, size), 2);
  const std::string_view requestId = parts[0];
  const double limit = limitFrom(parts[1]);
  const std::string_view requestJson = parts[2];
  const json request = json::parse(requestJson, nullptr, /*allow_exceptions=*/false);
  const bool strict = !request.is_discarded();

  {
    const ChatFrameBuild build = buildSendMessageFrame(requestJson, requestId, limit);
    const json frame = checkBuild(build, "SEND_MESSAGE", requestId);
    if (!frame.is_null()) {
      FUZZ_CHECK(!std::isnan(limit) && limit >= 1 && std::floor(limit) == limit);
      const std::size_t max = limit < static_cast<double>(kMaxMessageLength)
                                  ? static_cast<std::size_t>(limit)
                                  : kMaxMessageLength;
      FUZZ_CHECK(lengthWithin(get(frame, "Content"), 1, max));
      const bool hasAttributes = frame.contains("Attributes");
      FUZZ_CHECK(keysOf(frame) ==
                 (hasAttributes ? std::set<std::string>{"Action", "RequestId", "Content", "Attributes"}
                                : std::set<std::string>{"Action", "RequestId", "Content"}));
      if (hasAttributes) {
        std::size_t total = 0;
        const json attributes = get(frame, "Attributes");
        for (const auto& item : attributes.items()) {
          FUZZ_CHECK(item.value().is_string());
          total += item.key().size() + item.value().get_ref<const std::string&>().size();
        }
        FUZZ_CHECK(total <= kMaxAttributesBytes);
      }
      checkExactText(build, frame, {"Action", "RequestId", "Content", "Attributes"});
      if (strict) {
        FUZZ_CHECK(get(frame, "Content") == memberOf(request, "content"));
        const json attributes = memberOf(request, "attributes");
        FUZZ_CHECK(hasAttributes == !attributes.is_null());
        if (hasAttributes) FUZZ_CHECK(get(frame, "Attributes") == attributes);
      }
    }
  }
  {
    const ChatFrameBuild build = buildDeleteMessageFrame(requestJson, requestId);
    const json frame = checkBuild(build, "DELETE_MESSAGE", requestId);
    if (!frame.is_null()) {
      const json id = get(frame, "Id");
      FUZZ_CHECK(id.is_string() && id.get_ref<const std::string&>().size() == kMessageIdLength);
      for (const char c : id.get_ref<const std::string&>()) {
        FUZZ_CHECK((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
      }
      const bool hasReason = frame.contains("Reason");
      if (hasReason) FUZZ_CHECK(lengthWithin(get(frame, "Reason"), 1, kMaxReasonLength));
      FUZZ_CHECK(keysOf(frame) ==
                 (hasReason ? std::set<std::string>{"Action", "RequestId", "Id", "Reason"}
                            : std::set<std::string>{"Action", "RequestId", "Id"}));
      checkExactText(build, frame, {"Action", "RequestId", "Id", "Reason"});
      if (strict) {
        FUZZ_CHECK(id == memberOf(request, "id"));
        FUZZ_CHECK((hasReason ? get(frame, "Reason") : json(nullptr)) == memberOf(request, "reason"));
      }
    }
  }
  {
    const ChatFrameBuild build = buildDisconnectUserFrame(requestJson, requestId);
    const json frame = checkBuild(build, "DISCONNECT_USER", requestId);
    if (!frame.is_null()) {
      FUZZ_CHECK(lengthWithin(get(frame, "UserId"), 1, kMaxUserIdLength));
      const bool hasReason = frame.contains("Reason");
      if (hasReason) FUZZ_CHECK(lengthWithin(get(frame, "Reason"), 1, kMaxReasonLength));
      FUZZ_CHECK(keysOf(frame) ==
                 (hasReason ? std::set<std::string>{"Action", "RequestId", "UserId", "Reason"}
                            : std::set<std::string>{"Action", "RequestId", "UserId"}));
      checkExactText(build, frame, {"Action", "RequestId", "UserId", "Reason"});
      if (strict) {
        FUZZ_CHECK(get(frame, "UserId") == memberOf(request, "userId"));
        FUZZ_CHECK((hasReason ? get(frame, "Reason") : json(nullptr)) == memberOf(request, "reason"));
      }
    }
  }
  return 0;
}
