// The audit log's records (docs/operations.md, "Audit log"): entries, the
// chain's head, and what a verification finds. Also the one definition of
// an entry's hash, which the store uses to append and the domain to verify.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "records/artefact.h"

namespace rmtc::records {

// One row an entry wrote: `ref` names it ("artefact:<uuid>", "consent:<seq>",
// ...; store/audit_trail.h lists the kinds) and `digest` is the SHA-256
// (hex) of the row as written.
struct AuditRow {
  std::string ref;
  std::string digest;
  bool operator==(const AuditRow&) const = default;
};

struct AuditEntry {
  std::int64_t seq = 0;
  Timestamp recorded_at{};
  std::string principal;
  std::string method;
  std::string request_id;
  std::string request_sha256;  // hex; "" for a write made outside any call
  std::vector<Uuid> artefact_ids;
  std::vector<AuditRow> rows;
  std::string rows_digest;  // RowsDigest(rows)
  std::string prev_hash;
  std::string hash;  // EntryHash(*this)
};

// The chain's head: the last entry's seq and hash (0 and 64 zeros when the
// log is empty). Kept elsewhere, it is a checkpoint.
struct AuditHead {
  std::int64_t seq = 0;
  std::string hash;
  std::optional<Timestamp> recorded_at;
};

inline constexpr char kGenesisHash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

// SHA-256 (hex) over every row's ref and digest, in order.
std::string RowsDigest(const std::vector<AuditRow>& rows);

// SHA-256 (hex) over the entry's fields (not `hash`), rows_digest standing
// for its rows, each field length-prefixed so no two entries share an input.
std::string EntryHash(const AuditEntry& entry);

// What verification found wrong.
struct AuditFinding {
  enum class Problem {
    kRowChanged,          // the row no longer matches the digest written
    kRowMissing,          // the row an entry wrote is gone
    kEntryChanged,        // the entry's fields no longer give its hash
    kChainBroken,         // prev_hash is not the previous entry's hash
    kEntriesMissing,      // a gap in seq
    kHeadMismatch,        // the head names another last entry
    kCheckpointMismatch,  // an exported checkpoint's entry differs or is gone
    kUnauditedRow,        // a row no entry wrote
  };
  Problem problem = Problem::kRowChanged;
  std::int64_t seq = 0;  // the entry concerned (0: none)
  std::string method;
  std::string principal;
  std::string row;  // the row's ref, when a row is concerned
  std::string detail;
};

std::string_view ProblemName(AuditFinding::Problem problem);

}  // namespace rmtc::records
