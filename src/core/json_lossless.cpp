#include "core/json_lossless.hpp"

#include <cstdint>
#include <optional>

#include "core/json_tuning_mode.hpp"
#include "core/utf8.hpp"

namespace ivschat {
namespace {

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

}  // namespace

Rewrite rewriteInvalidLiterals(std::string_view text, JsonWorkspace& workspace, std::string& cleaned,
                               std::vector<LiteralReplacement>& replacements) {
  if (!mayNeedRewrite(text)) return Rewrite::kNone;
  std::size_t literalIndex = 0;
  bool anyRewrite = false;
  cleaned.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '"') {
      cleaned.push_back(text[i++]);
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
      cleaned.append(text.substr(start));
      break;
    }
    cleanedLiteral.push_back('"');
    if (invalid) {
      anyRewrite = true;
      const std::optional<std::string_view> stored = workspace.store(decoded);
      if (!stored) return Rewrite::kArenaFull;
      replacements.push_back({literalIndex, *stored});
      cleaned += cleanedLiteral;
    } else {
      cleaned.append(text.substr(start, i - start));
    }
    ++literalIndex;
  }
  return anyRewrite ? Rewrite::kDone : Rewrite::kNone;
}

LosslessJson::LosslessJson(std::string_view text, JsonWorkspace& workspace, bool markers) {
  workspace.resetArena();
#if IVSCHAT_JSON_TUNED
  document = scanJson(text, workspace, {nullptr, true, markers});
#else
  const Rewrite rewrite = rewriteInvalidLiterals(text, workspace, cleaned_, replacements_);
  if (rewrite == Rewrite::kArenaFull) {
    document.truncated = true;
  } else if (rewrite == Rewrite::kDone) {
    document = scanJson(cleaned_, workspace, {&replacements_, false, markers});
  } else {
    document = scanJson(text, workspace, {nullptr, false, markers});
  }
#endif
}

}  // namespace ivschat
