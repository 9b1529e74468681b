// Who a call runs as, and whether it may do what it asks: the one check
// every listener's dispatcher makes before a handler runs
// (docs/operations.md, "Security").
//
//   auto principal = authenticator.Authenticate(header, certificate_subject);
//   if (principal.ok()) status = authenticator.Authorize(*principal, "CheckUse");
//
// UNAUTHENTICATED: a missing (in required mode), malformed, unknown,
// expired or revoked token. PERMISSION_DENIED: a role below the method's,
// naming the role needed. The messages never contain the token.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "records/access.h"
#include "store/access_store.h"

namespace rmtc::auth {

enum class Mode {
  kRequired,  // every call presents a token (or a mapped client certificate)
  kOpen,      // a call without one runs as "open", with every role
};

class Authenticator {
 public:
  // `certificates`: client certificate subjects (CN or a SAN, as TLS
  // verified them) and the principal each is.
  Authenticator(store::AccessStore& store, Mode mode,
                std::map<std::string, records::Principal> certificates = {});

  // `authorization`: the header's value, nullopt if absent.
  // `certificate_subjects`: the verified client certificate's CN and SANs.
  absl::StatusOr<records::Principal> Authenticate(
      std::optional<std::string_view> authorization,
      const std::vector<std::string>& certificate_subjects = {});

  // OK if `principal` may call `method`.
  static absl::Status Authorize(const records::Principal& principal,
                                std::string_view method);

  // OK if `principal` may write an artefact of `facility` (or a record on
  // one): a token bound to a facility writes only that facility's.
  static absl::Status MayWrite(const records::Principal& principal,
                               std::string_view facility, std::string_view what);

  // Forget cached lookups (after a revocation through this rmtcd).
  void Forget();

  Mode mode() const { return mode_; }

 private:
  absl::StatusOr<records::Principal> FromToken(std::string_view secret);

  store::AccessStore& store_;
  const Mode mode_;
  const std::map<std::string, records::Principal> certificates_;

  // Tokens looked up recently, by digest: a revocation through another
  // rmtcd on the same database takes effect within kCacheFor.
  static constexpr auto kCacheFor = std::chrono::seconds(5);
  struct Cached {
    std::optional<records::AccessToken> token;
    std::chrono::steady_clock::time_point until;
  };
  std::mutex mu_;
  std::map<store::TokenDigest, Cached> cache_;
};

}  // namespace rmtc::auth
