// The repository of licences, their attachments and elections, and
// consents; and the one query that fetches everything a licensing
// evaluation needs. PgRightsStore implements it on PostgreSQL.
//
// Every method may return UNAVAILABLE when the database cannot be reached.
//
// The writes that take a records::RequestKey (RevokeLicence, Attach, Elect,
// RecordConsent) are repeatable by request id, as lineage writes are. An
// empty `request.id`: none, the write is done. Otherwise the id is claimed
// in the write's own transaction; a repeat of the same request (the same
// method and digest) writes nothing and returns the first call's answer
// (the record it appended, with its times; for RevokeLicence the licence as
// stored); ALREADY_EXISTS "request_id: '<id>' was already used for a
// different <method> request; ..." if the id came with another request, and
// nothing is written. Concurrent repeats append one record.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "records/artefact.h"
#include "records/licensing.h"
#include "records/queries.h"

namespace rmtc::store {

// Whose impact is asked for: the artefacts a licence is attached to (in
// force now), the artefacts a party has spoken about, or one artefact.
struct ImpactQuery {
  enum class Target { kLicence, kParty, kArtefact } target = Target::kArtefact;
  std::string licence_id;
  std::string party;
  records::Uuid artefact;
  // Go on past evaluated_on edges (false: reach the evaluating run, stop there).
  bool through_evaluation = true;
  std::optional<records::Uuid> after;  // keyset: the last id of the previous page
  int limit = 100;
};

struct ImpactNode {
  records::Artefact artefact;  // summary: no attributes or external ids
  bool direct = false;         // the licence or consent is recorded on it
};

struct ImpactPage {
  std::vector<ImpactNode> nodes;                 // by id
  std::map<records::Kind, std::int64_t> counts;  // over the whole impact
};

// Which clearances a listing asks for: those naming `artefact` (as the
// cleared artefact or as `downstream`), granted by `party`, or both.
struct ClearanceQuery {
  std::optional<records::Uuid> artefact;
  std::string party;                   // "" : any
  std::optional<records::Uuid> after;  // keyset: the last id of the previous page
  int limit = 100;
};

class RightsStore {
 public:
  virtual ~RightsStore() = default;

  // Stores a new licence. If the id exists with the same content (name,
  // url, text digest, terms, validity, parties, jurisdictions), returns the
  // stored one (the call is repeatable); with anything else,
  // ALREADY_EXISTS: licences are not edited.
  virtual absl::StatusOr<records::Licence> AddLicence(const records::Licence& licence,
                                                      const std::string& created_by) = 0;
  virtual absl::StatusOr<std::optional<records::Licence>> GetLicence(
      const std::string& id) = 0;
  // Up to `limit` licences with ids after `after`, by id.
  virtual absl::StatusOr<std::vector<records::Licence>> ListLicences(
      const std::string& after, int limit) = 0;
  // Records that `id` is revoked from `at` on (an earlier revocation
  // stands). nullopt if there is no such licence (the request id is not
  // claimed then).
  virtual absl::StatusOr<std::optional<records::Licence>> RevokeLicence(
      const std::string& id, records::Timestamp at,
      const records::RequestKey& request) = 0;
  // Up to `limit` licence ids of the registry, by id: the candidates when
  // a lookup by id finds nothing and the answer suggests the closest.
  virtual absl::StatusOr<std::vector<std::string>> LicenceIds(int limit) = 0;
  // Which of `ids` are in the registry.
  virtual absl::StatusOr<std::set<std::string>> ExistingLicences(
      const std::vector<std::string>& ids) = 0;

  // Appends; the stored record (with its time) comes back. An attachment
  // without a time is in force from now.
  virtual absl::StatusOr<records::LicenceAttachment> Attach(
      const records::LicenceAttachment& attachment,
      const records::RequestKey& request) = 0;
  virtual absl::StatusOr<std::vector<records::LicenceAttachment>> Attachments(
      const records::Uuid& artefact) = 0;
  // The store gives the election its time; the record's is not read.
  virtual absl::StatusOr<records::LicenceElection> Elect(
      const records::LicenceElection& election, const records::RequestKey& request) = 0;
  // A consent without an effective time is in force from now.
  virtual absl::StatusOr<records::ConsentRecord> RecordConsent(
      const records::ConsentRecord& consent, const records::RequestKey& request) = 0;
  // Up to `limit` parties that consent records name, by name.
  virtual absl::StatusOr<std::vector<std::string>> Parties(int limit) = 0;
  // Every consent record on the artefact, by effective time.
  virtual absl::StatusOr<std::vector<records::ConsentRecord>> ConsentHistory(
      const records::Uuid& artefact) = 0;

  // Stores a new clearance under its id (the artefacts it names exist);
  // the stored one comes back, with its created_at.
  // Under a request id, a repeat returns the clearance the first call stored.
  virtual absl::StatusOr<records::Clearance> AddClearance(
      const records::Clearance& clearance, const records::RequestKey& request) = 0;
  virtual absl::StatusOr<std::optional<records::Clearance>> GetClearance(
      const records::Uuid& id) = 0;
  // Up to `query.limit` clearances with ids after `query.after`, by id.
  virtual absl::StatusOr<std::vector<records::Clearance>> ListClearances(
      const ClearanceQuery& query) = 0;
  // Appends a revocation from `at`; the earliest one recorded counts. The
  // clearance comes back as it now reads; nullopt if there is none.
  virtual absl::StatusOr<std::optional<records::Clearance>> RevokeClearance(
      const records::Uuid& id, records::Timestamp at, const std::string& by) = 0;

  // The upstream subgraph of `roots` (roots included) with every licensing
  // record on it, the licences they name and the clearances whose cleared
  // artefact is on it, in one query. Stops after
  // `max_nodes` nodes and sets `truncated`.
  virtual absl::StatusOr<records::RightsGraph> Upstream(
      const std::vector<records::Uuid>& roots, int max_nodes) = 0;

  // One page of everything downstream of the query's target (the target's
  // own artefacts included, marked direct), with counts per kind.
  virtual absl::StatusOr<ImpactPage> Impact(const ImpactQuery& query) = 0;
};

}  // namespace rmtc::store
