#include "core/message_text.hpp"

namespace ivschat {

std::string formatMessage(std::string_view pattern, std::initializer_list<std::string_view> args) {
  std::size_t size = pattern.size();
  for (const std::string_view arg : args) size += arg.size();
  std::string out;
  out.reserve(size);
  const std::string_view* next = args.begin();
  for (std::size_t at = 0;;) {
    const std::size_t hole = pattern.find("{}", at);
    if (hole == std::string_view::npos || next == args.end()) {
      out.append(pattern.substr(at));
      return out;
    }
    out.append(pattern.substr(at, hole - at)).append(*next++);
    at = hole + 2;
  }
}

Decimal::Decimal(std::uint64_t magnitude, bool negative) noexcept : start_(sizeof(digits_)) {
  do {
    digits_[--start_] = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude != 0);
  if (negative) digits_[--start_] = '-';
}

std::string plural(std::uint64_t count, std::string_view noun) {
  return formatMessage(count == 1 ? "{} {}" : "{} {}s", {Decimal(count), noun});
}

}  // namespace ivschat
