// The audit log's domain rules with an in-memory store: what an entry's
// hash covers, and what verification reports for each kind of damage. The
// same checks against PostgreSQL and psql are in tests/e2e/audit_test.cpp.
#include "records/audit.h"

#include <gtest/gtest.h>

#include <map>

#include "lineage/audit_log.h"

namespace rmtc {
namespace {

using records::AuditEntry;
using records::AuditFinding;
using Problem = records::AuditFinding::Problem;

// Entries as a chain; rows' current digests in a map (absent: deleted).
class FakeAuditStore : public store::AuditStore {
 public:
  void Append(std::string method, std::vector<records::AuditRow> rows) {
    AuditEntry e;
    e.seq = static_cast<std::int64_t>(entries.size()) + 1;
    e.recorded_at =
        records::Timestamp(std::chrono::microseconds(1'700'000'000'000'000 + e.seq));
    e.principal = "farm";
    e.method = std::move(method);
    e.rows = std::move(rows);
    for (const auto& r : e.rows) current[r.ref] = r.digest;
    e.rows_digest = records::RowsDigest(e.rows);
    e.prev_hash = entries.empty() ? records::kGenesisHash : entries.back().hash;
    e.hash = records::EntryHash(e);
    entries.push_back(e);
    head = {e.seq, e.hash, e.recorded_at};
  }

  absl::StatusOr<records::AuditHead> Head() override { return head; }
  absl::StatusOr<std::vector<AuditEntry>> Entries(const store::AuditQuery& q) override {
    // As PostgreSQL does (audit_sql::kEntries): by count, then by rows.
    std::vector<AuditEntry> out;
    std::int64_t rows = 0;
    for (const auto& e : entries) {
      if (e.seq <= q.after_seq || static_cast<int>(out.size()) >= q.limit) continue;
      if (!out.empty() && rows >= q.max_rows) break;
      rows += static_cast<std::int64_t>(e.rows.size());
      out.push_back(e);
    }
    return out;
  }
  absl::StatusOr<std::optional<AuditEntry>> EntryAt(std::int64_t seq) override {
    for (const auto& e : entries) {
      if (e.seq == seq) return e;
    }
    return std::nullopt;
  }
  absl::StatusOr<std::vector<std::optional<std::string>>> CurrentDigests(
      const std::vector<std::string>& refs) override {
    std::vector<std::optional<std::string>> out;
    for (const auto& ref : refs) {
      auto it = current.find(ref);
      out.push_back(it == current.end() ? std::nullopt : std::optional(it->second));
    }
    return out;
  }
  absl::StatusOr<store::UnauditedRows> Unaudited(int) override {
    return store::UnauditedRows{};
  }
  absl::StatusOr<std::optional<AuditEntry>> Start(int) override { return std::nullopt; }

  std::vector<AuditEntry> entries;
  std::map<std::string, std::string> current;
  records::AuditHead head{0, records::kGenesisHash, std::nullopt};
};

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 1; i <= 5; ++i) {
      store_.Append("RegisterArtefacts",
                    {{"artefact:" + std::to_string(i), "d" + std::to_string(i)}});
    }
  }
  std::vector<AuditFinding> Verify(lineage::VerifyQuery query = {}) {
    std::vector<AuditFinding> all;
    for (;;) {
      auto page = log_.Verify(query);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) return all;
      all.insert(all.end(), page->findings.begin(), page->findings.end());
      if (page->done) return all;
      query.after_seq = page->last_seq;
    }
  }
  FakeAuditStore store_;
  lineage::AuditLog log_{store_};
};

TEST(AuditHash, EveryFieldOfAnEntryIsInItsHash) {
  AuditEntry e{.seq = 7,
               .principal = "farm",
               .method = "SetConsent",
               .request_id = "r",
               .request_sha256 = "ab",
               .rows_digest = "cd",
               .prev_hash = "ef"};
  const std::string base = records::EntryHash(e);
  EXPECT_EQ(base.size(), 64u);
  EXPECT_EQ(records::EntryHash(e), base) << "deterministic";
  auto changed = [&](auto&& edit) {
    AuditEntry copy = e;
    edit(copy);
    return records::EntryHash(copy) != base;
  };
  EXPECT_TRUE(changed([](AuditEntry& c) { c.seq = 8; }));
  EXPECT_TRUE(
      changed([](AuditEntry& c) { c.recorded_at += std::chrono::microseconds(1); }));
  EXPECT_TRUE(changed([](AuditEntry& c) { c.principal = "farm2"; }));
  EXPECT_TRUE(changed([](AuditEntry& c) { c.method = "SetConsen"; }));
  EXPECT_TRUE(changed([](AuditEntry& c) { c.request_id = ""; }));
  EXPECT_TRUE(changed([](AuditEntry& c) { c.request_sha256 = "ac"; }));
  EXPECT_TRUE(changed([](AuditEntry& c) { c.artefact_ids.push_back(records::Uuid()); }));
  EXPECT_TRUE(changed([](AuditEntry& c) { c.rows_digest = "ce"; }));
  EXPECT_TRUE(changed([](AuditEntry& c) { c.prev_hash = "ee"; }));
  // Length prefixes: moving a character from one field to the next is a change.
  EXPECT_TRUE(changed([](AuditEntry& c) {
    c.principal = "far";
    c.method = "mSetConsent";
  }));
  EXPECT_NE(records::RowsDigest({{"a", "bc"}}), records::RowsDigest({{"ab", "c"}}));
}

