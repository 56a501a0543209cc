#include "core/field_checks.hpp"

#include <algorithm>

#include "core/json_write.hpp"
#include "core/text_scan.hpp"
#include "core/utf8.hpp"

namespace ivschat {
namespace {

bool isIdentifierStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
}

// A member name fit to show: valid UTF-8, at most kMaxShownNameBytes (cut at a character).
std::string shownName(std::string_view name) {
  std::string shown = sanitizeUtf8(name);
  if (shown.size() <= kMaxShownNameBytes) return shown;
  std::size_t cut = kMaxShownNameBytes;
  while (cut > 0 && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) --cut;
  shown.resize(cut);
  return shown.append("...");
}

char lowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Optimal string alignment distance between two short names, ASCII letters compared without
// case (`userID` and `userId` are 0 apart).
std::size_t nameDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> previous2(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const bool same = lowerAscii(a[i - 1]) == lowerAscii(b[j - 1]);
      std::size_t best = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (same ? 0 : 1)});
      if (i > 1 && j > 1 && lowerAscii(a[i - 1]) == lowerAscii(b[j - 2]) && lowerAscii(a[i - 2]) == lowerAscii(b[j - 1])) {
        best = std::min(best, previous2[j - 2] + 1);
      }
      current[j] = best;
    }
    previous2.swap(previous);
    previous.swap(current);
  }
  return previous[b.size()];
}

