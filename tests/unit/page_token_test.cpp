#include "lineage/page_token.h"

#include <gtest/gtest.h>

#include "store/connection_pool.h"

namespace rmtc {
namespace {

TEST(PageTokenSeal, OpensOnlyWhatItSealedUnchanged) {
  const lineage::PageTokenSeal seal(std::string(32, 'k'));
  const std::string token =
      seal.Seal("l1.1764000000000000.0190c4d2-7b1e-7c3a-9f00-123456789abc");
  EXPECT_EQ(seal.Open(token), "l1.1764000000000000.0190c4d2-7b1e-7c3a-9f00-123456789abc");
  for (std::size_t bit = 0; bit < token.size() * 8; ++bit) {
    std::string flipped = token;
    flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1 << (bit % 8)));
    EXPECT_EQ(seal.Open(flipped), std::nullopt) << "bit " << bit;
  }
  EXPECT_EQ(seal.Open(token.substr(1)), std::nullopt);
  EXPECT_EQ(seal.Open(token + "0"), std::nullopt);
  EXPECT_EQ(seal.Open(""), std::nullopt);
  // Another deployment's key opens none of this one's tokens.
  EXPECT_EQ(lineage::PageTokenSeal(std::string(32, 'j')).Open(token), std::nullopt);
  EXPECT_EQ(lineage::PageTokenSeal().Open(token), std::nullopt);
}

// libpq settings go in the connection string (setenv races with libpq's
// getenv in other threads); the string and the environment still win.
TEST(LibpqDefaults, ConnectTimeoutJoinsTheConnectionString) {
  unsetenv("PGCONNECT_TIMEOUT");
  EXPECT_EQ(store::WithLibpqDefaults("postgresql://rmtc@db/rmtc"),
            "postgresql://rmtc@db/rmtc?connect_timeout=5");
  EXPECT_EQ(store::WithLibpqDefaults("postgres://db/rmtc?sslmode=require"),
            "postgres://db/rmtc?sslmode=require&connect_timeout=5");
  EXPECT_EQ(store::WithLibpqDefaults("host=/run/rmtc dbname=rmtc"),
            "host=/run/rmtc dbname=rmtc connect_timeout=5");
  EXPECT_EQ(store::WithLibpqDefaults(""), "connect_timeout=5");
  EXPECT_EQ(store::WithLibpqDefaults("host=db connect_timeout=20"),
            "host=db connect_timeout=20");
  setenv("PGCONNECT_TIMEOUT", "30", 1);
  EXPECT_EQ(store::WithLibpqDefaults("host=db"), "host=db");
  unsetenv("PGCONNECT_TIMEOUT");
}

}  // namespace
}  // namespace rmtc
