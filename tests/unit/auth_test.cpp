// Identity and roles without a database: the authorization header's shapes,
// token secrets, the role table (every RPC of every service is in it), and
// the authenticator over a fake token store (unknown, revoked, expired,
// open mode, client certificates, facility binding, the cache).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "auth/authenticator.h"
#include "auth/certificate_identities.h"
#include "auth/roles.h"
#include "auth/secrets.h"
#include "auth/token_registry.h"
#include "rmtc/v1/access.pb.h"
#include "rmtc/v1/audit.pb.h"
#include "rmtc/v1/licensing.pb.h"
#include "rmtc/v1/lineage.pb.h"

namespace rmtc::auth {
namespace {

using records::AccessToken;
using records::Principal;
using records::Role;

records::Timestamp Now() {
  return std::chrono::time_point_cast<std::chrono::microseconds>(
      std::chrono::system_clock::now());
}

class FakeAccessStore final : public store::AccessStore {
 public:
  absl::StatusOr<AccessToken> AddToken(const AccessToken& token,
                                       const store::TokenDigest& digest) override {
    for (const auto& [d, t] : tokens_) {
      if (t.name == token.name) return absl::AlreadyExistsError("name: taken");
    }
    tokens_[digest] = token;
    return token;
  }
  absl::StatusOr<std::optional<AccessToken>> TokenByDigest(
      const store::TokenDigest& digest) override {
    ++lookups;
    auto it = tokens_.find(digest);
    if (it == tokens_.end()) return std::nullopt;
    return it->second;
  }
  absl::StatusOr<std::vector<AccessToken>> ListTokens() override {
    std::vector<AccessToken> out;
    for (const auto& [d, t] : tokens_) out.push_back(t);
    return out;
  }
  absl::StatusOr<std::optional<AccessToken>> RevokeToken(const std::string& name,
                                                         const std::string& by) override {
    for (auto& [d, t] : tokens_) {
      if (t.name != name) continue;
      if (!t.revoked_at) t.revoked_at = Now(), t.revoked_by = by;
      return t;
    }
    return std::nullopt;
  }
  int lookups = 0;

 private:
  std::map<store::TokenDigest, AccessToken> tokens_;
};

TEST(BearerToken, TakesTheTokenOfABearerHeader) {
  EXPECT_EQ(BearerToken("Bearer rmtc_abc"), "rmtc_abc");
  EXPECT_EQ(BearerToken("bearer   rmtc_abc  "), "rmtc_abc");
  EXPECT_EQ(BearerToken("BEARER rmtc_abc"), "rmtc_abc");
}

TEST(BearerToken, RefusesEveryOtherShape) {
  for (const char* header :
       {"", "Bearer", "Bearer ", "Bearer    ", "Basic dXNlcjpwYXNz", "Bearerrmtc_abc",
        "Bearer a b", "Token rmtc_abc", "rmtc_abc"}) {
    EXPECT_FALSE(BearerToken(header)) << "'" << header << "'";
  }
}

TEST(Secrets, AreRandomPrefixedAndOfOneShape) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string secret = NewSecret();
    EXPECT_TRUE(LooksLikeSecret(secret)) << secret;
    EXPECT_EQ(secret.size(), 5u + 43u);
    EXPECT_TRUE(seen.insert(secret).second) << "a secret came twice";
  }
  EXPECT_FALSE(LooksLikeSecret("rmtc_short"));
  EXPECT_FALSE(LooksLikeSecret("xxxx_" + std::string(43, 'a')));
  EXPECT_FALSE(LooksLikeSecret("rmtc_" + std::string(42, 'a') + "!"));
  EXPECT_NE(DigestOf("rmtc_a"), DigestOf("rmtc_b"));
}

