#pragma once
// The input nlohmann/json's parser reads in this project (SpanInput, a byte range), and, for the
// pinned nlohmann/json 3.11.2 only, three members of its lexer and parser specialised for that
// input. Included by json_scan.cpp alone, the one place that instantiates the parser, so every
// use of these classes sees the same definitions.
//
// Why (sizes and counts in bench/results.md):
//   scan_string       nlohmann's copies every character twice through out-of-line push_backs
//                     (token_string for error messages, token_buffer for the value); this one
//                     skips runs of plain text (well-formed UTF-8 included) at once, copies
//                     nothing for a string without escapes (SpanCursor::plainString: the scan
//                     takes a view of the text instead) and copies runs whole otherwise. Escapes,
//                     control characters and ill-formed bytes go through nlohmann's own get(),
//                     get_codepoint() and next_byte_in_range(), so what is accepted, the decoded
//                     bytes and the error positions are the same. With keepInvalidText it also
//                     keeps ill-formed text (see SpanCursor), sparing requests a rewriting pass.
//   get, unget, reset the same without token_string, the raw text of each token, which only
//                     nlohmann's error messages read.
//   scan_comment      never called (comments are refused), so not linked.
//   strtof(double&)   nlohmann converts floats with std::strtod (musl's, 128-bit soft float in
//                     wasm, ~7 KB gzipped); the core never reads that double (json_scan.hpp's
//                     exactNumber works on the text), but the parser refuses a float that is
//                     infinite, so this conversion decides overflow exactly and is close
//                     elsewhere.
//   get_token_string, exception_message, parse_error::create
//                     build the text of nlohmann's error messages (snprintf for control
//                     characters); the core reports errors by position only, never quoting
//                     input, so they return nothing.
// IVSCHAT_JSON_PLAIN gets nlohmann's own members instead, and any other nlohmann version stops
// the build (json_tuning_mode.hpp): the same results, bigger and slower. tests/cpp/json_scan_test.cpp
// and the json_scan fuzz target check the two agree; the ASan + UBSan build (scripts/build.sh)
// and the fuzz targets run the shipped, tuned path.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>

#include "core/json_tuning_mode.hpp"
#include "core/utf8.hpp"

namespace ivschat {

/// Where the parser reads from: the scanned text, byte by byte. The position is shared with the
/// scan (the adapter is moved into the lexer), so that the SAX handler can tell where a string
/// ended.
struct SpanCursor {
  const char* at = nullptr;
  const char* end = nullptr;
  /// Tuned lexer only: keep ill-formed text in strings instead of refusing the document (raw
  /// bytes as they are, lone surrogate escapes as their generalized UTF-8), for validators to
  /// report at their field. json_lossless.hpp does the same on the plain lexer by rewriting.
  bool keepInvalidText = false;
  /// Tuned lexer only, after each string token: true when the string's value is exactly the
  /// text [stringBegin, stringEnd) (no escape in it), which token_buffer then does not hold.
  bool plainString = false;
  const char* stringBegin = nullptr;
  const char* stringEnd = nullptr;
};

class SpanInput {
 public:
  using char_type = char;
  explicit SpanInput(SpanCursor* cursor) noexcept : cursor_(cursor) {}
  std::char_traits<char>::int_type get_character() noexcept {
    if (cursor_->at == cursor_->end) return std::char_traits<char>::eof();
    return std::char_traits<char>::to_int_type(*cursor_->at++);
  }
  SpanCursor& cursor() noexcept { return *cursor_; }

 private:
  SpanCursor* cursor_;
};

using JsonLexer = nlohmann::detail::lexer<nlohmann::json, SpanInput>;
using JsonParser = nlohmann::detail::parser<nlohmann::json, SpanInput>;

}  // namespace ivschat

#if IVSCHAT_JSON_TUNED
// The members below replace private members of nlohmann/json 3.11.2, written against its
// source: any other version stops the build (json_tuning_mode.hpp), never reaches these.
static_assert(NLOHMANN_JSON_VERSION_MAJOR == 3 && NLOHMANN_JSON_VERSION_MINOR == 11 &&
                  NLOHMANN_JSON_VERSION_PATCH == 2,
              "the nlohmann/json specialisations are written for version 3.11.2");

