// The licensing domain: the licence registry, licence expressions on
// artefacts and elections among their alternatives, artists' consents, and
// the questions RMTC answers from them: a licensing chain, a use check, an
// impact list. Rules live in LicensingEvaluator; this class checks input,
// fetches what an answer needs (one query) and hands it over.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lineage/licensing_evaluator.h"
#include "lineage/page_budget.h"
#include "lineage/page_token.h"
#include "records/licensing.h"
#include "records/queries.h"
#include "store/lineage_store.h"
#include "store/rights_store.h"

namespace rmtc::lineage {

// The most upstream nodes one evaluation reads; past it the answer is
// REVIEW ("too large to evaluate whole"), never a silent guess.
inline constexpr int kMaxEvaluationNodes = 200'000;
inline constexpr int kDefaultImpactPage = 1'000;
inline constexpr int kMaxImpactPage = 10'000;

// An artefact named in a path, so answers can be read without lookups.
struct PathNode {
  records::Uuid id;
  records::Kind kind = records::Kind::kDataset;
  std::string name;
};

struct ChainAnswer {
  LicensingChain chain;
  std::vector<PathNode> nodes;  // every artefact on a path
  records::Timestamp as_of{};
};

struct CheckAnswer {
  UseCheck check;
  std::vector<PathNode> nodes;
  records::Timestamp as_of{};
  records::Policy policy = records::Policy::kStrict;
  records::IntendedUse use = records::IntendedUse::kInternalResearch;
  std::string jurisdiction;  // as asked; "" when not
};

struct ImpactRequest {
  store::ImpactQuery::Target target = store::ImpactQuery::Target::kArtefact;
  std::string key;  // licence id, party, or artefact id
  int page_size = 0;
  std::string page_token;
};

struct ImpactAnswer {
  store::ImpactPage page;
  std::int64_t total = 0;
  std::string next_page_token;
};

// A use check asked for before a run or inference is recorded.
struct Guardrail {
  records::IntendedUse use = records::IntendedUse::kInternalResearch;
  std::optional<records::Policy> policy;  // nullopt: the server's
  bool enforce = false;                   // refuse the record if DENIED
};

// The node a record would add, for a guardrail check before it exists.
struct PlannedNode {
  records::Kind kind = records::Kind::kRun;
  std::string name;
  bool generative = false;
  std::string facility;  // and project: for clearances scoped to them
  std::string project;
  std::vector<std::pair<records::Relation, records::Uuid>> sources;
};

class Licensing {
 public:
  // `seal` signs page tokens (default: a key of this process).
  // `defaults`: the deployment's policy, consent withdrawal and studio
  // (its as_of and jurisdiction are not used; requests bring their own).
  // `page_bytes` bounds every page on the wire (lineage/page_budget.h).
  Licensing(store::LineageStore& lineage, store::RightsStore& rights,
            records::EvaluationSettings defaults, bool enforce_checks,
            PageTokenSeal seal = {}, std::size_t page_bytes = kDefaultPageBytes)
      : lineage_(lineage),
        rights_(rights),
        defaults_(std::move(defaults)),
        default_policy_(defaults_.policy),
        enforce_checks_(enforce_checks),
        seal_(std::move(seal)),
        page_bytes_(std::max(page_bytes, kMinPageBytes)) {}
  Licensing(store::LineageStore& lineage, store::RightsStore& rights,
            records::Policy default_policy, bool enforce_checks, PageTokenSeal seal = {})
      : Licensing(lineage, rights, records::EvaluationSettings{.policy = default_policy},
                  enforce_checks, std::move(seal)) {}

