// Licensing chains and use checks, computed on read: the store hands over
// the upstream subgraph once, and everything below runs in memory.
// docs/licensing.md is the rulebook. The parts, by concept:
//   terms.h           the term model (what a term says, how it travelled)
//   terms_in_force.h  an artefact's own terms at a moment
//   propagation.h     what each relation carries (one rule row per relation)
//   this file         terms at an artefact, chains and verdicts for a use
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "lineage/terms.h"
#include "records/artefact.h"
#include "records/licensing.h"

namespace rmtc::lineage {

using records::RightsGraph;
using records::RightsNode;

// A term in force at an artefact, and the artefacts it came through.
struct ChainTerm {
  std::string kind;         // field-of-use, attribution, share-alike, notice,
                            // include-licence-text, naming-prefix, no-derivatives,
                            // use-restriction, no-training-on-outputs,
                            // purpose-limit, licensee, jurisdiction, training,
                            // consent, choice, finding
  std::string value;        // "non-commercial", a credit, a family, a restriction...
  bool risk = false;        // reached the artefact through training
  bool open = false;        // from an alternative of an OR not (yet) elected
  bool evaluation = false;  // reached through evaluated_on: judges the run only
  records::Verdict effect = records::Verdict::kAllowed;  // findings only
  std::string message;
  std::string licence_id;
  std::string party;
  std::vector<records::Uuid> path;  // the artefact first, the nearest origin last
  records::SourceTree sources;      // every origin, with its path
  // The clearances in force that lift this term, for the uses each names.
  std::vector<records::ClearanceRef> clearances;
};

struct LicensingChain {
  // The most restrictive field of use among the terms that bind (neither
  // risks nor open alternatives); commercial when none restricts it.
  records::FieldOfUse field_of_use = records::FieldOfUse::kCommercial;
  std::vector<std::string> credits;  // who must be attributed, each once
  std::vector<ChainTerm> terms;
};

struct UseCheck {
  records::Verdict verdict = records::Verdict::kAllowed;
  std::vector<records::Reason> reasons;      // what made it REVIEW or DENIED
  std::vector<records::Reason> obligations;  // what an ALLOWED use must still do
  // What would count against the verdict but a clearance lifts (each with
  // its `clearance`; `effect` is what it would have been).
  std::vector<records::Reason> cleared;
  std::vector<std::string> credits;
};

class Clearances;

class LicensingEvaluator {
 public:
  // Judges `graph` as of `settings.as_of`; `settings.policy` says how
  // training risks count: strict enforces them like the terms themselves,
  // permissive makes them REVIEW. Artefacts recorded after `as_of` are left
  // out, as if their edges did not exist yet. docs/licensing.md §6 has the
  // other settings.
  explicit LicensingEvaluator(const RightsGraph& graph,
                              records::EvaluationSettings settings);
  // The same with the defaults of every other setting.
  LicensingEvaluator(const RightsGraph& graph, records::Timestamp as_of,
                     records::Policy policy);
  ~LicensingEvaluator();

  // Every term in force at `root` with the path that imposes it.
  // `root` must be in the graph (and, for a meaningful answer, recorded by
  // as_of: Licensing answers NOT_FOUND before then).
  LicensingChain Chain(const records::Uuid& root);

  // ALLOWED, REVIEW or DENIED for `use` of `root`, with every reason.
  UseCheck Check(const records::Uuid& root, records::IntendedUse use);

  // The work done so far, in units that grow with the subgraph: what keeps
  // the cost linear is checked against these (tests/unit/licensing_test.cpp).
  struct Stats {
    std::size_t terms_carried = 0;  // terms arriving at artefacts, before merging
    std::size_t steps_listed = 0;   // steps of the source trees answered
  };
  const Stats& stats() const { return stats_; }

 private:
  // Every term in force at `root`, its own and carried, each once.
  const std::vector<Term>& TermsOf(const records::Uuid& id);
  std::vector<Term> OneOfEach(std::vector<Term> all);
  records::SourceTree Sources(const Path& path);
  std::string NameSources(const records::SourceTree& tree) const;
  std::string Describe(const std::vector<records::Uuid>& path,
                       std::string_view separator = " <- ") const;
  std::string DescribeVia(const std::vector<records::Uuid>& path) const;
  ChainTerm ToChainTerm(const Term& term);
  std::vector<records::Reason> SplitByClearance(records::Reason reason,
                                                records::IntendedUse use) const;

  const RightsGraph& graph_;
  const records::EvaluationSettings settings_;
  std::unordered_map<records::Uuid,
                     std::vector<std::pair<records::Uuid, records::Relation>>>
      sources_;
  std::unordered_map<records::Uuid, std::vector<Term>> memo_;
  std::unique_ptr<TermCores> cores_;
  Stats stats_;
  std::unique_ptr<Clearances> clearances_;  // those in force at settings_.as_of
};

}  // namespace rmtc::lineage
