// A RightsStore in memory, for tests of Licensing without a database. It
// keeps the contract of store/rights_store.h as PgRightsStore does: licences
// are added once (the same content again is answered, other content is
// ALREADY_EXISTS), attachments, elections and consents are appended with
// their times ("now" when none is given), a request id is claimed by the
// write that carries it (a repeat gets the first record, another request
// ALREADY_EXISTS), and Upstream and Impact walk the edges of a
// FakeLineageStore. It counts the write calls it gets, so a refusal can
// prove it wrote nothing, and remembers the last Upstream and Impact query.
// Its request ids are its own: FakeLineageStore::RequestSeen does not see
// them. Header-only, like fake_lineage_store.h.
#pragma once

#include <algorithm>
#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/status_macros.h"
#include "common/strings.h"
#include "records/licence_terms.h"
#include "records/queries.h"
#include "store/rights_store.h"
#include "support/fake_lineage_store.h"

namespace rmtc::testing {

class FakeRightsStore final : public store::RightsStore {
 public:
  // The artefacts and edges come from `lineage`, which must outlive this.
  explicit FakeRightsStore(const FakeLineageStore& lineage) : lineage_(lineage) {}

  absl::StatusOr<records::Licence> AddLicence(const records::Licence& licence,
                                              const std::string&) override {
    ++write_calls;
    if (const auto it = licences.find(licence.id); it != licences.end()) {
      if (!SameLicence(it->second, licence)) {
        return absl::AlreadyExistsError(
            StrCat("id: licence ", licence.id, " already exists with other terms"));
      }
      return it->second;
    }
    records::Licence stored = licence;
    stored.revoked_at.reset();  // the insert does not write it
    stored.created_at = Now();
    return licences[licence.id] = stored;
  }

  absl::StatusOr<std::optional<records::Licence>> GetLicence(
      const std::string& id) override {
    const auto it = licences.find(id);
    if (it == licences.end()) return std::nullopt;
    return it->second;
  }

  absl::StatusOr<std::vector<records::Licence>> ListLicences(const std::string& after,
                                                             int limit) override {
    std::vector<records::Licence> out;
    for (auto it = licences.upper_bound(after);
         it != licences.end() && static_cast<int>(out.size()) < limit; ++it) {
      out.push_back(it->second);
    }
    return out;
  }

  absl::StatusOr<std::optional<records::Licence>> RevokeLicence(
      const std::string& id, records::Timestamp at,
      const records::RequestKey& request) override {
    ++write_calls;
    const auto it = licences.find(id);
    if (it == licences.end()) return std::nullopt;
    RMTC_ASSIGN_OR_RETURN(const auto* first, FirstCall(request));
    if (first) return it->second;
    Claim(request, 0);
    auto& revoked_at = it->second.revoked_at;
    if (!revoked_at || *revoked_at > at) revoked_at = at;  // an earlier one stands
    return it->second;
  }

  absl::StatusOr<std::vector<std::string>> LicenceIds(int limit) override {
    std::vector<std::string> out;
    for (auto it = licences.begin();
         it != licences.end() && static_cast<int>(out.size()) < limit; ++it) {
      out.push_back(it->first);
    }
    return out;
  }

  absl::StatusOr<std::set<std::string>> ExistingLicences(
      const std::vector<std::string>& ids) override {
    std::set<std::string> out;
    for (const auto& id : ids) {
      if (licences.count(id)) out.insert(id);
    }
    return out;
  }

  absl::StatusOr<records::LicenceAttachment> Attach(
      const records::LicenceAttachment& attachment,
      const records::RequestKey& request) override {
    ++write_calls;
    RMTC_ASSIGN_OR_RETURN(const auto* first, FirstCall(request));
    if (first) return attachments.at(first->record);
    RMTC_RETURN_IF_ERROR(MustExist(attachment.artefact));
    for (const auto& id : attachment.licence_ids) {
      if (!licences.count(id)) return absl::InternalError(StrCat("no licence ", id));
    }
    records::LicenceAttachment stored = attachment;
    if (stored.attached_at == records::Timestamp{}) stored.attached_at = Now();
    Claim(request, attachments.size());
    attachments.push_back(stored);
    return stored;
  }

