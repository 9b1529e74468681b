// Creating, listing and revoking access tokens, and the bootstrap admin
// token an operator hands rmtcd in a file (--bootstrap-token-file).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "auth/authenticator.h"
#include "records/access.h"
#include "store/access_store.h"

namespace rmtc::auth {

struct NewToken {
  std::string name;
  records::Role role = records::Role::kReader;
  std::string facility;
  std::optional<records::Timestamp> expires_at;
  std::string created_by;
};

struct CreatedToken {
  records::AccessToken token;
  std::string secret;  // shown once; only its digest is stored
};

class TokenRegistry {
 public:
  // `authenticator` (may be null) forgets its cache when a token is revoked.
  TokenRegistry(store::AccessStore& store, Authenticator* authenticator)
      : store_(store), authenticator_(authenticator) {}

  // INVALID_ARGUMENT naming the field; ALREADY_EXISTS for a name taken.
  absl::StatusOr<CreatedToken> Create(const NewToken& request);
  absl::StatusOr<std::vector<records::AccessToken>> List();
  // NOT_FOUND for an unknown name.
  absl::StatusOr<records::AccessToken> Revoke(const std::string& name,
                                              const std::string& by);

  // Makes the secret in `path` an admin token named "bootstrap-<tag>", unless
  // a token with that secret exists already. Returns the token's name.
  // The file holds one secret (rmtc token create prints one; or
  // `rmtcd token new-secret`); surrounding whitespace is ignored.
  absl::StatusOr<std::string> Bootstrap(const std::string& path);

 private:
  store::AccessStore& store_;
  Authenticator* authenticator_;
};

}  // namespace rmtc::auth
