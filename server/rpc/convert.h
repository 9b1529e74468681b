// Proto <-> records. Enum numbers outside the known range and timestamps
// outside protobuf's range are the checks made here (the domain never sees
// a number it has no name for, nor a time it cannot hold); all other checks
// are the domain's.
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
absl::StatusOr<std::optional<records::Relation>> RelationFromProto(v1::Relation relation,
                                                                   std::string_view path);

absl::StatusOr<records::NewArtefact> NewArtefactFromProto(const v1::NewArtefact& proto,
                                                          std::string_view path);

// A Timestamp within protobuf's range (0001-01-01 to 9999-12-31, nanos
// 0..999999999), else INVALID_ARGUMENT naming `field`. Kept to microseconds:
// nanoseconds are truncated, toward the past, never rounded up (a rounding
// would carry 9999-12-31T23:59:59.9999999 out of the range).
absl::StatusOr<records::Timestamp> TimestampFromProto(
    const google::protobuf::Timestamp& proto, std::string_view field);
// The same for an optional field: nullopt when absent.
absl::StatusOr<std::optional<records::Timestamp>> OptionalTimestampFromProto(
    bool present, const google::protobuf::Timestamp& proto, std::string_view field);
void ToProto(records::Timestamp time, google::protobuf::Timestamp* proto);

void ToProto(const records::Artefact& artefact, v1::Artefact* proto);
void ToProto(const records::Edge& edge, v1::Edge* proto);

}  // namespace rmtc::rpc