  // Oldest first: by time, then in the order written.
  absl::StatusOr<std::vector<records::LicenceAttachment>> Attachments(
      const records::Uuid& artefact) override {
    auto out = On(attachments, artefact);
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return a.attached_at < b.attached_at;
    });
    return out;
  }

  // The store gives the time of an election; the record's is not read.
  absl::StatusOr<records::LicenceElection> Elect(
      const records::LicenceElection& election,
      const records::RequestKey& request) override {
    ++write_calls;
    RMTC_ASSIGN_OR_RETURN(const auto* first, FirstCall(request));
    if (first) return elections.at(first->record);
    RMTC_RETURN_IF_ERROR(MustExist(election.artefact));
    if (!licences.count(election.licence_id)) {
      return absl::InternalError(StrCat("no licence ", election.licence_id));
    }
    records::LicenceElection stored = election;
    stored.elected_at = Now();
    Claim(request, elections.size());
    elections.push_back(stored);
    return stored;
  }

  absl::StatusOr<records::ConsentRecord> RecordConsent(
      const records::ConsentRecord& consent,
      const records::RequestKey& request) override {
    ++write_calls;
    RMTC_ASSIGN_OR_RETURN(const auto* first, FirstCall(request));
    if (first) return consents.at(first->record);
    RMTC_RETURN_IF_ERROR(MustExist(consent.artefact));
    records::ConsentRecord stored = consent;
    stored.recorded_at = Now();
    if (stored.effective_at == records::Timestamp{})
      stored.effective_at = stored.recorded_at;
    Claim(request, consents.size());
    consents.push_back(stored);
    return stored;
  }

  // The distinct parties named, by name.
  absl::StatusOr<std::vector<std::string>> Parties(int limit) override {
    std::set<std::string> names;
    for (const auto& c : consents) names.insert(c.party);
    std::vector<std::string> out;
    for (auto it = names.begin();
         it != names.end() && static_cast<int>(out.size()) < limit; ++it) {
      out.push_back(*it);
    }
    return out;
  }

  absl::StatusOr<std::vector<records::ConsentRecord>> ConsentHistory(
      const records::Uuid& artefact) override {
    auto out = On(consents, artefact);
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return a.effective_at < b.effective_at;
    });
    return out;
  }

  absl::StatusOr<records::Clearance> AddClearance(
      const records::Clearance& clearance, const records::RequestKey& request) override {
    ++write_calls;
    RMTC_ASSIGN_OR_RETURN(const auto* first, FirstCall(request));
    if (first) return clearances.at(clearance_order.at(first->record));
    RMTC_RETURN_IF_ERROR(MustExist(clearance.artefact));
    if (clearance.downstream) RMTC_RETURN_IF_ERROR(MustExist(*clearance.downstream));
    records::Clearance stored = clearance;
    stored.created_at = Now();
    Claim(request, clearance_order.size());
    clearance_order.push_back(clearance.id);
    return clearances[clearance.id] = stored;
  }

  absl::StatusOr<std::optional<records::Clearance>> GetClearance(
      const records::Uuid& id) override {
    const auto it = clearances.find(id);
    if (it == clearances.end()) return std::nullopt;
    return it->second;
  }

  absl::StatusOr<std::vector<records::Clearance>> ListClearances(
      const store::ClearanceQuery& query) override {
    std::vector<records::Clearance> out;
    for (const auto& [id, c] : clearances) {
      if (static_cast<int>(out.size()) == query.limit) break;
      if (query.after && id <= *query.after) continue;
      if (query.artefact && c.artefact != *query.artefact &&
          c.downstream != query.artefact) {
        continue;
      }
      if (!query.party.empty() && c.party != query.party) continue;
      out.push_back(c);
    }
    return out;
  }

  // The earliest revocation counts.
  absl::StatusOr<std::optional<records::Clearance>> RevokeClearance(
      const records::Uuid& id, records::Timestamp at, const std::string&) override {
    ++write_calls;
    const auto it = clearances.find(id);
    if (it == clearances.end()) return std::nullopt;
    auto& revoked_at = it->second.revoked_at;
    if (!revoked_at || *revoked_at > at) revoked_at = at;
    return it->second;
  }

  // Breadth first from the roots, each node once; at most `max_nodes`.
  absl::StatusOr<records::RightsGraph> Upstream(const std::vector<records::Uuid>& roots,
                                                int max_nodes) override {
    last_upstream_roots = roots;
    last_upstream_max_nodes = max_nodes;
    const auto sources = EdgesBy(&records::Edge::derived);
    records::RightsGraph graph;
    std::set<records::Uuid> seen;
    std::deque<records::Uuid> queue;
    for (const auto& root : roots) {
      if (lineage_.Holds(root) && seen.insert(root).second) queue.push_back(root);
    }
    while (!queue.empty()) {
      const records::Uuid id = queue.front();
      queue.pop_front();
      if (static_cast<int>(graph.nodes.size()) == max_nodes) {
        graph.truncated = true;
        break;
      }
      const auto* held = lineage_.Find(id);
      auto& node = graph.nodes[id];
      node = {.id = id,
              .kind = held->kind,
              .name = held->name,
              .generative = held->generative,
              .created_at = held->created_at};
      node.attachments = On(attachments, id);
      node.elections = On(elections, id);
      node.consents = On(consents, id);
      for (const auto& a : node.attachments) {
        for (const auto& l : a.licence_ids) graph.licences[l] = licences.at(l);
      }
      for (const auto& [cid, c] : clearances) {
        if (c.artefact == id) graph.clearances.push_back(c);
      }
      for (auto [it, end] = sources.equal_range(id); it != end; ++it) {
        const records::Edge& e = *it->second;
        graph.edges.push_back(e);
        if (seen.insert(e.source).second) queue.push_back(e.source);
      }
    }
    return graph;
  }

  absl::StatusOr<store::ImpactPage> Impact(const store::ImpactQuery& query) override {
    last_impact = query;
    const std::set<records::Uuid> roots = ImpactRoots(query);
    const auto derived = EdgesBy(&records::Edge::source);
    std::set<records::Uuid> reached = roots, expanded = roots;
    std::vector<records::Uuid> frontier(roots.begin(), roots.end());
    while (!frontier.empty()) {
      const records::Uuid id = frontier.back();
      frontier.pop_back();
      for (auto [it, end] = derived.equal_range(id); it != end; ++it) {
        const records::Edge& e = *it->second;
        const bool stop =
            !query.through_evaluation && e.relation == records::Relation::kEvaluatedOn;
        reached.insert(e.derived);
        // Reached through evaluation only: listed, not gone past.
        if (!stop && expanded.insert(e.derived).second) frontier.push_back(e.derived);
      }
    }
    store::ImpactPage page;
    for (const auto& id : reached) {  // by id
      const auto* held = lineage_.Find(id);
      ++page.counts[held->kind];
      if ((query.after && id <= *query.after) ||
          static_cast<int>(page.nodes.size()) >= query.limit) {
        continue;
      }
      store::ImpactNode node{.direct = roots.count(id) > 0};
      node.artefact.id = id;
      node.artefact.kind = held->kind;
      node.artefact.name = held->name;
      page.nodes.push_back(std::move(node));
    }
    return page;
  }

  // The time given to records written without one; nullopt: the clock.
  std::optional<records::Timestamp> now;

  std::map<std::string, records::Licence> licences;     // by id
  std::vector<records::LicenceAttachment> attachments;  // in the order written
  std::vector<records::LicenceElection> elections;
  std::vector<records::ConsentRecord> consents;
  std::map<records::Uuid, records::Clearance> clearances;  // by id
  std::vector<records::Uuid> clearance_order;              // as added
  int write_calls = 0;  // AddLicence, RevokeLicence, Attach, Elect, RecordConsent,
                        // AddClearance, RevokeClearance

  // A claimed request id: what it came with, and the record its first call
  // appended (an index into the method's list; 0 for RevokeLicence).
  struct RequestClaim {
    std::string method;
    std::string digest;
    std::size_t record = 0;
  };
  std::map<std::string, RequestClaim> requests;  // by request id

  std::vector<records::Uuid> last_upstream_roots;
  int last_upstream_max_nodes = 0;
  std::optional<store::ImpactQuery> last_impact;

 private:
  records::Timestamp Now() const {
    return now.value_or(std::chrono::time_point_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now()));
  }

  // The claim of a repeated request, nullptr for a new one (or none);
  // ALREADY_EXISTS for the id with another request, as ClaimRequest says.
  absl::StatusOr<const RequestClaim*> FirstCall(
      const records::RequestKey& request) const {
    if (request.id.empty()) return nullptr;
    const auto it = requests.find(request.id);
    if (it == requests.end()) return nullptr;
    if (it->second.method != request.method || it->second.digest != request.digest) {
      return absl::AlreadyExistsError(
          StrCat("request_id: '", request.id, "' was already used for a different ",
                 it->second.method, " request; use a new id for a new request"));
    }
    return &it->second;
  }

  void Claim(const records::RequestKey& request, std::size_t record) {
    if (!request.id.empty())
      requests[request.id] = {request.method, request.digest, record};
  }

  // What the database's foreign keys would refuse.
  absl::Status MustExist(const records::Uuid& id) const {
    return lineage_.Holds(id)
               ? absl::OkStatus()
               : absl::InternalError(StrCat("foreign key: no artefact ", id.ToString()));
  }

  static bool SameLicence(const records::Licence& a, const records::Licence& b) {
    return a.name == b.name && a.url == b.url && a.text_sha256 == b.text_sha256 &&
           records::TermsToJson(a.terms) == records::TermsToJson(b.terms) &&
           a.valid_from == b.valid_from && a.valid_until == b.valid_until &&
           a.licensor == b.licensor && a.licensee == b.licensee &&
           a.jurisdictions == b.jurisdictions;
  }

  // The lineage edges by one end (a walk over a large graph stays linear).
  std::unordered_multimap<records::Uuid, const records::Edge*> EdgesBy(
      records::Uuid records::Edge::*end) const {
    std::unordered_multimap<records::Uuid, const records::Edge*> out;
    for (const auto& e : lineage_.edges) out.emplace(e.*end, &e);
    return out;
  }

  template <typename Record>
  static std::vector<Record> On(const std::vector<Record>& records,
                                const records::Uuid& id) {
    std::vector<Record> out;
    for (const auto& r : records) {
      if (r.artefact == id) out.push_back(r);
    }
    return out;
  }

  // The artefacts the target names itself (they are `direct`).
  std::set<records::Uuid> ImpactRoots(const store::ImpactQuery& query) const {
    std::set<records::Uuid> roots;
    switch (query.target) {
      case store::ImpactQuery::Target::kArtefact:
        if (lineage_.Holds(query.artefact)) roots.insert(query.artefact);
        break;
      case store::ImpactQuery::Target::kParty:
        for (const auto& c : consents) {
          if (c.party == query.party) roots.insert(c.artefact);
        }
        break;
      case store::ImpactQuery::Target::kLicence: {
        // The attachment in force now: the latest at or before now, then
        // the last written.
        std::map<records::Uuid, const records::LicenceAttachment*> current;
        for (const auto& a : attachments) {
          if (a.attached_at > Now()) continue;
          auto& c = current[a.artefact];
          if (!c || a.attached_at >= c->attached_at) c = &a;
        }
        for (const auto& [id, a] : current) {
          const auto& ids = a->licence_ids;
          if (std::find(ids.begin(), ids.end(), query.licence_id) != ids.end())
            roots.insert(id);
        }
        break;
      }
    }
    return roots;
  }

  const FakeLineageStore& lineage_;
};

}  // namespace rmtc::testing
