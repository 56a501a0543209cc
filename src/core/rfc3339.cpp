#include "core/rfc3339.hpp"


namespace ivschat {
namespace {

bool isLeapYear(std::int64_t year) noexcept {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

unsigned daysInMonth(std::int64_t year, unsigned month) noexcept {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && isLeapYear(year) ? 29 : kDays[month - 1];
}

// Reads exactly `count` ASCII digits at text[at].
std::optional<unsigned> digits(std::string_view text, std::size_t at, std::size_t count) noexcept {
  if (at + count > text.size()) return std::nullopt;
  unsigned value = 0;
  for (std::size_t k = 0; k < count; ++k) {
    const char c = text[at + k];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return value;
}

bool charAt(std::string_view text, std::size_t at, char expected) noexcept {
  return at < text.size() && text[at] == expected;
}

}  // namespace

std::int64_t daysFromCivil(std::int64_t year, unsigned month, unsigned day) noexcept {
  year -= month <= 2;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto yearOfEra = static_cast<unsigned>(year - era * 400);
  const unsigned dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
  return era * 146097 + static_cast<std::int64_t>(dayOfEra) - 719468;
}

std::optional<Timestamp> parseRfc3339(std::string_view text) noexcept {
  // YYYY-MM-DDTHH:MM:SS
  const auto year = digits(text, 0, 4);
  const auto month = digits(text, 5, 2);
  const auto day = digits(text, 8, 2);
  const auto hour = digits(text, 11, 2);
  const auto minute = digits(text, 14, 2);
  const auto second = digits(text, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  if (!charAt(text, 4, '-') || !charAt(text, 7, '-') || !charAt(text, 13, ':') ||
      !charAt(text, 16, ':'))
    return std::nullopt;
  if (!charAt(text, 10, 'T') && !charAt(text, 10, 't')) return std::nullopt;
  if (*month < 1 || *month > 12 || *day < 1 || *day > daysInMonth(*year, *month)) return std::nullopt;
  if (*hour > 23 || *minute > 59 || *second > 60) return std::nullopt;

  std::size_t at = 19;
  std::int32_t nanoseconds = 0;
  if (charAt(text, at, '.')) {
    ++at;
    std::size_t count = 0;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      if (++count > 9) return std::nullopt;
      nanoseconds = nanoseconds * 10 + (text[at] - '0');
      ++at;
    }
    if (count == 0) return std::nullopt;
    for (std::size_t k = count; k < 9; ++k) nanoseconds *= 10;
  }

  std::int64_t offsetSeconds = 0;
  if (charAt(text, at, 'Z') || charAt(text, at, 'z')) {
    ++at;
  } else if (charAt(text, at, '+') || charAt(text, at, '-')) {
    const bool negative = text[at] == '-';
    const auto offsetHours = digits(text, at + 1, 2);
    const auto offsetMinutes = digits(text, at + 4, 2);
    if (!offsetHours || !offsetMinutes || !charAt(text, at + 3, ':')) return std::nullopt;
    if (*offsetHours > 23 || *offsetMinutes > 59) return std::nullopt;
    offsetSeconds = static_cast<std::int64_t>(*offsetHours * 3600 + *offsetMinutes * 60) * (negative ? -1 : 1);
    at += 6;
  } else {
    return std::nullopt;
  }
  if (at != text.size()) return std::nullopt;

  Timestamp timestamp;
  timestamp.epochSeconds = daysFromCivil(*year, *month, *day) * 86400 + *hour * 3600 +
                           *minute * 60 + *second - offsetSeconds;
  timestamp.nanoseconds = nanoseconds;
  return timestamp;
}

CivilTime civilTime(std::int64_t epochMillis) noexcept {
  std::int64_t millis = epochMillis % 1000;
  std::int64_t seconds = epochMillis / 1000;
  if (millis < 0) {
    millis += 1000;
    --seconds;
  }
  std::int64_t days = seconds / 86400;
  std::int64_t secondOfDay = seconds % 86400;
  if (secondOfDay < 0) {
    secondOfDay += 86400;
    --days;
  }
  // civil_from_days (Howard Hinnant)
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto dayOfEra = static_cast<unsigned>(days - era * 146097);
  const unsigned yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
  const unsigned dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
  const unsigned monthIndex = (5 * dayOfYear + 2) / 153;
  CivilTime time;
  time.day = dayOfYear - (153 * monthIndex + 2) / 5 + 1;
  time.month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  time.year = static_cast<std::int64_t>(yearOfEra) + era * 400 + (time.month <= 2);
  time.hour = static_cast<unsigned>(secondOfDay / 3600);
  time.minute = static_cast<unsigned>(secondOfDay / 60 % 60);
  time.second = static_cast<unsigned>(secondOfDay % 60);
  time.millisecond = static_cast<unsigned>(millis);
  return time;
}

std::string formatRfc3339Millis(std::int64_t epochMillis) {
  const CivilTime time = civilTime(epochMillis);
  std::string out;
  const auto digits = [&out](std::uint64_t value, int width) {
    char buffer[20];
    int at = 20;
    do {
      buffer[--at] = static_cast<char>('0' + value % 10);
      value /= 10;
    } while (value != 0 || 20 - at < width);
    out.append(buffer + at, static_cast<std::size_t>(20 - at));
  };
  if (time.year < 0) out.push_back('-');
  digits(static_cast<std::uint64_t>(time.year < 0 ? -time.year : time.year), time.year < 0 ? 3 : 4);
  out.push_back('-');
  digits(time.month, 2);
  out.push_back('-');
  digits(time.day, 2);
  out.push_back('T');
  digits(time.hour, 2);
  out.push_back(':');
  digits(time.minute, 2);
  out.push_back(':');
  digits(time.second, 2);
  out.push_back('.');
  digits(time.millisecond, 3);
  out.push_back('Z');
  return out;
}

}  // namespace ivschat
