#include "auth/token_registry.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "auth/secrets.h"
#include "common/strings.h"
#include "vocabulary/hex.h"

namespace rmtc::auth {

using records::AccessToken;

namespace {

constexpr std::size_t kMaxNameBytes = 64;
constexpr std::size_t kMaxFacilityBytes = 128;

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' ||
         c == '-' || c == '@';
}

absl::Status CheckName(const std::string& name) {
  if (name.empty()) return absl::InvalidArgumentError("name: is required");
  if (name.size() > kMaxNameBytes) {
    return absl::InvalidArgumentError(
        StrCat("name: is ", name.size(), " bytes; at most ", kMaxNameBytes));
  }
  if (!std::all_of(name.begin(), name.end(), IsNameChar)) {
    return absl::InvalidArgumentError(
        "name: may hold only letters, digits and . _ - @ (e.g. nuke-farm-2)");
  }
  return absl::OkStatus();
}

records::Timestamp Now() {
  return std::chrono::time_point_cast<std::chrono::microseconds>(
      std::chrono::system_clock::now());
}

}  // namespace

absl::StatusOr<CreatedToken> TokenRegistry::Create(const NewToken& request) {
  if (auto bad = CheckName(request.name); !bad.ok()) return bad;
  if (request.facility.size() > kMaxFacilityBytes) {
    return absl::InvalidArgumentError(StrCat("facility: is ", request.facility.size(),
                                             " bytes; at most ", kMaxFacilityBytes));
  }
  if (request.expires_at && *request.expires_at <= Now()) {
    return absl::InvalidArgumentError("expires_at: is in the past");
  }
  CreatedToken created;
  created.secret = NewSecret();
  AccessToken token{.id = records::Uuid::NewV7(),
                    .name = request.name,
                    .role = request.role,
                    .facility = request.facility,
                    .expires_at = request.expires_at,
                    .created_by = request.created_by};
  auto stored = store_.AddToken(token, DigestOf(created.secret));
  if (!stored.ok()) return stored.status();
  created.token = *std::move(stored);
  return created;
}

absl::StatusOr<std::vector<AccessToken>> TokenRegistry::List() {
  return store_.ListTokens();
}

absl::StatusOr<AccessToken> TokenRegistry::Revoke(const std::string& name,
                                                  const std::string& by) {
  if (auto bad = CheckName(name); !bad.ok()) return bad;
  auto revoked = store_.RevokeToken(name, by);
  if (!revoked.ok()) return revoked.status();
  if (!*revoked) {
    return absl::NotFoundError(
        StrCat("name: no token named '", name, "' (rmtc token ls)"));
  }
  if (authenticator_ != nullptr) authenticator_->Forget();
  return **revoked;
}

absl::StatusOr<std::string> TokenRegistry::Bootstrap(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::InvalidArgumentError(
        StrCat("--bootstrap-token-file: cannot read ", path));
  }
  std::stringstream text;
  text << in.rdbuf();
  std::string secret = text.str();
  const auto first = secret.find_first_not_of(" \t\r\n");
  const auto last = secret.find_last_not_of(" \t\r\n");
  secret = first == std::string::npos ? "" : secret.substr(first, last - first + 1);
  if (!LooksLikeSecret(secret)) {
    return absl::InvalidArgumentError(
        StrCat("--bootstrap-token-file: ", path,
               " does not hold an RMTC token (rmtc_ and 43 characters; make one with "
               "rmtcd token new-secret)"));
  }
  const auto digest = DigestOf(secret);
  auto existing = store_.TokenByDigest(digest);
  if (!existing.ok()) return existing.status();
  if (*existing) return (*existing)->name;
  const std::string name = StrCat("bootstrap-", vocabulary::HexEncode(digest.data(), 4));
  AccessToken token{.id = records::Uuid::NewV7(),
                    .name = name,
                    .role = records::Role::kAdmin,
                    .created_by = "rmtcd --bootstrap-token-file"};
  auto stored = store_.AddToken(token, digest);
  if (absl::IsAlreadyExists(stored.status())) {
    // Replicas started together with the same file race to make it: the
    // one that lost finds the winner's token.
    auto made = store_.TokenByDigest(digest);
    if (!made.ok()) return made.status();
    if (*made) return (*made)->name;
  }
  if (!stored.ok()) return stored.status();
  return name;
}

}  // namespace rmtc::auth
