#pragma once
// RFC 3339 date-times as IVS sends them: `2022-12-02T08:21:20.754555595Z`, 0-9 fractional
// digits, `Z` or a `+hh:mm` / `-hh:mm` offset.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ivschat {

struct Timestamp {
  std::int64_t epochSeconds = 0;  // seconds since 1970-01-01T00:00:00Z
  std::int32_t nanoseconds = 0;   // 0 .. 999'999'999
  /// Milliseconds since the epoch, rounded towards negative infinity.
  std::int64_t epochMillis() const noexcept {
    return epochSeconds * 1000 + nanoseconds / 1'000'000;
  }
};

/// Parses an RFC 3339 date-time; std::nullopt for anything malformed or out of range
/// (month 13, February 30, hour 24, offset +24:00, 10 fractional digits, a lone '.', ...).
/// A leap second (:60) is accepted and counted as the first second of the next minute.
std::optional<Timestamp> parseRfc3339(std::string_view text) noexcept;

/// A time in UTC, split into its calendar fields.
struct CivilTime {
  std::int64_t year = 1970;
  unsigned month = 1, day = 1, hour = 0, minute = 0, second = 0, millisecond = 0;
};
CivilTime civilTime(std::int64_t epochMillis) noexcept;

/// Formats as `YYYY-MM-DDTHH:MM:SS.sssZ` (UTC, milliseconds), as JavaScript's toISOString does.
std::string formatRfc3339Millis(std::int64_t epochMillis);

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t daysFromCivil(std::int64_t year, unsigned month, unsigned day) noexcept;

}  // namespace ivschat
