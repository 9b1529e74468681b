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
  std::string kind;   // field-of-use, attribution, share-alike, notice,
                      // include-licence-text, naming-prefix, no-derivatives,
                      // use-restriction, no-training-on-outputs,
                      // purpose-limit, training, consent, choice, finding
  std::string value;  // "non-commercial", a credit, a family, a restriction...
  bool risk = false;  // reached the artefact through training
  bool open = false;  // from an alternative of an OR not (yet) elected
  records::Verdict effect = records::Verdict::kAllowed;  // findings only
  std::string message;
  std::string licence_id;
  std::string party;
  std::vector<records::Uuid> path;  // the artefact first, the origin last
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
  // Judges `graph` as of `as_of`; `policy` says how training risks count:
  // strict enforces them like the terms themselves, permissive makes them
  // REVIEW.
  LicensingEvaluator(const RightsGraph& graph, records::Timestamp as_of,
                     records::Policy policy);
  ~LicensingEvaluator();

  // Every term in force at `root` with the path that imposes it.
  // `root` must be in the graph.
  LicensingChain Chain(const records::Uuid& root);

  // ALLOWED, REVIEW or DENIED for `use` of `root`, with every reason.
  UseCheck Check(const records::Uuid& root, records::IntendedUse use);

 private:
  // Every term in force at `root`, its own and carried, each once.
  const std::vector<Term>& TermsOf(const records::Uuid& id);
  std::string Describe(const std::vector<records::Uuid>& path) const;
  ChainTerm ToChainTerm(const Term& term) const;

  const RightsGraph& graph_;
  const records::Timestamp as_of_;
  const records::Policy policy_;
  std::unordered_map<records::Uuid,
                     std::vector<std::pair<records::Uuid, records::Relation>>>
      sources_;
  std::unordered_map<records::Uuid, std::vector<Term>> memo_;
  std::unique_ptr<TermCores> cores_;
  std::unique_ptr<Clearances> clearances_;  // those in force at as_of_
};

}  // namespace rmtc::lineage
