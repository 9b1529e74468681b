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

// Every paged answer (list, trace, impact, licence list) shares one token
// format: a kind, the position fields, the query's fingerprint, sealed.
TEST(PageTokenSeal, DecodesOnlyItsOwnKindFieldsAndQuery) {
  const lineage::PageTokenSeal seal(std::string(32, 'k'));
  const std::string query = lineage::PageTokenSeal::Fingerprint("dataset|plates|");
  EXPECT_EQ(query.size(), 16u);  // 64 bits in hex
  EXPECT_EQ(query, lineage::PageTokenSeal::Fingerprint("dataset|plates|"));  // stable
  EXPECT_NE(query, lineage::PageTokenSeal::Fingerprint("dataset|plates|x"));
  const std::string token =
      seal.Encode("t1", {"3", "0190c4d2-7b1e-7c3a-9f00-123456789abc"}, query);
  EXPECT_EQ(seal.Decode(token, "t1", 2, query),
            (std::vector<std::string>{"3", "0190c4d2-7b1e-7c3a-9f00-123456789abc"}));
  EXPECT_EQ(seal.Decode(token, "l1", 2, query), std::nullopt);  // another listing's kind
  EXPECT_EQ(seal.Decode(token, "t1", 1, query), std::nullopt);  // another shape
  EXPECT_EQ(seal.Decode(token, "t1", 2, lineage::PageTokenSeal::Fingerprint("other")),
            std::nullopt);  // another query
  EXPECT_EQ(seal.Decode(token.substr(0, token.size() - 1) + "x", "t1", 2, query),
            std::nullopt);  // not sealed by this key
  // Fields may hold '.', as licence ids do; an empty fingerprint is a query
  // without filters.
  const std::string licences = seal.Encode("c1", {"CC-BY-4.0"}, "");
  EXPECT_EQ(seal.Decode(licences, "c1", 1, ""), (std::vector<std::string>{"CC-BY-4.0"}));
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
