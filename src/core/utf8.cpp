#include "core/utf8.hpp"

#include <cstdint>
#include <cstring>

namespace ivschat {
namespace {

// Length of the well-formed sequence starting at text[i], or 0 when it is ill-formed.
std::size_t sequenceLength(std::string_view text, std::size_t i) noexcept {
  if (static_cast<unsigned char>(text[i]) < 0x80) return 1;
  return utf8SequenceLength(text.data() + i, text.data() + text.size());
}

}  // namespace

namespace {

// Walks the sequence at `at` by the Unicode standard's Table 3-7: its length when well-formed,
// else 0 with `breaking` set to the index of the first byte out of its range.
std::size_t walkSequence(const char* at, const char* end, std::size_t& breaking) noexcept {
  const auto lead = static_cast<unsigned char>(at[0]);
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    breaking = 0;
    return 0;
  }
  for (std::size_t k = 1; k < length; ++k) {
    if (at + k >= end) {
      breaking = k;
      return 0;
    }
    const auto next = static_cast<unsigned char>(at[k]);
    if (next < (k == 1 ? low : 0x80) || next > (k == 1 ? high : 0xBF)) {
      breaking = k;
      return 0;
    }
  }
  return length;
}

}  // namespace

std::size_t utf8SequenceLength(const char* at, const char* end) noexcept {
  std::size_t breaking = 0;
  return walkSequence(at, end, breaking);
}

std::size_t utf8BreakingByte(const char* at, const char* end) noexcept {
  std::size_t breaking = 0;
  walkSequence(at, end, breaking);
  return breaking;
}

bool isValidUtf8(std::string_view text) noexcept { return codePointCount(text).has_value(); }

std::optional<std::size_t> codePointCount(std::string_view text) noexcept {
  const char* at = text.data();
  const char* const end = at + text.size();
  std::size_t count = 0;
  while (at < end) {
    // Runs of ASCII eight bytes at a time (most chat text is ASCII).
    std::uint64_t word;
    while (end - at >= 8 && (std::memcpy(&word, at, 8), (word & 0x8080808080808080u) == 0)) {
      at += 8;
      count += 8;
    }
    if (at == end) break;
    const std::size_t length = static_cast<unsigned char>(*at) < 0x80 ? 1 : utf8SequenceLength(at, end);
    if (length == 0) return std::nullopt;
    at += length;
    ++count;
  }
  return count;
}

std::string sanitizeUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = sequenceLength(text, i);
    if (length == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

void appendUtf8(std::string& out, char32_t codePoint) {
  const auto push = [&](unsigned value) { out.push_back(static_cast<char>(value)); };
  if (codePoint < 0x80) {
    push(codePoint);
  } else if (codePoint < 0x800) {
    push(0xC0 | (codePoint >> 6));
    push(0x80 | (codePoint & 0x3F));
  } else if (codePoint < 0x10000) {
    push(0xE0 | (codePoint >> 12));
    push(0x80 | ((codePoint >> 6) & 0x3F));
    push(0x80 | (codePoint & 0x3F));
  } else {
    push(0xF0 | (codePoint >> 18));
    push(0x80 | ((codePoint >> 12) & 0x3F));
    push(0x80 | ((codePoint >> 6) & 0x3F));
    push(0x80 | (codePoint & 0x3F));
  }
}

}  // namespace ivschat
