// The name tables of the licensing enums and the licensing records <->
// proto messages. No calls: a test links this without the library.
#include <array>
#include <optional>

#include "convert.h"
#include "vocabulary/names.h"

namespace rmtc {
namespace {

constexpr const auto& kFieldOfUse = vocabulary::kFieldOfUseNames;
constexpr const auto& kTraining = vocabulary::kTrainingPermissionNames;
constexpr const auto& kConsent = vocabulary::kConsentValueNames;
constexpr const auto& kUses = vocabulary::kIntendedUseNames;
constexpr const auto& kPolicies = vocabulary::kPolicyNames;
constexpr const auto& kVerdicts = vocabulary::kVerdictNames;
constexpr const auto& kSurvives = vocabulary::kSurvivesExpiryNames;

template <typename Enum, std::size_t N>
std::optional<Enum> FromName(const std::array<std::string_view, N>& names,
                             std::string_view name) {
  const auto i = vocabulary::IndexOfName(names, name);
  if (!i) return std::nullopt;
  return static_cast<Enum>(*i);
}

// The name of a value: "unknown" beyond the table (kUnknown, or a value a
// caller cast), never an exception.
template <typename Enum, std::size_t N>
std::string_view NameOf(const std::array<std::string_view, N>& names, Enum value,
                        std::string_view unknown = "unknown") {
  const auto i = static_cast<std::size_t>(value);
  return i < N ? names[i] : unknown;
}

// Proto enums count from 1 (0 is UNSPECIFIED); the client's from 0. A
// number beyond the `known` values (from a newer rmtcd) is kUnknown.
template <typename Enum, typename Proto>
Enum FromProtoEnum(Proto value, Enum unspecified, std::size_t known) {
  const int n = static_cast<int>(value);
  if (n == 0) return unspecified;
  if (n < 0 || static_cast<std::size_t>(n) > known) return Enum::kUnknown;
  return static_cast<Enum>(n - 1);
}

// kUnknown, unless it is a value of the proto too (field of use, training),
// goes out as -1, which rmtcd refuses by field name.
template <typename Proto, typename Enum>
Proto ToProtoEnum(Enum value, std::size_t known) {
  const auto i = static_cast<std::size_t>(value);
  return static_cast<Proto>(i < known ? static_cast<int>(i) + 1 : kUnknownToProto);
}

std::optional<Time> OptionalTime(bool present, const google::protobuf::Timestamp& t) {
  if (!present) return std::nullopt;
  return TimeFromProto(t);
}

std::vector<IntendedUse> UsesFromProto(const google::protobuf::RepeatedField<int>& uses,
                                       std::size_t known) {
  std::vector<IntendedUse> out;
  for (const int use : uses) {
    out.push_back(
        FromProtoEnum(static_cast<v1::IntendedUse>(use), IntendedUse::kUnknown, known));
  }
  return out;
}

using ProtoNodes = google::protobuf::RepeatedPtrField<v1::PathNode>;

// Steps name artefacts by their index in the answer's nodes; an index out
// of range (a malformed answer) reads as "".
SourceTree SourcesFromProto(const v1::SourceTree& p, const ProtoNodes& nodes) {
  SourceTree tree;
  tree.steps.reserve(p.steps_size());
  tree.toward.reserve(p.steps_size());
  for (const auto& step : p.steps()) {
    const int node = step.node();
    tree.steps.push_back(node >= 0 && node < nodes.size() ? nodes.Get(node).id()
                                                          : std::string());
    tree.toward.push_back(step.toward());
  }
  tree.sources.assign(p.sources().begin(), p.sources().end());
  return tree;
}

Reason ReasonFromProto(const v1::Reason& p, const ProtoNodes& nodes) {
  Reason r{.effect = VerdictFromProto(p.effect(), Verdict::kAllowed),
           .rule = p.rule(),
           .message = p.message(),
           .licence_id = p.licence_id(),
           .party = p.party(),
           .path = {p.path().begin(), p.path().end()},
           .sources = SourcesFromProto(p.sources(), nodes)};
  if (p.has_clearance()) r.clearance = FromProto(p.clearance());
  return r;
}

}  // namespace

std::vector<std::string> SourceTree::PathTo(std::size_t i) const {
  if (i >= sources.size() || toward.size() != steps.size()) return {};
  std::vector<std::string> path;
  // At most one visit per step: a malformed tree cannot loop forever.
  for (int step = sources[i]; step >= 0; step = toward[static_cast<std::size_t>(step)]) {
    if (static_cast<std::size_t>(step) >= steps.size() || path.size() == steps.size())
      return {};
    path.push_back(steps[static_cast<std::size_t>(step)]);
  }
  return {path.rbegin(), path.rend()};
}

ChainTerm ChainTermFromProto(const v1::ChainTerm& t, const ProtoNodes& nodes) {
  ChainTerm term{.kind = t.kind(),
                 .value = t.value(),
                 .risk = t.risk(),
                 .open = t.open(),
                 .evaluation = t.evaluation(),
                 .effect = VerdictFromProto(t.effect(), Verdict::kAllowed),
                 .message = t.message(),
                 .licence_id = t.licence_id(),
                 .party = t.party(),
                 .path = {t.path().begin(), t.path().end()},
                 .sources = SourcesFromProto(t.sources(), nodes),
                 .clearances = {}};
  for (const auto& c : t.clearances()) term.clearances.push_back(FromProto(c));
  return term;
}

FieldOfUse FieldOfUseFromProto(v1::FieldOfUse value) {
  return FromProtoEnum(value, FieldOfUse::kUnknown, kFieldOfUse.size());
}

Verdict VerdictFromProto(v1::Verdict value, Verdict unspecified) {
  return FromProtoEnum(value, unspecified, kVerdicts.size());
}

v1::IntendedUse IntendedUseToProto(IntendedUse use) {
  return ToProtoEnum<v1::IntendedUse>(use, kUses.size());
}

v1::Policy PolicyToProto(Policy policy) {
  return ToProtoEnum<v1::Policy>(policy, kPolicies.size());
}

void TermsToProto(const LicenceTerms& t, v1::LicenceTerms* p) {
  p->set_field_of_use(ToProtoEnum<v1::FieldOfUse>(t.field_of_use, kFieldOfUse.size()));
  p->set_attribution(t.attribution);
  p->set_attribution_how(t.attribution_how);
  p->set_share_alike(t.share_alike);
  p->set_notice(t.notice);
  p->set_naming_prefix(t.naming_prefix);
  p->set_include_licence_text(t.include_licence_text);
  p->set_no_derivatives(t.no_derivatives);
  for (const auto& r : t.use_restrictions) p->add_use_restrictions(r);
  p->set_no_training_on_outputs(t.no_training_on_outputs);
  for (const auto& r : t.purpose_limit) p->add_purpose_limit(r);
  p->set_training(ToProtoEnum<v1::TrainingPermission>(t.training, kTraining.size()));
  p->set_results_unrestricted(t.results_unrestricted);
  p->set_survives_expiry(
      ToProtoEnum<v1::SurvivesExpiry>(t.survives_expiry, kSurvives.size()));
}

Licence FromProto(const v1::Licence& p) {
  Licence l;
  l.id = p.id();
  l.name = p.name();
  l.url = p.url();
  l.text_sha256 = p.text_sha256();
  const auto& t = p.terms();
  l.terms.field_of_use = FieldOfUseFromProto(t.field_of_use());
  l.terms.attribution = t.attribution();
  l.terms.attribution_how = t.attribution_how();
  l.terms.share_alike = t.share_alike();
  l.terms.notice = t.notice();
  l.terms.naming_prefix = t.naming_prefix();
  l.terms.include_licence_text = t.include_licence_text();
  l.terms.no_derivatives = t.no_derivatives();
  l.terms.use_restrictions.assign(t.use_restrictions().begin(),
                                  t.use_restrictions().end());
  l.terms.no_training_on_outputs = t.no_training_on_outputs();
  l.terms.purpose_limit.assign(t.purpose_limit().begin(), t.purpose_limit().end());
  l.terms.training =
      FromProtoEnum(t.training(), TrainingPermission::kUnknown, kTraining.size());
  l.terms.results_unrestricted = t.results_unrestricted();
  l.terms.survives_expiry =
      FromProtoEnum(t.survives_expiry(), SurvivesExpiry::kNone, kSurvives.size());
  l.valid_from = OptionalTime(p.has_valid_from(), p.valid_from());
  l.valid_until = OptionalTime(p.has_valid_until(), p.valid_until());
  l.licensor = p.licensor();
  l.licensee = p.licensee();
  l.jurisdictions.assign(p.jurisdictions().begin(), p.jurisdictions().end());
  l.revoked_at = OptionalTime(p.has_revoked_at(), p.revoked_at());
  l.notes = p.notes();
  l.created_at = TimeFromProto(p.created_at());
  return l;
}

LicenceAttachment FromProto(const v1::LicenceAttachment& p) {
  return {p.artefact_id(),
          p.expression(),
          {p.licence_ids().begin(), p.licence_ids().end()},
          p.attribution(),
          TimeFromProto(p.attached_at()),
          p.attached_by()};
}

std::optional<ConsentValue> ConsentFromProto(v1::ConsentValue v) {
  if (v == v1::CONSENT_VALUE_UNSPECIFIED) return std::nullopt;
  return FromProtoEnum(v, ConsentValue::kUnknown, kConsent.size());
}

v1::ConsentValue ConsentToProto(const std::optional<ConsentValue>& v) {
  return v ? ToProtoEnum<v1::ConsentValue>(*v, kConsent.size())
           : v1::CONSENT_VALUE_UNSPECIFIED;
}

ConsentRecord FromProto(const v1::ConsentRecord& p) {
  ConsentRecord r;
  r.artefact_id = p.artefact_id();
  r.consent.party = p.party();
  r.consent.ai_training = ConsentFromProto(p.ai_training());
  r.consent.ai_generative_training = ConsentFromProto(p.ai_generative_training());
  r.consent.data_mining = ConsentFromProto(p.data_mining());
  r.consent.ai_inference = ConsentFromProto(p.ai_inference());
  r.consent.note = p.note();
  r.effective_at = TimeFromProto(p.effective_at());
  r.consent.effective_at = r.effective_at;
  r.recorded_at = TimeFromProto(p.recorded_at());
  r.recorded_by = p.recorded_by();
  return r;
}

std::vector<PathNode> FromProto(
    const google::protobuf::RepeatedPtrField<v1::PathNode>& nodes) {
  std::vector<PathNode> out;
  for (const auto& n : nodes) out.push_back({n.id(), KindFromProto(n.kind()), n.name()});
  return out;
}

UseCheck UseCheckFromProto(const v1::UseCheck& p) {
  UseCheck c;
  c.verdict = VerdictFromProto(p.verdict(), Verdict::kReview);
  for (const auto& r : p.reasons()) c.reasons.push_back(ReasonFromProto(r, p.nodes()));
  for (const auto& r : p.obligations())
    c.obligations.push_back(ReasonFromProto(r, p.nodes()));
  for (const auto& r : p.cleared()) c.cleared.push_back(ReasonFromProto(r, p.nodes()));
  c.credits.assign(p.credits().begin(), p.credits().end());
  c.nodes = FromProto(p.nodes());
  c.use = FromProtoEnum(p.use(), IntendedUse::kInternalResearch, kUses.size());
  c.policy = FromProtoEnum(p.policy(), Policy::kStrict, kPolicies.size());
  c.as_of = TimeFromProto(p.as_of());
  c.jurisdiction = p.jurisdiction();
  return c;
}

ClearanceRef FromProto(const v1::ClearanceRef& p) {
  return {p.id(), p.party(), p.evidence(), UsesFromProto(p.uses(), kUses.size())};
}

Clearance FromProto(const v1::Clearance& p) {
  Clearance c;
  c.id = p.id();
  c.party = p.party();
  c.evidence = p.evidence();
  c.valid_from = OptionalTime(p.has_valid_from(), p.valid_from());
  c.valid_until = OptionalTime(p.has_valid_until(), p.valid_until());
  c.artefact_id = p.artefact_id();
  c.downstream_id = p.downstream_id();
  c.facility = p.facility();
  c.project = p.project();
  c.uses = UsesFromProto(p.uses(), kUses.size());
  c.rules.assign(p.rules().begin(), p.rules().end());
  c.licence_id = p.licence_id();
  c.rights_holder = p.rights_holder();
  c.note = p.note();
  c.revoked_at = OptionalTime(p.has_revoked_at(), p.revoked_at());
  c.created_at = TimeFromProto(p.created_at());
  c.created_by = p.created_by();
  return c;
}

void ClearanceToProto(const Clearance& c, v1::Clearance* p) {
  p->set_party(c.party);
  p->set_evidence(c.evidence);
  if (c.valid_from) SetTimestamp(*c.valid_from, p->mutable_valid_from());
  if (c.valid_until) SetTimestamp(*c.valid_until, p->mutable_valid_until());
  p->set_artefact_id(c.artefact_id);
  p->set_downstream_id(c.downstream_id);
  p->set_facility(c.facility);
  p->set_project(c.project);
  for (const auto use : c.uses) p->add_uses(IntendedUseToProto(use));
  for (const auto& r : c.rules) p->add_rules(r);
  p->set_licence_id(c.licence_id);
  p->set_rights_holder(c.rights_holder);
  p->set_note(c.note);
}

void GuardrailToProto(const Guardrail& g, v1::Guardrail* p) {
  p->set_use(IntendedUseToProto(g.use));
  p->set_enforce(g.enforce);
  if (g.policy) p->set_policy(PolicyToProto(*g.policy));
}

std::string_view FieldOfUseName(FieldOfUse v) { return NameOf(kFieldOfUse, v); }
std::string_view TrainingPermissionName(TrainingPermission v) {
  return NameOf(kTraining, v);
}
std::string_view SurvivesExpiryName(SurvivesExpiry v) { return NameOf(kSurvives, v); }
std::optional<SurvivesExpiry> SurvivesExpiryFromName(std::string_view n) {
  return FromName<SurvivesExpiry>(kSurvives, n);
}
std::string_view ConsentValueName(ConsentValue v) { return NameOf(kConsent, v); }
std::string_view IntendedUseName(IntendedUse u) { return NameOf(kUses, u); }
std::string_view PolicyName(Policy p) { return NameOf(kPolicies, p); }
std::string_view VerdictName(Verdict v) { return NameOf(kVerdicts, v, "UNKNOWN"); }
std::optional<FieldOfUse> FieldOfUseFromName(std::string_view n) {
  return FromName<FieldOfUse>(kFieldOfUse, n);
}
std::optional<TrainingPermission> TrainingPermissionFromName(std::string_view n) {
  return FromName<TrainingPermission>(kTraining, n);
}
std::optional<ConsentValue> ConsentValueFromName(std::string_view n) {
  return FromName<ConsentValue>(kConsent, n);
}
std::optional<IntendedUse> IntendedUseFromName(std::string_view n) {
  return FromName<IntendedUse>(kUses, n);
}
std::optional<Policy> PolicyFromName(std::string_view n) {
  return FromName<Policy>(kPolicies, n);
}

}  // namespace rmtc
