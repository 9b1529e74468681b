// Clearances in a licensing evaluation (docs/licensing.md §12): which
// recorded grant lifts a reason or a chain term. Built once per evaluation
// from RightsGraph::clearances; the evaluator asks it with the path the
// term travelled, and lists what it lifts next to the term, never in its
// place. Pure, like the evaluator.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lineage/terms.h"
#include "records/licensing.h"

namespace rmtc::lineage {

// What a reason says, as far as a clearance cares.
struct LiftedReason {
  std::string_view rule;        // "field-of-use", "consent", ... (vocabulary/names.h)
  std::string_view licence_id;  // the licence behind it; "" for none
  std::string_view party;       // the consenting party of a consent reason; ""
};

class Clearances {
 public:
  // The clearances of `graph` in force at `as_of`: started (valid_from at
  // or before it), not ended (valid_until after it), not revoked (revoked_at
  // after it). `graph` must outlive this.
  Clearances(const records::RightsGraph& graph, records::Timestamp as_of);

  bool empty() const { return in_force_.empty(); }

  // The clearance that lifts `reason` for `use`, the reason's term having
  // come along `path` (the checked artefact first, the term's origin last);
  // nullptr if none does. Of several, the one recorded first.
  const records::Clearance* Lifting(const LiftedReason& reason,
                                    const std::vector<records::Uuid>& path,
                                    records::IntendedUse use) const;

  // Every clearance that lifts `reason` for some use, for a chain.
  std::vector<const records::Clearance*> Covering(
      const LiftedReason& reason, const std::vector<records::Uuid>& path) const;

  // Whose term it is: the consenting party, else the credit of the
  // attachment in force at `origin` (its attribution, else the licensor of
  // `licence_id`); "" when nobody is recorded.
  std::string RightsHolder(const LiftedReason& reason, const records::Uuid& origin) const;

 private:
  bool Covers(const records::Clearance& clearance, const LiftedReason& reason,
              const std::vector<records::Uuid>& path) const;

  const records::RightsGraph& graph_;
  const records::Timestamp as_of_;
  std::vector<const records::Clearance*> in_force_;  // oldest first
};

// The rule a chain term would be judged by in a use check, for matching it
// against clearances: "field-of-use" for a field of use, a finding's own
// rule, "share-alike-conflict" for share-alike; "" for a term no use check
// denies (notices, licence text, use restrictions, choices).
std::string_view RuleOfTerm(const TermCore& core);

// How a check or chain names a clearance next to what it lifts.
records::ClearanceRef RefOf(const records::Clearance& clearance);

}  // namespace rmtc::lineage
