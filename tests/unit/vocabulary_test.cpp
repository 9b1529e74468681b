// The shared time and hex encodings (vocabulary/), at the edges of their range.
#include <gtest/gtest.h>

#include "vocabulary/hex.h"
#include "vocabulary/time_text.h"

namespace rmtc::vocabulary {
namespace {

constexpr std::int64_t kFirst = -62'135'596'800'000'000;  // 0001-01-01T00:00:00Z
constexpr std::int64_t kLast = 253'402'300'799'999'999;   // 9999-12-31T23:59:59.999999Z

TEST(TimeText, PrintsTheEdgesOfTheRange) {
  EXPECT_EQ(FormatRfc3339(kFirst), "0001-01-01T00:00:00.000000Z");
  EXPECT_EQ(FormatRfc3339(-500'000), "1969-12-31T23:59:59.500000Z");
  EXPECT_EQ(FormatRfc3339(-1), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(FormatRfc3339(kLast), "9999-12-31T23:59:59.999999Z");
  EXPECT_EQ(FormatRfc3339(253'402'300'799'123'456), "9999-12-31T23:59:59.123456Z");
  EXPECT_EQ(FormatRfc3339(951'782'400'000'000), "2000-02-29T00:00:00.000000Z");
  // Outside the range a time still prints as itself, never wrapped.
  EXPECT_EQ(FormatRfc3339(kLast + 1), "10000-01-01T00:00:00.000000Z");
}

TEST(TimeText, ParsesTheEdgesOfTheRangeAndRoundTrips) {
  EXPECT_EQ(ParseRfc3339("0001-01-01T00:00:00Z"), kFirst);
  EXPECT_EQ(ParseRfc3339("1969-12-31T23:59:59.5Z"), -500'000);
  EXPECT_EQ(ParseRfc3339("9999-12-31T23:59:59.999999Z"), kLast);
  EXPECT_EQ(ParseRfc3339("9999-12-31T23:59:59.999999999Z"),
            kLast);  // truncated, not rounded
  EXPECT_EQ(ParseRfc3339("1970-01-01"), 0);
  EXPECT_EQ(ParseRfc3339("1970-01-01 00:01"), 60'000'000);
  EXPECT_EQ(ParseRfc3339("2026-11-26T07:30:00.5+13:00"),
            ParseRfc3339("2026-11-25T18:30:00.5Z"));
  for (std::int64_t micros :
       {kFirst, std::int64_t{-1}, std::int64_t{-500'000}, std::int64_t{0},
        std::int64_t{1'764'000'000'123'456}, kLast}) {
    EXPECT_EQ(ParseRfc3339(FormatRfc3339(micros)), micros) << micros;
  }
}

TEST(TimeText, RefusesWhatIsNotAMomentInRange) {
  for (const char* text :
       {"", "2026", "2026-13-01", "2026-02-29", "2026-04-31", "0000-12-31T23:59:59Z",
        "10000-01-01", "9999-12-31T23:00:00-01:00", "0001-01-01T00:00:00+00:01",
        "2026-01-01T24:00", "2026-01-01T23:59:60Z", "2026-01-01T10:00:00.Z",
        "2026-01-01T10:00:00.1234567890Z", "2026-01-01T10:00Zjunk", "2026-01-01X10:00"}) {
    EXPECT_EQ(ParseRfc3339(text), std::nullopt) << text;
  }
  EXPECT_TRUE(ParseRfc3339("2024-02-29").has_value());
  EXPECT_TRUE(ParseRfc3339("9999-12-31T23:59:59+00:00").has_value());
}

TEST(TimeText, SplitsWithFloorDivision) {
  const auto before_1970 = SplitMicros(-1);
  EXPECT_EQ(before_1970.seconds, -1);
  EXPECT_EQ(before_1970.nanos, 999'999'000);
  const auto last = SplitMicros(kLast);
  EXPECT_EQ(last.seconds, kMaxSeconds);
  EXPECT_EQ(last.nanos, 999'999'000);
  EXPECT_EQ(MicrosOf(-1, 999'999'000), -1);
  EXPECT_EQ(MicrosOf(kMaxSeconds, 999'999'999), kLast);
  EXPECT_EQ(MicrosOf(kMaxSeconds + 1, 0), std::nullopt);
  EXPECT_EQ(MicrosOf(kMinSeconds - 1, 999'999'999), std::nullopt);
  EXPECT_EQ(MicrosOf(0, -1), std::nullopt);
  EXPECT_EQ(MicrosOf(0, 1'000'000'000), std::nullopt);
}

TEST(Hex, EncodesEveryByteInLowercase) {
  EXPECT_EQ(HexEncode(std::string_view("\x00\x0f\xa0\xff", 4)), "000fa0ff");
  EXPECT_EQ(HexEncode(""), "");
}

}  // namespace
}  // namespace rmtc::vocabulary
