#include "store/audit_trail.h"

#include <chrono>

#include "common/call_scope.h"
#include "common/strings.h"
#include "store/audit_sql.h"
#include "store/sql_arrays.h"

namespace rmtc::store {

std::vector<std::optional<std::string>> RowDigests(pqxx::transaction_base& tx,
                                                   const std::vector<std::string>& refs) {
  std::vector<std::optional<std::string>> out;
  out.reserve(refs.size());
  for (const auto& row : tx.exec_params(audit_sql::kRowDigests, TextArrayLiteral(refs))) {
    out.push_back(row[0].is_null() ? std::nullopt : std::optional(row[0].c_str()));
  }
  return out;
}

void AppendAudit(pqxx::transaction_base& tx, const AuditWrite& write) {
  if (write.refs.empty()) return;
  records::AuditEntry entry;
  const auto digests = RowDigests(tx, write.refs);
  for (std::size_t i = 0; i < write.refs.size(); ++i) {
    // A row this transaction wrote is there to digest; "" would fail
    // every verification, so it cannot pass unnoticed.
    entry.rows.push_back({write.refs[i], digests[i].value_or("")});
  }
  entry.rows_digest = records::RowsDigest(entry.rows);
  const CallLimits* call = CallScope::Current();
  entry.principal = call && !call->principal.empty() ? call->principal : "rmtcd";
  entry.method = call && !call->method.empty() ? call->method : "unknown";
  entry.request_sha256 = call ? call->request_sha256 : "";
  entry.request_id = write.request_id;
  entry.artefact_ids = write.artefact_ids;
  entry.recorded_at = std::chrono::time_point_cast<std::chrono::microseconds>(
      std::chrono::system_clock::now());
  // Last, so the head is locked for as short a time as possible.
  const auto head = tx.exec1(audit_sql::kLockHead);
  entry.seq = head[0].as<std::int64_t>() + 1;
  entry.prev_hash = head[1].c_str();
  entry.hash = records::EntryHash(entry);
  std::vector<std::string> ids, refs, row_digests;
  for (const auto& id : entry.artefact_ids) ids.push_back(id.ToString());
  for (const auto& row : entry.rows) {
    refs.push_back(row.ref);
    row_digests.push_back(row.digest);
  }
  tx.exec_params0(audit_sql::kInsertEntry, entry.seq,
                  StrCat(entry.recorded_at.time_since_epoch().count()), entry.principal,
                  entry.method, entry.request_id, entry.request_sha256,
                  TextArrayLiteral(ids), TextArrayLiteral(refs),
                  TextArrayLiteral(row_digests), entry.rows_digest, entry.prev_hash,
                  entry.hash);
  tx.exec_params0(audit_sql::kSetHead, entry.seq, entry.hash);
}

}  // namespace rmtc::store