NLOHMANN_JSON_NAMESPACE_BEGIN
namespace detail {

// get(), unget() and reset() as nlohmann's, without token_string: the raw text of the token,
// kept for nothing but error messages, which get_token_string() below no longer writes.
template <>
inline ivschat::JsonLexer::char_int_type ivschat::JsonLexer::get() {
  ++position.chars_read_total;
  ++position.chars_read_current_line;
  if (next_unget) {
    next_unget = false;
  } else {
    current = ia.get_character();
  }
  if (current == '\n') {
    ++position.lines_read;
    position.chars_read_current_line = 0;
  }
  return current;
}

template <>
inline void ivschat::JsonLexer::unget() {
  next_unget = true;
  --position.chars_read_total;
  if (position.chars_read_current_line == 0) {
    if (position.lines_read > 0) --position.lines_read;
  } else {
    --position.chars_read_current_line;
  }
}

template <>
inline void ivschat::JsonLexer::reset() noexcept {
  token_buffer.clear();
}

template <>
inline ivschat::JsonLexer::token_type ivschat::JsonLexer::scan_string() {
  reset();  // current is the opening quote
  ivschat::SpanCursor& cursor = ia.cursor();
  const bool keepInvalid = cursor.keepInvalidText;
  const char* const content = cursor.at;
  // Text from here on is not yet in token_buffer: a string without escapes never gets there,
  // and the scan hands it over as a view (SpanCursor::plainString).
  const char* pending = content;
  bool copied = false;
  const auto flush = [&](const char* until) {
    token_buffer.append(pending, static_cast<std::size_t>(until - pending));
    copied = true;
  };
  // After "\\u": the escape's code point (a surrogate pair read as one) into token_buffer;
  // with keepInvalidText a lone surrogate as its three generalized UTF-8 bytes.
  const auto unicodeEscape = [&]() {
    const auto lowFollows = [&cursor] {
      const char* p = cursor.at;
      if (cursor.end - p < 6 || p[0] != '\\' || p[1] != 'u') return false;
      unsigned value = 0;
      for (int k = 2; k < 6; ++k) {
        const char h = p[k];
        const int digit = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
                          : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
        if (digit < 0) return false;
        value = value * 16 + static_cast<unsigned>(digit);
      }
      return value >= 0xDC00 && value <= 0xDFFF;
    };
    int codepoint = get_codepoint();
    if (codepoint < 0) {
      error_message = "invalid string: '\\u' must be followed by 4 hex digits";
      return false;
    }
    const bool surrogate = codepoint >= 0xD800 && codepoint <= 0xDFFF;
    if (surrogate && keepInvalid && !(codepoint <= 0xDBFF && lowFollows())) {
      // A lone surrogate: kept as its three generalized UTF-8 bytes, which no validator accepts.
    } else if (codepoint >= 0xD800 && codepoint <= 0xDBFF) {
      if (!(get() == '\\' && get() == 'u')) {
        error_message = "invalid string: a high surrogate must be followed by a low one";
        return false;
      }
      const int low = get_codepoint();
      if (low < 0) {
        error_message = "invalid string: '\\u' must be followed by 4 hex digits";
        return false;
      }
      if (low < 0xDC00 || low > 0xDFFF) {
        error_message = "invalid string: a high surrogate must be followed by a low one";
        return false;
      }
      codepoint = 0x10000 + ((codepoint - 0xD800) << 10) + (low - 0xDC00);
    } else if (surrogate) {
      error_message = "invalid string: a low surrogate must follow a high one";
      return false;
    }
    const auto cp = static_cast<unsigned>(codepoint);
    if (cp < 0x80) {
      add(static_cast<char_int_type>(cp));
    } else if (cp < 0x800) {
      add(static_cast<char_int_type>(0xC0U | (cp >> 6U)));
      add(static_cast<char_int_type>(0x80U | (cp & 0x3FU)));
    } else if (cp < 0x10000) {
      add(static_cast<char_int_type>(0xE0U | (cp >> 12U)));
      add(static_cast<char_int_type>(0x80U | ((cp >> 6U) & 0x3FU)));
      add(static_cast<char_int_type>(0x80U | (cp & 0x3FU)));
    } else {
      add(static_cast<char_int_type>(0xF0U | (cp >> 18U)));
      add(static_cast<char_int_type>(0x80U | ((cp >> 12U) & 0x3FU)));
      add(static_cast<char_int_type>(0x80U | ((cp >> 6U) & 0x3FU)));
      add(static_cast<char_int_type>(0x80U | (cp & 0x3FU)));
    }
    return true;
  };
  for (;;) {
    // A run of characters that stand for themselves (well-formed UTF-8 included), counted as
    // get() counts them.
    const char* run = cursor.at;
    const char* const end = cursor.end;
    for (;;) {
      // Eight bytes at a time while they are all printable ASCII other than '"' and '\\':
      // (x - 0x01..01 * n) & ~x & 0x80..80 is non-zero exactly when a byte of x is below n
      // (n <= 0x80), so below 1 for a byte equal to what was xor-ed away.
      constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
      constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
      const auto below = [](std::uint64_t x, std::uint64_t n) { return (x - kOnes * n) & ~x & kHigh; };
      while (end - run >= 8) {
        std::uint64_t word;
        std::memcpy(&word, run, 8);
        if ((below(word, 0x20) | (word & kHigh) | below(word ^ (kOnes * '"'), 1) |
             below(word ^ (kOnes * '\\'), 1)) != 0) {
          break;
        }
        run += 8;
      }
      // Then byte by byte up to the first byte that is not plain ASCII.
      while (run != end) {
        const auto c = static_cast<unsigned char>(*run);
        if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') break;
        ++run;
      }
      // A well-formed UTF-8 sequence is part of the run too (any byte >= 0x80 with keepInvalid).
      if (run == end || static_cast<unsigned char>(*run) < 0x80) break;
      const std::size_t sequence = keepInvalid ? 1 : ivschat::utf8SequenceLength(run, end);
      if (sequence == 0) break;
      run += sequence;
    }
    const auto length = static_cast<std::size_t>(run - cursor.at);
    cursor.at = run;
    position.chars_read_total += length;
    position.chars_read_current_line += length;
    // What ends the run: the closing quote, an escape, a control character, an ill-formed UTF-8
    // byte or the end of the input.
    const char_int_type c = get();
    if (c == '"') {
      cursor.plainString = !copied;
      if (copied) flush(cursor.at - 1);
      cursor.stringBegin = content;
      cursor.stringEnd = cursor.at - 1;
      return token_type::value_string;
    }
    if (c == std::char_traits<char>::eof()) {
      error_message = "invalid string: missing closing quote";
      return token_type::parse_error;
    }
    if (c < 0x20) {
      error_message = "invalid string: control character must be escaped";
      return token_type::parse_error;
    }
    flush(cursor.at - 1);
    if (c == '\\') {
      switch (get()) {
        case '"': add('"'); break;
        case '\\': add('\\'); break;
        case '/': add('/'); break;
        case 'b': add('\b'); break;
        case 'f': add('\f'); break;
        case 'n': add('\n'); break;
        case 'r': add('\r'); break;
        case 't': add('\t'); break;
        case 'u':
          if (!unicodeEscape()) return token_type::parse_error;
          break;
        default:
          error_message = "invalid string: forbidden character after backslash";
          return token_type::parse_error;
      }
      pending = cursor.at;
      continue;
    }
    // An ill-formed UTF-8 sequence (the run takes every well-formed one): read up to the byte
    // that breaks it, as nlohmann's next_byte_in_range() does, for the same error position.
    for (std::size_t k = ivschat::utf8BreakingByte(cursor.at - 1, end); k > 0; --k) get();
    error_message = "invalid string: ill-formed UTF-8 byte";
    return token_type::parse_error;
  }
}

// Comments are never allowed (the parser is built with skip_comments false), so their scanner is
// never called; this keeps nlohmann's out of the module.
template <>
inline bool ivschat::JsonLexer::scan_comment() {
  error_message = "invalid literal";
  return false;
}

template <>
inline std::string ivschat::JsonLexer::get_token_string() const {
  return {};
}

template <>
inline std::string ivschat::JsonParser::exception_message(const token_type, const std::string&) {
  return {};
}

// The exception object the parser hands the SAX handler's parse_error (which reads only the
// position): without its message ("[json.exception.parse_error.101] parse error at line 1, ..."),
// so exception::name, position_string and their to_string are not linked.
template <>
inline parse_error parse_error::create<std::nullptr_t, 0>(int id_, const position_t& pos, const std::string&,
                                                          std::nullptr_t) {
  return {id_, pos.chars_read_total, ""};
}

#if defined(__GNUC__) && !defined(__clang__)
// GCC asks for the primary template's nonnull attribute here, clang refuses it on a static
// member; the specialisation is only ever called by the lexer, with its own buffer.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-attributes"
#endif
template <>
inline void ivschat::JsonLexer::strtof(double& f, const char* str, char** endptr) noexcept {
  // 2^1024 - 2^970, halfway between DBL_MAX and 2^1024: a decimal at or above it rounds to
  // infinity (a tie goes to the even 2^1024), anything below it to a finite double.
  static const char kOverflowDigits[] =
      "17976931348623158079372897140530341507993413271003782693617377898044496829276475094664901797"
      "75872070963302864166928879109465555478519404026306574886715058206819089020007083836762738548"
      "45817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711"
      "559699508093042880177904174497792";
  static const double kExactPowers[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                        1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                        1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  const auto isDigit = [](char c) { return c >= '0' && c <= '9'; };
  // The number has been checked by the lexer: -?digits(point digits)?([eE][+-]?digits)?, with
  // the locale's decimal point in place of '.'.
  const char* p = str;
  const bool negative = *p == '-';
  if (negative) ++p;
  const char* digitsBegin = p;
  long digitCount = 0;
  long beforePoint = -1;
  for (; *p != '\0' && *p != 'e' && *p != 'E'; ++p) {
    if (isDigit(*p)) {
      ++digitCount;
    } else {
      beforePoint = digitCount;
    }
  }
  const char* digitsEnd = p;
  if (beforePoint < 0) beforePoint = digitCount;
  long exponent = 0;
  if (*p == 'e' || *p == 'E') {
    ++p;
    const bool negativeExponent = *p == '-';
    if (*p == '-' || *p == '+') ++p;
    for (; isDigit(*p); ++p) {
      if (exponent < 1000000) exponent = exponent * 10 + (*p - '0');
    }
    if (negativeExponent) exponent = -exponent;
  }
  *endptr = const_cast<char*>(p);

  // value = 0.d1d2d3... x 10^magnitude with d1 the first non-zero digit.
  std::uint64_t mantissa = 0;
  long kept = 0;
  long leadingZeros = 0;
  const char* firstSignificant = nullptr;
  for (const char* q = digitsBegin; q != digitsEnd; ++q) {
    if (!isDigit(*q)) continue;
    if (firstSignificant == nullptr) {
      if (*q == '0') {
        ++leadingZeros;
        continue;
      }
      firstSignificant = q;
    }
    if (kept < 19) {
      mantissa = mantissa * 10 + static_cast<std::uint64_t>(*q - '0');
      ++kept;
    }
  }
  if (firstSignificant == nullptr) {
    f = negative ? -0.0 : 0.0;
    return;
  }
  const long magnitude = beforePoint - leadingZeros + exponent;
  bool overflow = magnitude > 309;
  if (magnitude == 309) {
    // Digit by digit against the threshold: the first difference decides; when the digits run
    // out first the number is below it; when all of its digits match, at or above it.
    const std::size_t thresholdLength = sizeof(kOverflowDigits) - 1;
    std::size_t k = 0;
    int order = 0;
    for (const char* q = firstSignificant; q != digitsEnd && order == 0; ++q) {
      if (!isDigit(*q)) continue;
      if (k == thresholdLength) {
        order = 1;
      } else if (*q != kOverflowDigits[k]) {
        order = *q > kOverflowDigits[k] ? 1 : -1;
      }
      ++k;
    }
    if (order == 0) order = k == thresholdLength ? 1 : -1;
    overflow = order > 0;
  }
  if (overflow) {
    f = negative ? -HUGE_VAL : HUGE_VAL;
    return;
  }
  // mantissa x 10^scale: exact when both fit a double exactly (Clinger's fast path), else
  // within a few units in the last place; nothing reads it (see the top of this file).
  long scale = magnitude - kept;
  double value = static_cast<double>(mantissa);
  if (scale >= 0) {
    for (; scale > 22 && value < 1e300; scale -= 22) value *= 1e22;
    value = scale > 22 ? HUGE_VAL : value * kExactPowers[scale];
    if (std::isinf(value)) value = 1.7976931348623157e308;  // below the threshold: finite
  } else {
    for (; scale < -22 && value > 0; scale += 22) value /= 1e22;
    value = scale < -22 ? 0.0 : value / kExactPowers[-scale];
  }
  f = negative ? -value : value;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

}  // namespace detail
NLOHMANN_JSON_NAMESPACE_END

#endif
