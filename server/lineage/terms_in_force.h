// The terms an artefact holds itself at a moment: the licence expression
// attached to it then (the alternatives in force, narrowed by an election),
// and each party's latest consent on each key. What its sources carry to it
// is propagation.h's business.
#pragma once

#include <vector>

#include "lineage/terms.h"
#include "records/licensing.h"

namespace rmtc::lineage {

// `node`'s own terms as of `as_of`. `has_sources`: content with no sources
// and no licence is a finding (fail closed). `graph` holds the licences
// its expressions name.
std::vector<Term> TermsInForce(const records::RightsNode& node, bool has_sources,
                               const records::RightsGraph& graph,
                               records::Timestamp as_of, TermCores& cores);

// "2026-11-26": the day of `t`, for messages.
std::string FormatDate(records::Timestamp t);

}  // namespace rmtc::lineage
