// Fuzz target: RFC 3339 date-times.
//   input: the text (any bytes)
// Invariants, checked against an independent reading of the grammar and glibc's timegm():
//   - the parser accepts exactly `YYYY-MM-DD(T|t)hh:mm:ss[.1-9 digits](Z|z|(+|-)hh:mm)` with a
//     real calendar date, hh <= 23, mm <= 59, ss <= 60 and an offset of at most 23:59;
//   - its seconds are timegm()'s (a leap second being the next minute's first) minus the offset,
//     its nanoseconds the fraction's;
//   - formatRfc3339Millis() of the result reads back as the same millisecond;
//   - civilTime() of its millisecond is glibc's gmtime_r() of it, and daysFromCivil() inverts it.
//   input starting with '@': the rest is a time in epoch milliseconds (decimal, optional '-',
//   wrapping modulo 2^64, so every int64 is reachable), checked the same way: civilTime() is
//   gmtime_r()'s reading, and within years 0000-9999 formatRfc3339Millis() reads back.
#include <ctime>

#include "core/rfc3339.hpp"
#include "fuzz_support.hpp"

using namespace ivschat;

namespace {

struct Expected {
  bool ok = false;
  std::int64_t epochSeconds = 0;
  std::int32_t nanoseconds = 0;
};

bool digitsAt(std::string_view text, std::size_t at, std::size_t count, int& out) {
  if (at + count > text.size()) return false;
  out = 0;
  for (std::size_t k = 0; k < count; ++k) {
    const char c = text[at + k];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

Expected expectedFor(std::string_view text) {
  Expected none;
  int year, month, day, hour, minute, second;
  if (!digitsAt(text, 0, 4, year) || !digitsAt(text, 5, 2, month) || !digitsAt(text, 8, 2, day) ||
      !digitsAt(text, 11, 2, hour) || !digitsAt(text, 14, 2, minute) ||
      !digitsAt(text, 17, 2, second)) {
    return none;
  }
  if (text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't') ||
      text[13] != ':' || text[16] != ':') {
    return none;
  }
  std::string_view rest = text.substr(19);
  std::int64_t nanoseconds = 0;
  if (!rest.empty() && rest.front() == '.') {
    rest.remove_prefix(1);
    std::size_t count = 0;
    while (count < rest.size() && rest[count] >= '0' && rest[count] <= '9') ++count;
    if (count < 1 || count > 9) return none;
    for (std::size_t k = 0; k < 9; ++k) nanoseconds = nanoseconds * 10 + (k < count ? rest[k] - '0' : 0);
    rest.remove_prefix(count);
  }
  std::int64_t offset = 0;
  if (rest == "Z" || rest == "z") {
    offset = 0;
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    int offsetHours, offsetMinutes;
    if (!digitsAt(rest, 1, 2, offsetHours) || !digitsAt(rest, 4, 2, offsetMinutes)) return none;
    if (offsetHours > 23 || offsetMinutes > 59) return none;
    offset = (offsetHours * 3600 + offsetMinutes * 60) * (rest[0] == '-' ? -1 : 1);
  } else {
    return none;
  }
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return none;

  // A real date: timegm() normalizes an impossible one (February 30) into another day.
  std::tm date{};
  date.tm_year = year - 1900;
  date.tm_mon = month - 1;
  date.tm_mday = day;
  (void)timegm(&date);
  if (date.tm_mday != day || date.tm_mon != month - 1) return none;
  // The time of day; a leap second (:60) becomes the next minute's first second.
  std::tm fields{};
  fields.tm_year = year - 1900;
  fields.tm_mon = month - 1;
  fields.tm_mday = day;
  fields.tm_hour = hour;
  fields.tm_min = minute;
  fields.tm_sec = second;
  const std::time_t seconds = timegm(&fields);
  Expected expected;
  expected.ok = true;
  expected.epochSeconds = static_cast<std::int64_t>(seconds) - offset;
  expected.nanoseconds = static_cast<std::int32_t>(nanoseconds);
  return expected;
}

// Decimal digits (others skipped) as an unsigned 64-bit number that wraps, then taken modulo
// 2^64 as a signed one: "9223372036854775808" is INT64_MIN.
std::int64_t integerFrom(std::string_view text) {
  bool negative = false;
  if (!text.empty() && text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  std::uint64_t value = 0;
  for (const char c : text.substr(0, 24)) {
    if (c >= '0' && c <= '9') value = value * 10U + static_cast<std::uint64_t>(c - '0');
  }
  if (negative) value = 0U - value;
  return static_cast<std::int64_t>(value);
}

std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// Years 0000-9999 in UTC: what the formatter writes with four digits.
constexpr std::int64_t kMinFormattableMillis = -62167219200000;
constexpr std::int64_t kMaxFormattableMillis = 253402300799999;

void checkCivilTime(std::int64_t millis) {
  const CivilTime civil = civilTime(millis);
  const std::int64_t seconds = floorDiv(millis, 1000);
  FUZZ_CHECK(civil.millisecond == static_cast<unsigned>(millis - seconds * 1000));
  FUZZ_CHECK(civil.month >= 1 && civil.month <= 12 && civil.day >= 1 && civil.day <= 31);
  FUZZ_CHECK(civil.hour <= 23 && civil.minute <= 59 && civil.second <= 59);
  FUZZ_CHECK(daysFromCivil(civil.year, civil.month, civil.day) == floorDiv(seconds, 86400));
  FUZZ_CHECK(floorDiv(seconds, 86400) * 86400 + civil.hour * 3600 + civil.minute * 60 + civil.second == seconds);
  // glibc's reading, where its int tm_year holds the year.
  const std::int64_t kYearSeconds = 366LL * 86400;
  if (seconds / kYearSeconds < 2000000000LL && seconds / kYearSeconds > -2000000000LL) {
    const std::time_t t = static_cast<std::time_t>(seconds);
    std::tm fields{};
    FUZZ_CHECK(gmtime_r(&t, &fields) != nullptr);
    FUZZ_CHECK(civil.year == static_cast<std::int64_t>(fields.tm_year) + 1900);
    FUZZ_CHECK(civil.month == static_cast<unsigned>(fields.tm_mon + 1));
    FUZZ_CHECK(civil.day == static_cast<unsigned>(fields.tm_mday));
    FUZZ_CHECK(civil.hour == static_cast<unsigned>(fields.tm_hour));
    FUZZ_CHECK(civil.minute == static_cast<unsigned>(fields.tm_min));
    FUZZ_CHECK(civil.second == static_cast<unsigned>(fields.tm_sec));
  }
  if (millis >= kMinFormattableMillis && millis <= kMaxFormattableMillis) {
    const std::string formatted = formatRfc3339Millis(millis);
    FUZZ_CHECK(formatted.size() == 24);
    const std::optional<Timestamp> back = parseRfc3339(formatted);
    FUZZ_CHECK(back && back->epochMillis() == millis);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::asText(data, size);
  if (!text.empty() && text.front() == '@') {
    checkCivilTime(integerFrom(text.substr(1)));
    return 0;
  }
  const std::optional<Timestamp> parsed = parseRfc3339(text);
  const Expected expected = expectedFor(text);
  FUZZ_CHECK(parsed.has_value() == expected.ok);
  if (!parsed) return 0;

  FUZZ_CHECK(parsed->epochSeconds == expected.epochSeconds);
  FUZZ_CHECK(parsed->nanoseconds == expected.nanoseconds);
  FUZZ_CHECK(parsed->nanoseconds >= 0 && parsed->nanoseconds <= 999'999'999);

  checkCivilTime(parsed->epochMillis());
  return 0;
}