  // Adds a licence to the registry. INVALID_ARGUMENT for a bad id (an SPDX
  // id or LicenseRef-...: letters, digits, '.', '-'), an empty name, a bad
  // text digest, a jurisdiction that is not an ISO 3166 alpha-2 code, or a
  // validity window that ends before it starts;
  // ALREADY_EXISTS if the id is taken with other terms.
  absl::StatusOr<records::Licence> AddLicence(records::Licence licence,
                                              const std::string& created_by);
  // NOT_FOUND if unknown.
  absl::StatusOr<records::Licence> GetLicence(const std::string& id);
  // A page of the registry, by id; `next_page_token` continues it.
  absl::StatusOr<std::pair<std::vector<records::Licence>, std::string>> ListLicences(
      int page_size, const std::string& page_token);
  // The four licensing writes below take `request`: the client's request id
  // (empty: none) and the digest of its request; the method is set here.
  // With an id they are repeatable as lineage writes are (store/
  // rights_store.h): a repeat returns the first answer and writes nothing;
  // the id with another request is ALREADY_EXISTS. INVALID_ARGUMENT for an
  // id over 128 bytes or with control characters, checked first.

  // The licence grants nothing from `at` (default now) on. NOT_FOUND if
  // unknown.
  absl::StatusOr<records::Licence> RevokeLicence(const std::string& id,
                                                 std::optional<records::Timestamp> at,
                                                 records::RequestKey request = {});

  // Puts `expression` in force on the artefact from `from` (default now;
  // earlier for an agreement recorded late). NOT_FOUND for an unknown
  // artefact; INVALID_ARGUMENT for an expression that does not parse or
  // names an unknown licence, with the position.
  absl::StatusOr<records::LicenceAttachment> AttachLicence(
      const std::string& artefact_id, const std::string& expression,
      const std::string& attribution, const std::string& by,
      std::optional<records::Timestamp> from = std::nullopt,
      records::RequestKey request = {});
  // Chooses `licence_id` among the alternatives of the artefact's
  // expression. FAILED_PRECONDITION if it has no licence, offers no choice,
  // or `licence_id` is not one of its alternatives, unless the request id
  // was seen: a repeat gets its first answer even if the licence in force
  // has changed since.
  absl::StatusOr<records::LicenceElection> ElectLicence(const std::string& artefact_id,
                                                        const std::string& licence_id,
                                                        const std::string& by,
                                                        records::RequestKey request = {});
  // Records a party's statement. INVALID_ARGUMENT without a party or
  // without any key; NOT_FOUND for an unknown artefact.
  absl::StatusOr<records::ConsentRecord> SetConsent(const std::string& artefact_id,
                                                    records::ConsentRecord record,
                                                    records::RequestKey request = {});
  absl::StatusOr<std::vector<records::ConsentRecord>> ConsentHistory(
      const std::string& artefact_id);
  // The licence attachments of an artefact, oldest first.
  absl::StatusOr<std::vector<records::LicenceAttachment>> Attachments(
      const std::string& artefact_id);

  // Records a clearance (docs/licensing.md §12) under a new id.
  // INVALID_ARGUMENT, naming the field ("clearance.rules[1]: ..."), for a
  // missing party, evidence, artefact or rule, a rule no clearance lifts, a
  // use given twice, text too long, or a window that ends before it starts;
  // NOT_FOUND for an unknown artefact, downstream artefact or licence;
  // FAILED_PRECONDITION if the downstream artefact is not built from the
  // cleared one. Nothing is written on an error.
  // A repeat under the same request id returns the first call's clearance.
  absl::StatusOr<records::Clearance> AddClearance(records::Clearance clearance,
                                                  const std::string& created_by,
                                                  records::RequestKey request = {});
  // NOT_FOUND if unknown.
  absl::StatusOr<records::Clearance> GetClearance(const std::string& id);

