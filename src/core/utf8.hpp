#pragma once
// UTF-8 checks and counting. Smithy string lengths count Unicode code points, so every length
// rule in this project goes through codePointCount().
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ivschat {

/// The length (2-4) of the well-formed multi-byte UTF-8 sequence starting at `at` (the Unicode
/// standard's Table 3-7), or 0 when the bytes there are not one.
std::size_t utf8SequenceLength(const char* at, const char* end) noexcept;

/// For a sequence at `at` that is not well-formed: the index of the first byte that breaks it,
/// read in order (0: the lead byte itself; a value past `end - at` means the input ended).
std::size_t utf8BreakingByte(const char* at, const char* end) noexcept;

/// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool isValidUtf8(std::string_view text) noexcept;

/// Number of code points in well-formed UTF-8 text; std::nullopt when the text is not well-formed.
std::optional<std::size_t> codePointCount(std::string_view text) noexcept;

/// The text with every ill-formed sequence replaced by U+FFFD, for safe display in messages.
std::string sanitizeUtf8(std::string_view text);

/// Appends the UTF-8 encoding of `codePoint` to `out`. Surrogates are written as their three
/// generalized-UTF-8 bytes, which isValidUtf8() rejects: that is how a lone UTF-16 surrogate
/// from JavaScript stays visible as invalid text instead of silently becoming U+FFFD.
void appendUtf8(std::string& out, char32_t codePoint);

}  // namespace ivschat
