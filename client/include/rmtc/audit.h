// The audit log, as rmtcd's Audit service speaks it (docs/operations.md,
// "Audit log"). Plain structs, no gRPC. Admin role only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rmtc/types.h"

namespace rmtc {

// A row an entry wrote: "artefact:<uuid>", "consent:<seq>", ... and the
// SHA-256 of the row as written.
struct AuditRow {
  std::string ref{};
  std::string digest{};
};

// One accepted write.
struct AuditEntry {
  std::int64_t seq = 0;
  Time recorded_at{};
  std::string principal{};  // a token's name, "cert:<name>", "open" or "rmtcd"
  std::string method{};     // "RegisterArtefacts", "AttachLicence", ...
  std::string request_id{};
  std::string request_sha256{};
  std::vector<std::string> artefact_ids{};
  std::vector<AuditRow> rows{};
  std::string rows_digest{};
  std::string prev_hash{};
  std::string hash{};
};

// The last entry's seq and hash: a checkpoint to keep elsewhere.
struct AuditHead {
  std::int64_t seq = 0;
  std::string hash{};
  std::optional<Time> recorded_at{};
};

struct AuditFilter {
  std::string principal{};  // "": anyone's
  std::optional<Time> since{};
  std::string artefact_id{};  // "": any
};

struct AuditPage {
  std::vector<AuditEntry> entries{};  // by seq
  std::int64_t next_after_seq = 0;    // 0: no more
};

// Something verification found wrong. `problem`: "row changed", "row
// deleted", "entry changed", "chain broken", "entries missing", "head
// mismatch", "checkpoint mismatch" or "row without entry".
struct AuditFinding {
  std::string problem{};
  std::int64_t seq = 0;  // the entry concerned; 0: none
  std::string method{};
  std::string principal{};
  std::string row{};  // the row's ref, when a row is concerned
  std::string detail{};
};

struct VerifyOptions {
  std::vector<AuditHead> checkpoints{};  // each must still name its entry
  bool unaudited_rows = false;           // also rows no entry wrote (slow)
  std::int64_t after_seq = 0;            // start after this entry
};

struct AuditVerification {
  std::int64_t entries_checked = 0;
  std::int64_t rows_checked = 0;
  std::int64_t unaudited_rows = 0;
  std::vector<AuditFinding> findings{};
  AuditHead head{};
  bool intact() const { return findings.empty(); }
};

}  // namespace rmtc
