#include "core/json_input.hpp"

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "core/utf8.hpp"

namespace ivschat {
namespace {

using nlohmann::json;

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<char32_t> readHex4(std::string_view text, std::size_t at) {
  if (at + 4 > text.size()) return std::nullopt;
  char32_t value = 0;
  for (std::size_t k = 0; k < 4; ++k) {
    const int digit = hexValue(text[at + k]);
    if (digit < 0) return std::nullopt;
    value = value * 16 + static_cast<char32_t>(digit);
  }
  return value;
}

bool isHighSurrogate(char32_t c) { return c >= 0xD800 && c <= 0xDBFF; }
bool isLowSurrogate(char32_t c) { return c >= 0xDC00 && c <= 0xDFFF; }

// One pass over the text: every string literal (keys included) is numbered in order. Literals
// holding lone surrogate escapes or ill-formed raw bytes are decoded here, by hand, and replaced
// in `cleaned` by an escaped U+FFFD so that nlohmann accepts the document.
struct Rewrite {
  std::string cleaned;
  std::unordered_map<std::size_t, std::string> decodedByLiteral;
};

// Whether the text may hold a literal that needs the lossless path: ill-formed UTF-8, or a
// \u escape of a surrogate (paired ones included; the full scan tells them apart). False for
// nearly every real request, which then skips the rewrite pass entirely.
bool mayNeedRewrite(std::string_view text) {
  if (!isValidUtf8(text)) return true;
  for (std::size_t at = text.find("\\u"); at != std::string_view::npos; at = text.find("\\u", at + 2)) {
    if (at + 2 < text.size() && (text[at + 2] == 'd' || text[at + 2] == 'D')) return true;
  }
  return false;
}

std::optional<Rewrite> rewriteInvalidLiterals(std::string_view text) {
  if (!mayNeedRewrite(text)) return std::nullopt;
  Rewrite result;
  std::size_t literalIndex = 0;
  bool anyRewrite = false;
  result.cleaned.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '"') {
      result.cleaned.push_back(text[i++]);
      continue;
    }
    // A string literal: decode it, tracking whether it needs the lossless path.
    const std::size_t start = i++;
    std::string decoded;
    std::string cleanedLiteral = "\"";
    bool invalid = false;
    bool closed = false;
    while (i < text.size()) {
      const char c = text[i];
      if (c == '"') {
        closed = true;
        ++i;
        break;
      }
      if (c == '\\' && i + 1 < text.size() && text[i + 1] == 'u') {
        const auto unit = readHex4(text, i + 2);
        if (!unit) break;  // malformed escape: leave it for nlohmann to report
        if (isHighSurrogate(*unit) && i + 12 <= text.size() && text[i + 6] == '\\' &&
            text[i + 7] == 'u') {
          const auto next = readHex4(text, i + 8);
          if (next && isLowSurrogate(*next)) {
            appendUtf8(decoded, 0x10000 + ((*unit - 0xD800) << 10) + (*next - 0xDC00));
            cleanedLiteral.append(text.substr(i, 12));
            i += 12;
            continue;
          }
        }
        appendUtf8(decoded, *unit);
        if (isHighSurrogate(*unit) || isLowSurrogate(*unit)) {
          invalid = true;
          cleanedLiteral += "\\uFFFD";
        } else {
          cleanedLiteral.append(text.substr(i, 6));
        }
        i += 6;
        continue;
      }
      if (c == '\\' && i + 1 >= text.size()) break;  // text ends inside an escape
      if (c == '\\') {
        const char e = text[i + 1];
        const char plain = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e == 'b' ? '\b'
                         : e == 'f' ? '\f' : e;
        decoded.push_back(plain);
        cleanedLiteral.append(text.substr(i, 2));
        i += 2;
        continue;
      }
      // A raw byte run up to the next quote or backslash: keep valid UTF-8, flag the rest.
      std::size_t end = i;
      while (end < text.size() && text[end] != '"' && text[end] != '\\') ++end;
      const std::string_view run = text.substr(i, end - i);
      decoded.append(run);
      if (isValidUtf8(run)) {
        cleanedLiteral.append(run);
      } else {
        invalid = true;
        cleanedLiteral += sanitizeUtf8(run);
      }
      i = end;
    }
    if (!closed) {
      // Unterminated or malformed: copy the rest unchanged so nlohmann reports the error.
      result.cleaned.append(text.substr(start));
      break;
    }
    cleanedLiteral.push_back('"');
    if (invalid) {
      anyRewrite = true;
      result.decodedByLiteral.emplace(literalIndex, std::move(decoded));
      result.cleaned += cleanedLiteral;
    } else {
      result.cleaned.append(text.substr(start, i - start));
    }
    ++literalIndex;
  }
  if (!anyRewrite) return std::nullopt;
  return result;
}

// Builds the document from SAX events, substituting the literals decoded above.
class DomBuilder : public nlohmann::json_sax<json> {
 public:
  explicit DomBuilder(const std::unordered_map<std::size_t, std::string>* replacements)
      : replacements_(replacements) {}

  json root;
  std::string error;

  bool null() override { return put(nullptr); }
  bool boolean(bool v) override { return put(v); }
  bool number_integer(number_integer_t v) override { return put(v); }
  bool number_unsigned(number_unsigned_t v) override { return put(v); }
  bool number_float(number_float_t v, const string_t&) override { return put(v); }
  bool string(string_t& v) override { return put(literal(v)); }
  bool binary(binary_t&) override { return put(nullptr); }
  bool start_object(std::size_t) override { return open(json::object()); }
  bool start_array(std::size_t) override { return open(json::array()); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }
  bool key(string_t& v) override {
    pendingKey_ = literal(v);
    return true;
  }
  // Only the position is kept: nlohmann's message quotes the input, which may be a secret.
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception&) override {
    error = "not valid JSON (error at byte " + std::to_string(position) + ")";
    return false;
  }

 private:
  std::string literal(const std::string& parsed) {
    const std::size_t index = literalCount_++;
    if (replacements_) {
      const auto found = replacements_->find(index);
      if (found != replacements_->end()) return found->second;
    }
    return parsed;
  }
  json* place(json&& value) {
    if (stack_.empty()) {
      root = std::move(value);
      return &root;
    }
    json& parent = *stack_.back();
    if (parent.is_array()) {
      parent.push_back(std::move(value));
      return &parent.back();
    }
    json& slot = parent[pendingKey_];
    slot = std::move(value);
    return &slot;
  }
  bool put(json&& value) {
    place(std::move(value));
    return true;
  }
  bool open(json&& container) {
    stack_.push_back(place(std::move(container)));
    return true;
  }
  bool close() {
    stack_.pop_back();
    return true;
  }

  const std::unordered_map<std::size_t, std::string>* replacements_;
  std::vector<json*> stack_;
  std::string pendingKey_;
  std::size_t literalCount_ = 0;
};

}  // namespace

JsonInput parseJsonKeepingInvalidText(std::string_view text) {
  JsonInput input;
  try {
    const std::optional<Rewrite> rewrite = rewriteInvalidLiterals(text);
    const std::string_view source = rewrite ? std::string_view(rewrite->cleaned) : text;
    DomBuilder builder(rewrite ? &rewrite->decodedByLiteral : nullptr);
    const bool parsed = json::sax_parse(source, &builder, json::input_format_t::json, true);
    if (!parsed) {
      input.error = builder.error.empty() ? "not valid JSON" : builder.error;
      return input;
    }
    input.value = std::move(builder.root);
    input.ok = true;
  } catch (const std::exception&) {
    input.error = "not valid JSON";
  }
  return input;
}

}  // namespace ivschat
