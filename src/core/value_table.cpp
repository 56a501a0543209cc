#include "core/value_table.hpp"

#include <cstring>

namespace ivschat {
namespace {

constexpr std::size_t kRecordBytes = 16;
constexpr std::uint32_t kKindMask = 0xff;

std::uint32_t wordAt(std::string_view bytes, std::size_t offset) noexcept {
  std::uint32_t word;
  std::memcpy(&word, bytes.data() + offset, sizeof word);
  return word;
}

bool isDigit(char c) noexcept { return c >= '0' && c <= '9'; }

// Whether `text` is a JSON number (what JavaScript writes for a finite number always is).
bool isJsonNumber(std::string_view text) noexcept {
  std::size_t i = 0;
  const auto digits = [&] {
    const std::size_t start = i;
    while (i < text.size() && isDigit(text[i])) ++i;
    return i > start;
  };
  if (i < text.size() && text[i] == '-') ++i;
  if (i < text.size() && text[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == text.size();
}

// A number as scanJson records it: integers (no fraction or exponent, within nlohmann's 64-bit
// range) by their magnitude, everything else by its text, which exactNumber reads.
void recordNumber(JsonValue& value, std::string_view text) noexcept {
  const bool negative = !text.empty() && text[0] == '-';
  std::uint64_t magnitude = 0;
  bool integer = true;
  for (std::size_t i = negative ? 1 : 0; i < text.size() && integer; ++i) {
    const auto digit = static_cast<std::uint64_t>(text[i] - '0');
    integer = isDigit(text[i]) && magnitude <= (UINT64_MAX - digit) / 10;
    magnitude = magnitude * 10 + digit;
  }
  if (negative && magnitude > (std::uint64_t{1} << 63)) integer = false;
  if (!integer) {
    value.text = text;
    return;
  }
  value.integer = true;
  value.negative = negative && magnitude != 0;
  value.magnitude = magnitude;
}

bool isContainer(JsonKind kind) noexcept { return kind == JsonKind::Array || kind == JsonKind::Object; }

}  // namespace

JsonDocument readValueTable(std::string_view bytes, JsonWorkspace& workspace) {
  JsonDocument document;
  JsonDocumentAccess::bind(document, workspace.values());
  if (bytes.size() < 4 || bytes.size() % 4 != 0) return document;
  const std::uint32_t count = wordAt(bytes, bytes.size() - 4);
  if (count == 0 || count > (bytes.size() - 4) / kRecordBytes) return document;
  if (count > workspace.maxValues()) {
    document.truncated = true;
    return document;
  }
  const std::size_t recordsAt = bytes.size() - 4 - count * kRecordBytes;
  JsonValue* values = workspace.values();

  struct Open {
    std::uint32_t container;
    std::uint32_t lastChild;
    std::uint64_t remaining;
  };
  Open open[kMaxRecordedDepth + 1];
  int depth = 0;  // open containers
  std::size_t at = 0;  // next string byte
  const auto closeFinished = [&] {
    while (depth > 0 && open[depth - 1].remaining == 0) --depth;
  };
  for (std::uint32_t index = 0; index < count; ++index) {
    closeFinished();
    if (index > 0 && depth == 0) return document;  // records after the root's last value
    const std::size_t record = recordsAt + index * kRecordBytes;
    const std::uint32_t flags = wordAt(bytes, record);
    const std::uint32_t keyLength = wordAt(bytes, record + 4);
    const std::uint32_t textLength = wordAt(bytes, record + 8);
    const std::uint32_t size = wordAt(bytes, record + 12);
    const std::uint32_t kindNumber = flags & kKindMask;
    if (kindNumber > static_cast<std::uint32_t>(JsonKind::OversizedObject)) return document;
    const auto kind = static_cast<JsonKind>(kindNumber);
    const bool uncounted = (flags & kTableChildrenNotRecorded) != 0;
    // Exactly the containers at the recorded depth have their children counted, not written.
    if ((flags & ~(kKindMask | kTableTrue | kTableChildrenNotRecorded)) != 0 ||
        ((flags & kTableTrue) != 0 && kind != JsonKind::Boolean) ||
        uncounted != (isContainer(kind) && depth == kMaxRecordedDepth)) {
      return document;
    }
    if (keyLength > recordsAt - at || textLength > recordsAt - at - keyLength) return document;
    Open* parent = depth > 0 ? &open[depth - 1] : nullptr;
    const bool member = parent && values[parent->container].kind == JsonKind::Object;
    if (!member && keyLength != 0) return document;

    JsonValue& value = values[index];
    value = JsonValue{};
    value.kind = kind;
    value.key = bytes.substr(at, keyLength);
    at += keyLength;
    const std::string_view text = bytes.substr(at, textLength);
    at += textLength;
    switch (kind) {
      case JsonKind::Boolean:
        value.boolean = (flags & kTableTrue) != 0;
        break;
      case JsonKind::Number:
        // JavaScript writes no "-0" (String(-0) is "0"): one number, one text.
        if (!isJsonNumber(text) || text == "-0") return document;
        recordNumber(value, text);
        break;
      case JsonKind::String:
      case JsonKind::NonFinite:
      case JsonKind::BigInt:
        value.text = text;
        break;
      default:
        break;
    }
    if (!text.empty() && value.text.empty() && !value.integer) return document;  // text where none belongs
    if (isContainer(kind) || kind >= JsonKind::OversizedString) {
      value.size = size;
    } else if (size != 0) {
      return document;
    }

    if (parent) {
      appendChild(values, parent->container, parent->lastChild, index);
      --parent->remaining;
    }
    if (isContainer(kind) && !uncounted && size > 0) {
      // Its children follow, one level deeper (depth < kMaxRecordedDepth: checked above).
      open[depth++] = Open{index, 0, size};
    }
  }
  closeFinished();
  // Every string byte is some record's, and the padding is zeros: one value has one table.
  if (depth != 0 || recordsAt - at >= 4) return document;
  for (std::size_t i = at; i < recordsAt; ++i) {
    if (bytes[i] != '\0') return document;
  }
  document.ok = true;
  return document;
}

}  // namespace ivschat
