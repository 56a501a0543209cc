#pragma once
// Matching short ASCII patterns (ARNs, identifiers) by consuming a view from its front: the
// character classes and the two steps every hand-written pattern of the core is made of.
#include <cstddef>
#include <string_view>

namespace ivschat {

inline bool isAsciiDigit(char c) noexcept { return c >= '0' && c <= '9'; }
inline bool isLowerAlnumOrDash(char c) noexcept { return (c >= 'a' && c <= 'z') || isAsciiDigit(c) || c == '-'; }
inline bool isAlnumOrDash(char c) noexcept { return (c >= 'A' && c <= 'Z') || isLowerAlnumOrDash(c); }

/// Consumes the longest run of characters `accepts` takes, at most `max` of them (0: no bound);
/// false, consuming nothing, when the run is shorter than `min`.
template <typename Predicate>
bool consumeRun(std::string_view& text, Predicate accepts, std::size_t min = 1, std::size_t max = 0) {
  std::size_t length = 0;
  while (length < text.size() && accepts(text[length]) && (max == 0 || length < max)) ++length;
  if (length < min) return false;
  text.remove_prefix(length);
  return true;
}

/// Consumes `literal` when the text starts with it.
inline bool consumeLiteral(std::string_view& text, std::string_view literal) {
  if (text.substr(0, literal.size()) != literal) return false;
  text.remove_prefix(literal.size());
  return true;
}

}  // namespace ivschat
