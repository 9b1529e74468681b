// Fuzzes the SPDX licence expression parser (lineage/spdx.h).
//
// The registry is a handful of real SPDX ids plus every "LicenseRef-..." id,
// so inputs can name many distinct licences and grow the AND sets.
//
// Invariants:
// - a refusal is INVALID_ARGUMENT and its message starts "expression: ";
// - text over 4096 bytes is refused;
// - on success: at least one and at most kMaxAlternatives alternatives, each
//   non-empty, sorted and without repeats; licence_ids non-empty, without
//   repeats, each known, and exactly the ids the alternatives use; every
//   exception is non-empty;
// - the alternatives written back as "(A AND B) OR (C)" parse to the same
//   alternatives.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "lineage/spdx.h"

namespace {

using rmtc::lineage::kMaxAlternatives;
using rmtc::lineage::LicenceExpression;
using rmtc::lineage::ParseLicenceExpression;

bool Known(std::string_view id) {
  static const std::set<std::string, std::less<>> kRegistry = {
      "MIT",
      "Apache-2.0",
      "BSD-3-Clause",
      "CC-BY-4.0",
      "CC-BY-NC-4.0",
      "CC-BY-SA-4.0",
      "CC0-1.0",
      "GPL-2.0-only",
      "GPL-3.0-or-later",
      "LicenseRef-Show-Vendor-7"};
  return kRegistry.count(id) > 0 || id.starts_with("LicenseRef-");
}

std::string Render(const LicenceExpression& expression) {
  std::string out;
  for (const auto& alternative : expression.alternatives) {
    if (!out.empty()) out += " OR ";
    out += "(";
    bool first = true;
    for (const auto& id : alternative) {
      if (!first) out += " AND ";
      first = false;
      out += id;
    }
    out += ")";
  }
  return out;
}

void CheckParsed(std::string_view text, const LicenceExpression& e) {
  const std::string input = rmtc::fuzz::Printable(text);
  RMTC_FUZZ_CHECK(text.size() <= 4096, input);
  RMTC_FUZZ_CHECK(!e.alternatives.empty(), input);
  RMTC_FUZZ_CHECK(e.alternatives.size() <= kMaxAlternatives, input);
  RMTC_FUZZ_CHECK(std::is_sorted(e.alternatives.begin(), e.alternatives.end()), input);
  RMTC_FUZZ_CHECK(std::adjacent_find(e.alternatives.begin(), e.alternatives.end()) ==
                      e.alternatives.end(),
                  input);
  RMTC_FUZZ_CHECK(!e.licence_ids.empty(), input);
  std::set<std::string> ids(e.licence_ids.begin(), e.licence_ids.end());
  RMTC_FUZZ_CHECK(ids.size() == e.licence_ids.size(), "repeated licence id: " + input);
  for (const auto& id : e.licence_ids) RMTC_FUZZ_CHECK(Known(id), id + " in " + input);
  std::set<std::string> used;
  for (const auto& alternative : e.alternatives) {
    RMTC_FUZZ_CHECK(!alternative.empty(), input);
    used.insert(alternative.begin(), alternative.end());
  }
  RMTC_FUZZ_CHECK(used == ids, "licence_ids differ from the ids used: " + input);
  for (const auto& exception : e.exceptions) RMTC_FUZZ_CHECK(!exception.empty(), input);

  const std::string rendered = Render(e);
  if (rendered.size() <= 4096) {
    auto again = ParseLicenceExpression(rendered, Known);
    RMTC_FUZZ_CHECK(again.ok(), rendered + " -> " + rmtc::fuzz::Describe(again.status()));
    RMTC_FUZZ_CHECK(again->alternatives == e.alternatives, rendered + " from " + input);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = rmtc::fuzz::AsText(data, size);
  const std::function<bool(std::string_view)> known = Known;
  auto parsed = ParseLicenceExpression(text, known);
  if (!parsed.ok()) {
    const auto& status = parsed.status();
    RMTC_FUZZ_CHECK(status.code() == absl::StatusCode::kInvalidArgument,
                    rmtc::fuzz::Describe(status));
    RMTC_FUZZ_CHECK(rmtc::fuzz::MessageOf(status).starts_with("expression: "),
                    rmtc::fuzz::Describe(status));
    return 0;
  }
  CheckParsed(text, *parsed);
  return 0;
}
