// Fuzz target: the value table of json_scan.hpp, differentially against nlohmann/json's own SAX
// parser (so the lexer members specialised in nlohmann_tuning.hpp are checked against
// nlohmann's originals), the two readings of the shim's markers against each other, and the
// lossless reading against the plain lexer's rewriting pass.
//   input: the JSON text (any bytes)
// Invariants:
//   - markers off (ScanOptions::markers false, as server frames, AWS answers and most requests
//     are read): no value is ever a marker kind, so a one-member object such as {"$bigint":"1"}
//     is the plain object it is;
//   - a strict scanJson() (markers off) accepts exactly when nlohmann::json::sax_parse(...,
//     strict) accepts, with the same error offset on failure; on success it holds the same
//     events (keys, strings, integers, float texts, containers with their item counts) down to
//     kMaxRecordedDepth, the containers at that depth counted but without recorded children;
//   - markers on: the scan succeeds, fails (same offset) and truncates exactly as with markers
//     off, and its table is the same value for value, except that each recorded one-member
//     object shaped as a marker ({"$nonFinite":"NaN"|"Infinity"|"-Infinity"}, {"$bigint":<any
//     string>}, {"$oversizedString"|"$oversizedArray"|"$oversizedObject":<non-negative
//     integer>}, decided here from the markers-off table) is that marker, holding the member's
//     text or number, and nothing else is a marker;
//   - the table is well linked: a container's recorded children number its size, scalars have
//     no children;
//   - exactNumber() and numberText() of every number agree with a decision made here on the
//     number's decimal digits alone;
//   - with the tuned lexer (jsonLexerKeepsInvalidText), the lossless scan (keepInvalidText) gives
//     the same table as rewriteInvalidLiterals() + a scan of the cleaned text with the
//     replacements, whenever either succeeds, with markers off and on (and the two lossless
//     readings differ only by the markers); and it reads strict JSON as the strict scan does.
// Inputs whose table the workspace cannot hold (truncated) are skipped.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/json_lossless.hpp"
#include "core/json_scan.hpp"
#include "fuzz_support.hpp"
#include "support/stock_json_events.hpp"

using namespace ivschat;

