// Fuzz target: RFC 3339 date-times.
//   input: the text (any bytes)
// Invariants, checked against an independent reading of the grammar and glibc's timegm():
//   - the parser accepts exactly `YYYY-MM-DD(T|t)hh:mm:ss[.1-9 digits](Z|z|(+|-)hh:mm)` with a
//     real calendar date, hh <= 23, mm <= 59, ss <= 60 and an offset of at most 23:59;
//   - its seconds are timegm()'s (a leap second being the next minute's first) minus the offset,
//     its nanoseconds the fraction's;
//   - formatRfc3339Millis() of the result reads back as the same millisecond.
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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::asText(data, size);
  const std::optional<Timestamp> parsed = parseRfc3339(text);
  const Expected expected = expectedFor(text);
  FUZZ_CHECK(parsed.has_value() == expected.ok);
  if (!parsed) return 0;

  FUZZ_CHECK(parsed->epochSeconds == expected.epochSeconds);
  FUZZ_CHECK(parsed->nanoseconds == expected.nanoseconds);
  FUZZ_CHECK(parsed->nanoseconds >= 0 && parsed->nanoseconds <= 999'999'999);

  const std::int64_t millis = parsed->epochMillis();
  // Years 0000-9999 in UTC are what the formatter writes with four digits.
  if (millis >= -62167219200000 && millis <= 253402300799999) {
    const std::string formatted = formatRfc3339Millis(millis);
    FUZZ_CHECK(formatted.size() == 24);
    const std::optional<Timestamp> back = parseRfc3339(formatted);
    FUZZ_CHECK(back && back->epochMillis() == millis);
  }
  return 0;
}
