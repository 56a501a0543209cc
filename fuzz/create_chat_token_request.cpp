// Fuzz target: CreateChatToken validation from JSON text, and the body built from a valid
// request, in both readings of the text: markers off (a request the JS shim wrote without
// markers, or the user's own text) and on (the shim wrote some: ScanOptions::markers).
//   input: the request's JSON text, as the JS shim passes it (any bytes)
// Invariants, for each reading:
//   - every error is well formed (fuzz_support.hpp) and serializable; text that is not JSON
//     (and not too large) is exactly one `request` TYPE error;
//   - a valid request satisfies every rule of create_chat_token.hpp, its views are the
//     document's members, and every attribute value is a string of the text (never a marker);
//   - its body is strict JSON, byte for byte what nlohmann's dump() writes for the same members,
//     and validates as valid again (read losslessly in the same reading) and rebuilds byte for
//     byte;
//   - text that nlohmann accepts as strict JSON reads losslessly exactly as a strict scan (same
//     reading) reads it (same errors, same body), and a valid request then holds the values of
//     nlohmann's DOM of the text, with no member other than the five of the request;
//   - such text is valid exactly when its DOM follows the rules, worked out here independently
//     (the room ARN by std::regex, lengths by counting code points, whole numbers from their
//     digits): with markers off for every input, marker-shaped objects ({"$bigint":"1"}
//     attributes) included; with markers on for those whose members hold no marker.
// Markers off: the table never holds a marker. Markers on: a request holding a marker is never
// valid (but for one in a root member that a later member of the same name replaces, which
// the shim never writes: see hasReadMarker); `attributes` holding an {"$oversizedString":n}
// (even a forged n of 0) always gets a TOO_LARGE error at `attributes`; and a text with no
// marker reads exactly as with markers off (same errors, same body).
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "core/create_chat_token.hpp"
#include "core/json_lossless.hpp"
#include "core/utf8.hpp"
#include "fuzz_support.hpp"

using namespace ivschat;
using nlohmann::json;

