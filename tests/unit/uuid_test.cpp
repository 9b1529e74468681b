#include "records/uuid.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <set>
#include <thread>
#include <vector>

namespace rmtc::records {
namespace {

TEST(Uuid, ParsesAndPrintsCanonicalForm) {
  const std::string text = "0190c4d2-7b1e-7c3a-9f00-123456789abc";
  auto id = Uuid::Parse(text);
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->ToString(), text);
  EXPECT_TRUE(Uuid().IsNil());
  EXPECT_EQ(Uuid().ToString(), "00000000-0000-0000-0000-000000000000");
  EXPECT_FALSE(Uuid::Parse("0190c4d2-7b1e-7c3a-9f00-123456789abc0").has_value());
  EXPECT_FALSE(Uuid::Parse("0190c4d2x7b1e-7c3a-9f00-123456789abc").has_value());
  EXPECT_FALSE(Uuid::Parse("0190c4d-27b1e-7c3a-9f00-123456789abc").has_value());
  EXPECT_FALSE(Uuid::Parse("").has_value());
  // Upper case is accepted and printed back in lower case.
  auto upper = Uuid::Parse("0190C4D2-7B1E-7C3A-9F00-123456789ABC");
  ASSERT_TRUE(upper.has_value());
  EXPECT_EQ(*upper, *id);
  EXPECT_EQ(upper->ToString(), text);
}

// The first 48 bits of a v7 id: Unix milliseconds.
std::int64_t MillisOf(const Uuid& id) {
  std::int64_t ms = 0;
  for (int i = 0; i < 6; ++i) ms = (ms << 8) | id.bytes()[i];
  return ms;
}

TEST(Uuid, V7IsVersionedUniqueAndTimeOrdered) {
  std::set<Uuid> seen;
  Uuid previous = Uuid::NewV7();
  for (int i = 0; i < 1000; ++i) {
    Uuid id = Uuid::NewV7();
    EXPECT_EQ(id.bytes()[6] >> 4, 7);
    EXPECT_EQ(id.bytes()[8] >> 6, 2);
    EXPECT_TRUE(seen.insert(id).second);
    EXPECT_GE(MillisOf(id), MillisOf(previous));  // time never runs backwards in ids
    previous = id;
  }
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  EXPECT_LE(std::abs(MillisOf(previous) - now_ms), 1000)
      << "the timestamp is not Unix ms";
  const Uuid earlier = Uuid::NewV7();
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  EXPECT_LT(earlier, Uuid::NewV7());
}

TEST(Uuid, V7IsUniqueAcrossThreads) {
  constexpr int kThreads = 4, kEach = 20000;
  std::vector<std::vector<Uuid>> made(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&made, t] {
      for (int i = 0; i < kEach; ++i) made[t].push_back(Uuid::NewV7());
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<Uuid> all;
  for (const auto& ids : made) all.insert(ids.begin(), ids.end());
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kThreads * kEach));
}

}  // namespace
}  // namespace rmtc::records
