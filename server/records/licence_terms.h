// Licence terms as JSON, the form they take in the API and the database:
//   {"field_of_use": "non-commercial", "attribution": true,
//    "share_alike": "CC-BY-SA", "no_derivatives": false,
//    "use_restrictions": ["..."], "purpose_limit": ["research"],
//    "training": "allowed", "results_unrestricted": false,
//    "survives_expiry": "none", ...}
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "records/licensing.h"

namespace rmtc::records {

// Strict: an unknown key, a wrong type or an unknown value is
// INVALID_ARGUMENT naming it ("terms.field_of_use: ..."). Missing keys take
// the fail-closed defaults: field of use and training "unknown", no
// obligations or restrictions, survives_expiry "none".
absl::StatusOr<LicenceTerms> TermsFromJson(std::string_view path, std::string_view json);

// Every key, defaults included.
std::string TermsToJson(const LicenceTerms& terms);

}  // namespace rmtc::records
