// Client records <-> proto messages.
#pragma once

#include <chrono>

#include "rmtc/licensing.h"
#include "rmtc/recording.h"
#include "rmtc/types.h"
#include "rmtc/v1/checks.pb.h"
#include "rmtc/v1/licensing.pb.h"
#include "rmtc/v1/lineage.pb.h"

namespace rmtc {

// A value this library does not know maps to kUnknown, never to a cast
// out of range. kUnknown goes out as -1, a number rmtcd refuses by field
// name (0 would mean "not given", silently dropping a filter).
inline constexpr int kUnknownToProto = -1;
Kind KindFromProto(int value);
Relation RelationFromProto(int value);
int KindToProto(Kind kind);
int RelationToProto(Relation relation);

void ToProto(const NewArtefact& artefact, v1::NewArtefact* proto);
Artefact FromProto(const v1::Artefact& proto);
Registered FromProto(const v1::Registered& proto);
// Floor division: a time before 1970 with a fraction keeps nanos >= 0.
void SetTimestamp(Time time, google::protobuf::Timestamp* proto);
// Held to 0001..9999 (a peer sending more is broken, not a reason to fail).
Time TimeFromProto(const google::protobuf::Timestamp& proto);
// In licensing_convert.cpp. Enum numbers beyond the known ones (from a
// newer rmtcd) read as kUnknown; kUnknown goes out as kUnknownToProto,
// except where UNKNOWN is a proto value too (field of use, training).
FieldOfUse FieldOfUseFromProto(v1::FieldOfUse value);
Verdict VerdictFromProto(v1::Verdict value, Verdict unspecified);
v1::IntendedUse IntendedUseToProto(IntendedUse use);
v1::Policy PolicyToProto(Policy policy);
void TermsToProto(const LicenceTerms& terms, v1::LicenceTerms* proto);
Licence FromProto(const v1::Licence& proto);
LicenceAttachment FromProto(const v1::LicenceAttachment& proto);
v1::ConsentValue ConsentToProto(const std::optional<ConsentValue>& value);
ConsentRecord FromProto(const v1::ConsentRecord& proto);
std::vector<PathNode> FromProto(
    const google::protobuf::RepeatedPtrField<v1::PathNode>& nodes);
UseCheck UseCheckFromProto(const v1::UseCheck& proto);
// `nodes`: the answer's, which the term's source tree indexes.
ChainTerm ChainTermFromProto(
    const v1::ChainTerm& proto,
    const google::protobuf::RepeatedPtrField<v1::PathNode>& nodes);
ClearanceRef FromProto(const v1::ClearanceRef& proto);
Clearance FromProto(const v1::Clearance& proto);
void ClearanceToProto(const Clearance& clearance, v1::Clearance* proto);
void GuardrailToProto(const Guardrail& guardrail, v1::Guardrail* proto);

}  // namespace rmtc
