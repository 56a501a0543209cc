// Fuzz target: building the client's action frames (SEND_MESSAGE, DELETE_MESSAGE,
// DISCONNECT_USER) from the same request, in both readings of the text: markers off (the shim
// wrote none, or the user's own text) and on (ScanOptions::markers: the shim wrote some).
//   input: line 1 the room's maxMessageLength as a number for strtod ("500", "0.5", "nan",
//          "-inf", "1e308"; empty means the default), the rest the request's JSON text (any
//          bytes), which carries the requestId (and optionally `action`) as members
// Invariants, for each reading:
//   - ok exactly when there are no errors; a frame only when ok; errors well formed (never
//     INTERNAL, i.e. no exception was caught), valid UTF-8 and serializable;
//   - a frame is strict JSON holding exactly the expected members: the right Action, the
//     request's requestId (1-128 printable ASCII), and values within the documented limits;
//     its text is byte for byte the compact JSON (nlohmann ordered_json dump) of those members
//     in the documented order;
//   - when the request is strict JSON: reading it losslessly and strictly (same reading) gives
//     the same errors and frames, and a built frame's values are the DOM's values (RequestId,
//     Content, Attributes, Id, UserId, Reason), with no member in the request but the action's
//     own (an `action` member then names the action); and a frame is built exactly when the DOM
//     follows the action's rules, worked out here independently: with markers off for every
//     input (attributes {"$nonFinite":"NaN"} are a string map), with markers on for those whose
//     members hold no marker.
// Markers off: the table never holds a marker. Markers on: a request holding a marker never
// builds (but for one in a root member that a later member of the same name replaces, which
// the shim never writes: see hasReadMarker); `attributes` holding an {"$oversizedString":n}
// (even a forged n of 0) always gets an error at `attributes` (TOO_LARGE for SEND_MESSAGE);
// and a text with no marker builds exactly as with markers off.
// One request is at most one action's: the members of two actions never both build.
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>

#include "core/chat_actions.hpp"
#include "core/create_chat_token.hpp"
#include "core/json_lossless.hpp"
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

struct Built {
  std::vector<fuzz::CopiedError> errors;
  std::string frame;
};

Built build(int action, const JsonDocument& document, double limit) {
  const ChatActionFrame result = action == 0   ? buildSendMessageFrame(document, limit)
                                 : action == 1 ? buildDeleteMessageFrame(document)
                                               : buildDisconnectUserFrame(document);
  FUZZ_CHECK(result.ok() == result.errors.empty());
  fuzz::checkFieldErrors(result.errors);
  if (!result.ok()) FUZZ_CHECK(result.frame.empty());
  if (!document.ok) {
    FUZZ_CHECK(!result.ok());
    if (!document.truncated) {
      FUZZ_CHECK(result.errors.list().size() == 1 && result.errors.list()[0].field == "request");
    }
  }
  return {fuzz::copyErrors(result.errors), result.frame};
}

