#include "rpc/licensing_convert.h"

#include <unordered_map>

#include "common/strings.h"
#include "lineage/validation.h"
#include "rpc/convert.h"
#include "vocabulary/names.h"

namespace rmtc::rpc {
namespace {

absl::Status UnknownValue(std::string_view path, int value) {
  return absl::InvalidArgumentError(StrCat(path, ": unknown value ", value));
}

// A proto enum value as the records enum in the same order, whose names
// (vocabulary/names.h, checked against the proto in names_match_proto.h)
// number `count`: 0 is unset (nullopt), 1..count a value, anything else
// (a newer or broken client) INVALID_ARGUMENT naming `path`.
template <typename E>
absl::StatusOr<std::optional<E>> FromProtoEnum(int n, std::size_t count,
                                               std::string_view path) {
  if (n == 0) return std::nullopt;
  if (n < 0 || n > static_cast<int>(count)) return UnknownValue(path, n);
  return static_cast<E>(n - 1);
}

void PathNodesToProto(const std::vector<lineage::PathNode>& nodes,
                      google::protobuf::RepeatedPtrField<v1::PathNode>* out) {
  for (const auto& n : nodes) {
    auto* p = out->Add();
    p->set_id(n.id.ToString());
    p->set_kind(static_cast<v1::Kind>(n.kind));
    p->set_name(n.name);
  }
}

// Where each artefact stands in an answer's `nodes`: source trees name
// their steps by it (a check names a thousand sources across a hundred
// reasons; each id is spelled once).
using NodeIndex = std::unordered_map<records::Uuid, int>;

NodeIndex IndexOf(const std::vector<lineage::PathNode>& nodes) {
  NodeIndex index;
  index.reserve(nodes.size());
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    index.emplace(nodes[i].id, static_cast<int>(i));
  }
  return index;
}

void SourcesToProto(const records::SourceTree& tree, const NodeIndex& index,
                    v1::SourceTree* p) {
  p->mutable_steps()->Reserve(static_cast<int>(tree.steps.size()));
  for (std::size_t i = 0; i < tree.steps.size(); ++i) {
    auto* step = p->add_steps();
    const auto at = index.find(tree.steps[i]);
    step->set_node(at == index.end() ? -1 : at->second);
    step->set_toward(tree.toward[i]);
  }
  for (int source : tree.sources) p->add_sources(source);
}

v1::IntendedUse IntendedUseToProto(records::IntendedUse use) {
  return static_cast<v1::IntendedUse>(static_cast<int>(use) + 1);
}

void ClearanceRefToProto(const records::ClearanceRef& c, v1::ClearanceRef* p) {
  p->set_id(c.id.ToString());
  p->set_party(c.party);
  p->set_evidence(c.evidence);
  for (const auto use : c.uses) p->add_uses(IntendedUseToProto(use));
}

void ReasonToProto(const records::Reason& r, const NodeIndex& index, v1::Reason* p) {
  if (r.clearance) ClearanceRefToProto(*r.clearance, p->mutable_clearance());
  p->set_effect(VerdictToProto(r.effect));
  p->set_rule(r.rule);
  p->set_message(r.message);
  p->set_licence_id(r.licence_id);
  p->set_party(r.party);
  for (const auto& id : r.path) p->add_path(id.ToString());
  SourcesToProto(r.sources, index, p->mutable_sources());
}

v1::ConsentValue ConsentValueToProto(const std::optional<records::ConsentValue>& v) {
  if (!v) return v1::CONSENT_VALUE_UNSPECIFIED;
  return static_cast<v1::ConsentValue>(static_cast<int>(*v) + 1);
}

}  // namespace

v1::Verdict VerdictToProto(records::Verdict verdict) {
  return static_cast<v1::Verdict>(static_cast<int>(verdict) + 1);
}

v1::FieldOfUse FieldOfUseToProto(records::FieldOfUse field) {
  return static_cast<v1::FieldOfUse>(static_cast<int>(field) + 1);
}

absl::StatusOr<records::Licence> LicenceFromProto(const v1::Licence& p) {
  records::Licence l;
  l.id = p.id();
  l.name = p.name();
  l.url = p.url();
  l.text_sha256 = p.text_sha256();
  const auto& t = p.terms();
  // Unset enums fail closed: unknown field of use and training permission.
  auto field = FromProtoEnum<records::FieldOfUse>(t.field_of_use(),
                                                  vocabulary::kFieldOfUseNames.size(),
                                                  "licence.terms.field_of_use");
  if (!field.ok()) return field.status();
  l.terms.field_of_use = field->value_or(records::FieldOfUse::kUnknown);
  auto training = FromProtoEnum<records::TrainingPermission>(
      t.training(), vocabulary::kTrainingPermissionNames.size(),
      "licence.terms.training");
  if (!training.ok()) return training.status();
  l.terms.training = training->value_or(records::TrainingPermission::kUnknown);
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
  l.terms.results_unrestricted = t.results_unrestricted();
  auto survives = FromProtoEnum<records::SurvivesExpiry>(
      t.survives_expiry(), vocabulary::kSurvivesExpiryNames.size(),
      "licence.terms.survives_expiry");
  if (!survives.ok()) return survives.status();
  l.terms.survives_expiry = survives->value_or(records::SurvivesExpiry::kNone);
  auto valid_from = OptionalTimestampFromProto(p.has_valid_from(), p.valid_from(),
                                               "licence.valid_from");
  if (!valid_from.ok()) return valid_from.status();
  l.valid_from = *valid_from;
  auto valid_until = OptionalTimestampFromProto(p.has_valid_until(), p.valid_until(),
                                                "licence.valid_until");
  if (!valid_until.ok()) return valid_until.status();
  l.valid_until = *valid_until;
  l.licensor = p.licensor();
  l.licensee = p.licensee();
  l.jurisdictions.assign(p.jurisdictions().begin(), p.jurisdictions().end());
  l.notes = p.notes();
  return l;
}

