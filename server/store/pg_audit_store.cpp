#include "store/pg_audit_store.h"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "common/call_scope.h"
#include "common/strings.h"
#include "store/audit_sql.h"
#include "store/audit_trail.h"
#include "store/transaction_runner.h"

namespace rmtc::store {

using records::AuditEntry;
using records::Timestamp;

namespace {

Timestamp ReadMicros(const pqxx::field& field) {
  return Timestamp(std::chrono::microseconds(std::stoll(field.c_str())));
}

// A stored entry, exactly as stored: verification recomputes its hash
// from these fields, so nothing is normalised on the way.
AuditEntry ReadEntry(const pqxx::row& row) {
  AuditEntry e;
  e.seq = row[0].as<std::int64_t>();
  e.recorded_at = ReadMicros(row[1]);
  e.principal = row[2].c_str();
  e.method = row[3].c_str();
  e.request_id = row[4].c_str();
  e.request_sha256 = row[5].c_str();
  for (std::string_view id : StrSplit(row[6].c_str(), ',')) {
    if (auto parsed = records::Uuid::Parse(id)) e.artefact_ids.push_back(*parsed);
  }
  const auto refs = nlohmann::json::parse(row[7].c_str());
  const auto digests = nlohmann::json::parse(row[8].c_str());
  for (std::size_t i = 0; i < refs.size() && i < digests.size(); ++i) {
    e.rows.push_back({refs[i].get<std::string>(), digests[i].get<std::string>()});
  }
  e.rows_digest = row[9].c_str();
  e.prev_hash = row[10].c_str();
  e.hash = row[11].c_str();
  return e;
}

std::string MicrosText(const std::optional<Timestamp>& t) {
  return t ? StrCat(t->time_since_epoch().count()) : std::string();
}

}  // namespace

absl::StatusOr<records::AuditHead> PgAuditStore::Head() {
  return RunReadOnly<records::AuditHead>(
      pool_, "AuditHead", [&](pqxx::transaction_base& tx) {
        const auto row = tx.exec1(audit_sql::kHead);
        records::AuditHead head{.seq = row[0].as<std::int64_t>(), .hash = row[1].c_str()};
        if (!row[2].is_null() && *row[2].c_str() != '\0') {
          head.recorded_at = ReadMicros(row[2]);
        }
        return head;
      });
}

absl::StatusOr<std::vector<AuditEntry>> PgAuditStore::Entries(const AuditQuery& query) {
  return RunReadOnly<std::vector<AuditEntry>>(
      pool_, "AuditEntries", [&](pqxx::transaction_base& tx) {
        std::vector<AuditEntry> out;
        for (const auto& row :
             tx.exec_params(audit_sql::kEntries, query.after_seq, query.limit,
                            query.principal, MicrosText(query.since),
                            query.artefact ? query.artefact->ToString() : std::string(),
                            query.max_rows)) {
          out.push_back(ReadEntry(row));
        }
        return out;
      });
}

absl::StatusOr<std::optional<AuditEntry>> PgAuditStore::EntryAt(std::int64_t seq) {
  return RunReadOnly<std::optional<AuditEntry>>(
      pool_, "AuditEntryAt",
      [&](pqxx::transaction_base& tx) -> std::optional<AuditEntry> {
        const auto rows = tx.exec_params(audit_sql::kEntryAt, seq);
        if (rows.empty()) return std::nullopt;
        return ReadEntry(rows[0]);
      });
}

absl::StatusOr<std::vector<std::optional<std::string>>> PgAuditStore::CurrentDigests(
    const std::vector<std::string>& refs) {
  return RunReadOnly<std::vector<std::optional<std::string>>>(
      pool_, "AuditRowDigests",
      [&](pqxx::transaction_base& tx) { return RowDigests(tx, refs); });
}

absl::StatusOr<UnauditedRows> PgAuditStore::Unaudited(int limit) {
  return RunReadOnly<UnauditedRows>(
      pool_, "AuditUnaudited", [&](pqxx::transaction_base& tx) {
        UnauditedRows out;
        for (const auto& row : tx.exec_params(audit_sql::kUnauditedRows, limit)) {
          out.refs.emplace_back(row[0].c_str());
          out.total = row[1].as<std::int64_t>();
        }
        return out;
      });
}

absl::StatusOr<std::optional<AuditEntry>> PgAuditStore::Start(int max_rows) {
  const CallScope scope({.principal = "rmtcd", .method = "StartAuditLog"});
  return RunReadWrite<std::optional<AuditEntry>>(
      pool_, "StartAuditLog",
      [&](pqxx::transaction_base& tx) -> std::optional<AuditEntry> {
        // Replicas starting together: the first to lock the head starts
        // the log, the others find it begun.
        if (tx.exec1(audit_sql::kLockHead)[0].as<std::int64_t>() != 0)
          return std::nullopt;
        AuditWrite write;
        const auto unaudited = tx.exec_params(audit_sql::kUnauditedRows, max_rows + 1);
        if (unaudited.size() <= static_cast<std::size_t>(max_rows)) {
          for (const auto& row : unaudited) write.refs.emplace_back(row[0].c_str());
        } else {
          for (const auto& row : tx.exec(audit_sql::kLicenceRows)) {
            write.refs.emplace_back(row[0].c_str());
          }
        }
        AppendAudit(tx, write);
        const auto rows = tx.exec_params(audit_sql::kEntryAt, 1);
        if (rows.empty()) return std::nullopt;  // nothing stored yet
        return ReadEntry(rows[0]);
      });
}

}  // namespace rmtc::store
