#include "convert.h"

#include <algorithm>
#include <array>

#include "rmtc/result.h"
#include "vocabulary/names_match_proto.h"
#include "vocabulary/time_text.h"

namespace rmtc {
namespace {

using vocabulary::kKindNames;
using vocabulary::kRelationNames;

}  // namespace

std::string_view KindName(Kind kind) {
  const int n = static_cast<int>(kind);
  return n >= 1 && n <= static_cast<int>(kKindNames.size()) ? kKindNames[n - 1]
                                                            : "unknown";
}

std::string_view RelationName(Relation relation) {
  const int n = static_cast<int>(relation);
  return n >= 1 && n <= static_cast<int>(kRelationNames.size()) ? kRelationNames[n - 1]
                                                                : "unknown";
}

Kind KindFromProto(int value) {
  return value >= 1 && value <= static_cast<int>(kKindNames.size())
             ? static_cast<Kind>(value)
             : Kind::kUnknown;
}

Relation RelationFromProto(int value) {
  return value >= 1 && value <= static_cast<int>(kRelationNames.size())
             ? static_cast<Relation>(value)
             : Relation::kUnknown;
}

int KindToProto(Kind kind) {
  return kind == Kind::kUnknown ? kUnknownToProto : static_cast<int>(kind);
}

int RelationToProto(Relation relation) {
  return relation == Relation::kUnknown ? kUnknownToProto : static_cast<int>(relation);
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
  // The table's names are literals: their data() is a terminated C string.
  return vocabulary::NameAt(vocabulary::kStatusCodeNames, static_cast<long>(code),
                            "UNKNOWN")
      .data();
}

void ToProto(const NewArtefact& a, v1::NewArtefact* proto) {
  if (a.kind) proto->set_kind(static_cast<v1::Kind>(KindToProto(*a.kind)));
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
    out->set_relation(static_cast<v1::Relation>(RelationToProto(source.relation)));
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
  a.kind = KindFromProto(proto.kind());
  a.name = proto.name();
  a.version = proto.version();
  a.uri = proto.uri();
  a.sha256 = proto.sha256();
  a.facility = proto.facility();
  a.created_at = TimeFromProto(proto.created_at());
  a.created_by = proto.created_by();
  a.attributes = proto.attributes();
  for (const auto& ext : proto.external_ids())
    a.external_ids.push_back({ext.system(), ext.id()});
  return a;
}

Time TimeFromProto(const google::protobuf::Timestamp& proto) {
  // rmtcd sends only times in range; a broken peer's are held to it
  // rather than overflowing.
  const std::int64_t seconds =
      std::clamp(proto.seconds(), vocabulary::kMinSeconds, vocabulary::kMaxSeconds);
  const std::int32_t nanos = std::clamp(proto.nanos(), 0, 999'999'999);
  return Time(std::chrono::microseconds(*vocabulary::MicrosOf(seconds, nanos)));
}

Registered FromProto(const v1::Registered& proto) {
  return {FromProto(proto.artefact()), proto.existed()};
}

void SetTimestamp(Time time, google::protobuf::Timestamp* proto) {
  const auto parts = vocabulary::SplitMicros(time.time_since_epoch().count());
  proto->set_seconds(parts.seconds);
  proto->set_nanos(parts.nanos);
}

}  // namespace rmtc
