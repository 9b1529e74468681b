#include "auth/roles.h"

#include <array>
#include <utility>

#include "vocabulary/names.h"

namespace rmtc::auth {

using records::Role;

namespace {

struct MethodRole {
  std::string_view method;
  Role role;
  bool writes_artefacts;
  // Writes anything: its request's digest goes into the audit entry.
  bool writes = writes_artefacts;
};

constexpr std::array kMethods = {
    // Lineage.
    MethodRole{"GetArtefact", Role::kReader, false},
    MethodRole{"FindArtefacts", Role::kReader, false},
    MethodRole{"ListArtefacts", Role::kReader, false},
    MethodRole{"Trace", Role::kReader, false},
    MethodRole{"RegisterArtefacts", Role::kRecorder, true},
    MethodRole{"RecordTrainingRun", Role::kRecorder, true},
    MethodRole{"RecordInference", Role::kRecorder, true},
    // Licensing: reading.
    MethodRole{"GetLicence", Role::kReader, false},
    MethodRole{"ListLicences", Role::kReader, false},
    MethodRole{"ListAttachments", Role::kReader, false},
    MethodRole{"GetConsentHistory", Role::kReader, false},
    MethodRole{"GetLicensingChain", Role::kReader, false},
    MethodRole{"CheckUse", Role::kReader, false},
    MethodRole{"GetImpact", Role::kReader, false},
    MethodRole{"GetClearance", Role::kReader, false},
    MethodRole{"ListClearances", Role::kReader, false},
    // Licensing: writing. Licences are the studio's catalogue, not any
    // facility's; attachments, elections, consents and clearances are on
    // artefacts.
    MethodRole{"AddLicence", Role::kRights, false, true},
    MethodRole{"RevokeLicence", Role::kRights, false, true},
    MethodRole{"AttachLicence", Role::kRights, true},
    MethodRole{"ElectLicence", Role::kRights, true},
    MethodRole{"SetConsent", Role::kRights, true},
    MethodRole{"AddClearance", Role::kRights, true},
    MethodRole{"RevokeClearance", Role::kRights, true},
    // Access.
    MethodRole{"WhoAmI", Role::kReader, false},
    MethodRole{"CreateToken", Role::kAdmin, false, true},
    MethodRole{"ListTokens", Role::kAdmin, false},
    MethodRole{"RevokeToken", Role::kAdmin, false, true},
    // Audit.
    MethodRole{"ListAuditEntries", Role::kAdmin, false},
    MethodRole{"GetAuditHead", Role::kAdmin, false},
    MethodRole{"VerifyAudit", Role::kAdmin, false},
};

const MethodRole* Find(std::string_view method) {
  for (const auto& m : kMethods) {
    if (m.method == method) return &m;
  }
  return nullptr;
}

}  // namespace

std::optional<Role> RequiredRole(std::string_view method) {
  const auto* m = Find(method);
  return m ? std::optional(m->role) : std::nullopt;
}

bool Writes(std::string_view method) {
  const auto* m = Find(method);
  return m != nullptr && m->writes;
}

bool WritesArtefacts(std::string_view method) {
  const auto* m = Find(method);
  return m != nullptr && m->writes_artefacts;
}

std::string_view RoleName(Role role) {
  return vocabulary::NameAt(vocabulary::kRoleNames, static_cast<long>(role));
}

std::optional<Role> RoleNamed(std::string_view name) {
  const auto i = vocabulary::IndexOfName(vocabulary::kRoleNames, name);
  return i ? std::optional(static_cast<Role>(*i)) : std::nullopt;
}

}  // namespace rmtc::auth
