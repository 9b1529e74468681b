#include "auth/authenticator.h"

#include "auth/roles.h"
#include "auth/secrets.h"
#include "common/strings.h"

namespace rmtc::auth {

using records::Principal;
using records::Role;

namespace {

constexpr std::size_t kMaxCached = 4096;

records::Timestamp Now() {
  return std::chrono::time_point_cast<std::chrono::microseconds>(
      std::chrono::system_clock::now());
}

}  // namespace

Authenticator::Authenticator(store::AccessStore& store, Mode mode,
                             std::map<std::string, Principal> certificates)
    : store_(store), mode_(mode), certificates_(std::move(certificates)) {}

absl::StatusOr<Principal> Authenticator::Authenticate(
    std::optional<std::string_view> authorization,
    const std::vector<std::string>& certificate_subjects) {
  if (authorization) {
    const auto secret = BearerToken(*authorization);
    if (!secret) {
      return absl::UnauthenticatedError(
          "authorization: expected 'Bearer rmtc_...' (rmtc --token, or RMTC_TOKEN)");
    }
    return FromToken(*secret);
  }
  for (const auto& subject : certificate_subjects) {
    if (auto it = certificates_.find(subject); it != certificates_.end()) {
      return it->second;
    }
  }
  if (mode_ == Mode::kOpen) {
    return Principal{.name = "open", .role = Role::kAdmin};
  }
  return absl::UnauthenticatedError(
      "no access token: this rmtcd requires one (rmtc --token, or RMTC_TOKEN; an "
      "admin creates tokens with rmtc token create)");
}

absl::StatusOr<Principal> Authenticator::FromToken(std::string_view secret) {
  if (!LooksLikeSecret(secret)) {
    return absl::UnauthenticatedError(
        "the access token is not an RMTC token (rmtc_ and 43 characters)");
  }
  const auto digest = DigestOf(secret);
  const auto now = std::chrono::steady_clock::now();
  std::optional<records::AccessToken> token;
  bool cached = false;
  {
    std::lock_guard lock(mu_);
    if (auto it = cache_.find(digest); it != cache_.end() && it->second.until > now) {
      token = it->second.token;
      cached = true;
    }
  }
  if (!cached) {
    auto found = store_.TokenByDigest(digest);
    if (!found.ok()) return found.status();
    token = *std::move(found);
    std::lock_guard lock(mu_);
    if (cache_.size() >= kMaxCached) cache_.clear();
    cache_[digest] = {token, now + kCacheFor};
  }
  if (!token) return absl::UnauthenticatedError("the access token is not known");
  if (token->revoked_at && *token->revoked_at <= Now()) {
    return absl::UnauthenticatedError(
        StrCat("the access token '", token->name, "' was revoked"));
  }
  if (token->expires_at && *token->expires_at <= Now()) {
    return absl::UnauthenticatedError(
        StrCat("the access token '", token->name, "' has expired"));
  }
  return Principal{.name = token->name,
                   .role = token->role,
                   .facility = token->facility,
                   .source = Principal::Source::kToken};
}

absl::Status Authenticator::Authorize(const Principal& principal,
                                      std::string_view method) {
  const Role needed = RequiredRole(method).value_or(Role::kAdmin);
  if (static_cast<int>(principal.role) >= static_cast<int>(needed)) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(StrCat(method, " needs the ", RoleName(needed),
                                            " role; '", principal.name, "' is ",
                                            RoleName(principal.role)));
}

absl::Status Authenticator::MayWrite(const Principal& principal,
                                     std::string_view facility, std::string_view what) {
  if (principal.facility.empty() || principal.facility == facility) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      StrCat(what, ": '", principal.name, "' may write only facility '",
             principal.facility, "', not '", facility, "'"));
}

void Authenticator::Forget() {
  std::lock_guard lock(mu_);
  cache_.clear();
}

}  // namespace rmtc::auth