  // The facility of artefact `id`; nullopt if `id` is not an artefact (the
  // write that asks then answers its own INVALID_ARGUMENT or NOT_FOUND).
  absl::StatusOr<std::optional<std::string>> FacilityOf(const std::string& id);
  // A page of clearances, by id: those naming `artefact_id`
  // (as cleared or downstream artefact) if given, granted by `party` if
  // given. NOT_FOUND for an unknown artefact.
  absl::StatusOr<std::pair<std::vector<records::Clearance>, std::string>> ListClearances(
      const std::string& artefact_id, const std::string& party, int page_size,
      const std::string& page_token);
  // The clearance lifts nothing from `at` (default now) on. Revoking again
  // is harmless: the earliest revocation counts. NOT_FOUND if unknown.
  absl::StatusOr<records::Clearance> RevokeClearance(const std::string& id,
                                                     std::optional<records::Timestamp> at,
                                                     const std::string& by);

  // Every term in force on the artefact as of `as_of` (default now).
  // NOT_FOUND for an artefact unknown, or recorded only after `as_of`
  // ("... was not recorded yet as of ...").
  absl::StatusOr<ChainAnswer> Chain(const std::string& artefact_id,
                                    std::optional<records::Timestamp> as_of);
  // The verdict for `use`. `policy` nullopt: the server's default.
  // `jurisdiction`: where the use happens, an ISO 3166 alpha-2 code, or ""
  // (licences' territories not evaluated); INVALID_ARGUMENT otherwise.
  // NOT_FOUND as for Chain.
  absl::StatusOr<CheckAnswer> Check(const std::string& artefact_id,
                                    records::IntendedUse use,
                                    std::optional<records::Timestamp> as_of,
                                    std::optional<records::Policy> policy,
                                    const std::string& jurisdiction = "");
  // The verdict for a node not yet written (a guardrail before a record).
  absl::StatusOr<CheckAnswer> CheckPlanned(const PlannedNode& node,
                                           const Guardrail& guardrail);
  // True when a DENIED verdict must refuse the record.
  bool Enforces(const Guardrail& guardrail) const {
    return enforce_checks_ || guardrail.enforce;
  }

  // Everything whose verdict depends on the target: the artefacts the
  // licence is attached to, or the party spoke about, or the artefact
  // itself, and everything downstream of them. A licence does not reach
  // through evaluated_on (evaluation data carries no licence terms); a
  // party's consent does (data_mining is checked there). NOT_FOUND for a
  // licence not in the registry or a party no consent names, with the
  // closest known ones suggested.
  absl::StatusOr<ImpactAnswer> Impact(const ImpactRequest& request);

 private:
  absl::StatusOr<records::Uuid> ExistingArtefact(std::string_view path,
                                                 const std::string& id);
  // NOT_FOUND for a licence id or party that nothing names, with the
  // closest known ones suggested ("; did you mean 'CC-BY-NC-4.0'?").
  absl::Status NoLicence(std::string_view path, const std::string& id);
  absl::Status NoParty(const std::string& party);
  // The fields of a clearance that need no lookup.
  static absl::Status CheckClearance(const records::Clearance& clearance);
  absl::StatusOr<records::RightsGraph> UpstreamOf(
      const std::vector<records::Uuid>& roots);
  // FAILED_PRECONDITION unless the attachment in force now on `artefact`
  // offers `licence_id` as a choice that tells its alternatives apart.
  absl::Status CheckElection(const records::Uuid& artefact,
                             const std::string& artefact_id,
                             const std::string& licence_id);
  // The upstream subgraph of `artefact_id`, and in `as_of` the moment to
  // judge it at (`asked`, else now): NOT_FOUND if it is unknown or was
  // recorded after that moment.
  absl::StatusOr<std::pair<records::Uuid, records::RightsGraph>> RootedAt(
      const std::string& artefact_id, std::optional<records::Timestamp> asked,
      records::Timestamp& as_of);
  // The deployment's settings, with this request's moment and policy.
  records::EvaluationSettings SettingsFor(records::Timestamp as_of,
                                          records::Policy policy) const;

  store::LineageStore& lineage_;
  store::RightsStore& rights_;
  const records::EvaluationSettings defaults_;
  const records::Policy default_policy_;
  const bool enforce_checks_;
  const PageTokenSeal seal_;
  const std::size_t page_bytes_;
};

}  // namespace rmtc::lineage