// A method added to a service without a place in the role table would be
// admin-only by accident: every RPC must be placed deliberately.
TEST(Roles, EveryMethodOfEveryServiceHasARole) {
  // Each service through a message of its file (which loads the file).
  for (const auto* service :
       {v1::TraceRequest::descriptor()->file()->FindServiceByName("Lineage"),
        v1::CheckUseRequest::descriptor()->file()->FindServiceByName("Licensing"),
        v1::WhoAmIRequest::descriptor()->file()->FindServiceByName("Access"),
        v1::VerifyAuditRequest::descriptor()->file()->FindServiceByName("Audit")}) {
    ASSERT_NE(service, nullptr);
    for (int i = 0; i < service->method_count(); ++i) {
      EXPECT_TRUE(RequiredRole(service->method(i)->name()))
          << service->name() << "/" << service->method(i)->name();
    }
  }
  EXPECT_FALSE(RequiredRole("DropEverything"));
}

TEST(Roles, EachRoleAllowsWhatTheOnesBeforeItAllow) {
  const Principal reader{.name = "r", .role = Role::kReader};
  const Principal recorder{.name = "c", .role = Role::kRecorder};
  const Principal rights{.name = "g", .role = Role::kRights};
  const Principal admin{.name = "a", .role = Role::kAdmin};
  EXPECT_TRUE(Authenticator::Authorize(reader, "CheckUse").ok());
  EXPECT_TRUE(Authenticator::Authorize(reader, "WhoAmI").ok());
  const auto refused = Authenticator::Authorize(reader, "RegisterArtefacts");
  EXPECT_TRUE(absl::IsPermissionDenied(refused));
  EXPECT_EQ(refused.message(),
            "RegisterArtefacts needs the recorder role; 'r' is reader");
  EXPECT_TRUE(Authenticator::Authorize(recorder, "RecordInference").ok());
  EXPECT_TRUE(absl::IsPermissionDenied(Authenticator::Authorize(recorder, "SetConsent")));
  EXPECT_TRUE(Authenticator::Authorize(rights, "AddClearance").ok());
  EXPECT_TRUE(Authenticator::Authorize(rights, "RegisterArtefacts").ok());
  EXPECT_TRUE(absl::IsPermissionDenied(Authenticator::Authorize(rights, "CreateToken")));
  EXPECT_TRUE(Authenticator::Authorize(admin, "CreateToken").ok());
  // Unknown methods are admin-only.
  EXPECT_TRUE(absl::IsPermissionDenied(Authenticator::Authorize(rights, "Unknown")));
  EXPECT_TRUE(Authenticator::Authorize(admin, "Unknown").ok());
}

TEST(Roles, AFacilityBoundPrincipalWritesOnlyItsFacility) {
  const Principal bound{.name = "farm", .role = Role::kRecorder, .facility = "wlg"};
  EXPECT_TRUE(Authenticator::MayWrite(bound, "wlg", "artefacts[0].facility").ok());
  const auto refused = Authenticator::MayWrite(bound, "akl", "artefacts[0].facility");
  EXPECT_TRUE(absl::IsPermissionDenied(refused));
  EXPECT_EQ(refused.message(),
            "artefacts[0].facility: 'farm' may write only facility 'wlg', not 'akl'");
  EXPECT_TRUE(
      Authenticator::MayWrite({.name = "any", .role = Role::kRecorder}, "akl", "x").ok());
}

class AuthenticatorTest : public ::testing::Test {
 protected:
  std::string Create(const std::string& name, Role role,
                     std::optional<records::Timestamp> expires = {}) {
    TokenRegistry registry(store_, nullptr);
    auto created = registry.Create({.name = name, .role = role, .expires_at = expires});
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? created->secret : "";
  }
  FakeAccessStore store_;
};

TEST_F(AuthenticatorTest, RequiredModeWantsAKnownTokenInForce) {
  Authenticator auth(store_, Mode::kRequired);
  const std::string secret = Create("legal", Role::kRights);
  auto principal = auth.Authenticate("Bearer " + secret);
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->name, "legal");
  EXPECT_EQ(principal->role, Role::kRights);
  EXPECT_EQ(principal->source, Principal::Source::kToken);

  EXPECT_TRUE(absl::IsUnauthenticated(auth.Authenticate(std::nullopt).status()));
  EXPECT_TRUE(
      absl::IsUnauthenticated(auth.Authenticate("Bearer " + NewSecret()).status()));
  const auto malformed = auth.Authenticate("Bearer not-a-token").status();
  EXPECT_TRUE(absl::IsUnauthenticated(malformed));
  EXPECT_EQ(malformed.message().find("not-a-token"), std::string_view::npos)
      << "a token must never be echoed: " << malformed.message();
}

