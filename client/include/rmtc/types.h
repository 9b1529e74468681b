// The records the RMTC client speaks: plain structs, no gRPC or protobuf.
// Every member has a default initialiser (`{}` at least), so designated
// initialisers that name only some members compile cleanly under -Wextra
// (-Wmissing-field-initializers) in a studio's own build.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rmtc/export.h"

namespace rmtc {

// A moment, to the microsecond, as rmtcd stores it: 0001-01-01 to
// 9999-12-31. Microseconds, not system_clock's own nanoseconds, which hold
// only the years 1677..2262. From now():
//   std::chrono::time_point_cast<std::chrono::microseconds>(
//       std::chrono::system_clock::now())
using Time =
    std::chrono::time_point<std::chrono::system_clock, std::chrono::microseconds>;

// Every enum rmtcd answers with has a kUnknown: the value a newer rmtcd sent
// that this library has no name for. Its name is "unknown"; sent back to
// rmtcd it is refused as INVALID_ARGUMENT naming the field.

// What an artefact is.
enum class Kind {
  kUnknown = 0,
  kDataset = 1,
  kModel,
  kWeights,
  kRun,
  kInference,
  kAsset
};

// How a derived artefact relates to its source (edges point derived -> source):
//   derived_from  dataset/asset/model -> same kind   contains   dataset -> asset/dataset
//   trained_on    run -> dataset                      evaluated_on  run -> dataset
//   base          run -> weights or model             produced_by   weights -> run
//   uses          inference -> weights                input     inference ->
//   asset/dataset output_of     asset/dataset -> inference          variant_of    weights
//   -> weights supersedes    any kind -> same kind
enum class Relation {
  kUnknown = 0,
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

enum class Direction { kUpstream, kDownstream };

// "dataset", "trained_on": the names the CLI, JSON output and docs use;
// kUnknown is "unknown", which the FromName functions do not accept.
RMTC_EXPORT std::string_view KindName(Kind kind);
RMTC_EXPORT std::string_view RelationName(Relation relation);
RMTC_EXPORT std::optional<Kind> KindFromName(std::string_view name);
RMTC_EXPORT std::optional<Relation> RelationFromName(std::string_view name);

struct ExternalId {
  std::string system{};  // "shotgrid", "ftrack", "tractor", ...
  std::string id{};
};

// A stored artefact.
struct Artefact {
  std::string id{};
  Kind kind = Kind::kDataset;
  std::string name{};
  std::string version{};
  std::string uri{};
  std::string sha256{};  // lowercase hex, or empty
  std::string facility{};
  Time created_at{};
  std::string created_by{};
  std::string attributes{};  // a JSON object (empty in trace results)
  std::vector<ExternalId> external_ids{};
};

// An edge, always in lineage direction: `derived_id` was made from `source_id`.
struct Edge {
  std::string derived_id{};
  std::string source_id{};
  Relation relation = Relation::kDerivedFrom;
};

// Where a new artefact comes from: a stored artefact, or an earlier item of
// the same Register call.
struct Source {
  Relation relation = Relation::kDerivedFrom;
  std::string id{};                  // a stored artefact, or
  std::optional<int> batch_index{};  // an earlier item of the same call

  static Source Stored(Relation relation, std::string id) {
    return {relation, std::move(id), std::nullopt};
  }
  static Source InBatch(Relation relation, int index) { return {relation, "", index}; }
};

// An artefact to register. The record calls fill in `kind` where it is
// implied (runs, weights, inferences, outputs).
struct NewArtefact {
  std::optional<Kind> kind{};
  std::string name{};  // required, at most 512 bytes of UTF-8
  std::string version{};
  std::string uri{};
  std::string sha256{};  // 64 hex digits or empty; same kind + digest = same artefact
  std::string facility{};
  std::string attributes{};  // a JSON object, at most 64 KiB; empty means {}
  std::vector<ExternalId> external_ids{};
  std::vector<Source> sources{};
  // Optional: your name for this item, 1..128 bytes of printable ASCII
  // without spaces. Sending an item with a key that is already bound returns
  // the artefact it first made (`existed`), in any later call, whatever else
  // that call holds; the same key with other content (any field above, with
  // sources compared by the ids they resolve to) is ALREADY_EXISTS.
  std::string item_key{};
};

// One item of a write's answer.
struct Registered {
  Artefact artefact{};
  bool existed = false;  // its item key or (kind, sha256) was already stored
};

// Options of every write.
struct WriteOptions {
  // Makes the write safe to repeat: the same id returns the first answer.
  // Empty: the client makes one up, so its own retries never write twice.
  std::string request_id{};
};

struct ListOptions {
  std::optional<Kind> kind{};
  std::string name_contains{};  // case-insensitive
  std::string facility{};
  std::optional<Time> created_after{};   // inclusive
  std::optional<Time> created_before{};  // exclusive
  int page_size = 0;                     // 1..1000; 0 means 100
  std::string page_token{};              // from the previous page
};

struct ArtefactPage {
  std::vector<Artefact> artefacts{};
  std::string next_page_token{};  // empty on the last page
};

struct TraceOptions {
  Direction direction = Direction::kUpstream;
  int max_depth = 0;                  // 0: no limit
  std::vector<Relation> relations{};  // follow only these; empty: all
  int max_nodes = 0;                  // per page, 1..100000; 0 means 1000
  std::string page_token{};           // from a partial answer
};

struct TraceNode {
  Artefact artefact{};
  int depth = 0;  // shortest distance from the root; the root is 0
};

struct TraceResult {
  std::vector<TraceNode> nodes{};  // nearest first; the root opens page one
  std::vector<Edge> edges{};       // the edges into this page's nodes
  bool partial = false;            // more nodes follow: pass next_page_token
  std::string next_page_token{};
};

}  // namespace rmtc
