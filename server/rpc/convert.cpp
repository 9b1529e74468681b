#include "rpc/convert.h"

#include "common/strings.h"
#include "vocabulary/names_match_proto.h"
#include "vocabulary/time_text.h"

namespace rmtc::rpc {

absl::StatusOr<std::optional<records::Kind>> KindFromProto(v1::Kind kind,
                                                           std::string_view path) {
  const int n = static_cast<int>(kind);
  if (n == 0) return std::nullopt;
  if (n < 0 || n > records::kKindCount) {
    return absl::InvalidArgumentError(StrCat(path, ": unknown kind ", n));
  }
  return static_cast<records::Kind>(n);
}

absl::StatusOr<std::optional<records::Relation>> RelationFromProto(
    v1::Relation relation, std::string_view path) {
  const int n = static_cast<int>(relation);
  if (n == 0) return std::nullopt;
  if (n < 0 || n > records::kRelationCount) {
    return absl::InvalidArgumentError(StrCat(path, ": unknown relation ", n));
  }
  return static_cast<records::Relation>(n);
}

absl::StatusOr<records::NewArtefact> NewArtefactFromProto(const v1::NewArtefact& proto,
                                                          std::string_view path) {
  records::NewArtefact out;
  auto kind = KindFromProto(proto.kind(), StrCat(path, ".kind"));
  if (!kind.ok()) return kind.status();
  out.kind = *kind;
  out.name = proto.name();
  out.version = proto.version();
  out.uri = proto.uri();
  out.sha256 = proto.sha256();
  out.facility = proto.facility();
  out.attributes = proto.attributes();
  out.item_key = proto.item_key();
  for (const auto& ext : proto.external_ids()) {
    out.external_ids.push_back({ext.system(), ext.id()});
  }
  for (int s = 0; s < proto.sources_size(); ++s) {
    const auto& source = proto.sources(s);
    auto relation =
        RelationFromProto(source.relation(), StrCat(path, ".sources[", s, "].relation"));
    if (!relation.ok()) return relation.status();
    records::SourceRef ref{*relation, source.id(), std::nullopt};
    if (source.source_case() == v1::SourceRef::kBatchIndex) {
      ref.batch_index = source.batch_index();
    }
    out.sources.push_back(std::move(ref));
  }
  return out;
}

absl::StatusOr<records::Timestamp> TimestampFromProto(
    const google::protobuf::Timestamp& proto, std::string_view field) {
  // google.protobuf.Timestamp's own bounds; PostgreSQL holds all of them.
  if (proto.seconds() < vocabulary::kMinSeconds ||
      proto.seconds() > vocabulary::kMaxSeconds) {
    return absl::InvalidArgumentError(StrCat(field, ": seconds ", proto.seconds(),
                                             " is outside 0001-01-01..9999-12-31"));
  }
  if (proto.nanos() < 0 || proto.nanos() > 999'999'999) {
    return absl::InvalidArgumentError(
        StrCat(field, ": nanos ", proto.nanos(), " is outside 0..999999999"));
  }
  return records::Timestamp(
      std::chrono::microseconds(*vocabulary::MicrosOf(proto.seconds(), proto.nanos())));
}

absl::StatusOr<std::optional<records::Timestamp>> OptionalTimestampFromProto(
    bool present, const google::protobuf::Timestamp& proto, std::string_view field) {
  if (!present) return std::nullopt;
  auto time = TimestampFromProto(proto, field);
  if (!time.ok()) return time.status();
  return *time;
}

void ToProto(records::Timestamp time, google::protobuf::Timestamp* proto) {
  const auto parts = vocabulary::SplitMicros(time.time_since_epoch().count());
  proto->set_seconds(parts.seconds);
  proto->set_nanos(parts.nanos);
}

void ToProto(const records::Artefact& a, v1::Artefact* proto) {
  proto->set_id(a.id.ToString());
  proto->set_kind(static_cast<v1::Kind>(a.kind));
  proto->set_name(a.name);
  proto->set_version(a.version);
  proto->set_uri(a.uri);
  proto->set_sha256(a.sha256);
  proto->set_facility(a.facility);
  ToProto(a.created_at, proto->mutable_created_at());
  proto->set_created_by(a.created_by);
  proto->set_attributes(a.attributes);
  for (const auto& ext : a.external_ids) {
    auto* out = proto->add_external_ids();
    out->set_system(ext.system);
    out->set_id(ext.id);
  }
}

void ToProto(const records::Edge& edge, v1::Edge* proto) {
  proto->set_derived_id(edge.derived.ToString());
  proto->set_source_id(edge.source.ToString());
  proto->set_relation(static_cast<v1::Relation>(edge.relation));
}

}  // namespace rmtc::rpc
