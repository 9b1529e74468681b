// The licensing calls of rmtc::Client, and the name tables of its enums.
#include <array>
#include <cctype>

#include "client_impl.h"
#include "convert.h"
#include "rmtc/v1/licensing.grpc.pb.h"

namespace rmtc {
namespace {

constexpr std::array<std::string_view, 4> kFieldOfUse = {"commercial", "non-commercial",
                                                        "academic-only", "unknown"};
constexpr std::array<std::string_view, 3> kTraining = {"allowed", "not-allowed", "unknown"};
constexpr std::array<std::string_view, 3> kConsent = {"allowed", "not-allowed",
                                                      "constrained"};
constexpr std::array<std::string_view, 5> kUses = {"internal-research", "commercial-production",
                                                  "client-delivery", "public-release",
                                                  "training"};
constexpr std::array<std::string_view, 2> kPolicies = {"strict", "permissive"};
constexpr std::array<std::string_view, 3> kVerdicts = {"ALLOWED", "REVIEW", "DENIED"};

// Whether `given` is `kebab` ("not-allowed") or its camelCase ("not-allowed",
// the C2PA spelling): both are accepted; the kebab-case one is printed.
bool SameName(std::string_view kebab, std::string_view given) {
  if (given == kebab) return true;
  std::size_t at = 0;
  bool upper = false;
  for (char c : kebab) {
    if (c == '-') {
      upper = true;
      continue;
    }
    const char want =
        upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
    if (at >= given.size() || given[at++] != want) return false;
  }
  return at == given.size();
}

template <typename Enum, std::size_t N>
std::optional<Enum> FromName(const std::array<std::string_view, N>& names,
                             std::string_view name) {
  for (std::size_t i = 0; i < N; ++i) {
    if (SameName(names[i], name)) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

// Proto enums count from 1 (0 is UNSPECIFIED); the client's from 0.
template <typename Enum, typename Proto>
Enum FromProtoEnum(Proto value, Enum fallback) {
  const int n = static_cast<int>(value);
  return n == 0 ? fallback : static_cast<Enum>(n - 1);
}

template <typename Proto, typename Enum>
Proto ToProtoEnum(Enum value) {
  return static_cast<Proto>(static_cast<int>(value) + 1);
}

std::optional<Time> OptionalTime(bool present, const google::protobuf::Timestamp& t) {
  if (!present) return std::nullopt;
  return TimeFromProto(t);
}

void TermsToProto(const LicenceTerms& t, v1::LicenceTerms* p) {
  p->set_field_of_use(ToProtoEnum<v1::FieldOfUse>(t.field_of_use));
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
  p->set_training(ToProtoEnum<v1::TrainingPermission>(t.training));
  p->set_results_unrestricted(t.results_unrestricted);
}

Licence FromProto(const v1::Licence& p) {
  Licence l;
  l.id = p.id();
  l.name = p.name();
  l.url = p.url();
  l.text_sha256 = p.text_sha256();
  const auto& t = p.terms();
  l.terms.field_of_use = FromProtoEnum(t.field_of_use(), FieldOfUse::kUnknown);
  l.terms.attribution = t.attribution();
  l.terms.attribution_how = t.attribution_how();
  l.terms.share_alike = t.share_alike();
  l.terms.notice = t.notice();
  l.terms.naming_prefix = t.naming_prefix();
  l.terms.include_licence_text = t.include_licence_text();
  l.terms.no_derivatives = t.no_derivatives();
  l.terms.use_restrictions.assign(t.use_restrictions().begin(), t.use_restrictions().end());
  l.terms.no_training_on_outputs = t.no_training_on_outputs();
  l.terms.purpose_limit.assign(t.purpose_limit().begin(), t.purpose_limit().end());
  l.terms.training = FromProtoEnum(t.training(), TrainingPermission::kUnknown);
  l.terms.results_unrestricted = t.results_unrestricted();
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
  return {p.artefact_id(), p.expression(), {p.licence_ids().begin(), p.licence_ids().end()},
          p.attribution(), TimeFromProto(p.attached_at()), p.attached_by()};
}

std::optional<ConsentValue> ConsentFromProto(v1::ConsentValue v) {
  if (v == v1::CONSENT_VALUE_UNSPECIFIED) return std::nullopt;
  return static_cast<ConsentValue>(static_cast<int>(v) - 1);
}

v1::ConsentValue ConsentToProto(const std::optional<ConsentValue>& v) {
  return v ? ToProtoEnum<v1::ConsentValue>(*v) : v1::CONSENT_VALUE_UNSPECIFIED;
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

std::vector<PathNode> FromProto(const google::protobuf::RepeatedPtrField<v1::PathNode>& nodes) {
  std::vector<PathNode> out;
  for (const auto& n : nodes) out.push_back({n.id(), static_cast<Kind>(n.kind()), n.name()});
  return out;
}

Reason FromProto(const v1::Reason& p) {
  return {FromProtoEnum(p.effect(), Verdict::kAllowed), p.rule(), p.message(), p.licence_id(),
          p.party(), {p.path().begin(), p.path().end()}};
}

}  // namespace

UseCheck UseCheckFromProto(const v1::UseCheck& p) {
  UseCheck c;
  c.verdict = FromProtoEnum(p.verdict(), Verdict::kReview);
  for (const auto& r : p.reasons()) c.reasons.push_back(FromProto(r));
  for (const auto& r : p.obligations()) c.obligations.push_back(FromProto(r));
  c.credits.assign(p.credits().begin(), p.credits().end());
  c.nodes = FromProto(p.nodes());
  c.use = FromProtoEnum(p.use(), IntendedUse::kInternalResearch);
  c.policy = FromProtoEnum(p.policy(), Policy::kStrict);
  c.as_of = TimeFromProto(p.as_of());
  return c;
}

void GuardrailToProto(const Guardrail& g, v1::Guardrail* p) {
  p->set_use(ToProtoEnum<v1::IntendedUse>(g.use));
  p->set_enforce(g.enforce);
  if (g.policy) p->set_policy(ToProtoEnum<v1::Policy>(*g.policy));
}

std::string_view FieldOfUseName(FieldOfUse v) { return kFieldOfUse.at(static_cast<int>(v)); }
std::string_view TrainingPermissionName(TrainingPermission v) {
  return kTraining.at(static_cast<int>(v));
}
std::string_view ConsentValueName(ConsentValue v) { return kConsent.at(static_cast<int>(v)); }
std::string_view IntendedUseName(IntendedUse u) { return kUses.at(static_cast<int>(u)); }
std::string_view PolicyName(Policy p) { return kPolicies.at(static_cast<int>(p)); }
std::string_view VerdictName(Verdict v) { return kVerdicts.at(static_cast<int>(v)); }
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
std::optional<Policy> PolicyFromName(std::string_view n) { return FromName<Policy>(kPolicies, n); }

#define RMTC_CALL_RETRY(Response, Method, request, retry)                       \
  WithRetries<v1::Response>(                                                    \
      *impl_,                                                                    \
      [&](grpc::ClientContext* context, v1::Response* out) {                     \
        return impl_->licensing->Method(context, request, out);                  \
      },                                                                         \
      retry)
#define RMTC_CALL(Response, Method, request) \
  RMTC_CALL_RETRY(Response, Method, request, Retry::kUnavailable)
// Appends a record each time it lands: sent once (see Retry).
#define RMTC_CALL_ONCE(Response, Method, request) \
  RMTC_CALL_RETRY(Response, Method, request, Retry::kNever)

Result<Licence> Client::AddLicence(const Licence& licence) const {
  v1::AddLicenceRequest request;
  auto* p = request.mutable_licence();
  p->set_id(licence.id);
  p->set_name(licence.name);
  p->set_url(licence.url);
  p->set_text_sha256(licence.text_sha256);
  TermsToProto(licence.terms, p->mutable_terms());
  if (licence.valid_from) SetTimestamp(*licence.valid_from, p->mutable_valid_from());
  if (licence.valid_until) SetTimestamp(*licence.valid_until, p->mutable_valid_until());
  p->set_licensor(licence.licensor);
  p->set_licensee(licence.licensee);
  for (const auto& j : licence.jurisdictions) p->add_jurisdictions(j);
  p->set_notes(licence.notes);
  request.set_created_by(CreatedBy(impl_->options));
  auto response = RMTC_CALL(Licence, AddLicence, request);
  if (!response) return response.error();
  return FromProto(*response);
}

Result<Licence> Client::GetLicence(const std::string& id) const {
  v1::GetLicenceRequest request;
  request.set_id(id);
  auto response = RMTC_CALL(Licence, GetLicence, request);
  if (!response) return response.error();
  return FromProto(*response);
}

Result<LicencePage> Client::ListLicences(int page_size, const std::string& page_token) const {
  v1::ListLicencesRequest request;
  request.set_page_size(page_size);
  request.set_page_token(page_token);
  auto response = RMTC_CALL(ListLicencesResponse, ListLicences, request);
  if (!response) return response.error();
  LicencePage page;
  for (const auto& l : response->licences()) page.licences.push_back(FromProto(l));
  page.next_page_token = response->next_page_token();
  return page;
}

Result<Licence> Client::RevokeLicence(const std::string& id, std::optional<Time> at) const {
  v1::RevokeLicenceRequest request;
  request.set_id(id);
  if (at) SetTimestamp(*at, request.mutable_at());
  auto response = RMTC_CALL(Licence, RevokeLicence, request);
  if (!response) return response.error();
  return FromProto(*response);
}

Result<LicenceAttachment> Client::AttachLicence(const std::string& artefact_id,
                                                const std::string& expression,
                                                const std::string& attribution,
                                                std::optional<Time> from) const {
  v1::AttachLicenceRequest request;
  if (from) SetTimestamp(*from, request.mutable_effective_at());
  request.set_artefact_id(artefact_id);
  request.set_expression(expression);
  request.set_attribution(attribution);
  request.set_created_by(CreatedBy(impl_->options));
  auto response = RMTC_CALL_ONCE(LicenceAttachment, AttachLicence, request);
  if (!response) return response.error();
  return FromProto(*response);
}

Result<std::vector<LicenceAttachment>> Client::ListAttachments(
    const std::string& artefact_id) const {
  v1::ListAttachmentsRequest request;
  request.set_artefact_id(artefact_id);
  auto response = RMTC_CALL(ListAttachmentsResponse, ListAttachments, request);
  if (!response) return response.error();
  std::vector<LicenceAttachment> out;
  for (const auto& a : response->attachments()) out.push_back(FromProto(a));
  return out;
}

Result<LicenceElection> Client::ElectLicence(const std::string& artefact_id,
                                             const std::string& licence_id) const {
  v1::ElectLicenceRequest request;
  request.set_artefact_id(artefact_id);
  request.set_licence_id(licence_id);
  request.set_created_by(CreatedBy(impl_->options));
  auto response = RMTC_CALL_ONCE(LicenceElection, ElectLicence, request);
  if (!response) return response.error();
  return LicenceElection{response->artefact_id(), response->licence_id(),
                         TimeFromProto(response->elected_at()), response->elected_by()};
}

Result<ConsentRecord> Client::SetConsent(const std::string& artefact_id,
                                         const Consent& consent) const {
  v1::SetConsentRequest request;
  request.set_artefact_id(artefact_id);
  request.set_party(consent.party);
  request.set_ai_training(ConsentToProto(consent.ai_training));
  request.set_ai_generative_training(ConsentToProto(consent.ai_generative_training));
  request.set_data_mining(ConsentToProto(consent.data_mining));
  request.set_ai_inference(ConsentToProto(consent.ai_inference));
  if (consent.effective_at) SetTimestamp(*consent.effective_at, request.mutable_effective_at());
  request.set_note(consent.note);
  request.set_created_by(CreatedBy(impl_->options));
  auto response = RMTC_CALL_ONCE(ConsentRecord, SetConsent, request);
  if (!response) return response.error();
  return FromProto(*response);
}

Result<std::vector<ConsentRecord>> Client::ConsentHistory(const std::string& artefact_id) const {
  v1::ConsentHistoryRequest request;
  request.set_artefact_id(artefact_id);
  auto response = RMTC_CALL(ConsentHistoryResponse, GetConsentHistory, request);
  if (!response) return response.error();
  std::vector<ConsentRecord> out;
  for (const auto& r : response->records()) out.push_back(FromProto(r));
  return out;
}

Result<LicensingChain> Client::Chain(const std::string& artefact_id,
                                     std::optional<Time> as_of) const {
  v1::GetLicensingChainRequest request;
  request.set_artefact_id(artefact_id);
  if (as_of) SetTimestamp(*as_of, request.mutable_as_of());
  auto response = RMTC_CALL(LicensingChain, GetLicensingChain, request);
  if (!response) return response.error();
  LicensingChain chain;
  chain.field_of_use = FromProtoEnum(response->field_of_use(), FieldOfUse::kUnknown);
  chain.credits.assign(response->credits().begin(), response->credits().end());
  for (const auto& t : response->terms()) {
    chain.terms.push_back({t.kind(), t.value(), t.risk(), t.open(),
                           FromProtoEnum(t.effect(), Verdict::kAllowed), t.message(),
                           t.licence_id(), t.party(), {t.path().begin(), t.path().end()}});
  }
  chain.nodes = FromProto(response->nodes());
  chain.as_of = TimeFromProto(response->as_of());
  return chain;
}

Result<UseCheck> Client::CheckUse(const std::string& artefact_id, IntendedUse use,
                                  std::optional<Time> as_of,
                                  std::optional<Policy> policy) const {
  v1::CheckUseRequest request;
  request.set_artefact_id(artefact_id);
  request.set_use(ToProtoEnum<v1::IntendedUse>(use));
  if (as_of) SetTimestamp(*as_of, request.mutable_as_of());
  if (policy) request.set_policy(ToProtoEnum<v1::Policy>(*policy));
  auto response = RMTC_CALL(UseCheck, CheckUse, request);
  if (!response) return response.error();
  return UseCheckFromProto(*response);
}

Result<ImpactPage> Client::Impact(const ImpactTarget& target, int page_size,
                                  const std::string& page_token) const {
  v1::ImpactRequest request;
  if (!target.artefact_id.empty()) request.set_artefact_id(target.artefact_id);
  if (!target.licence_id.empty()) request.set_licence_id(target.licence_id);
  if (!target.party.empty()) request.set_party(target.party);
  request.set_page_size(page_size);
  request.set_page_token(page_token);
  auto response = RMTC_CALL(ImpactResponse, GetImpact, request);
  if (!response) return response.error();
  ImpactPage page;
  for (const auto& n : response->nodes()) page.nodes.push_back({FromProto(n.artefact()), n.direct()});
  for (const auto& c : response->counts()) page.counts[static_cast<Kind>(c.kind())] = c.count();
  page.total = response->total();
  page.next_page_token = response->next_page_token();
  return page;
}

#undef RMTC_CALL_ONCE
#undef RMTC_CALL
#undef RMTC_CALL_RETRY

}  // namespace rmtc
