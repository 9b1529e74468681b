// Who calls rmtcd and what they may do: access tokens, roles and the
// principal a call runs as (docs/operations.md, "Security"). Data only.
#pragma once

#include <optional>
#include <string>

#include "records/artefact.h"

namespace rmtc::records {

// Each role allows what the ones before it allow (vocabulary::kRoleNames).
enum class Role { kReader, kRecorder, kRights, kAdmin };

// A stored token: everything but its secret, of which only a digest is kept.
struct AccessToken {
  Uuid id;
  std::string name;
  Role role = Role::kReader;
  std::string facility;  // "": may write artefacts of any facility
  std::optional<Timestamp> expires_at;
  Timestamp created_at{};
  std::string created_by;
  std::optional<Timestamp> revoked_at;
  std::string revoked_by;
};

// Whom a call runs as.
struct Principal {
  enum class Source { kOpen, kToken, kCertificate };
  std::string name;  // the token's name, "cert:<subject>", or "open"
  Role role = Role::kReader;
  std::string facility;  // "": any
  Source source = Source::kOpen;
};

}  // namespace rmtc::records
