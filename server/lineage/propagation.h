// Propagation: what each relation carries from a source to the artefact
// derived from it. The table in propagation.cpp, one row per relation, is
// the only place the rules of docs/licensing.md §5 are written down; the
// code that applies a row is CarryAcross.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "lineage/terms.h"
#include "records/licensing.h"

namespace rmtc::lineage {

// What crosses an edge after its gates.
enum class Carries {
  kEverything,       // every term and finding
  kTrainingResults,  // findings; then, unless the licence leaves results
                     // unrestricted, field of use, share-alike,
                     // no-derivatives, purpose limits, licensee and
                     // jurisdictions as training risks, and attribution and
                     // notices (binding)
  kModelUse,         // findings; use restrictions and no-training-on-outputs
                     // (marked as reached through outputs); field of use,
                     // licensee, jurisdictions and the obligations that
                     // follow the work (attribution, notice, licence text,
                     // naming prefix) as risks of the model's use
  kEvaluation,       // findings, field of use and purpose limits, marked as
                     // evaluation: they judge the run and go no further
};

struct PropagationRule {
  records::Relation relation;
  // A refusal of this consent at the source becomes a DENIED finding.
  std::optional<records::ConsentKey> consent_gate;
  // Also ai_generative_training when the derived run is generative.
  bool generative_gate;
  // The licence's training permission (not `allowed`: a finding), and a
  // no-training-on-outputs clause that reached the source through outputs.
  bool training_gate;
  Carries carries;
  // The derived artefact is adapted material (for no-derivatives): every
  // relation but collecting, converting and correcting.
  bool adapts;
};

// The row for `relation`.
const PropagationRule& PropagationOf(records::Relation relation);

// Appends to `out` what `rule` carries from `source_terms` to `derived`.
// `licences` answers whether a licence leaves its results unrestricted;
// `withdrawal` what a consent refused only after `derived` was recorded
// does at a gate (deny: the usual `consent` finding; review: a REVIEW
// finding `consent-withdrawn`).
void CarryAcross(const PropagationRule& rule, const records::RightsNode& derived,
                 const std::vector<Term>& source_terms,
                 const std::unordered_map<std::string, records::Licence>& licences,
                 records::ConsentWithdrawal withdrawal, TermCores& cores,
                 std::vector<Term>& out);

}  // namespace rmtc::lineage
