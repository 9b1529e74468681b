// Times as RMTC spells them everywhere: microseconds since
// 1970-01-01T00:00:00Z (UTC, no leap seconds), within the range of
// google.protobuf.Timestamp and RFC 3339, 0001-01-01T00:00:00Z to
// 9999-12-31T23:59:59.999999Z. Server, client and CLI share these
// conversions, so a time prints the same wherever it is read.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace rmtc::vocabulary {

inline constexpr std::int64_t kMinSeconds = -62'135'596'800;  // 0001-01-01T00:00:00Z
inline constexpr std::int64_t kMaxSeconds = 253'402'300'799;  // 9999-12-31T23:59:59Z
inline constexpr std::int64_t kMinMicros = kMinSeconds * 1'000'000;
inline constexpr std::int64_t kMaxMicros = kMaxSeconds * 1'000'000 + 999'999;

// Division rounding toward negative infinity: a time before 1970 with a
// fraction lies in the second before its truncated quotient.
constexpr std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}
constexpr std::int64_t FloorMod(std::int64_t a, std::int64_t b) {
  return a - FloorDiv(a, b) * b;
}

// A protobuf Timestamp's two fields: nanos always 0..999999999.
struct SecondsNanos {
  std::int64_t seconds = 0;
  std::int32_t nanos = 0;
};

constexpr SecondsNanos SplitMicros(std::int64_t micros) {
  return {FloorDiv(micros, 1'000'000),
          static_cast<std::int32_t>(FloorMod(micros, 1'000'000) * 1'000)};
}

// Microseconds of a Timestamp (nanos truncated, toward the past), or
// nullopt when seconds or nanos are outside the range above.
constexpr std::optional<std::int64_t> MicrosOf(std::int64_t seconds, std::int32_t nanos) {
  if (seconds < kMinSeconds || seconds > kMaxSeconds) return std::nullopt;
  if (nanos < 0 || nanos > 999'999'999) return std::nullopt;
  return seconds * 1'000'000 + nanos / 1'000;
}

namespace internal {

struct CivilDay {
  std::int64_t year;
  int month;  // 1..12
  int day;    // 1..31
};

// Howard Hinnant's days_from_civil / civil_from_days: the proleptic
// Gregorian calendar over any int64 day count, without a time_t.
constexpr std::int64_t DaysFromCivil(std::int64_t y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = FloorDiv(y, 400);
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146'097 + doe - 719'468;
}

constexpr CivilDay CivilFromDays(std::int64_t z) {
  z += 719'468;
  const std::int64_t era = FloorDiv(z, 146'097);
  const std::int64_t doe = z - era * 146'097;
  const std::int64_t yoe = (doe - doe / 1'460 + doe / 36'524 - doe / 146'096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (m <= 2), m, d};
}

constexpr bool IsLeapYear(std::int64_t y) {
  return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

constexpr int DaysInMonth(std::int64_t y, int m) {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

// Reads exactly `width` digits at `at`.
constexpr std::optional<int> Digits(std::string_view s, std::size_t at,
                                    std::size_t width) {
  if (at + width > s.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = at; i < at + width; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    value = value * 10 + (s[i] - '0');
  }
  return value;
}

}  // namespace internal

// "2026-11-26T07:41:53.425903Z": always six fractional digits. Any value
// prints (a year beyond 9999 with more digits), so a stored time outside
// the range is shown as it is, never wrapped.
inline std::string FormatRfc3339(std::int64_t micros) {
  const std::int64_t days = FloorDiv(micros, 86'400'000'000);
  const std::int64_t in_day = FloorMod(micros, 86'400'000'000);
  const auto civil = internal::CivilFromDays(days);
  const std::int64_t second_of_day = in_day / 1'000'000;
  char text[64];
  std::snprintf(
      text, sizeof text, "%04lld-%02d-%02dT%02d:%02d:%02d.%06dZ",
      static_cast<long long>(civil.year), civil.month, civil.day,
      static_cast<int>(second_of_day / 3600), static_cast<int>(second_of_day / 60 % 60),
      static_cast<int>(second_of_day % 60), static_cast<int>(in_day % 1'000'000));
  return text;
}

// Parses "YYYY-MM-DD", optionally followed by 'T' (or a space) and
// "HH:MM", ":SS", ".fraction" (1 to 9 digits; beyond microseconds
// truncated), and "Z" or "+HH:MM"/"-HH:MM" (none: UTC). nullopt for any
// other text, a day the month does not have, a leap second (23:59:60 has
// no microsecond count), or a time outside 0001..9999 once in UTC.
constexpr std::optional<std::int64_t> ParseRfc3339(std::string_view s) {
  using internal::Digits;
  const auto year = Digits(s, 0, 4), month = Digits(s, 5, 2), day = Digits(s, 8, 2);
  if (!year || !month || !day || s[4] != '-' || s[7] != '-' || *month < 1 ||
      *month > 12 || *day < 1 || *day > internal::DaysInMonth(*year, *month)) {
    return std::nullopt;
  }
  std::int64_t seconds_of_day = 0, micros = 0, offset_seconds = 0;
  std::size_t at = 10;
  if (at < s.size()) {
    if (s[at] != 'T' && s[at] != 't' && s[at] != ' ') return std::nullopt;
    const auto hour = Digits(s, at + 1, 2), minute = Digits(s, at + 4, 2);
    if (!hour || !minute || s[at + 3] != ':' || *hour > 23 || *minute > 59) {
      return std::nullopt;
    }
    seconds_of_day = *hour * 3600 + *minute * 60;
    at += 6;
    if (at < s.size() && s[at] == ':') {
      const auto second = Digits(s, at + 1, 2);
      if (!second || *second > 59) return std::nullopt;
      seconds_of_day += *second;
      at += 3;
      if (at < s.size() && s[at] == '.') {
        std::size_t digits = 0;
        for (++at; at < s.size() && s[at] >= '0' && s[at] <= '9'; ++at, ++digits) {
          if (digits < 6) micros = micros * 10 + (s[at] - '0');
        }
        if (digits == 0 || digits > 9) return std::nullopt;
        for (; digits < 6; ++digits) micros *= 10;
      }
    }
    if (at < s.size() && (s[at] == 'Z' || s[at] == 'z')) {
      ++at;
    } else if (at < s.size() && (s[at] == '+' || s[at] == '-')) {
      const auto oh = Digits(s, at + 1, 2), om = Digits(s, at + 4, 2);
      if (!oh || !om || s[at + 3] != ':' || *oh > 23 || *om > 59) return std::nullopt;
      offset_seconds = (s[at] == '+' ? 1 : -1) * (*oh * 3600 + *om * 60);
      at += 6;
    }
    if (at != s.size()) return std::nullopt;
  }
  const std::int64_t seconds = internal::DaysFromCivil(*year, *month, *day) * 86'400 +
                               seconds_of_day - offset_seconds;
  if (seconds < kMinSeconds || seconds > kMaxSeconds) return std::nullopt;
  return seconds * 1'000'000 + micros;
}

}  // namespace rmtc::vocabulary
