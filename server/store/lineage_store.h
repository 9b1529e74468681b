// The repository of the lineage graph. The domain (lineage/) speaks to this
// interface only; PgLineageStore implements it on PostgreSQL, and unit tests
// use a fake.
//
// Every method may return UNAVAILABLE when the database cannot be reached,
// and INTERNAL for a database error that is nobody's input's fault.
#pragma once

#include <optional>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "records/artefact.h"
#include "records/queries.h"

namespace rmtc::store {

class LineageStore {
 public:
  virtual ~LineageStore() = default;

  // The kinds of those `ids` that exist; unknown ids are absent from the map.
  virtual absl::StatusOr<std::unordered_map<records::Uuid, records::Kind>> KindsOf(
      const std::vector<records::Uuid>& ids) = 0;

  // Writes `batch` in one transaction: all of it, or nothing.
  // - An item whose item key is bound (stored, or given by an earlier item
  //   of the batch) is not written: it is that artefact, `existed` set, if
  //   its content digest (fields, attributes as JSON, external ids and
  //   sources as sets, sources resolved to final ids) matches the key's;
  //   ALREADY_EXISTS naming "<label>.item_key" if not. A new key is bound
  //   to the item's artefact (new, or found by digest) in the same write.
  // - An item whose (kind, sha256) is stored, or repeats an earlier item of
  //   the batch, is not written: the result holds the stored artefact,
  //   `existed` is set, and later items that point at it point at that one.
  // - With a request id that was seen before, nothing is written and the
  //   first result is returned with `replayed` set; ALREADY_EXISTS if that id
  //   came with a different request digest.
  // - ALREADY_EXISTS if an external id of a new item already names another
  //   artefact (the message names the item by its label).
  // Sources given as ids must exist (the caller checks with KindsOf).
  virtual absl::StatusOr<records::WriteResult> Write(
      const records::WriteBatch& batch) = 0;

  // True if a write with this request id is stored (its repeat would be
  // answered from the store).
  virtual absl::StatusOr<bool> RequestSeen(const std::string& request_id) = 0;

  // nullopt if `id` is unknown.
  virtual absl::StatusOr<std::optional<records::Artefact>> Get(
      const records::Uuid& id) = 0;

  // Artefacts with this digest (lowercase hex), of `kind` if given.
  virtual absl::StatusOr<std::vector<records::Artefact>> FindBySha256(
      const std::string& sha256, std::optional<records::Kind> kind) = 0;

  // The artefact this external id names, if any.
  virtual absl::StatusOr<std::vector<records::Artefact>> FindByExternalId(
      const records::ExternalId& external_id) = 0;

  // Up to `query.limit` artefacts after `query.after`, by (created_at, id).
  virtual absl::StatusOr<std::vector<records::Artefact>> List(
      const records::ListQuery& query) = 0;

  // Up to `query.limit` nodes of the walk from `query.root` that come after
  // `query.after` in (depth, id) order, with the edges into them from the
  // root or other reached nodes. The root is the node of depth 0. One query,
  // however deep the walk. `partial` and the page token are left to the
  // caller. Without `after`, an empty answer means the root does not exist.
  virtual absl::StatusOr<records::TraceResult> Trace(
      const records::TraceQuery& query) = 0;
};

}  // namespace rmtc::store
