// The licensing calls of rmtc::Client (conversions: licensing_convert.cpp).
#include "client_impl.h"
#include "convert.h"
#include "rmtc/v1/licensing.grpc.pb.h"

namespace rmtc {

#define RMTC_CALL(Response, Method, request)                                          \
  WithRetries<v1::Response>(*impl_,                                                   \
                            [&](grpc::ClientContext* context, v1::Response* out) {    \
                              return impl_->licensing->Method(context, request, out); \
                            })

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

Result<LicencePage> Client::ListLicences(int page_size,
                                         const std::string& page_token) const {
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

Result<Licence> Client::RevokeLicence(const std::string& id, std::optional<Time> at,
                                      const WriteOptions& write) const {
  v1::RevokeLicenceRequest request;
  request.set_request_id(RequestIdOf(write));
  request.set_id(id);
  if (at) SetTimestamp(*at, request.mutable_at());
  auto response = RMTC_CALL(Licence, RevokeLicence, request);
  if (!response) return response.error();
  return FromProto(*response);
}

Result<LicenceAttachment> Client::AttachLicence(const std::string& artefact_id,
                                                const std::string& expression,
                                                const std::string& attribution,
                                                std::optional<Time> from,
                                                const WriteOptions& write) const {
  v1::AttachLicenceRequest request;
  request.set_request_id(RequestIdOf(write));
  if (from) SetTimestamp(*from, request.mutable_effective_at());
  request.set_artefact_id(artefact_id);
  request.set_expression(expression);
  request.set_attribution(attribution);
  request.set_created_by(CreatedBy(impl_->options));
  auto response = RMTC_CALL(LicenceAttachment, AttachLicence, request);
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
                                             const std::string& licence_id,
                                             const WriteOptions& write) const {
  v1::ElectLicenceRequest request;
  request.set_request_id(RequestIdOf(write));
  request.set_artefact_id(artefact_id);
  request.set_licence_id(licence_id);
  request.set_created_by(CreatedBy(impl_->options));
  auto response = RMTC_CALL(LicenceElection, ElectLicence, request);
  if (!response) return response.error();
  return LicenceElection{response->artefact_id(), response->licence_id(),
                         TimeFromProto(response->elected_at()), response->elected_by()};
}

Result<ConsentRecord> Client::SetConsent(const std::string& artefact_id,
                                         const Consent& consent,
                                         const WriteOptions& write) const {
  v1::SetConsentRequest request;
  request.set_request_id(RequestIdOf(write));
  request.set_artefact_id(artefact_id);
  request.set_party(consent.party);
  request.set_ai_training(ConsentToProto(consent.ai_training));
  request.set_ai_generative_training(ConsentToProto(consent.ai_generative_training));
  request.set_data_mining(ConsentToProto(consent.data_mining));
  request.set_ai_inference(ConsentToProto(consent.ai_inference));
  if (consent.effective_at)
    SetTimestamp(*consent.effective_at, request.mutable_effective_at());
  request.set_note(consent.note);
  request.set_created_by(CreatedBy(impl_->options));
  auto response = RMTC_CALL(ConsentRecord, SetConsent, request);
  if (!response) return response.error();
  return FromProto(*response);
}

Result<std::vector<ConsentRecord>> Client::ConsentHistory(
    const std::string& artefact_id) const {
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
  chain.field_of_use = FieldOfUseFromProto(response->field_of_use());
  chain.credits.assign(response->credits().begin(), response->credits().end());
  for (const auto& t : response->terms())
    chain.terms.push_back(ChainTermFromProto(t, response->nodes()));
  chain.nodes = FromProto(response->nodes());
  chain.as_of = TimeFromProto(response->as_of());
  return chain;
}

Result<UseCheck> Client::CheckUse(const std::string& artefact_id, IntendedUse use,
                                  std::optional<Time> as_of, std::optional<Policy> policy,
                                  const std::string& jurisdiction) const {
  v1::CheckUseRequest request;
  request.set_artefact_id(artefact_id);
  request.set_use(IntendedUseToProto(use));
  if (as_of) SetTimestamp(*as_of, request.mutable_as_of());
  if (policy) request.set_policy(PolicyToProto(*policy));
  request.set_jurisdiction(jurisdiction);
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
  for (const auto& n : response->nodes())
    page.nodes.push_back({FromProto(n.artefact()), n.direct()});
  for (const auto& c : response->counts()) {
    page.counts[KindFromProto(c.kind())] += c.count();
  }
  page.total = response->total();
  page.next_page_token = response->next_page_token();
  return page;
}

Result<Clearance> Client::AddClearance(const Clearance& clearance,
                                       const WriteOptions& write) const {
  v1::AddClearanceRequest request;
  request.set_request_id(RequestIdOf(write));
  ClearanceToProto(clearance, request.mutable_clearance());
  request.set_created_by(CreatedBy(impl_->options));
  auto response = RMTC_CALL(Clearance, AddClearance, request);
  if (!response) return response.error();
  return FromProto(*response);
}

Result<Clearance> Client::GetClearance(const std::string& id) const {
  v1::GetClearanceRequest request;
  request.set_id(id);
  auto response = RMTC_CALL(Clearance, GetClearance, request);
  if (!response) return response.error();
  return FromProto(*response);
}

Result<ClearancePage> Client::ListClearances(const ClearanceFilter& filter, int page_size,
                                             const std::string& page_token) const {
  v1::ListClearancesRequest request;
  request.set_artefact_id(filter.artefact_id);
  request.set_party(filter.party);
  request.set_page_size(page_size);
  request.set_page_token(page_token);
  auto response = RMTC_CALL(ListClearancesResponse, ListClearances, request);
  if (!response) return response.error();
  ClearancePage page;
  for (const auto& c : response->clearances()) page.clearances.push_back(FromProto(c));
  page.next_page_token = response->next_page_token();
  return page;
}

// Retried: a second revocation changes nothing (the earliest counts).
Result<Clearance> Client::RevokeClearance(const std::string& id,
                                          std::optional<Time> at) const {
  v1::RevokeClearanceRequest request;
  request.set_id(id);
  if (at) SetTimestamp(*at, request.mutable_at());
  request.set_created_by(CreatedBy(impl_->options));
  auto response = RMTC_CALL(Clearance, RevokeClearance, request);
  if (!response) return response.error();
  return FromProto(*response);
}

#undef RMTC_CALL

}  // namespace rmtc
