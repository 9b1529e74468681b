// The repository of access tokens (records/access.h). PgAccessStore
// implements it on PostgreSQL; every method may return UNAVAILABLE when the
// database cannot be reached.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "records/access.h"

namespace rmtc::store {

using TokenDigest = std::array<unsigned char, 32>;  // SHA-256 of the secret

class AccessStore {
 public:
  virtual ~AccessStore() = default;

  // ALREADY_EXISTS "name: a token named '<name>' exists" if the name is
  // taken; nothing is written then.
  virtual absl::StatusOr<records::AccessToken> AddToken(const records::AccessToken& token,
                                                        const TokenDigest& digest) = 0;
  // The token whose secret has `digest`, revoked or expired ones included.
  virtual absl::StatusOr<std::optional<records::AccessToken>> TokenByDigest(
      const TokenDigest& digest) = 0;
  virtual absl::StatusOr<std::vector<records::AccessToken>> ListTokens() = 0;
  // Appends a revocation (the earliest counts); nullopt for an unknown name.
  virtual absl::StatusOr<std::optional<records::AccessToken>> RevokeToken(
      const std::string& name, const std::string& by) = 0;
};

}  // namespace rmtc::store
