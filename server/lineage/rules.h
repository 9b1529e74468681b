// The graph rules of DESIGN.md: which relation may join which kinds.
#pragma once

#include <string>

#include "records/artefact.h"

namespace rmtc::lineage {

// True when an edge `relation` may go from a `derived` artefact to a
// `source` artefact, e.g. trained_on from a run to a dataset.
bool RelationAllowed(records::Relation relation, records::Kind derived,
                     records::Kind source);

// The rule for `relation` in words, for error messages:
// "trained_on goes from a run to a dataset".
std::string DescribeRelationRule(records::Relation relation);

}  // namespace rmtc::lineage
