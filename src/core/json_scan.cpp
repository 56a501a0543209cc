#include "core/json_scan.hpp"

#include <cstring>

#include "core/message_text.hpp"
#include "core/nlohmann_tuning.hpp"

namespace ivschat {
namespace {

constexpr std::string_view kMarkerNonFinite = "$nonFinite";
constexpr std::string_view kMarkerBigInt = "$bigint";
constexpr std::string_view kMarkerOversizedString = "$oversizedString";
constexpr std::string_view kMarkerOversizedArray = "$oversizedArray";
constexpr std::string_view kMarkerOversizedObject = "$oversizedObject";

// The SAX handler: records values into the workspace's table as the parser reports them, down to
// MaxDepth levels below the root (a template argument, so that the usual scan compiles to what
// it was before the deeper one existed).
template <int MaxDepth>
class TableBuilder {
 public:
  using string_t = nlohmann::json::string_t;

  TableBuilder(JsonWorkspace& workspace, const SpanCursor& cursor, const char* textBegin,
               const ScanOptions& options)
      : values_(workspace.values()),
        capacity_(workspace.maxValues()),
        workspace_(workspace),
        cursor_(cursor),
        textBegin_(textBegin),
        replacements_(options.replacements),
        markers_(options.markers) {}

  bool truncated = false;
  bool arenaFull = false;
  std::size_t errorOffset = 0;

  bool null() {
    record(JsonKind::Null);
    return true;
  }
  bool boolean(bool value) {
    if (JsonValue* v = record(JsonKind::Boolean)) v->boolean = value;
    return true;
  }
  bool number_integer(nlohmann::json::number_integer_t value) {
    if (JsonValue* v = record(JsonKind::Number)) {
      v->integer = true;
      v->negative = value < 0;
      // Two's complement: the magnitude of INT64_MIN still fits the unsigned type.
      v->magnitude = value < 0 ? ~static_cast<std::uint64_t>(value) + 1 : static_cast<std::uint64_t>(value);
    }
    return true;
  }
  bool number_unsigned(nlohmann::json::number_unsigned_t value) {
    if (JsonValue* v = record(JsonKind::Number)) {
      v->integer = true;
      v->magnitude = value;
    }
    return true;
  }
  bool number_float(nlohmann::json::number_float_t, const string_t& raw) {
    // The text, not the double: json_scan.hpp's exactNumber decides from it.
    if (JsonValue* v = record(JsonKind::Number)) v->text = keep(raw);
    return true;
  }
  bool string(string_t& value) {
    const std::string_view text = literal(value);
    if (JsonValue* v = record(JsonKind::String)) v->text = text;
    return true;
  }
  bool binary(nlohmann::json::binary_t&) { return true; }  // never reported for JSON text
  bool key(string_t& value) {
    pendingKey_ = literal(value);
    return true;
  }
  bool start_object(std::size_t) { return open(JsonKind::Object); }
  bool start_array(std::size_t) { return open(JsonKind::Array); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::json::exception&) {
    errorOffset = position;
    return false;
  }

  std::uint32_t count() const noexcept { return count_; }

 private:
  struct Open {
    std::uint32_t container = 0;
    std::uint32_t lastChild = 0;
    bool recorded = false;
  };

  // A string literal's bytes: a view into the text when they stand there unchanged (no escape
  // in the literal), else a copy in the arena. The parser has just read the closing quote (on
  // the plain lexer the view is found by comparing the decoded bytes with the text before it).
  std::string_view literal(const string_t& decoded) {
    const std::size_t index = literalCount_++;
    if (replacements_ && nextReplacement_ < replacements_->size() &&
        (*replacements_)[nextReplacement_].index == index) {
      return (*replacements_)[nextReplacement_++].bytes;
    }
    // The tuned lexer says when the literal had no escape (and then leaves `decoded` empty).
    if (cursor_.plainString) {
      return {cursor_.stringBegin, static_cast<std::size_t>(cursor_.stringEnd - cursor_.stringBegin)};
    }
    const char* end = cursor_.at - 1;  // the closing quote
    const std::size_t size = decoded.size();
    if (end >= textBegin_ + size && *end == '"' &&
        (size == 0 || std::memcmp(end - size, decoded.data(), size) == 0)) {
      return {end - size, size};
    }
    return keep(decoded);
  }

  std::string_view keep(std::string_view bytes) {
    const std::optional<std::string_view> stored = workspace_.store(bytes);
    if (!stored) {
      arenaFull = true;
      return {};
    }
    return *stored;
  }

