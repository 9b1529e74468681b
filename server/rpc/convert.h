// Proto <-> records. Enum numbers outside the known range are the one
// check made here (the domain never sees a number it has no name for); all
// other checks are the domain's.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "records/artefact.h"
#include "records/queries.h"
#include "rmtc/v1/lineage.pb.h"

namespace rmtc::rpc {

// KIND_UNSPECIFIED -> nullopt; INVALID_ARGUMENT "<path>: unknown kind 42".
absl::StatusOr<std::optional<records::Kind>> KindFromProto(v1::Kind kind,
                                                           std::string_view path);
absl::StatusOr<std::optional<records::Relation>> RelationFromProto(
    v1::Relation relation, std::string_view path);

absl::StatusOr<records::NewArtefact> NewArtefactFromProto(
    const v1::NewArtefact& proto, std::string_view path);

records::Timestamp TimestampFromProto(const google::protobuf::Timestamp& proto);
void ToProto(records::Timestamp time, google::protobuf::Timestamp* proto);

void ToProto(const records::Artefact& artefact, v1::Artefact* proto);
void ToProto(const records::Edge& edge, v1::Edge* proto);

}  // namespace rmtc::rpc
