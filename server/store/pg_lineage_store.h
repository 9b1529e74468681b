// LineageStore on PostgreSQL through libpqxx. The only code that speaks SQL;
// every libpqxx exception stops here and becomes an absl::Status.
#pragma once

#include <memory>
#include <string>

#include "store/connection_pool.h"
#include "store/lineage_store.h"

namespace rmtc::store {

class PgLineageStore final : public LineageStore {
 public:
  // On a pool built with PrepareStatements as its per-connection hook (the
  // pool is shared with the rights store).
  explicit PgLineageStore(ConnectionPool& pool);
  // With a pool of its own: `pool_size` connections to the database at
  // `url` (a libpq connection string or URL).
  PgLineageStore(const std::string& url, int pool_size);

  // Declares the prepared statements of this store and of the rights store
  // (which shares the pool) on a new connection.
  static void PrepareStatements(pqxx::connection& connection);

  absl::StatusOr<std::unordered_map<records::Uuid, records::Kind>> KindsOf(
      const std::vector<records::Uuid>& ids) override;
  absl::StatusOr<records::WriteResult> Write(const records::WriteBatch& batch) override;
  absl::StatusOr<bool> RequestSeen(const std::string& request_id) override;
  absl::StatusOr<std::optional<records::Artefact>> Get(const records::Uuid& id) override;
  absl::StatusOr<std::vector<records::Artefact>> FindBySha256(
      const std::string& sha256, std::optional<records::Kind> kind) override;
  absl::StatusOr<std::vector<records::Artefact>> FindByExternalId(
      const records::ExternalId& external_id) override;
  absl::StatusOr<std::vector<records::Artefact>> List(
      const records::ListQuery& query) override;
  absl::StatusOr<records::TraceResult> Trace(const records::TraceQuery& query) override;

  // OK if the database answers a trivial query; UNAVAILABLE otherwise;
  // RESOURCE_EXHAUSTED if every connection stayed busy for a second.
  absl::Status Ping();

 private:
  std::unique_ptr<ConnectionPool> owned_pool_;
  ConnectionPool& pool_;
};

}  // namespace rmtc::store
