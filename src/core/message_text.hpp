#pragma once
// Messages for people, written from a pattern: each "{}" takes the next argument. One small
// function called with views, instead of a chain of std::string concatenations at every call
// site (which, inlined, cost kilobytes of wasm for text that is rarely built).
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace ivschat {

std::string formatMessage(std::string_view pattern, std::initializer_list<std::string_view> args);

/// A whole number in decimal, on the stack: `formatMessage("it has {}.", {Decimal(n)})`.
class Decimal {
 public:
  explicit Decimal(std::uint64_t value) noexcept : Decimal(value, false) {}
  Decimal(std::uint64_t magnitude, bool negative) noexcept;
  operator std::string_view() const noexcept { return {digits_ + start_, sizeof(digits_) - start_}; }

 private:
  char digits_[21];
  unsigned char start_;
};

/// "1 character", "3 characters".
std::string plural(std::uint64_t count, std::string_view noun);

}  // namespace ivschat
