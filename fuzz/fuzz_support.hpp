#pragma once
// Helpers shared by the libFuzzer targets in this folder (each <name>.cpp is one target, built as
// fuzz_<name> by CMake with -DIVSCHAT_BUILD_FUZZERS=ON; run them with scripts/fuzz.sh).
//
// A broken invariant prints what failed and aborts, which libFuzzer reports as a crash and saves
// the input as a crash-* artifact.
//
// Scanned documents are views into the scanned text and into a JsonWorkspace: each process has
// two workspaces (the same sizes as the wasm module's), reset before every scan. A result is
// read, or copied out, before the next scan into the same workspace.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/field_checks.hpp"
#include "core/json_scan.hpp"
#include "core/utf8.hpp"

namespace ivschat::fuzz {

[[noreturn]] inline void violated(const char* file, int line, const char* what) {
  std::fprintf(stderr, "\n*** fuzz invariant violated at %s:%d: %s\n", file, line, what);
  std::fflush(stderr);
  std::abort();
}

#define FUZZ_CHECK(condition)                                                  \
  do {                                                                         \
    if (!(condition)) ::ivschat::fuzz::violated(__FILE__, __LINE__, #condition); \
  } while (0)

/// The workspace of a process's scans: created once, as the wasm module's is (8192 values, an
/// arena of 1 MiB). `second()` is for a document that must stay readable while another is scanned
/// (a rebuilt body, the strict scan next to the lossless one).
inline JsonWorkspace& workspace() {
  static JsonWorkspace shared(8192, 1 << 20);
  return shared;
}
inline JsonWorkspace& secondWorkspace() {
  static JsonWorkspace shared(8192, 1 << 20);
  return shared;
}

/// A strict scan into `ws`, its arena reset first: plain JSON, as server frames and AWS answers
/// are read (markers off), or with the shim's markers read as the request calls may ask.
inline JsonDocument scanStrict(std::string_view text, JsonWorkspace& ws, bool markers = false) {
  ws.resetArena();
  ScanOptions options;
  options.markers = markers;
  return scanJson(text, ws, options);
}

inline std::string_view asText(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Splits off the first `count` lines (at '\n'); returns count + 1 parts, the last one being the
/// rest of the input (which may hold more newlines). Missing lines are empty.
inline std::vector<std::string_view> splitLines(std::string_view text, std::size_t count) {
  std::vector<std::string_view> parts;
  parts.reserve(count + 1);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t end = text.find('\n');
    if (end == std::string_view::npos) {
      parts.push_back(text);
      text = {};
    } else {
      parts.push_back(text.substr(0, end));
      text.remove_prefix(end + 1);
    }
  }
  parts.push_back(text);
  return parts;
}

/// Takes one line off the front of `text` (without its '\n').
inline std::string_view takeLine(std::string_view& text) {
  const std::size_t end = text.find('\n');
  const std::string_view line = text.substr(0, end);
  text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  return line;
}

/// Printable ASCII (0x20-0x7E) only: what fixed English error messages consist of.
inline bool isPrintableAscii(std::string_view text) {
  for (const char c : text) {
    if (c < 0x20 || c > 0x7E) return false;
  }
  return true;
}

inline bool isLowerHex(std::string_view text) {
  for (const char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

inline bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

/// Whether a kind is one of json_scan.hpp's markers ({"$nonFinite":...} and the others).
inline bool isMarkerKind(JsonKind kind) {
  return kind == JsonKind::NonFinite || kind == JsonKind::BigInt || kind == JsonKind::OversizedString ||
         kind == JsonKind::OversizedArray || kind == JsonKind::OversizedObject;
}

/// Whether any recorded value of the document is a marker.
inline bool hasMarker(const JsonDocument& document, const JsonValue& value) {
  if (isMarkerKind(value.kind)) return true;
  if (value.kind != JsonKind::Array && value.kind != JsonKind::Object) return false;
  for (const JsonValue& child : document.children(value)) {
    if (hasMarker(document, child)) return true;
  }
  return false;
}

/// A plain scan (markers off) never holds a marker: {"$bigint":"1"} is the object it is.
inline void checkNoMarker(const JsonDocument& document) {
  if (document.ok) FUZZ_CHECK(!hasMarker(document, document.root()));
}

/// Whether the document holds a marker that the request readers see: anywhere but in a root
/// member that a later root member of the same name replaces (the readers take the last one, as
/// JSON.parse does; the shim's JSON.stringify never writes two).
inline bool hasReadMarker(const JsonDocument& document) {
  const JsonValue& root = document.root();
  if (root.kind != JsonKind::Object) return hasMarker(document, root);
  std::map<std::string_view, const JsonValue*> last;
  for (const JsonValue& item : document.children(root)) last[item.key] = &item;
  for (const auto& named : last) {
    if (hasMarker(document, *named.second)) return true;
  }
  return false;
}

/// Whether the request's `attributes` (its last, non-null member of that name: what the readers
/// take) is an object holding an {"$oversizedString":n} marker.
inline bool attributesHoldOversizedString(const JsonDocument& document) {
  if (!document.ok) return false;
  const JsonValue* attributes = presentMember(document, document.root(), "attributes");
  if (!attributes || attributes->kind != JsonKind::Object) return false;
  for (const JsonValue& item : document.children(*attributes)) {
    if (item.kind == JsonKind::OversizedString) return true;
  }
  return false;
}

/// The oracle's attributes rule on the scanned table: an object of strings whose names and values
/// add up to at most kMaxAttributesBytes.
inline bool attributesWithinLimit(const JsonDocument& document, const JsonValue& attributes) {
  if (attributes.kind != JsonKind::Object) return false;
  std::size_t total = 0;
  for (const JsonValue& item : document.children(attributes)) {
    if (item.kind != JsonKind::String) return false;
    total += item.key.size() + item.text.size();
  }
  return total <= kMaxAttributesBytes;
}

/// A string map of the table (an object whose values were checked to be strings) as
/// std::map: of repeated names the last one wins, as in nlohmann's DOM and JSON.parse.
inline std::map<std::string, std::string> stringMapOf(const JsonDocument& document, const JsonValue* map) {
  std::map<std::string, std::string> out;
  if (map) {
    for (const JsonValue& item : document.children(*map)) out[std::string(item.key)] = std::string(item.text);
  }
  return out;
}

/// A DOM string map: every value must be a string (absent and null: empty).
inline std::map<std::string, std::string> domStringMap(const nlohmann::json* value) {
  std::map<std::string, std::string> out;
  if (!value || value->is_null()) return out;
  FUZZ_CHECK(value->is_object());
  for (const auto& item : value->items()) {
    FUZZ_CHECK(item.value().is_string());
    out[item.key()] = item.value().get<std::string>();
  }
  return out;
}

/// A member of a DOM object, or nullptr.
inline const nlohmann::json* domMember(const nlohmann::json& object, const char* name) {
  if (!object.is_object()) return nullptr;
  const auto found = object.find(name);
  return found == object.end() ? nullptr : &*found;
}

/// A DOM member that is present and not null (the core's "present"), or nullptr.
inline const nlohmann::json* domPresent(const nlohmann::json& object, const char* name) {
  const nlohmann::json* value = domMember(object, name);
  return value && !value->is_null() ? value : nullptr;
}

/// Code points of well-formed UTF-8 (what nlohmann's DOM strings are), counted here: every
/// byte that is not a continuation byte starts one.
inline std::size_t codePoints(std::string_view text) {
  std::size_t count = 0;
  for (const char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

/// A number's text as written (-?int(.frac)?([eE][+-]?exp)?) as D x 10^scale, with D's decimal
/// `digits` free of leading and trailing zeros (empty for zero), read without floating point.
struct DecimalText {
  bool negative = false;
  std::string digits;
  long scale = 0;
};
inline DecimalText decimalOf(std::string_view text) {
  DecimalText out;
  std::size_t i = 0;
  if (i < text.size() && text[i] == '-') {
    out.negative = true;
    ++i;
  }
  bool afterPoint = false;
  for (; i < text.size() && text[i] != 'e' && text[i] != 'E'; ++i) {
    if (text[i] == '.') {
      afterPoint = true;
      continue;
    }
    FUZZ_CHECK(text[i] >= '0' && text[i] <= '9');
    out.digits.push_back(text[i]);
    if (afterPoint) --out.scale;
  }
  if (i < text.size()) {
    ++i;
    bool negativeExponent = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) negativeExponent = text[i++] == '-';
    long exponent = 0;
    for (; i < text.size(); ++i) {
      FUZZ_CHECK(text[i] >= '0' && text[i] <= '9');
      if (exponent < 1000000000L) exponent = exponent * 10 + (text[i] - '0');
    }
    out.scale += negativeExponent ? -exponent : exponent;
  }
  const std::size_t first = out.digits.find_first_not_of('0');
  if (first == std::string::npos) {
    out.digits.clear();
    out.scale = 0;
    return out;
  }
  out.digits.erase(0, first);
  while (out.digits.back() == '0') {
    out.digits.pop_back();
    ++out.scale;
  }
  return out;
}

/// A number's text decided on its decimal digits alone (no floating point): a fraction, a whole
/// number of at most 10 digits (`value`), or a larger whole number. The DOM's double cannot
/// decide this: 1e-400 reads as 0.
enum class NumberShape { Fraction, Whole, Large };
inline NumberShape shapeOfNumberText(std::string_view text, std::int64_t& value) {
  const DecimalText decimal = decimalOf(text);
  value = 0;
  if (decimal.digits.empty()) return NumberShape::Whole;
  if (decimal.scale < 0) return NumberShape::Fraction;
  if (static_cast<long>(decimal.digits.size()) + decimal.scale > 10) return NumberShape::Large;
  for (const char c : decimal.digits) value = value * 10 + (c - '0');
  for (long k = 0; k < decimal.scale; ++k) value *= 10;
  if (decimal.negative) value = -value;
  return NumberShape::Whole;
}

/// A plain copy of a field error list, for comparing two results.
struct CopiedError {
  std::string field;
  std::string code;
  std::string message;
  bool operator==(const CopiedError& other) const {
    return field == other.field && code == other.code && message == other.message;
  }
};
inline std::vector<CopiedError> copyErrors(const FieldErrors& errors) {
  std::vector<CopiedError> out;
  for (const FieldError& error : errors.list()) out.push_back({error.field, std::string(error.code), error.message});
  return out;
}

/// Whether a copied error list holds an error at `field` (with `code`, when given).
inline bool hasErrorAt(const std::vector<CopiedError>& errors, std::string_view field, const char* code = nullptr) {
  for (const CopiedError& error : errors) {
    if (error.field == field && (!code || error.code == code)) return true;
  }
  return false;
}

/// Whether the list was cut at kMaxFieldErrors (then a given error may be among those left out).
inline bool isCapped(const std::vector<CopiedError>& errors) { return errors.size() > kMaxFieldErrors; }

/// A document that could not be read is refused, and (unless it was cut off) with exactly one
/// TYPE error on `request`.
inline void checkUnreadableRefused(const JsonDocument& document, bool ok, const std::vector<CopiedError>& errors) {
  if (document.ok) return;
  FUZZ_CHECK(!ok);
  if (!document.truncated) {
    FUZZ_CHECK(errors.size() == 1 && errors[0].field == "request" && errors[0].code == error_code::kType);
  }
}

/// Markers are read only where the shim writes them (`markers`), and each stands for a value no
/// field accepts: a marker refuses the request, and one for an oversized string inside
/// `attributes` (where `checkAttributes`) is reported as attributes TOO_LARGE, unless the error
/// list was capped first.
inline void checkMarkers(const JsonDocument& document, bool markers, bool ok, const std::vector<CopiedError>& errors,
                         bool checkAttributes = true) {
  if (!markers) {
    checkNoMarker(document);
    return;
  }
  if (document.ok && hasReadMarker(document)) FUZZ_CHECK(!ok);
  if (checkAttributes && attributesHoldOversizedString(document)) {
    FUZZ_CHECK(!ok);
    FUZZ_CHECK(isCapped(errors) || hasErrorAt(errors, "attributes", error_code::kTooLarge));
  }
}

/// Every field error has a path, a known code and a message, all valid UTF-8; the list stops
/// at kMaxFieldErrors with one TOO_MANY_ERRORS entry; and it can be serialized (nlohmann's dump
/// of it does not throw, as it would on ill-formed UTF-8).
inline void checkFieldErrors(const FieldErrors& errors) {
  static constexpr const char* kCodes[] = {
      error_code::kRequired,    error_code::kType,     error_code::kTooShort,
      error_code::kTooLong,     error_code::kPattern,  error_code::kEnum,
      error_code::kDuplicate,   error_code::kRange,    error_code::kInvalidUtf8,
      error_code::kTooLarge,    error_code::kUnknownField};
  const std::vector<FieldError>& list = errors.list();
  FUZZ_CHECK(errors.empty() == list.empty());
  FUZZ_CHECK(list.size() <= kMaxFieldErrors + 1);
  for (std::size_t i = 0; i < list.size(); ++i) {
    const FieldError& error = list[i];
    FUZZ_CHECK(error.code != nullptr);
    FUZZ_CHECK(!error.message.empty());
    FUZZ_CHECK(isValidUtf8(error.field));
    FUZZ_CHECK(isValidUtf8(error.message));
    if (i == kMaxFieldErrors) {
      // Only the entry past the cap counts what was left out.
      FUZZ_CHECK(std::strcmp(error.code, error_code::kTooManyErrors) == 0);
      FUZZ_CHECK(error.field == "request");
      continue;
    }
    FUZZ_CHECK(!error.field.empty() || std::strcmp(error.code, error_code::kUnknownField) == 0);
    bool known = false;
    // By text: each translation unit may hold its own copy of the literal.
    for (const char* code : kCodes) known = known || std::strcmp(error.code, code) == 0;
    FUZZ_CHECK(known);  // never INTERNAL (an exception caught) nor TOO_MANY_ERRORS before the cap
  }
  // The token handler writes them into a ValidationException body (js/backend/sign.js):
  // messages and paths must be text JSON carries, which nlohmann's dump checks (it throws on
  // ill-formed UTF-8).
  try {
    nlohmann::json fieldList = nlohmann::json::array();
    for (const FieldError& error : list) {
      fieldList.push_back(nlohmann::json::object({{"message", error.message}, {"name", error.field}}));
    }
    static_cast<void>(fieldList.dump());
  } catch (const std::exception&) {
    FUZZ_CHECK(!"field errors could not be serialized");
  }
}


/// A JSON value as nlohmann reads it, but with every member of an object kept, repeated names
/// included, in the text's order (nlohmann's DOM keeps the last of each name): what a reader
/// that walks all of an object's members (string maps, their byte counts) sees. Floating-point
/// numbers keep their text, integers their value. Built by nlohmann's own SAX parser, so it
/// accepts exactly the texts json::parse accepts.
struct MultiJson {
  nlohmann::json::value_t type = nlohmann::json::value_t::null;
  bool boolean = false;
  std::string text;  // string: the value; number_float: the number as written
  std::int64_t integer = 0;
  std::uint64_t unsignedInteger = 0;
  std::vector<std::pair<std::string, MultiJson>> members;  // object, in order, repeats kept
  std::vector<MultiJson> items;                            // array

  bool isObject() const { return type == nlohmann::json::value_t::object; }
  bool isString() const { return type == nlohmann::json::value_t::string; }
  bool isNull() const { return type == nlohmann::json::value_t::null; }

  /// The last member called `name` (what JSON.parse and the core's readers take), or nullptr.
  const MultiJson* last(std::string_view name) const {
    const MultiJson* found = nullptr;
    for (const auto& member : members) {
      if (member.first == name) found = &member.second;
    }
    return found;
  }
  /// The same, but nullptr for a null one (the core's "present").
  const MultiJson* present(std::string_view name) const {
    const MultiJson* found = last(name);
    return found && !found->isNull() ? found : nullptr;
  }
};

/// Parses `text` into a MultiJson; false when nlohmann refuses it.
inline bool parseMulti(std::string_view text, MultiJson& out) {
  using json = nlohmann::json;
  struct Sax {
    MultiJson* root;
    std::vector<MultiJson*> stack;
    std::string pendingKey;
    bool started = false;
    MultiJson* place() {
      if (!started) {
        started = true;
        return root;
      }
      MultiJson* parent = stack.back();
      if (parent->isObject()) {
        parent->members.emplace_back(std::move(pendingKey), MultiJson());
        return &parent->members.back().second;
      }
      parent->items.emplace_back();
      return &parent->items.back();
    }
    bool null() { place()->type = json::value_t::null; return true; }
    bool boolean(bool value) {
      MultiJson* v = place();
      v->type = json::value_t::boolean;
      v->boolean = value;
      return true;
    }
    bool number_integer(json::number_integer_t value) {
      MultiJson* v = place();
      v->type = json::value_t::number_integer;
      v->integer = value;
      return true;
    }
    bool number_unsigned(json::number_unsigned_t value) {
      MultiJson* v = place();
      v->type = json::value_t::number_unsigned;
      v->unsignedInteger = value;
      return true;
    }
    bool number_float(json::number_float_t, const json::string_t& written) {
      MultiJson* v = place();
      v->type = json::value_t::number_float;
      v->text = written;
      return true;
    }
    bool string(json::string_t& value) {
      MultiJson* v = place();
      v->type = json::value_t::string;
      v->text = value;
      return true;
    }
    bool binary(json::binary_t&) { return false; }
    bool start_object(std::size_t) {
      MultiJson* v = place();
      v->type = json::value_t::object;
      stack.push_back(v);
      return true;
    }
    bool key(json::string_t& name) {
      pendingKey = name;
      return true;
    }
    bool end_object() { stack.pop_back(); return true; }
    bool start_array(std::size_t) {
      MultiJson* v = place();
      v->type = json::value_t::array;
      stack.push_back(v);
      return true;
    }
    bool end_array() { stack.pop_back(); return true; }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) { return false; }
  };
  out = MultiJson();
  Sax sax{&out, {}, {}, false};
  try {
    return json::sax_parse(text.begin(), text.end(), &sax);
  } catch (const std::exception&) {
    return false;
  }
}

/// Bytes of names plus values of a MultiJson object of strings (every member, repeats included).
inline std::size_t stringMapBytes(const MultiJson& map) {
  std::size_t total = 0;
  for (const auto& member : map.members) total += member.first.size() + member.second.text.size();
  return total;
}

/// Whether a MultiJson object's every member (repeats included) is a string.
inline bool allStrings(const MultiJson& map) {
  for (const auto& member : map.members) {
    if (!member.second.isString()) return false;
  }
  return true;
}

/// A member name as an error's path or message shows it (field_checks.hpp: at most
/// kMaxShownNameBytes, cut at a character, then "..."), for valid UTF-8 names.
inline std::string shownNameOf(std::string_view name) {
  if (name.size() <= kMaxShownNameBytes) return std::string(name);
  std::size_t cut = kMaxShownNameBytes;
  while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
  return std::string(name.substr(0, cut)) + "...";
}

/// Every listed error's message names its field (the path as it is shown, or the quoted
/// name of an unknown member); the entry past the cap is left out.
inline void checkMessagesNameFields(const std::vector<CopiedError>& errors) {
  for (std::size_t i = 0; i < errors.size() && i < kMaxFieldErrors; ++i) {
    const CopiedError& error = errors[i];
    if (error.code == error_code::kUnknownField) {
      FUZZ_CHECK(contains(error.message, "\"" + error.field + "\""));
    } else {
      FUZZ_CHECK(contains(error.message, error.field));
    }
  }
}

/// The top-level field an error is at: `attributes` for `attributes.x` and `attributes["x y"]`,
/// `*unknown*` for an UNKNOWN_FIELD, `*more*` for the entry past the cap.
inline std::string topField(const CopiedError& error) {
  if (error.code == error_code::kUnknownField) return "*unknown*";
  if (error.code == error_code::kTooManyErrors) return "*more*";
  const std::size_t end = error.field.find_first_of(".[");
  return error.field.substr(0, end);
}

/// For an UNKNOWN_FIELD at `at` that says "did you mean X?" and stands before X's REQUIRED error
/// with only other such UNKNOWN_FIELDs between (where the core moves it: the misspelling explains
/// the missing field), X; else empty.
inline std::string explainedRequiredField(const std::vector<CopiedError>& errors, std::size_t at) {
  const CopiedError& error = errors[at];
  if (error.code != error_code::kUnknownField || at + 1 >= errors.size()) return {};
  constexpr std::string_view kCue = "did you mean ";
  const std::size_t start = error.message.find(kCue);
  if (start == std::string::npos) return {};
  const std::size_t nameStart = start + kCue.size();
  const std::size_t end = error.message.find('?', nameStart);
  if (end == std::string::npos) return {};
  const std::string meant = error.message.substr(nameStart, end - nameStart);
  std::size_t next = at + 1;
  while (next < errors.size() && errors[next].code == error_code::kUnknownField) ++next;
  return next < errors.size() && errors[next].field == meant && errors[next].code == error_code::kRequired ? meant : std::string();
}

/// The top-level fields the error list names (the count past the cap left out).
inline std::set<std::string> fieldsWithErrors(const std::vector<CopiedError>& errors) {
  std::set<std::string> fields;
  for (const CopiedError& error : errors) {
    if (error.code != error_code::kTooManyErrors) fields.insert(topField(error));
  }
  return fields;
}

/// The errors name exactly the fields the oracle found broken (some of them only, when the list
/// was capped), and the request is accepted exactly when none is.
inline void checkReportsBrokenFields(const std::set<std::string>& broken, const std::vector<CopiedError>& errors, bool ok) {
  const std::set<std::string> reported = fieldsWithErrors(errors);
  if (isCapped(errors)) {
    FUZZ_CHECK(std::includes(broken.begin(), broken.end(), reported.begin(), reported.end()));
  } else {
    FUZZ_CHECK(reported == broken);
  }
  FUZZ_CHECK(ok == broken.empty());
}

}  // namespace ivschat::fuzz
