// AuditStore on PostgreSQL (schema/V0009__audit.sql), sharing the
// connection pool of the other stores.
#pragma once

#include "store/audit_store.h"
#include "store/connection_pool.h"

namespace rmtc::store {

class PgAuditStore final : public AuditStore {
 public:
  explicit PgAuditStore(ConnectionPool& pool) : pool_(pool) {}

  absl::StatusOr<records::AuditHead> Head() override;
  absl::StatusOr<std::vector<records::AuditEntry>> Entries(
      const AuditQuery& query) override;
  absl::StatusOr<std::optional<records::AuditEntry>> EntryAt(std::int64_t seq) override;
  absl::StatusOr<std::vector<std::optional<std::string>>> CurrentDigests(
      const std::vector<std::string>& refs) override;
  absl::StatusOr<UnauditedRows> Unaudited(int limit) override;
  absl::StatusOr<std::optional<records::AuditEntry>> Start(int max_rows) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace rmtc::store
