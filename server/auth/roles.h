// Which role each RPC needs (proto/rmtc/v1/access.proto has the table in
// words). One table for every listener: the gRPC Dispatcher asks it, and
// the HTTP listener will ask it for the same methods.
#pragma once

#include <optional>
#include <string_view>

#include "records/access.h"

namespace rmtc::auth {

// The least role that may call `method` ("CheckUse", "AttachLicence", ...);
// nullopt for a method this table does not know (then only admin may:
// a new method is closed until someone places it here).
std::optional<records::Role> RequiredRole(std::string_view method);

// Whether `method` writes anything (the audit log keeps a digest of its
// request).
bool Writes(std::string_view method);

// Whether `method` writes artefacts or records attached to them (a token
// bound to a facility may write only its facility's).
bool WritesArtefacts(std::string_view method);

std::string_view RoleName(records::Role role);
std::optional<records::Role> RoleNamed(std::string_view name);

}  // namespace rmtc::auth
