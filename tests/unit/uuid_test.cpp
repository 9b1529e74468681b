#include "records/uuid.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

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
}

TEST(Uuid, V7IsVersionedUniqueAndTimeOrdered) {
  std::set<Uuid> seen;
  Uuid previous = Uuid::NewV7();
  for (int i = 0; i < 1000; ++i) {
    Uuid id = Uuid::NewV7();
    EXPECT_EQ(id.bytes()[6] >> 4, 7);
    EXPECT_EQ(id.bytes()[8] >> 6, 2);
    EXPECT_TRUE(seen.insert(id).second);
    previous = id;
  }
  const Uuid earlier = Uuid::NewV7();
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  EXPECT_LT(earlier, Uuid::NewV7());
}

}  // namespace
}  // namespace rmtc::records