TEST_F(AuthenticatorTest, RevokedAndExpiredTokensAreRefused) {
  Authenticator auth(store_, Mode::kRequired);
  TokenRegistry registry(store_, &auth);
  const std::string secret = Create("farm", Role::kRecorder);
  ASSERT_TRUE(auth.Authenticate("Bearer " + secret).ok());
  ASSERT_TRUE(registry.Revoke("farm", "admin").ok());
  const auto revoked = auth.Authenticate("Bearer " + secret).status();
  EXPECT_TRUE(absl::IsUnauthenticated(revoked));
  EXPECT_EQ(revoked.message(), "the access token 'farm' was revoked");

  const std::string soon =
      Create("soon", Role::kReader, Now() + std::chrono::milliseconds(200));
  ASSERT_TRUE(auth.Authenticate("Bearer " + soon).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto expired = auth.Authenticate("Bearer " + soon).status();
  EXPECT_EQ(expired.message(), "the access token 'soon' has expired");
}

TEST_F(AuthenticatorTest, LookupsAreCachedBriefly) {
  Authenticator auth(store_, Mode::kRequired);
  const std::string secret = Create("farm", Role::kRecorder);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(auth.Authenticate("Bearer " + secret).ok());
  EXPECT_EQ(store_.lookups, 1);
}

TEST_F(AuthenticatorTest, OpenModeLetsAnAnonymousCallerDoEverythingButChecksTokens) {
  Authenticator auth(store_, Mode::kOpen);
  auto anonymous = auth.Authenticate(std::nullopt);
  ASSERT_TRUE(anonymous.ok());
  EXPECT_EQ(anonymous->name, "open");
  EXPECT_EQ(anonymous->role, Role::kAdmin);
  // A token presented is still checked: a bad one is not waved through.
  EXPECT_TRUE(
      absl::IsUnauthenticated(auth.Authenticate("Bearer " + NewSecret()).status()));
  const std::string secret = Create("viewer", Role::kReader);
  EXPECT_EQ(auth.Authenticate("Bearer " + secret)->role, Role::kReader);
}

TEST_F(AuthenticatorTest, MappedClientCertificatesArePrincipals) {
  Authenticator auth(store_, Mode::kRequired,
                     {{"houdini-farm.studio.example",
                       Principal{.name = "cert:houdini-farm.studio.example",
                                 .role = Role::kRecorder,
                                 .source = Principal::Source::kCertificate}}});
  auto farm = auth.Authenticate(std::nullopt, {"other", "houdini-farm.studio.example"});
  ASSERT_TRUE(farm.ok());
  EXPECT_EQ(farm->role, Role::kRecorder);
  EXPECT_TRUE(
      absl::IsUnauthenticated(auth.Authenticate(std::nullopt, {"stranger"}).status()));
}

TEST(CertificateIdentities, EachLineMapsANameToARoleAndFacility) {
  auto identities = ParseCertificateIdentities(
      "ids",
      "# name  role  facility\n\n  ingest.studio recorder wlg # the SAN\n"
      "viewer-tool\treader\n");
  ASSERT_TRUE(identities.ok()) << identities.status();
  ASSERT_EQ(identities->size(), 2u);
  const Principal& ingest = identities->at("ingest.studio");
  EXPECT_EQ(ingest.name, "cert:ingest.studio");
  EXPECT_EQ(ingest.role, Role::kRecorder);
  EXPECT_EQ(ingest.facility, "wlg");
  EXPECT_EQ(ingest.source, Principal::Source::kCertificate);
  EXPECT_EQ(identities->at("viewer-tool").role, Role::kReader);
  EXPECT_EQ(identities->at("viewer-tool").facility, "");
  auto empty = ParseCertificateIdentities("ids", "# nobody yet\n");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(CertificateIdentities, ABadLineIsNamedByFileAndLine) {
  const std::map<std::string, std::string> cases = {
      {"a reader\nb root\n",
       "ids:2: unknown role 'root' (reader, recorder, rights or admin)"},
      {"a\n", "ids:1: expected '<certificate name> <role> [facility]', got 1 words"},
      {"a reader x y\n",
       "ids:1: expected '<certificate name> <role> [facility]', got 4 words"},
      {"a reader\n#\na rights\n", "ids:3: 'a' is mapped already, on line 1"},
  };
  for (const auto& [text, message] : cases) {
    auto parsed = ParseCertificateIdentities("ids", text);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_EQ(parsed.status().message(), message);
  }
  EXPECT_EQ(ReadCertificateIdentities("/nonexistent/ids").status().message(),
            "--tls-client-identities: cannot read /nonexistent/ids: No such file or "
            "directory");
}

TEST_F(AuthenticatorTest, ATokenWinsOverAMappedCertificate) {
  auto identities = ParseCertificateIdentities("ids", "viewer-tool reader\n");
  ASSERT_TRUE(identities.ok());
  Authenticator auth(store_, Mode::kRequired, *identities);
  auto viewer = auth.Authenticate(std::nullopt, {"viewer-tool"});
  ASSERT_TRUE(viewer.ok());
  EXPECT_EQ(viewer->name, "cert:viewer-tool");
  const std::string header = "Bearer " + NewSecret();
  EXPECT_TRUE(absl::IsUnauthenticated(
      auth.Authenticate(std::string_view(header), {"viewer-tool"}).status()))
      << "an unknown token must not fall back to the certificate";
}

// Two replicas given the same --bootstrap-token-file at once: the one whose
// insert loses finds the other's token instead of failing to start.
TEST(TokenRegistry, ABootstrapRaceEndsWithOneToken) {
  class RacingStore final : public store::AccessStore {
   public:
    absl::StatusOr<AccessToken> AddToken(const AccessToken& t,
                                         const store::TokenDigest& d) override {
      // The other replica's insert lands between lookup and insert.
      auto won = inner.AddToken(t, d);
      if (!won.ok()) return won;
      return absl::AlreadyExistsError("name: taken");
    }
    absl::StatusOr<std::optional<AccessToken>> TokenByDigest(
        const store::TokenDigest& d) override {
      return inner.TokenByDigest(d);
    }
    absl::StatusOr<std::vector<AccessToken>> ListTokens() override {
      return inner.ListTokens();
    }
    absl::StatusOr<std::optional<AccessToken>> RevokeToken(
        const std::string& n, const std::string& b) override {
      return inner.RevokeToken(n, b);
    }
    FakeAccessStore inner;
  } store;
  const auto file = std::filesystem::temp_directory_path() /
                    ("rmtc-bootstrap-race-" + std::to_string(getpid()));
  std::ofstream(file) << NewSecret() << "\n";
  TokenRegistry registry(store, nullptr);
  auto name = registry.Bootstrap(file.string());
  std::filesystem::remove(file);
  ASSERT_TRUE(name.ok()) << name.status();
  EXPECT_TRUE(name->starts_with("bootstrap-"));
  EXPECT_EQ(store.ListTokens()->size(), 1u);
}

TEST(TokenRegistry, RefusesBadRequestsAndWritesNothing) {
  FakeAccessStore store;
  TokenRegistry registry(store, nullptr);
  EXPECT_EQ(registry.Create({.name = ""}).status().message(), "name: is required");
  EXPECT_EQ(registry.Create({.name = "a b"}).status().message(),
            "name: may hold only letters, digits and . _ - @ (e.g. nuke-farm-2)");
  EXPECT_EQ(registry.Create({.name = "x", .expires_at = Now() - std::chrono::hours(1)})
                .status()
                .message(),
            "expires_at: is in the past");
  EXPECT_TRUE(store.ListTokens()->empty());
  ASSERT_TRUE(registry.Create({.name = "x"}).ok());
  EXPECT_TRUE(absl::IsAlreadyExists(registry.Create({.name = "x"}).status()));
  EXPECT_EQ(store.ListTokens()->size(), 1u);
  EXPECT_EQ(registry.Revoke("nobody", "a").status().message(),
            "name: no token named 'nobody' (rmtc token ls)");
}

}  // namespace
}  // namespace rmtc::auth
