#include "convert.h"

#include <array>

#include "rmtc/result.h"

namespace rmtc {
namespace {

constexpr std::array<std::string_view, 6> kKindNames = {
    "dataset", "model", "weights", "run", "inference", "asset"};
constexpr std::array<std::string_view, 11> kRelationNames = {
    "derived_from", "contains", "trained_on", "evaluated_on", "base",      "produced_by",
    "uses",         "input",    "output_of",  "variant_of",   "supersedes"};

}  // namespace

std::string_view KindName(Kind kind) {
  return kKindNames.at(static_cast<std::size_t>(kind) - 1);
}

std::string_view RelationName(Relation relation) {
  return kRelationNames.at(static_cast<std::size_t>(relation) - 1);
}

std::optional<Kind> KindFromName(std::string_view name) {
  for (std::size_t i = 0; i < kKindNames.size(); ++i) {
    if (kKindNames[i] == name) return static_cast<Kind>(i + 1);
  }
  return std::nullopt;
}

std::optional<Relation> RelationFromName(std::string_view name) {
  for (std::size_t i = 0; i < kRelationNames.size(); ++i) {
    if (kRelationNames[i] == name) return static_cast<Relation>(i + 1);
  }
  return std::nullopt;
}

const char* ErrorCodeName(ErrorCode code) {
  static const char* const kNames[] = {
      "OK",          "CANCELLED",          "UNKNOWN",      "INVALID_ARGUMENT",
      "DEADLINE_EXCEEDED", "NOT_FOUND",    "ALREADY_EXISTS", "PERMISSION_DENIED",
      "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
      "UNIMPLEMENTED", "INTERNAL",         "UNAVAILABLE",  "DATA_LOSS",
      "UNAUTHENTICATED"};
  const auto i = static_cast<std::size_t>(code);
  return i < std::size(kNames) ? kNames[i] : "UNKNOWN";
}

void ToProto(const NewArtefact& a, v1::NewArtefact* proto) {
  if (a.kind) proto->set_kind(static_cast<v1::Kind>(*a.kind));
  proto->set_name(a.name);
  proto->set_version(a.version);
  proto->set_uri(a.uri);
  proto->set_sha256(a.sha256);
  proto->set_facility(a.facility);
  proto->set_attributes(a.attributes);
  proto->set_item_key(a.item_key);
  for (const auto& ext : a.external_ids) {
    auto* out = proto->add_external_ids();
    out->set_system(ext.system);
    out->set_id(ext.id);
  }
  for (const auto& source : a.sources) {
    auto* out = proto->add_sources();
    out->set_relation(static_cast<v1::Relation>(source.relation));
    if (source.batch_index) {
      out->set_batch_index(*source.batch_index);
    } else {
      out->set_id(source.id);
    }
  }
}

Artefact FromProto(const v1::Artefact& proto) {
  Artefact a;
  a.id = proto.id();
  a.kind = static_cast<Kind>(proto.kind());
  a.name = proto.name();
  a.version = proto.version();
  a.uri = proto.uri();
  a.sha256 = proto.sha256();
  a.facility = proto.facility();
  a.created_at = TimeFromProto(proto.created_at());
  a.created_by = proto.created_by();
  a.attributes = proto.attributes();
  for (const auto& ext : proto.external_ids()) a.external_ids.push_back({ext.system(), ext.id()});
  return a;
}

std::chrono::system_clock::time_point TimeFromProto(const google::protobuf::Timestamp& proto) {
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::seconds(proto.seconds()) + std::chrono::nanoseconds(proto.nanos())));
}

Registered FromProto(const v1::Registered& proto) {
  return {FromProto(proto.artefact()), proto.existed()};
}

void SetTimestamp(std::chrono::system_clock::time_point time,
                  google::protobuf::Timestamp* proto) {
  const auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(
                         time.time_since_epoch())
                         .count();
  proto->set_seconds(nanos / 1'000'000'000);
  proto->set_nanos(static_cast<int>(nanos % 1'000'000'000));
}

}  // namespace rmtc