// The known name an unknown one most likely meant: the same but for letter case, or at most
// one edit away (two for names of more than 5 bytes). Empty when none is that close.
std::string_view likelyMeant(std::string_view name, std::initializer_list<std::string_view> known) {
  constexpr std::size_t kMaxComparedBytes = 64;
  if (name.empty() || name.size() > kMaxComparedBytes) return {};
  std::string_view best;
  std::size_t bestDistance = name.size() > 5 ? 3 : 2;
  for (const std::string_view candidate : known) {
    const std::size_t distance = nameDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

}  // namespace

void FieldErrors::moveLastBefore(std::string_view field, const char* code) {
  if (list_.size() < 2 || omitted_ > 0) return;
  for (std::size_t at = 0; at + 1 < list_.size(); ++at) {
    if (list_[at].field == field && std::string_view(list_[at].code) == code) {
      std::rotate(list_.begin() + static_cast<std::ptrdiff_t>(at), list_.end() - 1, list_.end());
      return;
    }
  }
}

void FieldErrors::add(std::string_view field, const char* code, std::string_view pattern,
                      std::initializer_list<std::string_view> args) {
  if (list_.size() < kMaxFieldErrors) {
    list_.push_back({std::string(field), code, formatMessage(pattern, args)});
    return;
  }
  ++omitted_;
  std::string note = formatMessage(omitted_ == 1 ? "{} was found and not listed (the list stops at {})."
                                                 : "{} were found and not listed (the list stops at {}).",
                                   {plural(omitted_, "more problem"), Decimal(kMaxFieldErrors)});
  if (list_.size() == kMaxFieldErrors) {
    list_.push_back({"request", error_code::kTooManyErrors, std::move(note)});
  } else {
    list_.back().message = std::move(note);
  }
}

const char* jsonTypeName(const JsonValue& value) noexcept {
  switch (value.kind) {
    case JsonKind::Null: return "null";
    case JsonKind::Boolean: return "a boolean";
    case JsonKind::Number: return "a number";
    case JsonKind::String:
    case JsonKind::OversizedString: return "a string";
    case JsonKind::Array:
    case JsonKind::OversizedArray: return "an array";
    case JsonKind::Object:
    case JsonKind::OversizedObject: return "an object";
    case JsonKind::BigInt: return "a BigInt";
    case JsonKind::NonFinite:
      return value.text == "NaN" ? "NaN" : value.text == "Infinity" ? "Infinity" : "-Infinity";
  }
  return "an unsupported value";
}

std::string quoted(std::string_view text) { return formatMessage("\"{}\"", {shownName(text)}); }

std::string memberPath(std::string_view prefix, std::string_view name) {
  bool identifier = !name.empty() && isIdentifierStart(name[0]) && name.size() <= kMaxShownNameBytes;
  for (const char c : name) identifier = identifier && (isIdentifierStart(c) || isAsciiDigit(c));
  if (identifier) return formatMessage("{}.{}", {prefix, name});
  std::string key;
  appendJsonString(key, shownName(name));
  return formatMessage("{}[{}]", {prefix, key});
}

const JsonValue* requestObject(const JsonDocument& document, FieldErrors& errors) {
  if (document.truncated) {
    errors.add("request", error_code::kTooLarge,
               "The request is too large to read: it holds more values than any valid request.");
    return nullptr;
  }
  if (!document.ok) {
    errors.add("request", error_code::kType, "The request is not valid JSON (error at byte {}).",
               {Decimal(document.errorOffset)});
    return nullptr;
  }
  const JsonValue& root = document.root();
  if (root.kind == JsonKind::OversizedObject) {
    errors.add("request", error_code::kTooLarge, "The request has {} members, more than any valid request.",
               {Decimal(root.size)});
    return nullptr;
  }
  if (root.kind != JsonKind::Object) {
    errors.add("request", error_code::kType, "The request must be a JSON object; it is {}.", {jsonTypeName(root)});
    return nullptr;
  }
  return &root;
}

const JsonValue* presentMember(const JsonDocument& document, const JsonValue& object,
                               std::string_view name) noexcept {
  const JsonValue* value = document.member(object, name);
  return value && value->kind != JsonKind::Null ? value : nullptr;
}

std::optional<std::string_view> checkText(const JsonValue* value, std::string_view field,
                                          bool required, const TextRule& rule, FieldErrors& errors) {
  if (!value) {
    if (required) errors.add(field, error_code::kRequired, "{} is required.", {field});
    return std::nullopt;
  }
  if (value->kind == JsonKind::OversizedString) {
    // Longer than the shim ever copies into the core (js/value-table.js): far over any limit.
    errors.add(field, error_code::kTooLong, "{} must have at most {}{}; it is {} UTF-16 code units long.",
               {field, plural(rule.max, "character"), rule.limitNote, Decimal(value->size)});
    return std::nullopt;
  }
  if (value->kind != JsonKind::String) {
    errors.add(field, error_code::kType, "{} must be a string; it is {}.", {field, jsonTypeName(*value)});
    return std::nullopt;
  }
  const std::optional<std::size_t> length = codePointCount(value->text);
  if (!length) {
    errors.add(field, error_code::kInvalidUtf8, "{} is not valid Unicode text (invalid UTF-8 or a lone surrogate).",
               {field});
    return std::nullopt;
  }
  if (*length >= rule.min && *length <= rule.max) return value->text;
  const char* code = *length < rule.min ? error_code::kTooShort : error_code::kTooLong;
  const Decimal has(*length);
  if (rule.min == rule.max) {
    errors.add(field, code, "{} must have exactly {}; it has {}.", {field, plural(rule.min, "character"), has});
  } else if (*length < rule.min) {
    errors.add(field, code, "{} must have at least {}; it has {}.", {field, plural(rule.min, "character"), has});
  } else {
    errors.add(field, code, "{} must have at most {}{}; it has {}.",
               {field, plural(rule.max, "character"), rule.limitNote, has});
  }
  return std::nullopt;
}

std::optional<std::int64_t> checkWholeNumber(const JsonValue* value, std::string_view field, std::int64_t min,
                                             std::int64_t max, FieldErrors& errors) {
  if (!value) return std::nullopt;
  const ExactNumber number = exactNumber(*value);
  if (value->kind != JsonKind::Number || number.shape == ExactNumber::Fraction) {
    errors.add(field, error_code::kType, "{} must be a whole number; it is {}.",
               {field, value->kind == JsonKind::Number ? "a fraction" : jsonTypeName(*value)});
    return std::nullopt;
  }
  if (number.shape == ExactNumber::LargeWhole || number.value < min || number.value > max) {
    errors.add(field, error_code::kRange, "{} must be between {} and {}; it is {}.",
               {field, Decimal(static_cast<std::uint64_t>(min)), Decimal(static_cast<std::uint64_t>(max)),
                numberText(*value)});
    return std::nullopt;
  }
  return number.value;
}

bool checkStringMap(const JsonValue& value, std::string_view field, const JsonDocument& document,
                    FieldErrors& errors) {
  static constexpr std::string_view kLimit =
      "{} must total at most 1024 bytes of UTF-8 (all names plus all values); they have {}{}.";
  if (value.kind == JsonKind::OversizedObject) {
    errors.add(field, error_code::kTooLarge, kLimit, {field, Decimal(value.size), " names"});
    return false;
  }
  if (value.kind != JsonKind::Object) {
    errors.add(field, error_code::kType, "{} must be an object of string values; it is {}.",
               {field, jsonTypeName(value)});
    return false;
  }
  std::uint64_t totalBytes = 0;
  bool fine = true;
  bool atLeast = false;  // a value over the shim's cap: its exact byte count is not known
  for (const JsonValue& item : document.children(value)) {
    totalBytes += item.key.size();
    if (!isValidUtf8(item.key)) {
      const std::string path = memberPath(field, item.key);
      errors.add(path, error_code::kInvalidUtf8, "{} has a name that is not valid Unicode text.", {path});
      fine = false;
    }
    if (item.kind == JsonKind::OversizedString) {
      totalBytes += item.size;  // at least one byte per UTF-16 code unit
      atLeast = true;
      fine = false;
      continue;
    }
    if (item.kind != JsonKind::String) {
      const std::string path = memberPath(field, item.key);
      errors.add(path, error_code::kType, "{} must be a string; it is {}.", {path, jsonTypeName(item)});
      fine = false;
      continue;
    }
    totalBytes += item.text.size();
    if (!isValidUtf8(item.text)) {
      const std::string path = memberPath(field, item.key);
      errors.add(path, error_code::kInvalidUtf8, "{} is not valid Unicode text.", {path});
      fine = false;
    }
  }
  static_assert(kMaxAttributesBytes == 1024, "the message above states the limit");
  // The shim's oversized strings are far over the limit; `atLeast` also covers a forged marker.
  if (totalBytes > kMaxAttributesBytes || atLeast) {
    errors.add(field, error_code::kTooLarge, kLimit, {field, atLeast ? "at least " : "", Decimal(totalBytes)});
    fine = false;
  }
  return fine;
}

void checkKnownMembers(const JsonValue& object, const JsonDocument& document,
                       std::initializer_list<std::string_view> known, const char* what,
                       FieldErrors& errors) {
  // Each unknown name once, in byte order (so that equal requests get equal reports).
  std::vector<std::string_view> unknown;
  for (const JsonValue& item : document.children(object)) {
    bool isKnown = false;
    for (const std::string_view name : known) isKnown = isKnown || item.key == name;
    if (isKnown) continue;
    std::size_t at = unknown.size();
    while (at > 0 && item.key < unknown[at - 1]) --at;
    if (at > 0 && unknown[at - 1] == item.key) continue;
    unknown.insert(unknown.begin() + static_cast<std::ptrdiff_t>(at), item.key);
  }
  if (unknown.empty()) return;  // the common case builds nothing
  std::string fields;
  std::size_t index = 0;
  for (const std::string_view name : known) {
    if (index > 0) fields += index + 1 == known.size() ? " and " : ", ";
    fields.append(name);
    ++index;
  }
  for (const std::string_view name : unknown) {
    const std::string_view meant = likelyMeant(name, known);
    if (meant.empty()) {
      errors.add(shownName(name), error_code::kUnknownField, "{} is not a {} field; the fields are {}.",
                 {quoted(name), what, fields});
      continue;
    }
    errors.add(shownName(name), error_code::kUnknownField, "{} is not a {} field; did you mean {}? The fields are {}.",
               {quoted(name), what, meant, fields});
    // `userID` given and `userId` missing: the misspelling explains the REQUIRED error, so it
    // is listed first (the error's message is what the caller reads first).
    errors.moveLastBefore(meant, error_code::kRequired);
  }
}

}  // namespace ivschat
