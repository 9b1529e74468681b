// Proto <-> records for the licensing API and use checks.
#pragma once

#include <optional>

#include "absl/status/statusor.h"
#include "lineage/licensing.h"
#include "rmtc/v1/checks.pb.h"
#include "rmtc/v1/licensing.pb.h"

namespace rmtc::rpc {

// INVALID_ARGUMENT for numbers outside the enums, naming `path`.
absl::StatusOr<records::Licence> LicenceFromProto(const v1::Licence& proto);
// INVALID_ARGUMENT for a bad id ("clearance.artefact_id: ..."), a use that
// is unset or unknown ("clearance.uses[1]: ..."), or a bad time.
absl::StatusOr<records::Clearance> ClearanceFromProto(const v1::Clearance& proto);
absl::StatusOr<std::optional<records::ConsentValue>> ConsentValueFromProto(
    v1::ConsentValue value, std::string_view path);
absl::StatusOr<records::IntendedUse> IntendedUseFromProto(v1::IntendedUse use,
                                                          std::string_view path);
absl::StatusOr<std::optional<records::Policy>> PolicyFromProto(v1::Policy policy,
                                                               std::string_view path);
// nullopt when the request carries no guardrail.
absl::StatusOr<std::optional<lineage::Guardrail>> GuardrailFromProto(
    bool present, const v1::Guardrail& proto);

void ToProto(const records::Licence& licence, v1::Licence* proto);
void ToProto(const records::LicenceAttachment& attachment, v1::LicenceAttachment* proto);
void ToProto(const records::LicenceElection& election, v1::LicenceElection* proto);
void ToProto(const records::ConsentRecord& record, v1::ConsentRecord* proto);
void ToProto(const records::Clearance& clearance, v1::Clearance* proto);
void ToProto(const lineage::ChainAnswer& answer, v1::LicensingChain* proto);
void ToProto(const lineage::CheckAnswer& answer, v1::UseCheck* proto);

v1::Verdict VerdictToProto(records::Verdict verdict);
v1::FieldOfUse FieldOfUseToProto(records::FieldOfUse field);

}  // namespace rmtc::rpc
