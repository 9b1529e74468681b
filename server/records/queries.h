// What the domain asks of the store and what comes back: writes, lists and
// traces. Data only.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "records/artefact.h"

namespace rmtc::records {

// A checked edge to the source of a planned artefact: a stored artefact, or
// an earlier item of the same batch.
struct PlannedSource {
  Relation relation = Relation::kDerivedFrom;
  std::variant<Uuid, std::size_t> source;
};

// A new artefact once the domain has checked it and given it an id. The id
// is used only if the store holds neither its item key nor the same
// (kind, sha256).
struct PlannedArtefact {
  std::string label;  // how errors name the item: "artefacts[3]", "run"
  Uuid id;
  Kind kind = Kind::kDataset;
  std::string name;
  std::string version;
  std::string uri;
  std::string sha256;  // lowercase hex, or empty
  std::string facility;
  std::string attributes;  // compact JSON object
  std::vector<ExternalId> external_ids;
  std::vector<PlannedSource> sources;
  std::string item_key;  // empty: none
};

// What makes a write safe to repeat (docs/api.md, "Idempotency"): the
// client's request id (empty: none), the RPC it came with, and the SHA-256
// of the request without its id. A lineage write carries the same three in
// its WriteBatch.
struct RequestKey {
  std::string id;      // empty: the write is not idempotent by id
  std::string method;  // "AttachLicence", ...
  std::string digest;  // SHA-256 (32 raw bytes) of the request without its id
};

// One write: every item, its edges and external ids, in one transaction.
struct WriteBatch {
  std::string request_id;      // empty: the write is not idempotent by id
  std::string method;          // the RPC, recorded with the request id
  std::string request_digest;  // SHA-256 of the request without its id
  std::string created_by;
  std::vector<PlannedArtefact> items;
};

struct WriteResult {
  std::vector<Artefact> artefacts;  // one per item, in order
  std::vector<bool> existed;        // the item matched a stored artefact
  bool replayed = false;            // the request id was seen before
};

// Keyset position of a list page: the last (created_at, id) returned.
struct ListPosition {
  Timestamp created_at{};
  Uuid id;
};

struct ListQuery {
  std::optional<Kind> kind;
  std::string name_contains;
  std::string facility;
  std::optional<Timestamp> created_after;   // inclusive
  std::optional<Timestamp> created_before;  // exclusive
  std::optional<ListPosition> after;
  int limit = 100;
};

enum class Direction { kUpstream, kDownstream };

// Keyset position of a trace page: the last (depth, id) returned.
struct TracePosition {
  int depth = -1;
  Uuid id;
};

struct TraceQuery {
  Uuid root;
  Direction direction = Direction::kUpstream;
  int max_depth = 1;                // at least 1
  std::vector<Relation> relations;  // empty: every relation
  std::optional<TracePosition> after;
  int limit = 1000;
};

struct TraceNode {
  Artefact artefact;  // without attributes and external ids
  int depth = 0;
};

struct TraceResult {
  std::vector<TraceNode> nodes;  // by (depth, id)
  std::vector<Edge> edges;       // into these nodes from traced nodes
  bool partial = false;
  std::string next_page_token;
};

}  // namespace rmtc::records
