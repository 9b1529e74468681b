// The repository of the audit log (records/audit.h). PgAuditStore
// implements it on PostgreSQL; entries are appended by the stores' writes
// themselves (store/audit_trail.h), never through this interface. Every
// method may return UNAVAILABLE when the database cannot be reached.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "records/audit.h"

namespace rmtc::store {

struct AuditQuery {
  std::string principal;  // "": anyone's
  std::optional<records::Timestamp> since;
  std::optional<records::Uuid> artefact;
  std::int64_t after_seq = 0;
  int limit = 100;
  // The rows of the entries in all, at most (the first entry comes whole
  // whatever its rows): bounds the memory of one page.
  std::int64_t max_rows = std::numeric_limits<std::int64_t>::max();
};

struct UnauditedRows {
  std::vector<std::string> refs;  // the first few
  std::int64_t total = 0;
};

class AuditStore {
 public:
  virtual ~AuditStore() = default;

  virtual absl::StatusOr<records::AuditHead> Head() = 0;
  // Up to `query.limit` entries after `query.after_seq` that match, by seq,
  // cut before the entry that would pass `query.max_rows` rows.
  virtual absl::StatusOr<std::vector<records::AuditEntry>> Entries(
      const AuditQuery& query) = 0;
  virtual absl::StatusOr<std::optional<records::AuditEntry>> EntryAt(
      std::int64_t seq) = 0;
  // The digests of the rows `refs` name as they read now, in order;
  // nullopt for a row that is gone.
  virtual absl::StatusOr<std::vector<std::optional<std::string>>> CurrentDigests(
      const std::vector<std::string>& refs) = 0;
  // Rows of the audited tables that no entry wrote: up to `limit`, and how
  // many in all.
  virtual absl::StatusOr<UnauditedRows> Unaudited(int limit) = 0;
  // If the log is empty, appends its first entry ("StartAuditLog"): the
  // rows stored before it (all of them up to `max_rows`, else only the
  // licence registry). Returns that entry, or nullopt if the log had begun.
  virtual absl::StatusOr<std::optional<records::AuditEntry>> Start(int max_rows) = 0;
};

}  // namespace rmtc::store
