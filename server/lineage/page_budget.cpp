#include "lineage/page_budget.h"

#include <string>

namespace rmtc::lineage {
namespace {

// A length-delimited field: a tag of up to 2 bytes, a length of up to 5.
constexpr std::size_t kFieldOverhead = 7;

std::size_t Field(const std::string& text) {
  return text.empty() ? 0 : text.size() + kFieldOverhead;
}

// Id, kind, name, version, uri, sha256, facility, created_at, created_by:
// the columns every artefact answer has. The id is text on the wire.
std::size_t SummaryBytes(const records::Artefact& a) {
  constexpr std::size_t kIdBytes = 36 + kFieldOverhead;
  constexpr std::size_t kKindBytes = 3;
  constexpr std::size_t kTimestampBytes = 2 + 11 + 6;
  return kIdBytes + kKindBytes + kTimestampBytes + Field(a.name) + Field(a.version) +
         Field(a.uri) + Field(a.sha256) + Field(a.facility) + Field(a.created_by);
}

}  // namespace

std::size_t SummaryWireBytes(const records::Artefact& artefact) {
  return SummaryBytes(artefact) + kFieldOverhead;
}

std::size_t WireBytes(const records::Artefact& artefact) {
  std::size_t bytes = SummaryBytes(artefact) + Field(artefact.attributes);
  for (const auto& x : artefact.external_ids) {
    bytes += Field(x.system) + Field(x.id) + kFieldOverhead;
  }
  return bytes + kFieldOverhead;  // the artefact as an item of a page
}

std::size_t WireBytes(const records::TraceNode& node) {
  // The node's artefact summary, its depth, and the node as an item.
  return SummaryBytes(node.artefact) + kFieldOverhead + 6 + kFieldOverhead;
}

std::size_t WireBytes(const records::Edge&) {
  return 2 * (36 + kFieldOverhead) + 3 + kFieldOverhead;
}

namespace {

constexpr std::size_t kOptionalTimeBytes = 2 + 11 + 6;

std::size_t Fields(const std::vector<std::string>& texts) {
  std::size_t bytes = 0;
  for (const auto& text : texts) bytes += text.size() + kFieldOverhead;
  return bytes;
}

}  // namespace

std::size_t WireBytes(const records::Licence& l) {
  const auto& t = l.terms;
  // Enums and flags: a few bytes each; the times: at most four.
  constexpr std::size_t kFixedBytes = 64 + 4 * kOptionalTimeBytes;
  return kFixedBytes + Field(l.id) + Field(l.name) + Field(l.url) + Field(l.text_sha256) +
         Field(l.licensor) + Field(l.licensee) + Fields(l.jurisdictions) +
         Field(l.notes) + Field(t.attribution_how) + Field(t.share_alike) +
         Field(t.naming_prefix) + Fields(t.use_restrictions) + Fields(t.purpose_limit) +
         kFieldOverhead;
}

std::size_t WireBytes(const records::Clearance& c) {
  constexpr std::size_t kIdBytes = 36 + kFieldOverhead;
  constexpr std::size_t kFixedBytes = 3 * kIdBytes + 4 * kOptionalTimeBytes;
  return kFixedBytes + Field(c.party) + Field(c.evidence) + Field(c.facility) +
         Field(c.project) + 8 * c.uses.size() + Fields(c.rules) + Field(c.licence_id) +
         Field(c.rights_holder) + Field(c.note) + Field(c.created_by) + kFieldOverhead;
}

}  // namespace rmtc::lineage
