// RightsStore on PostgreSQL, sharing the connection pool of the lineage
// store.
#pragma once

#include "store/connection_pool.h"
#include "store/rights_store.h"

namespace rmtc::store {

class PgRightsStore final : public RightsStore {
 public:
  explicit PgRightsStore(ConnectionPool& pool) : pool_(pool) {}

  absl::StatusOr<records::Licence> AddLicence(const records::Licence& licence,
                                              const std::string& created_by) override;
  absl::StatusOr<std::optional<records::Licence>> GetLicence(
      const std::string& id) override;
  absl::StatusOr<std::vector<records::Licence>> ListLicences(const std::string& after,
                                                             int limit) override;
  absl::StatusOr<std::optional<records::Licence>> RevokeLicence(
      const std::string& id, records::Timestamp at,
      const records::RequestKey& request) override;
  absl::StatusOr<std::vector<std::string>> LicenceIds(int limit) override;
  absl::StatusOr<std::vector<std::string>> Parties(int limit) override;
  absl::StatusOr<std::set<std::string>> ExistingLicences(
      const std::vector<std::string>& ids) override;
  absl::StatusOr<records::LicenceAttachment> Attach(
      const records::LicenceAttachment& attachment,
      const records::RequestKey& request) override;
  absl::StatusOr<std::vector<records::LicenceAttachment>> Attachments(
      const records::Uuid& artefact) override;
  absl::StatusOr<records::LicenceElection> Elect(
      const records::LicenceElection& election,
      const records::RequestKey& request) override;
  absl::StatusOr<records::ConsentRecord> RecordConsent(
      const records::ConsentRecord& consent, const records::RequestKey& request) override;
  absl::StatusOr<std::vector<records::ConsentRecord>> ConsentHistory(
      const records::Uuid& artefact) override;
  absl::StatusOr<records::Clearance> AddClearance(
      const records::Clearance& clearance, const records::RequestKey& request) override;
  absl::StatusOr<std::optional<records::Clearance>> GetClearance(
      const records::Uuid& id) override;
  absl::StatusOr<std::vector<records::Clearance>> ListClearances(
      const ClearanceQuery& query) override;
  absl::StatusOr<std::optional<records::Clearance>> RevokeClearance(
      const records::Uuid& id, records::Timestamp at, const std::string& by) override;
  absl::StatusOr<records::RightsGraph> Upstream(const std::vector<records::Uuid>& roots,
                                                int max_nodes) override;
  absl::StatusOr<ImpactPage> Impact(const ImpactQuery& query) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace rmtc::store
