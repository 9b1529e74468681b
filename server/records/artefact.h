// The plain records every layer speaks: artefacts, edges and what a write
// carries. Data only; the rules that judge them live in lineage/.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "records/uuid.h"

namespace rmtc::records {

// Values match the proto enums, so conversion is a cast after a range check.
enum class Kind { kDataset = 1, kModel, kWeights, kRun, kInference, kAsset };
inline constexpr int kKindCount = 6;

enum class Relation {
  kDerivedFrom = 1,
  kContains,
  kTrainedOn,
  kEvaluatedOn,
  kBase,
  kProducedBy,
  kUses,
  kInput,
  kOutputOf,
  kVariantOf,
  kSupersedes,
};
inline constexpr int kRelationCount = 11;

// Names as the database, the CLI and the docs spell them ("dataset",
// "trained_on").
std::string_view KindName(Kind kind);
std::string_view RelationName(Relation relation);
std::optional<Kind> KindFromName(std::string_view name);
std::optional<Relation> RelationFromName(std::string_view name);

using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

struct ExternalId {
  std::string system;
  std::string id;
  bool operator==(const ExternalId&) const = default;
};

struct Artefact {
  Uuid id;
  Kind kind = Kind::kDataset;
  std::string name;
  std::string version;
  std::string uri;
  std::string sha256;  // lowercase hex, or empty
  std::string facility;
  Timestamp created_at{};
  std::string created_by;
  std::string attributes = "{}";  // a JSON object
  std::vector<ExternalId> external_ids;
};

// Always in lineage direction: `derived` was made from `source`.
struct Edge {
  Uuid derived;
  Uuid source;
  Relation relation = Relation::kDerivedFrom;
  bool operator==(const Edge&) const = default;
};

// The source of a new edge, as the client gave it: the id of an artefact
// that exists, or the index of an earlier item of the same write.
struct SourceRef {
  std::optional<Relation> relation;  // nullopt: not given
  std::string id;
  std::optional<std::int64_t> batch_index;
};

// One artefact of a write, as the client gave it (nothing checked yet).
struct NewArtefact {
  std::optional<Kind> kind;  // nullopt: not given
  std::string name;
  std::string version;
  std::string uri;
  std::string sha256;
  std::string facility;
  std::string attributes;  // JSON text as given; empty means {}
  std::vector<ExternalId> external_ids;
  std::vector<SourceRef> sources;
  std::string item_key;  // the client's name for this item; empty: none
};

}  // namespace rmtc::records