absl::StatusOr<records::Clearance> ClearanceFromProto(const v1::Clearance& p) {
  records::Clearance c;
  c.party = p.party();
  c.evidence = p.evidence();
  auto valid_from = OptionalTimestampFromProto(p.has_valid_from(), p.valid_from(),
                                               "clearance.valid_from");
  if (!valid_from.ok()) return valid_from.status();
  c.valid_from = *valid_from;
  auto valid_until = OptionalTimestampFromProto(p.has_valid_until(), p.valid_until(),
                                                "clearance.valid_until");
  if (!valid_until.ok()) return valid_until.status();
  c.valid_until = *valid_until;
  auto artefact = lineage::ParseId("clearance.artefact_id", p.artefact_id());
  if (!artefact.ok()) return artefact.status();
  c.artefact = *artefact;
  if (!p.downstream_id().empty()) {
    auto downstream = lineage::ParseId("clearance.downstream_id", p.downstream_id());
    if (!downstream.ok()) return downstream.status();
    c.downstream = *downstream;
  }
  c.facility = p.facility();
  c.project = p.project();
  for (int i = 0; i < p.uses_size(); ++i) {
    auto use = IntendedUseFromProto(p.uses(i), StrCat("clearance.uses[", i, "]"));
    if (!use.ok()) return use.status();
    c.uses.push_back(*use);
  }
  c.rules.assign(p.rules().begin(), p.rules().end());
  c.licence_id = p.licence_id();
  c.rights_holder = p.rights_holder();
  c.note = p.note();
  return c;
}

absl::StatusOr<std::optional<records::ConsentValue>> ConsentValueFromProto(
    v1::ConsentValue value, std::string_view path) {
  return FromProtoEnum<records::ConsentValue>(
      value, vocabulary::kConsentValueNames.size(), path);
}

absl::StatusOr<records::IntendedUse> IntendedUseFromProto(v1::IntendedUse use,
                                                          std::string_view path) {
  auto value = FromProtoEnum<records::IntendedUse>(
      use, vocabulary::kIntendedUseNames.size(), path);
  if (!value.ok()) return value.status();
  if (!*value) {
    return absl::InvalidArgumentError(
        StrCat(path,
               ": is required (internal-research, commercial-production, "
               "client-delivery, public-release or training)"));
  }
  return **value;
}

absl::StatusOr<std::optional<records::Policy>> PolicyFromProto(v1::Policy policy,
                                                               std::string_view path) {
  return FromProtoEnum<records::Policy>(policy, vocabulary::kPolicyNames.size(), path);
}

absl::StatusOr<std::optional<lineage::Guardrail>> GuardrailFromProto(
    bool present, const v1::Guardrail& proto) {
  if (!present) return std::nullopt;
  auto use = IntendedUseFromProto(proto.use(), "check.use");
  if (!use.ok()) return use.status();
  auto policy = PolicyFromProto(proto.policy(), "check.policy");
  if (!policy.ok()) return policy.status();
  return lineage::Guardrail{*use, *policy, proto.enforce()};
}

void ToProto(const records::Licence& l, v1::Licence* p) {
  p->set_id(l.id);
  p->set_name(l.name);
  p->set_url(l.url);
  p->set_text_sha256(l.text_sha256);
  auto* t = p->mutable_terms();
  t->set_field_of_use(FieldOfUseToProto(l.terms.field_of_use));
  t->set_attribution(l.terms.attribution);
  t->set_attribution_how(l.terms.attribution_how);
  t->set_share_alike(l.terms.share_alike);
  t->set_notice(l.terms.notice);
  t->set_naming_prefix(l.terms.naming_prefix);
  t->set_include_licence_text(l.terms.include_licence_text);
  t->set_no_derivatives(l.terms.no_derivatives);
  for (const auto& r : l.terms.use_restrictions) t->add_use_restrictions(r);
  t->set_no_training_on_outputs(l.terms.no_training_on_outputs);
  for (const auto& r : l.terms.purpose_limit) t->add_purpose_limit(r);
  t->set_training(
      static_cast<v1::TrainingPermission>(static_cast<int>(l.terms.training) + 1));
  t->set_results_unrestricted(l.terms.results_unrestricted);
  t->set_survives_expiry(
      static_cast<v1::SurvivesExpiry>(static_cast<int>(l.terms.survives_expiry) + 1));
  if (l.valid_from) ToProto(*l.valid_from, p->mutable_valid_from());
  if (l.valid_until) ToProto(*l.valid_until, p->mutable_valid_until());
  p->set_licensor(l.licensor);
  p->set_licensee(l.licensee);
  for (const auto& j : l.jurisdictions) p->add_jurisdictions(j);
  if (l.revoked_at) ToProto(*l.revoked_at, p->mutable_revoked_at());
  p->set_notes(l.notes);
  ToProto(l.created_at, p->mutable_created_at());
}

