// SPDX licence expressions: "MIT", "(Apache-2.0 OR MIT) AND CC-BY-4.0",
// "GPL-2.0-only WITH Classpath-exception-2.0", "LicenseRef-Show-Vendor-7".
#pragma once

#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace rmtc::lineage {

// An expression in disjunctive normal form: a list of alternatives (OR),
// each a set of licences that all apply together (AND). WITH exceptions are
// kept in `exceptions` but do not change the alternatives: an exception only
// ever grants more, so evaluating without it errs on the strict side.
struct LicenceExpression {
  std::vector<std::set<std::string>> alternatives;
  std::vector<std::string> exceptions;
  std::vector<std::string> licence_ids;  // every id, in order of appearance, once

  // True when the expression offers a choice between different sets.
  bool HasChoice() const { return alternatives.size() > 1; }
};

// Parses `text`. `known(id)` says whether a licence id is in the registry.
// INVALID_ARGUMENT with the 1-based position of the problem:
//   "expression: unknown licence 'CC-BY-5.0' (add it with rmtc license add,
//    or check the SPDX id) at position 1"
//   "expression: expected a licence id, found ')' at position 8"
//   "expression: operators are upper case: 'OR', not 'or' at position 5"
absl::StatusOr<LicenceExpression> ParseLicenceExpression(
    std::string_view text, const std::function<bool(std::string_view)>& known);

// At most this many alternatives after expansion (a guard against
// expressions that multiply out, like (A OR B) AND (C OR D) AND ...).
inline constexpr std::size_t kMaxAlternatives = 64;

}  // namespace rmtc::lineage
