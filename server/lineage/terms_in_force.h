// The terms an artefact holds itself at a moment: the licence expression
// attached to it then (the alternatives in force, narrowed by an election),
// and each party's latest consent on each key. What its sources carry to it
// is propagation.h's business.
#pragma once

#include <optional>
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
// The same, with its licences' validity and revocation judged at
// `licences_at` (the attachment, election and consents still as of `as_of`).
std::vector<Term> TermsInForce(const records::RightsNode& node, bool has_sources,
                               const records::RightsGraph& graph,
                               records::Timestamp as_of, records::Timestamp licences_at,
                               TermCores& cores);

// What `source` passes on to `work` (derived from it), when that differs
// from `source_terms` (everything in force at `source` as of `as_of`): its
// own licence was not in force at `as_of` (the finding licence-not-in-force)
// but was when `work` was recorded. Then its own terms as they were then
// replace the finding, plus a REVIEW finding `licence-ended` for each
// licence that has ended since, unless it expired and its survives_expiry
// is derivatives-made-during-term. A revoked licence always asks for
// review. nullopt: pass `source_terms` on unchanged (work made after the
// licence ended, or before it began, stays DENIED).
std::optional<std::vector<Term>> TermsForWorkMadeAt(
    const records::RightsNode& source, bool has_sources,
    const std::vector<Term>& source_terms, const records::RightsNode& work,
    const records::RightsGraph& graph, records::Timestamp as_of, TermCores& cores);

// "2026-11-26": the day of `t`, for messages.
std::string FormatDate(records::Timestamp t);

}  // namespace rmtc::lineage