void ToProto(const records::LicenceAttachment& a, v1::LicenceAttachment* p) {
  p->set_artefact_id(a.artefact.ToString());
  p->set_expression(a.expression);
  for (const auto& id : a.licence_ids) p->add_licence_ids(id);
  p->set_attribution(a.attribution);
  ToProto(a.attached_at, p->mutable_attached_at());
  p->set_attached_by(a.attached_by);
}

void ToProto(const records::LicenceElection& e, v1::LicenceElection* p) {
  p->set_artefact_id(e.artefact.ToString());
  p->set_licence_id(e.licence_id);
  ToProto(e.elected_at, p->mutable_elected_at());
  p->set_elected_by(e.elected_by);
}

void ToProto(const records::ConsentRecord& c, v1::ConsentRecord* p) {
  p->set_artefact_id(c.artefact.ToString());
  p->set_party(c.party);
  p->set_ai_training(ConsentValueToProto(c.values[0]));
  p->set_ai_generative_training(ConsentValueToProto(c.values[1]));
  p->set_data_mining(ConsentValueToProto(c.values[2]));
  p->set_ai_inference(ConsentValueToProto(c.values[3]));
  ToProto(c.effective_at, p->mutable_effective_at());
  ToProto(c.recorded_at, p->mutable_recorded_at());
  p->set_recorded_by(c.recorded_by);
  p->set_note(c.note);
}

void ToProto(const records::Clearance& c, v1::Clearance* p) {
  p->set_id(c.id.ToString());
  p->set_party(c.party);
  p->set_evidence(c.evidence);
  if (c.valid_from) ToProto(*c.valid_from, p->mutable_valid_from());
  if (c.valid_until) ToProto(*c.valid_until, p->mutable_valid_until());
  p->set_artefact_id(c.artefact.ToString());
  if (c.downstream) p->set_downstream_id(c.downstream->ToString());
  p->set_facility(c.facility);
  p->set_project(c.project);
  for (const auto use : c.uses) p->add_uses(IntendedUseToProto(use));
  for (const auto& r : c.rules) p->add_rules(r);
  p->set_licence_id(c.licence_id);
  p->set_rights_holder(c.rights_holder);
  p->set_note(c.note);
  if (c.revoked_at) ToProto(*c.revoked_at, p->mutable_revoked_at());
  ToProto(c.created_at, p->mutable_created_at());
  p->set_created_by(c.created_by);
}

void ToProto(const lineage::ChainAnswer& answer, v1::LicensingChain* p) {
  p->set_field_of_use(FieldOfUseToProto(answer.chain.field_of_use));
  for (const auto& c : answer.chain.credits) p->add_credits(c);
  const NodeIndex index = IndexOf(answer.nodes);
  for (const auto& t : answer.chain.terms) {
    auto* out = p->add_terms();
    out->set_kind(t.kind);
    out->set_value(t.value);
    out->set_risk(t.risk);
    out->set_open(t.open);
    out->set_effect(VerdictToProto(t.effect));
    out->set_message(t.message);
    out->set_licence_id(t.licence_id);
    out->set_party(t.party);
    for (const auto& id : t.path) out->add_path(id.ToString());
    SourcesToProto(t.sources, index, out->mutable_sources());
    out->set_evaluation(t.evaluation);
    for (const auto& c : t.clearances) ClearanceRefToProto(c, out->add_clearances());
  }
  PathNodesToProto(answer.nodes, p->mutable_nodes());
  ToProto(answer.as_of, p->mutable_as_of());
}

void ToProto(const lineage::CheckAnswer& answer, v1::UseCheck* p) {
  p->set_verdict(VerdictToProto(answer.check.verdict));
  const NodeIndex index = IndexOf(answer.nodes);
  for (const auto& r : answer.check.reasons) ReasonToProto(r, index, p->add_reasons());
  for (const auto& r : answer.check.obligations)
    ReasonToProto(r, index, p->add_obligations());
  for (const auto& r : answer.check.cleared) ReasonToProto(r, index, p->add_cleared());
  for (const auto& c : answer.check.credits) p->add_credits(c);
  PathNodesToProto(answer.nodes, p->mutable_nodes());
  p->set_use(IntendedUseToProto(answer.use));
  p->set_policy(static_cast<v1::Policy>(static_cast<int>(answer.policy) + 1));
  ToProto(answer.as_of, p->mutable_as_of());
  p->set_jurisdiction(answer.jurisdiction);
}

}  // namespace rmtc::rpc
