#pragma once
// Helpers shared by the libFuzzer targets in this folder (each <name>.cpp is one target, built as
// fuzz_<name> by CMake with -DIVSCHAT_BUILD_FUZZERS=ON; run them with scripts/fuzz.sh).
//
// A broken invariant prints what failed and aborts, which libFuzzer reports as a crash and saves
// the input as a crash-* artifact.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "core/create_chat_token.hpp"
#include "core/utf8.hpp"

namespace ivschat::fuzz {

[[noreturn]] inline void violated(const char* file, int line, const char* what) {
  std::fprintf(stderr, "\n*** fuzz invariant violated at %s:%d: %s\n", file, line, what);
  std::fflush(stderr);
  std::abort();
}

#define FUZZ_CHECK(condition)                                                  \
  do {                                                                         \
    if (!(condition)) ::ivschat::fuzz::violated(__FILE__, __LINE__, #condition); \
  } while (0)

inline std::string_view asText(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Splits off the first `count` lines (at '\n'); returns count + 1 parts, the last one being the
/// rest of the input (which may hold more newlines). Missing lines are empty.
inline std::vector<std::string_view> splitLines(std::string_view text, std::size_t count) {
  std::vector<std::string_view> parts;
  parts.reserve(count + 1);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t end = text.find('\n');
    if (end == std::string_view::npos) {
      parts.push_back(text);
      text = {};
    } else {
      parts.push_back(text.substr(0, end));
      text.remove_prefix(end + 1);
    }
  }
  parts.push_back(text);
  return parts;
}

/// Takes one line off the front of `text` (without its '\n').
inline std::string_view takeLine(std::string_view& text) {
  const std::size_t end = text.find('\n');
  const std::string_view line = text.substr(0, end);
  text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  return line;
}

/// Printable ASCII (0x20-0x7E) only: what fixed English error messages consist of.
inline bool isPrintableAscii(std::string_view text) {
  for (const char c : text) {
    if (c < 0x20 || c > 0x7E) return false;
  }
  return true;
}

inline bool isLowerHex(std::string_view text) {
  for (const char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

/// Every field error has a path, a known code and a message, all valid UTF-8, and the list can
/// be serialized (nlohmann's dump throws on ill-formed UTF-8, which would reach the caller).
inline void checkFieldErrors(const std::vector<FieldError>& errors) {
  static constexpr const char* kCodes[] = {
      error_code::kRequired,    error_code::kType,     error_code::kTooShort,
      error_code::kTooLong,     error_code::kPattern,  error_code::kEnum,
      error_code::kDuplicate,   error_code::kRange,    error_code::kInvalidUtf8,
      error_code::kTooLarge,    error_code::kUnknownField};
  for (const FieldError& error : errors) {
    FUZZ_CHECK(!error.field.empty() || error.code == error_code::kUnknownField);
    FUZZ_CHECK(!error.message.empty());
    bool known = false;
    for (const char* code : kCodes) known = known || error.code == code;
    FUZZ_CHECK(known);  // never INTERNAL: that would mean an exception was swallowed
    FUZZ_CHECK(isValidUtf8(error.field));
    FUZZ_CHECK(isValidUtf8(error.message));
  }
  try {
    (void)fieldErrorsToJson(errors).dump();
    (void)buildValidationExceptionBody(errors);
  } catch (const std::exception&) {
    FUZZ_CHECK(!"field errors could not be serialized");
  }
}

}  // namespace ivschat::fuzz