  // Records a value at the current depth, linked to its parent; nullptr when it is not
  // recorded (too deep: then only counted in its parent's size; or the table is full).
  JsonValue* record(JsonKind kind) {
    std::string_view key;
    Open* parent = nullptr;
    if (depth_ > 0) {
      if (depth_ - 1 > MaxDepth) return nullptr;
      parent = &open_[depth_ - 1];
      if (!parent->recorded) return nullptr;
      JsonValue& container = values_[parent->container];
      ++container.size;
      if (container.kind == JsonKind::Object) key = pendingKey_;
      if (depth_ > MaxDepth) return nullptr;
    }
    if (count_ == capacity_) {
      truncated = true;
      return nullptr;
    }
    const std::uint32_t index = count_++;
    JsonValue& value = values_[index];
    value = JsonValue{};
    value.kind = kind;
    value.key = key;
    if (parent) appendChild(values_, parent->container, parent->lastChild, index);
    return &value;
  }

  bool open(JsonKind kind) {
    JsonValue* value = record(kind);
    if (depth_ <= MaxDepth) {
      Open& slot = open_[depth_];
      slot.recorded = value != nullptr;
      slot.container = value ? static_cast<std::uint32_t>(value - values_) : 0;
      slot.lastChild = 0;
    }
    ++depth_;
    return true;
  }

  bool close() {
    --depth_;
    if (markers_ && depth_ <= MaxDepth && open_[depth_].recorded) {
      JsonValue& container = values_[open_[depth_].container];
      if (container.kind == JsonKind::Object && container.size == 1 && container.firstChild != 0) {
        asMarker(container, values_[container.firstChild]);
      }
    }
    return true;
  }

  // {"$nonFinite":"NaN"} and the other markers of json_scan.hpp become values of their own kind.
  static void asMarker(JsonValue& object, const JsonValue& only) {
    if (only.kind == JsonKind::String && only.key == kMarkerNonFinite &&
        (only.text == "NaN" || only.text == "Infinity" || only.text == "-Infinity")) {
      object.kind = JsonKind::NonFinite;
      object.text = only.text;
    } else if (only.kind == JsonKind::String && only.key == kMarkerBigInt) {
      object.kind = JsonKind::BigInt;
      object.text = only.text;
    } else if (only.kind == JsonKind::Number && only.integer && !only.negative &&
               (only.key == kMarkerOversizedString || only.key == kMarkerOversizedArray ||
                only.key == kMarkerOversizedObject)) {
      object.kind = only.key == kMarkerOversizedString  ? JsonKind::OversizedString
                    : only.key == kMarkerOversizedArray ? JsonKind::OversizedArray
                                                        : JsonKind::OversizedObject;
      object.size = only.magnitude;
    } else {
      return;
    }
    object.firstChild = 0;
  }