// Checks a built frame and returns it as a document (null when there is none).
json checkFrame(const Built& built, const char* action) {
  if (!built.errors.empty()) return nullptr;
  const json frame = json::parse(built.frame, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(!frame.is_discarded() && frame.is_object());
  FUZZ_CHECK(get(frame, "Action") == action);
  const json requestId = get(frame, "RequestId");
  FUZZ_CHECK(lengthWithin(requestId, 1, kMaxRequestIdLength));
  FUZZ_CHECK(fuzz::isPrintableAscii(requestId.get_ref<const std::string&>()));
  return frame;
}

// The frame text must be exactly the compact JSON of its members in the documented order, with
// JSON.stringify's escaping (nlohmann's dump escapes the same characters the same way).
void checkExactText(const Built& built, const json& frame, std::initializer_list<const char*> order) {
  nlohmann::ordered_json expected = nlohmann::ordered_json::object();
  for (const char* name : order) {
    const auto found = frame.find(name);
    if (found != frame.end()) expected[name] = *found;  // attribute keys come sorted from json
  }
  FUZZ_CHECK(expected.dump() == built.frame);
}

// The request's member `name` when the request is strict JSON; absent and null give null.
json memberOf(const json& request, const char* name) {
  if (!request.is_object()) return nullptr;
  const auto found = request.find(name);
  return found == request.end() ? json(nullptr) : *found;
}

// A built frame from a strict request: the request has only the action's members, its
// requestId is the frame's and its `action`, when given, names the action.
void checkRequestMembers(const json& request, const json& frame, const char* action,
                         std::initializer_list<const char*> known) {
  FUZZ_CHECK(request.is_object());
  for (const auto& item : request.items()) {
    bool isKnown = item.key() == "requestId" || item.key() == "action";
    for (const char* name : known) isKnown = isKnown || item.key() == name;
    FUZZ_CHECK(isKnown);
  }
  FUZZ_CHECK(get(frame, "RequestId") == memberOf(request, "requestId"));
  const json named = memberOf(request, "action");
  FUZZ_CHECK(named.is_null() || named == action);
}

// The rules of chat_actions.hpp on nlohmann's DOM (the attribute map on the scan's members, as
// for CreateChatToken): whether `action` (0 send, 1 delete, 2 disconnect) builds a frame.
bool textFine(const json* value, std::size_t min, std::size_t max) {
  if (!value || !value->is_string()) return false;
  const std::size_t length = fuzz::codePoints(value->get_ref<const std::string&>());
  return length >= min && length <= max;
}

bool expectedBuilds(int action, const json& dom, const JsonDocument& document, double limit) {
  static const char* const kNames[] = {"SEND_MESSAGE", "DELETE_MESSAGE", "DISCONNECT_USER"};
  static const std::initializer_list<const char*> kMembers[] = {
      {"content", "attributes"}, {"id", "reason"}, {"userId", "reason"}};
  if (!dom.is_object()) return false;
  for (const auto& item : dom.items()) {
    bool known = item.key() == "requestId" || item.key() == "action";
    for (const char* name : kMembers[action]) known = known || item.key() == name;
    if (!known) return false;
  }
  if (const json* named = fuzz::domPresent(dom, "action"); named && *named != kNames[action]) return false;
  const json* requestId = fuzz::domPresent(dom, "requestId");
  if (!textFine(requestId, 1, kMaxRequestIdLength) || !fuzz::isPrintableAscii(requestId->get_ref<const std::string&>())) {
    return false;
  }
  const json* reason = fuzz::domPresent(dom, "reason");
  switch (action) {
    case 0: {
      if (std::isnan(limit) || limit < 1 || (std::isfinite(limit) && std::floor(limit) != limit)) return false;
      const std::size_t max = limit < 500 ? static_cast<std::size_t>(limit) : 500;
      if (!textFine(fuzz::domPresent(dom, "content"), 1, max)) return false;
      if (!fuzz::domPresent(dom, "attributes")) return true;
      const JsonValue* attributes = presentMember(document, document.root(), "attributes");
      FUZZ_CHECK(attributes);
      return fuzz::attributesWithinLimit(document, *attributes);
    }
    case 1: {
      const json* id = fuzz::domPresent(dom, "id");
      if (!id || !id->is_string() || id->get_ref<const std::string&>().size() != kMessageIdLength) return false;
      for (const char c : id->get_ref<const std::string&>()) {
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
      }
      return !reason || textFine(reason, 1, kMaxReasonLength);
    }
    default:
      return textFine(fuzz::domPresent(dom, "userId"), 1, kMaxUserIdLength) &&
             (!reason || textFine(reason, 1, kMaxReasonLength));
  }
}

struct Outcome {
  bool documentOk = false;
  bool truncated = false;
  bool marker = false;  // the table holds one
  Built send, remove, disconnect;
};

Outcome checkReading(double limit, std::string_view requestJson, const json& request, bool markers) {
  const LosslessJson input(requestJson, fuzz::workspace(), markers);
  const JsonDocument& document = input.document;
  const Built send = build(0, document, limit);
  const Built remove = build(1, document, limit);
  const Built disconnect = build(2, document, limit);

  if (!markers) {
    fuzz::checkNoMarker(document);
  } else {
    // Every marker stands for a value no field accepts.
    if (document.ok && fuzz::hasReadMarker(document)) {
      FUZZ_CHECK(!send.errors.empty() && !remove.errors.empty() && !disconnect.errors.empty());
    }
    if (fuzz::attributesHoldOversizedString(document)) {
      // SEND_MESSAGE: over the size limit whatever n says; the others: not their member.
      FUZZ_CHECK(fuzz::isCapped(send.errors) || fuzz::hasErrorAt(send.errors, "attributes", error_code::kTooLarge));
      FUZZ_CHECK(fuzz::isCapped(remove.errors) || fuzz::hasErrorAt(remove.errors, "attributes"));
      FUZZ_CHECK(fuzz::isCapped(disconnect.errors) || fuzz::hasErrorAt(disconnect.errors, "attributes"));
      FUZZ_CHECK(!send.errors.empty() && !remove.errors.empty() && !disconnect.errors.empty());
    }
  }

  const bool strict = !request.is_discarded();
  if (strict) {
    // Nothing for the lossless reading to keep: a strict scan builds the same.
    FUZZ_CHECK(document.ok || document.truncated);
    const JsonDocument strictDocument = fuzz::scanStrict(requestJson, fuzz::secondWorkspace(), markers);
    FUZZ_CHECK(strictDocument.ok == document.ok);
    const Built sendStrict = build(0, strictDocument, limit);
    const Built removeStrict = build(1, strictDocument, limit);
    const Built disconnectStrict = build(2, strictDocument, limit);
    FUZZ_CHECK(sendStrict.errors == send.errors && sendStrict.frame == send.frame);
    FUZZ_CHECK(removeStrict.errors == remove.errors && removeStrict.frame == remove.frame);
    FUZZ_CHECK(disconnectStrict.errors == disconnect.errors && disconnectStrict.frame == disconnect.frame);
    // A request that follows every rule builds, and only such a request. Markers off: always
    // (a {"$nonFinite":"NaN"} object is an object). Markers on: unless a marker is read, which
    // stands for a value JSON cannot carry.
    if (document.ok && (!markers || !fuzz::hasReadMarker(document))) {
      FUZZ_CHECK(send.errors.empty() == expectedBuilds(0, request, document, limit));
      FUZZ_CHECK(remove.errors.empty() == expectedBuilds(1, request, document, limit));
      FUZZ_CHECK(disconnect.errors.empty() == expectedBuilds(2, request, document, limit));
    }
  }

  {
    const json frame = checkFrame(send, "SEND_MESSAGE");
    if (!frame.is_null()) {
      FUZZ_CHECK(!std::isnan(limit) && limit >= 1 && (std::isinf(limit) || std::floor(limit) == limit));
      const std::size_t max = limit < static_cast<double>(kMaxMessageLength) ? static_cast<std::size_t>(limit)
                                                                            : kMaxMessageLength;
      FUZZ_CHECK(lengthWithin(get(frame, "Content"), 1, max));
      const bool hasAttributes = frame.contains("Attributes");
      FUZZ_CHECK(keysOf(frame) ==
                 (hasAttributes ? std::set<std::string>{"Action", "RequestId", "Content", "Attributes"}
                                : std::set<std::string>{"Action", "RequestId", "Content"}));
      if (hasAttributes) {
        std::size_t total = 0;
        const json attributes = get(frame, "Attributes");
        FUZZ_CHECK(attributes.is_object());
        for (const auto& item : attributes.items()) {
          FUZZ_CHECK(item.value().is_string());
          total += item.key().size() + item.value().get_ref<const std::string&>().size();
        }
        FUZZ_CHECK(total <= kMaxAttributesBytes);
      }
      checkExactText(send, frame, {"Action", "RequestId", "Content", "Attributes"});
      if (strict) {
        checkRequestMembers(request, frame, "SEND_MESSAGE", {"content", "attributes"});
        FUZZ_CHECK(get(frame, "Content") == memberOf(request, "content"));
        const json attributes = memberOf(request, "attributes");
        FUZZ_CHECK(hasAttributes == !attributes.is_null());
        if (hasAttributes) FUZZ_CHECK(get(frame, "Attributes") == attributes);
      }
    }
  }
  {
    const json frame = checkFrame(remove, "DELETE_MESSAGE");
    if (!frame.is_null()) {
      const json id = get(frame, "Id");
      FUZZ_CHECK(id.is_string() && id.get_ref<const std::string&>().size() == kMessageIdLength);
      for (const char c : id.get_ref<const std::string&>()) {
        FUZZ_CHECK((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
      }
      const bool hasReason = frame.contains("Reason");
      if (hasReason) FUZZ_CHECK(lengthWithin(get(frame, "Reason"), 1, kMaxReasonLength));
      FUZZ_CHECK(keysOf(frame) == (hasReason ? std::set<std::string>{"Action", "RequestId", "Id", "Reason"}
                                             : std::set<std::string>{"Action", "RequestId", "Id"}));
      checkExactText(remove, frame, {"Action", "RequestId", "Id", "Reason"});
      if (strict) {
        checkRequestMembers(request, frame, "DELETE_MESSAGE", {"id", "reason"});
        FUZZ_CHECK(id == memberOf(request, "id"));
        FUZZ_CHECK((hasReason ? get(frame, "Reason") : json(nullptr)) == memberOf(request, "reason"));
      }
    }
  }
  {
    const json frame = checkFrame(disconnect, "DISCONNECT_USER");
    if (!frame.is_null()) {
      FUZZ_CHECK(lengthWithin(get(frame, "UserId"), 1, kMaxUserIdLength));
      const bool hasReason = frame.contains("Reason");
      if (hasReason) FUZZ_CHECK(lengthWithin(get(frame, "Reason"), 1, kMaxReasonLength));
      FUZZ_CHECK(keysOf(frame) == (hasReason ? std::set<std::string>{"Action", "RequestId", "UserId", "Reason"}
                                             : std::set<std::string>{"Action", "RequestId", "UserId"}));
      checkExactText(disconnect, frame, {"Action", "RequestId", "UserId", "Reason"});
      if (strict) {
        checkRequestMembers(request, frame, "DISCONNECT_USER", {"userId", "reason"});
        FUZZ_CHECK(get(frame, "UserId") == memberOf(request, "userId"));
        FUZZ_CHECK((hasReason ? get(frame, "Reason") : json(nullptr)) == memberOf(request, "reason"));
      }
    }
  }
  // One request is at most one action's: the members of two actions never both build.
  FUZZ_CHECK(send.errors.empty() + remove.errors.empty() + disconnect.errors.empty() <= 1);

  Outcome outcome;
  outcome.documentOk = document.ok;
  outcome.truncated = document.truncated;
  outcome.marker = document.ok && fuzz::hasMarker(document, document.root());
  outcome.send = send;
  outcome.remove = remove;
  outcome.disconnect = disconnect;
  return outcome;
}

bool same(const Built& a, const Built& b) { return a.errors == b.errors && a.frame == b.frame; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = fuzz::splitLines(fuzz::asText(data, size), 1);
  const double limit = limitFrom(parts[0]);
  const std::string_view requestJson = parts[1];
  const json request = json::parse(requestJson, nullptr, /*allow_exceptions=*/false);
  const Outcome plain = checkReading(limit, requestJson, request, /*markers=*/false);
  const Outcome marked = checkReading(limit, requestJson, request, /*markers=*/true);
  // The readings differ only where the text holds a marker's shape.
  FUZZ_CHECK(marked.documentOk == plain.documentOk && marked.truncated == plain.truncated);
  if (!marked.marker) {
    FUZZ_CHECK(same(marked.send, plain.send) && same(marked.remove, plain.remove) &&
               same(marked.disconnect, plain.disconnect));
  }
  return 0;
}
