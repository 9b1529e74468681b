// Access tokens and roles, as rmtcd's Access service speaks them
// (docs/operations.md, "Security"). Plain structs, no gRPC.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "rmtc/export.h"
#include "rmtc/types.h"

namespace rmtc {

// Each role allows what the ones before it allow: reader (get, find, list,
// trace, chain, check, impact), recorder (+ register, record runs and
// inferences), rights (+ licences, attachments, elections, consents,
// clearances), admin (+ access tokens).
enum class Role { kUnknown = 0, kReader = 1, kRecorder, kRights, kAdmin };

RMTC_EXPORT std::string_view RoleName(Role role);
RMTC_EXPORT std::optional<Role> RoleFromName(std::string_view name);

struct AccessToken {
  std::string id{};
  std::string name{};
  Role role = Role::kUnknown;
  std::string facility{};  // "": may write artefacts of any facility
  std::optional<Time> expires_at{};
  Time created_at{};
  std::string created_by{};
  std::optional<Time> revoked_at{};
  std::string revoked_by{};
};

struct NewToken {
  std::string name{};  // letters, digits, . _ - @; at most 64
  Role role = Role::kReader;
  std::string facility{};
  std::optional<Time> expires_at{};
};

struct CreatedToken {
  AccessToken token{};
  std::string secret{};  // "rmtc_...": shown this once, stored only as a digest
};

// Who rmtcd takes the caller for.
struct Caller {
  std::string principal{};  // a token's name, "cert:<subject>", or "open"
  Role role = Role::kUnknown;
  std::string facility{};
  std::string auth{};  // "token", "certificate" or "open"
};

}  // namespace rmtc