namespace {

constexpr const char* kMembers[] = {"roomIdentifier", "userId", "capabilities", "sessionDurationInMinutes",
                                    "attributes"};

const JsonValue* present(const JsonDocument& document, const char* name) {
  return presentMember(document, document.root(), name);
}

void checkValidRequest(const JsonDocument& document, const CreateChatTokenRequest& request) {
  FUZZ_CHECK(document.ok && document.root().kind == JsonKind::Object);
  FUZZ_CHECK(matchesRoomArnPattern(request.roomIdentifier));
  FUZZ_CHECK(request.roomIdentifier.size() <= kMaxRoomIdentifierLength);  // the pattern is ASCII
  FUZZ_CHECK(!regionFromRoomArn(request.roomIdentifier).empty());
  const JsonValue* room = present(document, "roomIdentifier");
  FUZZ_CHECK(room && room->kind == JsonKind::String && room->text == request.roomIdentifier);

  const auto userIdLength = codePointCount(request.userId);
  FUZZ_CHECK(userIdLength && *userIdLength >= 1 && *userIdLength <= kMaxUserIdLength);
  const JsonValue* userId = present(document, "userId");
  FUZZ_CHECK(userId && userId->kind == JsonKind::String && userId->text == request.userId);

  const JsonValue* capabilities = present(document, "capabilities");
  FUZZ_CHECK(request.hasCapabilities == (capabilities != nullptr));
  FUZZ_CHECK(request.capabilityCount <= request.capabilities.size());
  if (capabilities) {
    FUZZ_CHECK(capabilities->kind == JsonKind::Array && capabilities->size == request.capabilityCount);
    std::set<std::string_view> seen;
    std::size_t index = 0;
    for (const JsonValue& item : document.children(*capabilities)) {
      FUZZ_CHECK(index < request.capabilityCount);
      FUZZ_CHECK(item.kind == JsonKind::String && item.text == request.capabilities[index]);
      ++index;
    }
    FUZZ_CHECK(index == request.capabilityCount);
    for (std::size_t i = 0; i < request.capabilityCount; ++i) {
      const std::string_view capability = request.capabilities[i];
      FUZZ_CHECK(capability == "SEND_MESSAGE" || capability == "DISCONNECT_USER" || capability == "DELETE_MESSAGE");
      FUZZ_CHECK(seen.insert(capability).second);
    }
  } else {
    FUZZ_CHECK(request.capabilityCount == 0);
  }

  const JsonValue* duration = present(document, "sessionDurationInMinutes");
  FUZZ_CHECK(request.sessionDurationInMinutes.has_value() == (duration != nullptr));
  if (duration) {
    FUZZ_CHECK(duration->kind == JsonKind::Number);
    FUZZ_CHECK(*request.sessionDurationInMinutes >= kMinSessionDurationMinutes &&
               *request.sessionDurationInMinutes <= kMaxSessionDurationMinutes);
    const ExactNumber exact = exactNumber(*duration);
    FUZZ_CHECK(exact.shape == ExactNumber::Whole && exact.value == *request.sessionDurationInMinutes);
  }

  const JsonValue* attributes = present(document, "attributes");
  FUZZ_CHECK(request.attributes == attributes);
  if (attributes) {
    FUZZ_CHECK(attributes->kind == JsonKind::Object);
    std::size_t total = 0;
    std::size_t count = 0;
    for (const JsonValue& item : document.children(*attributes)) {
      // A string of the text: an object such as {"$oversizedString":3} is not an attribute value.
      FUZZ_CHECK(item.kind == JsonKind::String);
      FUZZ_CHECK(isValidUtf8(item.key) && isValidUtf8(item.text));
      total += item.key.size() + item.text.size();
      ++count;
    }
    FUZZ_CHECK(count == attributes->size);
    FUZZ_CHECK(total <= kMaxAttributesBytes);
  }

  // No member but the five (null ones included: they are still members).
  for (const JsonValue& item : document.children(document.root())) {
    bool known = false;
    for (const char* name : kMembers) known = known || item.key == name;
    FUZZ_CHECK(known);
  }
}

// The body as nlohmann writes it (compact, members and attribute keys sorted): the body writer
// promises the same bytes.
std::string bodyByNlohmann(const JsonDocument& document, const CreateChatTokenRequest& request) {
  json body = json::object();
  body["roomIdentifier"] = std::string(request.roomIdentifier);
  body["userId"] = std::string(request.userId);
  if (request.hasCapabilities) {
    json capabilities = json::array();
    for (std::size_t i = 0; i < request.capabilityCount; ++i) capabilities.push_back(std::string(request.capabilities[i]));
    body["capabilities"] = capabilities;
  }
  if (request.sessionDurationInMinutes) body["sessionDurationInMinutes"] = *request.sessionDurationInMinutes;
  if (request.attributes) body["attributes"] = fuzz::stringMapOf(document, request.attributes);
  return body.dump();
}

struct CopiedRequest {
  std::string roomIdentifier, userId;
  std::vector<std::string> capabilities;
  bool hasCapabilities = false;
  std::optional<std::int64_t> sessionDurationInMinutes;
  std::optional<std::map<std::string, std::string>> attributes;
  bool operator==(const CopiedRequest& o) const {
    return roomIdentifier == o.roomIdentifier && userId == o.userId && capabilities == o.capabilities &&
           hasCapabilities == o.hasCapabilities && sessionDurationInMinutes == o.sessionDurationInMinutes &&
           attributes == o.attributes;
  }
};

CopiedRequest copyRequest(const JsonDocument& document, const CreateChatTokenRequest& request) {
  CopiedRequest out;
  out.roomIdentifier = request.roomIdentifier;
  out.userId = request.userId;
  out.hasCapabilities = request.hasCapabilities;
  for (std::size_t i = 0; i < request.capabilityCount; ++i) out.capabilities.emplace_back(request.capabilities[i]);
  out.sessionDurationInMinutes = request.sessionDurationInMinutes;
  if (request.attributes) out.attributes = fuzz::stringMapOf(document, request.attributes);
  return out;
}

// A valid request read from strict JSON holds the DOM's values, and its body is the DOM's
// members (those of the request, nulls left out) in nlohmann's compact form.
void checkAgainstDom(const json& dom, const CopiedRequest& request, const std::string& body) {
  FUZZ_CHECK(dom.is_object());
  for (const auto& item : dom.items()) {
    bool known = false;
    for (const char* name : kMembers) known = known || item.key() == name;
    FUZZ_CHECK(known);
  }
  json expected = json::object();
  const json* room = fuzz::domPresent(dom, "roomIdentifier");
  FUZZ_CHECK(room && room->is_string() && room->get<std::string>() == request.roomIdentifier);
  expected["roomIdentifier"] = *room;
  const json* userId = fuzz::domPresent(dom, "userId");
  FUZZ_CHECK(userId && userId->is_string() && userId->get<std::string>() == request.userId);
  expected["userId"] = *userId;
  const json* capabilities = fuzz::domPresent(dom, "capabilities");
  FUZZ_CHECK(request.hasCapabilities == (capabilities != nullptr));
  if (capabilities) {
    FUZZ_CHECK(capabilities->is_array() && *capabilities == json(request.capabilities));
    expected["capabilities"] = *capabilities;
  }
  const json* duration = fuzz::domPresent(dom, "sessionDurationInMinutes");
  FUZZ_CHECK(request.sessionDurationInMinutes.has_value() == (duration != nullptr));
  if (duration) {
    // A whole number of at most 180 is exact as a double, whatever its spelling (60, 6e1, 60.0).
    FUZZ_CHECK(duration->is_number() && duration->get<double>() == static_cast<double>(*request.sessionDurationInMinutes));
    expected["sessionDurationInMinutes"] = *request.sessionDurationInMinutes;
  }
  const json* attributes = fuzz::domPresent(dom, "attributes");
  FUZZ_CHECK(request.attributes.has_value() == (attributes != nullptr));
  if (attributes) {
    FUZZ_CHECK(fuzz::domStringMap(attributes) == *request.attributes);
    expected["attributes"] = *attributes;
  }
  FUZZ_CHECK(expected.dump() == body);
}

// The rules of create_chat_token.hpp on nlohmann's DOM (and, for the attribute map, on the
// scan's members: a repeated name counts, and must be a string, every time it appears).
bool expectedValid(const json& dom, const JsonDocument& document) {
  if (!dom.is_object()) return false;
  for (const auto& item : dom.items()) {
    bool known = false;
    for (const char* name : kMembers) known = known || item.key() == name;
    if (!known) return false;
  }
  static const std::regex kRoomArn("^arn:aws:ivschat:[a-z0-9-]+:[0-9]+:room/[a-zA-Z0-9-]+$");
  const json* room = fuzz::domPresent(dom, "roomIdentifier");
  if (!room || !room->is_string()) return false;
  const std::string& arn = room->get_ref<const std::string&>();
  if (fuzz::codePoints(arn) < 1 || fuzz::codePoints(arn) > 128 || !std::regex_match(arn, kRoomArn)) return false;
  const json* userId = fuzz::domPresent(dom, "userId");
  if (!userId || !userId->is_string()) return false;
  const std::size_t userIdLength = fuzz::codePoints(userId->get_ref<const std::string&>());
  if (userIdLength < 1 || userIdLength > 128) return false;
  if (const json* capabilities = fuzz::domPresent(dom, "capabilities")) {
    if (!capabilities->is_array()) return false;
    std::set<std::string> seen;
    for (const json& item : *capabilities) {
      if (!item.is_string()) return false;
      const std::string& capability = item.get_ref<const std::string&>();
      if (capability != "SEND_MESSAGE" && capability != "DISCONNECT_USER" && capability != "DELETE_MESSAGE") {
        return false;
      }
      if (!seen.insert(capability).second) return false;
    }
  }
  if (const json* duration = fuzz::domPresent(dom, "sessionDurationInMinutes")) {
    if (!duration->is_number()) return false;
    std::int64_t minutes = 0;
    if (duration->is_number_unsigned()) {
      if (duration->get<std::uint64_t>() > 180) return false;
      minutes = static_cast<std::int64_t>(duration->get<std::uint64_t>());
    } else if (duration->is_number_integer()) {
      minutes = duration->get<std::int64_t>();
    } else {
      const JsonValue* scanned = present(document, "sessionDurationInMinutes");
      FUZZ_CHECK(scanned && scanned->kind == JsonKind::Number && !scanned->integer);
      if (fuzz::shapeOfNumberText(scanned->text, minutes) != fuzz::NumberShape::Whole) return false;
    }
    if (minutes < 1 || minutes > 180) return false;
  }
  if (fuzz::domPresent(dom, "attributes")) {
    const JsonValue* attributes = present(document, "attributes");
    FUZZ_CHECK(attributes);
    if (!fuzz::attributesWithinLimit(document, *attributes)) return false;
  }
  return true;
}

// What one reading gave, for comparing the two.
struct Outcome {
  bool documentOk = false;
  bool truncated = false;
  bool marker = false;  // the table holds one
  std::vector<fuzz::CopiedError> errors;
  std::string body;
};

Outcome checkReading(std::string_view text, const json& strict, bool markers) {
  const LosslessJson input(text, fuzz::workspace(), markers);
  const JsonDocument& document = input.document;
  const CreateChatTokenValidation result = validateCreateChatTokenRequest(document);
  fuzz::checkFieldErrors(result.errors);
  Outcome outcome;
  outcome.documentOk = document.ok;
  outcome.truncated = document.truncated;
  outcome.marker = document.ok && fuzz::hasMarker(document, document.root());
  outcome.errors = fuzz::copyErrors(result.errors);
  fuzz::checkUnreadableRefused(document, result.ok(), outcome.errors);

  fuzz::checkMarkers(document, markers, result.ok(), outcome.errors);

  CopiedRequest copied;
  if (result.ok()) {
    checkValidRequest(document, result.request);
    outcome.body = buildCreateChatTokenBody(document, result.request);
    FUZZ_CHECK(json::accept(outcome.body));
    FUZZ_CHECK(outcome.body == bodyByNlohmann(document, result.request));
    copied = copyRequest(document, result.request);
    // Read back as the JS shim would pass it: valid again, the same values, the same bytes.
    const LosslessJson again(outcome.body, fuzz::secondWorkspace(), markers);
    const CreateChatTokenValidation reread = validateCreateChatTokenRequest(again.document);
    FUZZ_CHECK(reread.ok());
    FUZZ_CHECK(buildCreateChatTokenBody(again.document, reread.request) == outcome.body);
    FUZZ_CHECK(copyRequest(again.document, reread.request) == copied);
  }

  if (!strict.is_discarded()) {
    // Nothing for the lossless reading to keep: it must read what a strict scan reads.
    FUZZ_CHECK(document.ok || document.truncated);
    const JsonDocument strictDocument = fuzz::scanStrict(text, fuzz::secondWorkspace(), markers);
    FUZZ_CHECK(strictDocument.ok == document.ok && strictDocument.truncated == document.truncated);
    const CreateChatTokenValidation fromStrict = validateCreateChatTokenRequest(strictDocument);
    FUZZ_CHECK(fuzz::copyErrors(fromStrict.errors) == outcome.errors);
    if (fromStrict.ok()) FUZZ_CHECK(buildCreateChatTokenBody(strictDocument, fromStrict.request) == outcome.body);
    if (result.ok()) checkAgainstDom(strict, copied, outcome.body);
    // And the other way: a request that follows every rule is valid. Markers off: always (a
    // {"$bigint":"1"} object is an object). Markers on: unless a marker is read, which stands
    // for a value JSON cannot carry (NaN, a BigInt, a value over the shim's caps).
    if (document.ok && (!markers || !fuzz::hasReadMarker(document))) {
      FUZZ_CHECK(result.ok() == expectedValid(strict, document));
    }
  }
  return outcome;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::asText(data, size);
  const json strict = json::parse(text, nullptr, /*allow_exceptions=*/false);
  const Outcome plain = checkReading(text, strict, /*markers=*/false);
  const Outcome marked = checkReading(text, strict, /*markers=*/true);
  // The readings differ only where the text holds a marker's shape.
  FUZZ_CHECK(marked.documentOk == plain.documentOk && marked.truncated == plain.truncated);
  if (!marked.marker) FUZZ_CHECK(marked.errors == plain.errors && marked.body == plain.body);
  return 0;
}