namespace {

using Tokens = std::vector<std::string>;
using oracles::integerToken;

constexpr std::uint64_t kMaxSafeInteger = 9007199254740992ULL;  // 2^53

// exactNumber's answer, decided from the digits: D x 10^S with D free of leading and trailing
// zeros; whole when S >= 0, large when past 2^53.
ExactNumber expectedExact(const JsonValue& number) {
  ExactNumber out;
  if (number.integer) {
    if (number.magnitude > kMaxSafeInteger) {
      out.shape = ExactNumber::LargeWhole;
      return out;
    }
    out.shape = ExactNumber::Whole;
    out.value = static_cast<std::int64_t>(number.magnitude);
    if (number.negative) out.value = -out.value;
    return out;
  }
  const fuzz::DecimalText decimal = fuzz::decimalOf(number.text);
  if (decimal.digits.empty()) {
    out.shape = ExactNumber::Whole;  // zero, -0.0 included
    return out;
  }
  if (decimal.scale < 0) return out;  // Fraction
  if (static_cast<long>(decimal.digits.size()) + decimal.scale > 16) {
    out.shape = ExactNumber::LargeWhole;  // 17 digits or more: past 2^53 (16 digits)
    return out;
  }
  std::uint64_t value = 0;
  for (const char c : decimal.digits) value = value * 10 + static_cast<std::uint64_t>(c - '0');
  for (long k = 0; k < decimal.scale; ++k) value *= 10;
  if (value > kMaxSafeInteger) {
    out.shape = ExactNumber::LargeWhole;
    return out;
  }
  out.shape = ExactNumber::Whole;
  out.value = decimal.negative ? -static_cast<std::int64_t>(value) : static_cast<std::int64_t>(value);
  return out;
}

void checkNumber(const JsonValue& number) {
  const ExactNumber exact = exactNumber(number);
  const ExactNumber expected = expectedExact(number);
  FUZZ_CHECK(exact.shape == expected.shape);
  if (exact.shape == ExactNumber::Whole) FUZZ_CHECK(exact.value == expected.value);
  const std::string text = numberText(number);
  if (number.integer) {
    FUZZ_CHECK(number.text.empty());
    FUZZ_CHECK(!(number.negative && number.magnitude == 0));
    FUZZ_CHECK(text == (number.negative ? "-" : "") + std::to_string(number.magnitude));
  } else {
    FUZZ_CHECK(text == number.text && !number.negative && number.magnitude == 0);
  }
}

// The member name of each marker kind (json_scan.hpp), spelt here.
const char* markerName(JsonKind kind) {
  switch (kind) {
    case JsonKind::NonFinite: return "$nonFinite";
    case JsonKind::BigInt: return "$bigint";
    case JsonKind::OversizedString: return "$oversizedString";
    case JsonKind::OversizedArray: return "$oversizedArray";
    case JsonKind::OversizedObject: return "$oversizedObject";
    default: FUZZ_CHECK(!"not a marker kind");
  }
  return "";
}

// The table in document order, as tokens; checks its links on the way. `plain` gets the same
// tokens with each marker written as the one-member object it was in the text.
void walk(const JsonDocument& document, const JsonValue& value, bool inObject, int depth, Tokens& out,
          Tokens& plain, bool& marker) {
  const auto put = [&](std::string token) {
    plain.push_back(token);
    out.push_back(std::move(token));
  };
  if (inObject) {
    put("k:" + std::string(value.key));
  } else {
    FUZZ_CHECK(value.key.empty());
  }
  switch (value.kind) {
    case JsonKind::Null: put("null"); break;
    case JsonKind::Boolean: put(value.boolean ? "true" : "false"); break;
    case JsonKind::Number:
      checkNumber(value);
      put(value.integer ? integerToken(value.negative, value.magnitude) : "f:" + std::string(value.text));
      break;
    case JsonKind::String: put("s:" + std::string(value.text)); break;
    case JsonKind::Array:
    case JsonKind::Object: {
      const bool object = value.kind == JsonKind::Object;
      put((object ? "{" : "[") + std::to_string(value.size));
      std::uint64_t children = 0;
      for (const JsonValue& child : document.children(value)) {
        walk(document, child, object, depth + 1, out, plain, marker);
        ++children;
      }
      // Below the recorded levels, items are only counted.
      FUZZ_CHECK(children == (depth < kMaxRecordedDepth ? value.size : 0));
      put(object ? "}" : "]");
      return;
    }
    default: {
      FUZZ_CHECK(fuzz::isMarkerKind(value.kind));
      // The inside of a marker is recorded, so a marker is never below the recorded levels.
      FUZZ_CHECK(depth < kMaxRecordedDepth);
      marker = true;
      out.push_back("marker:" + std::to_string(static_cast<int>(value.kind)) + ":" + std::string(value.text) + ":" +
                    std::to_string(value.size));
      const bool textual = value.kind == JsonKind::NonFinite || value.kind == JsonKind::BigInt;
      if (!textual) FUZZ_CHECK(value.text.empty());
      plain.push_back("{1");
      plain.push_back(std::string("k:") + markerName(value.kind));
      plain.push_back(textual ? "s:" + std::string(value.text) : integerToken(false, value.size));
      plain.push_back("}");
      break;
    }
  }
  FUZZ_CHECK(value.firstChild == 0);
}

// Whether a value of a markers-off table is what a scan with markers reads as a marker: a
// recorded one-member object whose member is one of json_scan.hpp's shapes.
bool isMarkerShaped(const JsonDocument& document, const JsonValue& object) {
  if (object.kind != JsonKind::Object || object.size != 1 || object.firstChild == 0) return false;
  const JsonValue& only = document.at(object.firstChild);
  FUZZ_CHECK(only.next == 0);
  if (only.kind == JsonKind::String) {
    if (only.key == "$nonFinite") return only.text == "NaN" || only.text == "Infinity" || only.text == "-Infinity";
    return only.key == "$bigint";
  }
  return only.kind == JsonKind::Number && only.integer && !only.negative &&
         (only.key == "$oversizedString" || only.key == "$oversizedArray" || only.key == "$oversizedObject");
}

// The markers-on table (`marked`) is the markers-off one (`plain`) value for value, but for the
// marker-shaped objects, which are markers there.
void checkSameButMarkers(const JsonDocument& plain, const JsonValue& p, const JsonDocument& marked,
                         const JsonValue& m) {
  FUZZ_CHECK(!fuzz::isMarkerKind(p.kind));
  FUZZ_CHECK(p.key == m.key);
  if (isMarkerShaped(plain, p)) {
    const JsonValue& only = plain.at(p.firstChild);
    FUZZ_CHECK(fuzz::isMarkerKind(m.kind) && m.firstChild == 0);
    FUZZ_CHECK(only.key == markerName(m.kind));
    if (m.kind == JsonKind::NonFinite || m.kind == JsonKind::BigInt) {
      FUZZ_CHECK(m.text == only.text);
    } else {
      FUZZ_CHECK(m.size == only.magnitude);
    }
    return;
  }
  FUZZ_CHECK(m.kind == p.kind && m.text == p.text && m.size == p.size && m.boolean == p.boolean &&
             m.integer == p.integer && m.negative == p.negative && m.magnitude == p.magnitude);
  FUZZ_CHECK((m.firstChild == 0) == (p.firstChild == 0));
  std::uint32_t pi = p.firstChild, mi = m.firstChild;
  while (pi != 0 && mi != 0) {
    checkSameButMarkers(plain, plain.at(pi), marked, marked.at(mi));
    pi = plain.at(pi).next;
    mi = marked.at(mi).next;
  }
  FUZZ_CHECK(pi == 0 && mi == 0);
}

struct Read {
  bool ok = false;
  bool truncated = false;
  std::size_t errorOffset = 0;
  bool marker = false;
  Tokens tokens;
  Tokens plain;  // markers written as their objects
};

Read readTable(const JsonDocument& document) {
  Read out;
  out.ok = document.ok;
  out.truncated = document.truncated;
  out.errorOffset = document.errorOffset;
  if (document.ok) {
    FUZZ_CHECK(document.errorOffset == 0);
    walk(document, document.root(), false, 0, out.tokens, out.plain, out.marker);
  }
  return out;
}

ScanOptions options(const std::vector<LiteralReplacement>* replacements, bool keepInvalidText, bool markers) {
  ScanOptions out;
  out.replacements = replacements;
  out.keepInvalidText = keepInvalidText;
  out.markers = markers;
  return out;
}

// A markers-on reading next to the markers-off one of the same text: they fail alike, and
// their tables differ only by the markers.
void checkMarkedAgainstPlain(const Read& plain, const Read& marked) {
  FUZZ_CHECK(!plain.marker && plain.tokens == plain.plain);
  FUZZ_CHECK(marked.ok == plain.ok && marked.truncated == plain.truncated &&
             marked.errorOffset == plain.errorOffset);
  if (plain.ok) FUZZ_CHECK(marked.plain == plain.tokens);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::asText(data, size);
  JsonWorkspace& ws = fuzz::workspace();
  JsonWorkspace& other = fuzz::secondWorkspace();

  // --- strict, markers off and on: the two tables against each other ---
  const JsonDocument plainDocument = fuzz::scanStrict(text, ws);
  const JsonDocument markedDocument = fuzz::scanStrict(text, other, /*markers=*/true);
  const Read strict = readTable(plainDocument);
  const Read marked = readTable(markedDocument);
  fuzz::checkNoMarker(plainDocument);
  checkMarkedAgainstPlain(strict, marked);
  if (strict.ok) checkSameButMarkers(plainDocument, plainDocument.root(), markedDocument, markedDocument.root());

  // --- strict, markers off: the table against nlohmann's events (every input) ---
  if (!strict.truncated) {
    oracles::StockJsonEvents stock;
    const bool stockOk = nlohmann::json::sax_parse(text.data(), text.data() + text.size(), &stock,
                                                   nlohmann::json::input_format_t::json, /*strict=*/true);
    FUZZ_CHECK(strict.ok == stockOk);
    if (!stockOk) FUZZ_CHECK(strict.errorOffset == stock.errorOffset);
    if (stockOk) FUZZ_CHECK(strict.tokens == stock.tokens);
  }

  // --- lossless: the tuned lexer against the plain lexer's rewriting, markers off and on ---
  if (!jsonLexerKeepsInvalidText()) return 0;
  Read keptPlain;
  for (const bool markers : {false, true}) {
    const Read& strictHere = markers ? marked : strict;
    ws.resetArena();
    const Read kept = readTable(scanJson(text, ws, options(nullptr, true, markers)));
    if (!markers) {
      FUZZ_CHECK(!kept.marker);
      keptPlain = kept;
    } else {
      checkMarkedAgainstPlain(keptPlain, kept);
    }
    if (kept.truncated) continue;
    if (!strictHere.truncated) {
      // Strict JSON has nothing to keep; what the lossless scan refuses the strict one refuses.
      if (strictHere.ok) FUZZ_CHECK(kept.ok && kept.tokens == strictHere.tokens);
      if (!kept.ok) FUZZ_CHECK(!strictHere.ok);
    }
    other.resetArena();
    std::string cleaned;
    std::vector<LiteralReplacement> replacements;
    const Rewrite rewrite = rewriteInvalidLiterals(text, other, cleaned, replacements);
    if (rewrite == Rewrite::kArenaFull) continue;
    if (rewrite == Rewrite::kNone) FUZZ_CHECK(replacements.empty());
    if (rewrite == Rewrite::kDone) FUZZ_CHECK(!replacements.empty());
    for (std::size_t i = 1; i < replacements.size(); ++i) {
      FUZZ_CHECK(replacements[i - 1].index < replacements[i].index);
    }
    const Read rewritten = readTable(scanJson(rewrite == Rewrite::kDone ? std::string_view(cleaned) : text, other,
                                              options(&replacements, false, markers)));
    if (rewritten.truncated) continue;
    if (!markers) FUZZ_CHECK(!rewritten.marker);
    if (kept.ok || rewritten.ok) {
      FUZZ_CHECK(kept.ok == rewritten.ok);
      FUZZ_CHECK(kept.tokens == rewritten.tokens);
    }
  }
  return 0;
}
