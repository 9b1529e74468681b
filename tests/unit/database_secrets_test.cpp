// The database password: found in every spelling, masked everywhere, and
// handed to libpq intact when it comes from a file.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <algorithm>

#include "common/secrets.h"
#include "logging.h"
#include "store/database_url.h"

namespace rmtc {
namespace {

bool Has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// What libpq itself reads as the password of `conninfo`.
std::string LibpqPassword(const std::string& conninfo) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
  if (error != nullptr) PQfreemem(error);
  std::string password = "(unparsed)";
  if (options == nullptr) return password;
  for (auto* o = options; o->keyword != nullptr; ++o) {
    if (std::string(o->keyword) == "password") password = o->val ? o->val : "(none)";
  }
  PQconninfoFree(options);
  return password;
}

TEST(DatabasePassword, FoundInUrlsAsWrittenAndDecoded) {
  const auto found = store::PasswordsIn("postgresql://rmtc:p%40ss%zzword@db/rmtc");
  EXPECT_TRUE(Has(found, "p%40ss%zzword"));
  EXPECT_TRUE(Has(found, "p@ss%zzword"));
  EXPECT_TRUE(Has(store::PasswordsIn("postgresql://rmtc:a@b:c@db/rmtc"), "a@b:c"));
  EXPECT_TRUE(
      Has(store::PasswordsIn("postgres://db/rmtc?user=u&password=s%2Fx&x=1"), "s/x"));
  EXPECT_TRUE(store::PasswordsIn("postgresql://rmtc@db/rmtc").empty());
}

TEST(DatabasePassword, FoundInKeywordStringsQuotedOrNot) {
  const auto found = store::PasswordsIn(R"(host=db password = 'it\'s secret' user=u)");
  EXPECT_TRUE(Has(found, R"(it\'s secret)"));
  EXPECT_TRUE(Has(found, "it's secret"));
  EXPECT_TRUE(Has(store::PasswordsIn("password=plain host=db"), "plain"));
  EXPECT_TRUE(
      Has(store::PasswordsIn("password='unterminated host=db"), "unterminated host=db"));
  EXPECT_TRUE(store::PasswordsIn("host=db mypassword=x").empty());
}

TEST(DatabasePassword, MaskedInEveryEncoding) {
  AddSecret("Un1que p@ss");
  EXPECT_EQ(Masked("a Un1que p@ss b Un1que%20p%40ss c Un1que%20p%40ss"),
            "a *** b *** c ***");
  EXPECT_EQ(Masked("nothing here"), "nothing here");
}

TEST(DatabasePassword, FromAFileReachesLibpqIntact) {
  const std::string password = "it's a \\ tricky one%zz@:/";
  auto url = store::WithPassword("postgresql://rmtc@db/rmtc", password);
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(LibpqPassword(*url), password);
  auto keywords = store::WithPassword("host=db user=rmtc", password);
  ASSERT_TRUE(keywords.ok());
  EXPECT_EQ(LibpqPassword(*keywords), password);
  EXPECT_EQ(Masked(*url).find("tricky"), std::string::npos) << Masked(*url);
  EXPECT_EQ(store::WithPassword("postgresql://u:x@db/rmtc", password).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(DatabasePassword, AmbiguousAtSignIsRefused) {
  const auto status = store::CheckDatabaseUrl("postgresql://u:a@b@db/rmtc");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(status.message()).find("a@b"), std::string::npos);
  EXPECT_TRUE(store::CheckDatabaseUrl("postgresql://u:a%40b@db/rmtc?x=@").ok());
  EXPECT_TRUE(store::CheckDatabaseUrl("host=db password=a@b@c").ok());
}

TEST(LogEscaping, ControlCharactersBecomeVisible) {
  EXPECT_EQ(server::EscapedForLog("a\nb\rc\td\x1b[2Ke\x7f"
                                  "f\xc2\x9bg é"),
            R"(a\nb\rc\td\x1b[2Ke\x7ff\x9bg é)");
}

}  // namespace
}  // namespace rmtc