TEST_F(AuditLogTest, AnIntactChainHasNoFindingsOnOnePageOrMany) {
  EXPECT_TRUE(Verify().empty());
  EXPECT_TRUE(Verify({.max_entries = 2}).empty());
}

TEST_F(AuditLogTest, AChangedRowAndADeletedRowAreNamedWithTheirEntry) {
  store_.current["artefact:2"] = "tampered";
  store_.current.erase("artefact:4");
  const auto findings = Verify({.max_entries = 2});
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].problem, Problem::kRowChanged);
  EXPECT_EQ(findings[0].seq, 2);
  EXPECT_EQ(findings[0].row, "artefact:2");
  EXPECT_EQ(findings[0].method, "RegisterArtefacts");
  EXPECT_EQ(findings[1].problem, Problem::kRowMissing);
  EXPECT_EQ(findings[1].seq, 4);
}

TEST_F(AuditLogTest, AnEditedEntryAGapAndARewrittenLinkAreFound) {
  store_.entries[1].principal = "someone";           // seq 2
  store_.entries.erase(store_.entries.begin() + 3);  // seq 4 gone
  auto findings = Verify({.max_entries = 3});
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_EQ(findings[0].problem, Problem::kEntryChanged);
  EXPECT_EQ(findings[0].seq, 2);
  EXPECT_EQ(findings[1].problem, Problem::kEntriesMissing);
  EXPECT_EQ(findings[1].seq, 5);
  EXPECT_EQ(findings[1].detail, "entry 4 is missing");
  EXPECT_EQ(findings[2].problem, Problem::kChainBroken);
}

TEST_F(AuditLogTest, ACutLogShowsAgainstTheHeadOrACheckpoint) {
  const records::AuditHead checkpoint = store_.head;
  store_.entries.pop_back();
  auto findings = Verify();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].problem, Problem::kHeadMismatch);
  store_.head = {4, store_.entries.back().hash, std::nullopt};  // the head rewritten too
  EXPECT_TRUE(Verify().empty());
  findings = Verify({.checkpoints = {checkpoint}});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].problem, Problem::kCheckpointMismatch);
  EXPECT_EQ(findings[0].seq, 5);
}

TEST(AuditLogPages, LargeEntriesArePagedByRowsAndBytesAndNoneIsSkipped) {
  FakeAuditStore store;
  // Entries of a batch import: 60,000 rows each.
  for (int i = 0; i < 8; ++i) {
    std::vector<records::AuditRow> rows;
    for (int r = 0; r < 60000; ++r) {
      rows.push_back({"artefact:" + std::to_string(i) + "-" + std::to_string(r), "d"});
    }
    store.Append("RegisterArtefacts", std::move(rows));
  }
  lineage::AuditLog log(store, 4 * 1024 * 1024);
  // Verification: at most kMaxVerifyRows a page (here 4 entries), every one
  // checked once.
  std::int64_t checked = 0, pages = 0;
  lineage::VerifyQuery query;
  for (;;) {
    auto page = log.Verify(query);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_TRUE(page->findings.empty());
    EXPECT_LE(page->rows_checked, lineage::AuditLog::kMaxVerifyRows + 60000);
    checked += page->entries_checked;
    ++pages;
    if (page->done) break;
    query.after_seq = page->last_seq;
  }
  EXPECT_EQ(checked, 8);
  EXPECT_GE(pages, 2);
  // Listing: one entry per page (each is larger than the 4 MiB budget),
  // continuing exactly after it.
  std::int64_t after = 0;
  std::vector<std::int64_t> seen;
  for (int i = 0; i < 20; ++i) {
    auto listing = log.List({.after_seq = after}, 0);
    ASSERT_TRUE(listing.ok());
    for (const auto& e : listing->entries) seen.push_back(e.seq);
    EXPECT_LE(listing->entries.size(), 1u);
    if (listing->next_after_seq == 0) break;
    after = listing->next_after_seq;
  }
  EXPECT_EQ(seen, (std::vector<std::int64_t>{1, 2, 3, 4, 5, 6, 7, 8}));
}

TEST_F(AuditLogTest, BadArgumentsAreInvalid) {
  EXPECT_TRUE(absl::IsInvalidArgument(log_.Verify({.max_entries = 10001}).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(log_.Verify({.after_seq = -1}).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      log_.Verify({.checkpoints = {{.seq = 1, .hash = "xyz"}}}).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(log_.List({}, 1001).status()));
}

}  // namespace
}  // namespace rmtc
