// The audit log's questions (docs/operations.md, "Audit log"): listing
// entries, the chain's head, and verification — walking the chain and
// recomputing every entry's hash and every row's digest from the tables as
// they are now.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "lineage/page_budget.h"
#include "records/audit.h"
#include "store/audit_store.h"

namespace rmtc::lineage {

struct AuditListing {
  std::vector<records::AuditEntry> entries;
  std::int64_t next_after_seq = 0;  // 0: no more
};

struct VerifyQuery {
  std::int64_t after_seq = 0;
  int max_entries = 1000;
  std::vector<records::AuditHead> checkpoints;
  bool unaudited_rows = false;
};

struct VerifyPage {
  std::int64_t entries_checked = 0;
  std::int64_t rows_checked = 0;
  std::int64_t last_seq = 0;
  bool done = false;
  std::vector<records::AuditFinding> findings;
  records::AuditHead head;
  std::int64_t unaudited_rows = 0;
};

class AuditLog {
 public:
  static constexpr int kDefaultPage = 100;
  static constexpr int kMaxPage = 1000;
  static constexpr int kDefaultVerifyPage = 1000;
  static constexpr int kMaxVerifyPage = 10000;
  // Rows without an entry listed one by one; the rest are counted.
  static constexpr int kUnauditedListed = 100;

  // Rows one verification page reads at most (about 150 bytes each in
  // memory while it runs).
  static constexpr std::int64_t kMaxVerifyRows = 200000;
  // Bytes of an entry's row on the wire (ref, digest, framing), for the
  // page budget.
  static constexpr std::size_t kRowWireBytes = 128;
  static constexpr std::size_t kEntryWireBytes = 512;

  // `page_bytes` bounds every page of ListAuditEntries on the wire
  // (lineage/page_budget.h).
  explicit AuditLog(store::AuditStore& store, std::size_t page_bytes = kDefaultPageBytes)
      : store_(store), page_bytes_(std::max(page_bytes, kMinPageBytes)) {}

  // INVALID_ARGUMENT for a page size outside 0..kMaxPage or a negative seq.
  // A page is cut by bytes as well as by count (at least one entry).
  absl::StatusOr<AuditListing> List(store::AuditQuery query, int page_size);
  absl::StatusOr<records::AuditHead> Head() { return store_.Head(); }
  // One page; INVALID_ARGUMENT for sizes out of range, a negative seq or a
  // checkpoint that is not a seq and a 64-digit hex hash.
  absl::StatusOr<VerifyPage> Verify(const VerifyQuery& query);

 private:
  // Checks each entry's link, seq and hash; `prev` is the hash before the
  // first (nullopt: unknown, not checked).
  static void CheckChain(const std::vector<records::AuditEntry>& entries,
                         std::int64_t after_seq, std::optional<std::string> prev,
                         std::vector<records::AuditFinding>& findings);
  absl::Status CheckRows(const std::vector<records::AuditEntry>& entries,
                         VerifyPage& page);
  absl::Status CheckEnd(const VerifyQuery& query, VerifyPage& page);

  store::AuditStore& store_;
  std::size_t page_bytes_;
};

}  // namespace rmtc::lineage