  JsonValue* values_;
  std::size_t capacity_;
  JsonWorkspace& workspace_;
  const SpanCursor& cursor_;
  const char* textBegin_;
  const std::vector<LiteralReplacement>* replacements_;
  bool markers_;
  std::size_t nextReplacement_ = 0;
  std::size_t literalCount_ = 0;
  std::uint32_t count_ = 0;
  int depth_ = 0;  // containers open around the next value
  Open open_[MaxDepth + 1];
  std::string_view pendingKey_;
};

}  // namespace

JsonWorkspace::JsonWorkspace(std::size_t maxValues, std::size_t arenaBytes)
    : values_(new JsonValue[maxValues > 0 ? maxValues : 1]),
      maxValues_(maxValues > 0 ? maxValues : 1),
      arena_(new char[arenaBytes > 0 ? arenaBytes : 1]),
      arenaBytes_(arenaBytes) {}

std::optional<std::string_view> JsonWorkspace::store(std::string_view bytes) {
  if (bytes.size() > arenaBytes_ - arenaUsed_) return std::nullopt;
  char* at = arena_.get() + arenaUsed_;
  if (!bytes.empty()) std::memcpy(at, bytes.data(), bytes.size());
  arenaUsed_ += bytes.size();
  return std::string_view(at, bytes.size());
}

const JsonValue* JsonDocument::member(const JsonValue& object, std::string_view name) const noexcept {
  if (object.kind != JsonKind::Object) return nullptr;
  const JsonValue* found = nullptr;
  for (const JsonValue& item : children(object)) {
    if (item.key == name) found = &item;
  }
  return found;
}

bool jsonLexerKeepsInvalidText() noexcept { return IVSCHAT_JSON_TUNED != 0; }

namespace {

template <int MaxDepth>
JsonDocument scanTo(std::string_view text, JsonWorkspace& workspace, const ScanOptions& options) {
  JsonDocument document;
  JsonDocumentAccess::bind(document, workspace.values());
  SpanCursor cursor{text.data(), text.data() + text.size(), options.keepInvalidText && IVSCHAT_JSON_TUNED};
  TableBuilder<MaxDepth> builder(workspace, cursor, text.data(), options);
  JsonParser parser(SpanInput(&cursor), nullptr, /*allow_exceptions_=*/false, /*skip_comments=*/false);
  const bool parsed = parser.sax_parse(&builder, /*strict=*/true);
  document.truncated = builder.truncated || builder.arenaFull;
  document.ok = parsed && !document.truncated && builder.count() > 0;
  document.errorOffset = parsed ? 0 : builder.errorOffset;
  return document;
}

}  // namespace

JsonDocument scanJson(std::string_view text, JsonWorkspace& workspace, const ScanOptions& options) {
  return scanTo<kMaxRecordedDepth>(text, workspace, options);
}

JsonDocument scanJsonDeep(std::string_view text, JsonWorkspace& workspace, const ScanOptions& options) {
  return scanTo<kMaxRecordableDepth>(text, workspace, options);
}

namespace {

// The decimal digits of a float's text, as D x 10^E with D free of leading and trailing zeros.
struct DecimalText {
  long significant = 0;     // digits of D
  long exponent = 0;        // E
  bool zero = true;
  bool negative = false;
};

DecimalText readDecimal(std::string_view text) noexcept {
  DecimalText d;
  std::size_t i = 0;
  if (i < text.size() && text[i] == '-') {
    d.negative = true;
    ++i;
  }
  long afterPoint = 0;
  bool pointSeen = false;
  long pendingZeros = 0;  // zeros after the last non-zero digit
  for (; i < text.size() && text[i] != 'e' && text[i] != 'E'; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') {
      pointSeen = true;
      continue;
    }
    if (pointSeen) ++afterPoint;
    if (c == '0') {
      if (!d.zero) ++pendingZeros;
      continue;
    }
    d.significant += pendingZeros + 1;
    pendingZeros = 0;
    d.zero = false;
  }
  long exponent = 0;
  if (i < text.size()) {
    ++i;
    bool negativeExponent = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) negativeExponent = text[i++] == '-';
    for (; i < text.size(); ++i) {
      if (exponent < 100000000) exponent = exponent * 10 + (text[i] - '0');
    }
    if (negativeExponent) exponent = -exponent;
  }
  d.exponent = exponent - afterPoint + pendingZeros;
  return d;
}

constexpr std::uint64_t kMaxSafeInteger = 9007199254740992ULL;  // 2^53

}  // namespace

ExactNumber exactNumber(const JsonValue& number) noexcept {
  ExactNumber result;
  if (number.kind != JsonKind::Number) return result;
  if (number.integer) {
    if (number.magnitude > kMaxSafeInteger) {
      result.shape = ExactNumber::LargeWhole;
      return result;
    }
    result.shape = ExactNumber::Whole;
    result.value = number.negative ? -static_cast<std::int64_t>(number.magnitude)
                                   : static_cast<std::int64_t>(number.magnitude);
    return result;
  }
  const DecimalText d = readDecimal(number.text);
  if (d.zero) {
    result.shape = ExactNumber::Whole;
    return result;
  }
  if (d.exponent < 0) return result;  // a fraction
  if (d.significant + d.exponent > 16) {
    result.shape = ExactNumber::LargeWhole;
    return result;
  }
  // D from its digits (the first `significant` after the leading zeros), then x 10^E.
  std::uint64_t value = 0;
  long taken = 0;
  bool started = false;
  for (const char c : number.text) {
    if (c == 'e' || c == 'E' || taken == d.significant) break;
    if (c < '0' || c > '9') continue;
    if (!started && c == '0') continue;
    started = true;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
    ++taken;
  }
  for (long k = 0; k < d.exponent; ++k) value *= 10;
  if (value > kMaxSafeInteger) {
    result.shape = ExactNumber::LargeWhole;
    return result;
  }
  result.shape = ExactNumber::Whole;
  result.value = d.negative ? -static_cast<std::int64_t>(value) : static_cast<std::int64_t>(value);
  return result;
}

std::string numberText(const JsonValue& number) {
  if (!number.integer) return std::string(number.text);
  return std::string(std::string_view(Decimal(number.magnitude, number.negative)));
}

}  // namespace ivschat
