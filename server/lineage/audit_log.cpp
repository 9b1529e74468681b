#include "lineage/audit_log.h"

#include "common/status_macros.h"
#include "common/strings.h"

namespace rmtc::lineage {

using records::AuditEntry;
using records::AuditFinding;
using Problem = records::AuditFinding::Problem;

namespace {

AuditFinding About(const AuditEntry& entry, Problem problem, std::string detail,
                   std::string row = "") {
  return {.problem = problem,
          .seq = entry.seq,
          .method = entry.method,
          .principal = entry.principal,
          .row = std::move(row),
          .detail = std::move(detail)};
}

bool IsHash(std::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// Whether the store may have stopped before `query.limit` for its row
// bound: it stops once the entries' rows reach it. (A log that merely ends
// there is taken for a cut page; the next page is then empty.)
bool MayBeCut(const std::vector<AuditEntry>& entries, const store::AuditQuery& query) {
  std::int64_t rows = 0;
  for (const auto& e : entries) rows += static_cast<std::int64_t>(e.rows.size());
  return rows >= query.max_rows;
}

}  // namespace

absl::StatusOr<AuditListing> AuditLog::List(store::AuditQuery query, int page_size) {
  if (page_size < 0 || page_size > kMaxPage) {
    return absl::InvalidArgumentError(StrCat(
        "page_size: must be 1..", kMaxPage, " (0: ", kDefaultPage, "), not ", page_size));
  }
  if (query.after_seq < 0) {
    return absl::InvalidArgumentError("after_seq: must not be negative");
  }
  query.limit = page_size == 0 ? kDefaultPage : page_size;
  const std::size_t room = page_bytes_ - std::min(page_bytes_, kPageEnvelopeBytes);
  query.max_rows = static_cast<std::int64_t>(room / kRowWireBytes);
  AuditListing listing;
  RMTC_ASSIGN_OR_RETURN(listing.entries, store_.Entries(query));
  const std::size_t kept = ItemsWithin(
      listing.entries, query.limit, page_bytes_, [](const records::AuditEntry& e) {
        return kEntryWireBytes + e.principal.size() + e.method.size() +
               e.request_id.size() + e.artefact_ids.size() * 40 +
               e.rows.size() * kRowWireBytes;
      });
  const bool cut = kept < listing.entries.size();
  listing.entries.resize(kept);
  // A page cut by rows or bytes is as full as one cut by count.
  if (!listing.entries.empty() && (cut || static_cast<int>(kept) == query.limit ||
                                   MayBeCut(listing.entries, query))) {
    listing.next_after_seq = listing.entries.back().seq;
  }
  return listing;
}

void AuditLog::CheckChain(const std::vector<AuditEntry>& entries, std::int64_t after_seq,
                          std::optional<std::string> prev,
                          std::vector<AuditFinding>& findings) {
  std::int64_t expected = after_seq + 1;
  for (const auto& e : entries) {
    if (e.seq != expected) {
      findings.push_back(
          About(e, Problem::kEntriesMissing,
                expected == e.seq - 1
                    ? StrCat("entry ", expected, " is missing")
                    : StrCat("entries ", expected, "..", e.seq - 1, " are missing")));
    }
    if (prev && e.prev_hash != *prev) {
      findings.push_back(About(e, Problem::kChainBroken,
                               StrCat("its prev_hash ", e.prev_hash.substr(0, 12),
                                      "... is not the hash of the entry before it (",
                                      prev->substr(0, 12), "...)")));
    }
    if (records::RowsDigest(e.rows) != e.rows_digest) {
      findings.push_back(About(e, Problem::kEntryChanged,
                               "its rows or their digests were changed (rows_digest "
                               "no longer matches)"));
    } else if (records::EntryHash(e) != e.hash) {
      findings.push_back(
          About(e, Problem::kEntryChanged,
                "its fields no longer give its hash (changed after it was written)"));
    }
    prev = e.hash;
    expected = e.seq + 1;
  }
}

absl::Status AuditLog::CheckRows(const std::vector<AuditEntry>& entries,
                                 VerifyPage& page) {
  std::vector<std::string> refs;
  for (const auto& e : entries) {
    for (const auto& row : e.rows) refs.push_back(row.ref);
  }
  RMTC_ASSIGN_OR_RETURN(auto current, store_.CurrentDigests(refs));
  std::size_t i = 0;
  for (const auto& e : entries) {
    for (const auto& row : e.rows) {
      const auto& now = current[i++];
      if (!now) {
        page.findings.push_back(About(
            e, Problem::kRowMissing,
            StrCat(row.ref, " was written by entry ", e.seq, " and is gone"), row.ref));
      } else if (*now != row.digest) {
        page.findings.push_back(About(
            e, Problem::kRowChanged,
            StrCat(row.ref, " no longer reads as entry ", e.seq, " wrote it"), row.ref));
      }
    }
  }
  page.rows_checked = static_cast<std::int64_t>(refs.size());
  return absl::OkStatus();
}

absl::Status AuditLog::CheckEnd(const VerifyQuery& query, VerifyPage& page) {
  if (page.last_seq != page.head.seq) {
    page.findings.push_back(
        {.problem = Problem::kHeadMismatch,
         .seq = page.head.seq,
         .detail = StrCat("the head names entry ", page.head.seq,
                          " but the chain ends at entry ", page.last_seq)});
  } else if (page.last_seq > 0) {
    RMTC_ASSIGN_OR_RETURN(auto last, store_.EntryAt(page.last_seq));
    if (last && last->hash != page.head.hash) {
      page.findings.push_back(
          {.problem = Problem::kHeadMismatch,
           .seq = page.head.seq,
           .detail = StrCat("the head's hash is not entry ", page.last_seq, "'s")});
    }
  }
  for (const auto& checkpoint : query.checkpoints) {
    RMTC_ASSIGN_OR_RETURN(auto entry, store_.EntryAt(checkpoint.seq));
    if (!entry) {
      page.findings.push_back(
          {.problem = Problem::kCheckpointMismatch,
           .seq = checkpoint.seq,
           .detail = StrCat("checkpoint ", checkpoint.seq, ":",
                            checkpoint.hash.substr(0, 12), "...: the entry is gone")});
    } else if (entry->hash != checkpoint.hash) {
      page.findings.push_back(About(
          *entry, Problem::kCheckpointMismatch,
          StrCat("checkpoint ", checkpoint.seq, ":", checkpoint.hash.substr(0, 12),
                 "...: the entry's hash is now ", entry->hash.substr(0, 12), "...")));
    }
  }
  if (query.unaudited_rows) {
    RMTC_ASSIGN_OR_RETURN(auto unaudited, store_.Unaudited(kUnauditedListed));
    page.unaudited_rows = unaudited.total;
    for (auto& ref : unaudited.refs) {
      page.findings.push_back({.problem = Problem::kUnauditedRow,
                               .row = ref,
                               .detail = StrCat(ref,
                                                " was not written through rmtcd "
                                                "(no entry names it)")});
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<VerifyPage> AuditLog::Verify(const VerifyQuery& query) {
  if (query.max_entries < 0 || query.max_entries > kMaxVerifyPage) {
    return absl::InvalidArgumentError(StrCat("max_entries: must be 1..", kMaxVerifyPage,
                                             " (0: ", kDefaultVerifyPage, "), not ",
                                             query.max_entries));
  }
  if (query.after_seq < 0) {
    return absl::InvalidArgumentError("after_seq: must not be negative");
  }
  for (std::size_t i = 0; i < query.checkpoints.size(); ++i) {
    const auto& c = query.checkpoints[i];
    if (c.seq <= 0 || !IsHash(c.hash)) {
      return absl::InvalidArgumentError(
          StrCat("checkpoints[", i,
                 "]: must be a seq (1 or more) and a hash of 64 "
                 "lowercase hex digits, as `rmtc audit head` prints them"));
    }
  }
  const int limit = query.max_entries == 0 ? kDefaultVerifyPage : query.max_entries;
  VerifyPage page;
  RMTC_ASSIGN_OR_RETURN(page.head, store_.Head());
  std::optional<std::string> prev;
  if (query.after_seq == 0) {
    prev = records::kGenesisHash;
  } else {
    RMTC_ASSIGN_OR_RETURN(auto before, store_.EntryAt(query.after_seq));
    if (before) prev = before->hash;
  }
  const store::AuditQuery range{
      .after_seq = query.after_seq, .limit = limit, .max_rows = kMaxVerifyRows};
  RMTC_ASSIGN_OR_RETURN(auto entries, store_.Entries(range));
  CheckChain(entries, query.after_seq, prev, page.findings);
  RMTC_RETURN_IF_ERROR(CheckRows(entries, page));
  page.entries_checked = static_cast<std::int64_t>(entries.size());
  page.last_seq = entries.empty() ? query.after_seq : entries.back().seq;
  page.done = static_cast<int>(entries.size()) < limit && !MayBeCut(entries, range);
  if (page.done) RMTC_RETURN_IF_ERROR(CheckEnd(query, page));
  return page;
}

}  // namespace rmtc::lineage
