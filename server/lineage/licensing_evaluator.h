// Licence and consent propagation through lineage, computed on read: the
// store hands over the upstream subgraph once, and everything below runs in
// memory. docs/licensing.md is the rulebook this file implements.
//
// Each artefact's terms are its own (the licence expression in force, its
// parties' consents) plus what every edge carries from its source:
//
//   derived_from, contains, variant_of,   everything
//   supersedes, base, produced_by,
//   output_of
//   input        gate: consent ai_inference; then everything
//   trained_on   gates: the licence's training permission, consent
//                ai_training (and ai_generative_training for generative
//                runs); then, unless the licence leaves results
//                unrestricted, field of use, share-alike, no-derivatives and
//                purpose limits as training risks, and attribution as credits
//   evaluated_on gate: consent data_mining; nothing else
//   uses         use-based restrictions and output clauses; field of use as
//                a risk
//
// Findings (a gate that failed, a licence not in force, a source without a
// licence) cross every relation but evaluated_on.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

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
  std::vector<std::string> credits;
};

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

  // A term while it is being carried, and the store of what terms say
  // (internal; defined in the .cpp).
  struct Term;
  struct Cores;

 private:
  const std::vector<Term>& TermsOf(const records::Uuid& id);
  std::vector<Term> OwnTerms(const RightsNode& node) const;
  void CarryAcross(const RightsNode& derived, const records::Edge& edge,
                   const std::vector<Term>& source_terms, std::vector<Term>& out) const;
  std::string Describe(const std::vector<records::Uuid>& path) const;
  ChainTerm ToChainTerm(const Term& term) const;

  const RightsGraph& graph_;
  const records::Timestamp as_of_;
  const records::Policy policy_;
  std::unordered_map<records::Uuid, std::vector<std::pair<records::Uuid, records::Relation>>>
      sources_;
  std::unordered_map<records::Uuid, std::vector<Term>> memo_;
  std::unique_ptr<Cores> cores_;
};

}  // namespace rmtc::lineage
