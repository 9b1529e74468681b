#include "lineage/clearances.h"

#include <algorithm>

namespace rmtc::lineage {

using records::Clearance;
using records::Uuid;

namespace {

bool InForce(const Clearance& c, records::Timestamp at) {
  return (!c.valid_from || *c.valid_from <= at) &&
         (!c.valid_until || at < *c.valid_until) && (!c.revoked_at || at < *c.revoked_at);
}

// The position of `id` on `path`, or -1.
long IndexOn(const std::vector<Uuid>& path, const Uuid& id) {
  const auto it = std::find(path.begin(), path.end(), id);
  return it == path.end() ? -1 : it - path.begin();
}

}  // namespace

Clearances::Clearances(const records::RightsGraph& graph, records::Timestamp as_of)
    : graph_(graph), as_of_(as_of) {
  for (const auto& c : graph.clearances) {
    if (InForce(c, as_of)) in_force_.push_back(&c);
  }
  std::stable_sort(in_force_.begin(), in_force_.end(),
                   [](const Clearance* a, const Clearance* b) {
                     return a->created_at < b->created_at;
                   });
}

std::string Clearances::RightsHolder(const LiftedReason& reason,
                                     const Uuid& origin) const {
  if (!reason.party.empty()) return std::string(reason.party);
  const auto node = graph_.nodes.find(origin);
  if (node == graph_.nodes.end()) return "";
  const records::LicenceAttachment* attachment = nullptr;
  for (const auto& a : node->second.attachments) {
    if (a.attached_at <= as_of_ &&
        (!attachment || a.attached_at >= attachment->attached_at)) {
      attachment = &a;
    }
  }
  if (attachment && !attachment->attribution.empty()) return attachment->attribution;
  const auto licence = graph_.licences.find(std::string(reason.licence_id));
  return licence == graph_.licences.end() ? "" : licence->second.licensor;
}

bool Clearances::Covers(const Clearance& c, const LiftedReason& reason,
                        const std::vector<Uuid>& path) const {
  if (path.empty()) return false;
  if (std::find(c.rules.begin(), c.rules.end(), reason.rule) == c.rules.end()) {
    return false;
  }
  if (!c.licence_id.empty() && c.licence_id != reason.licence_id) return false;
  // The term reached the checked artefact through the cleared artefact ...
  const long at = IndexOn(path, c.artefact);
  if (at < 0) return false;
  // ... and through `downstream` on its way (or it is the checked artefact).
  if (c.downstream) {
    const long below = IndexOn(path, *c.downstream);
    if (below < 0 || below > at) return false;
  }
  if (!c.facility.empty() || !c.project.empty()) {
    const auto checked = graph_.nodes.find(path.front());
    if (checked == graph_.nodes.end()) return false;
    if (!c.facility.empty() && checked->second.facility != c.facility) return false;
    if (!c.project.empty() && checked->second.project != c.project) return false;
  }
  return c.rights_holder.empty() || RightsHolder(reason, path.back()) == c.rights_holder;
}

const Clearance* Clearances::Lifting(const LiftedReason& reason,
                                     const std::vector<Uuid>& path,
                                     records::IntendedUse use) const {
  for (const Clearance* c : in_force_) {
    const bool for_use = c->uses.empty() ||
                         std::find(c->uses.begin(), c->uses.end(), use) != c->uses.end();
    if (for_use && Covers(*c, reason, path)) return c;
  }
  return nullptr;
}

std::vector<const Clearance*> Clearances::Covering(const LiftedReason& reason,
                                                   const std::vector<Uuid>& path) const {
  std::vector<const Clearance*> out;
  for (const Clearance* c : in_force_) {
    if (Covers(*c, reason, path)) out.push_back(c);
  }
  return out;
}

std::string_view RuleOfTerm(const TermCore& core) {
  switch (core.kind) {
    case TermKind::kFieldOfUse:
      return "field-of-use";
    case TermKind::kAttribution:
      return "attribution";
    case TermKind::kShareAlike:
      return "share-alike-conflict";
    case TermKind::kNamingPrefix:
      return "naming";
    case TermKind::kNoDerivatives:
      return "no-derivatives";
    case TermKind::kNoTrainingOnOutputs:
      return "no-training-on-outputs";
    case TermKind::kPurposeLimit:
      return "purpose-limit";
    case TermKind::kTraining:
      return "training";
    case TermKind::kConsent:
      return "consent";
    case TermKind::kLicensee:
      return "licensee";
    case TermKind::kJurisdiction:
      return "jurisdiction";
    case TermKind::kFinding:
      return core.rule;
    case TermKind::kNotice:
    case TermKind::kIncludeLicenceText:
    case TermKind::kUseRestriction:
    case TermKind::kChoice:
      return "";
  }
  return "";
}

records::ClearanceRef RefOf(const Clearance& c) {
  return {c.id, c.party, c.evidence, c.uses};
}

}  // namespace rmtc::lineage
