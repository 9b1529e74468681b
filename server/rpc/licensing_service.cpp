#include "rpc/licensing_service.h"

#include "common/status_macros.h"
#include "common/strings.h"
#include "rpc/convert.h"
#include "rpc/licensing_convert.h"
#include "rpc/lineage_service.h"
#include "rpc/request_digest.h"

namespace rmtc::rpc {
namespace {

// The request id and digest of a licensing write (Licensing names the method).
template <typename Request>
records::RequestKey RequestKeyOf(const Request& request) {
  return {request.request_id(), "", RequestDigest(request)};
}

// Licences are the studio's catalogue, not one facility's.
absl::Status StudioWide(const records::Principal& caller, std::string_view method) {
  if (caller.facility.empty()) return absl::OkStatus();
  return absl::PermissionDeniedError(StrCat(
      method, ": licences are studio-wide; '", caller.name, "' is bound to facility '",
      caller.facility, "' (a token without a facility may add and revoke them)"));
}

}  // namespace

absl::Status LicensingService::MayWriteOn(const records::Principal& caller,
                                          const std::string& artefact_id,
                                          std::string_view field) {
  if (caller.facility.empty()) return absl::OkStatus();
  RMTC_ASSIGN_OR_RETURN(auto facility, licensing_.FacilityOf(artefact_id));
  if (!facility) return absl::OkStatus();  // the write names the bad id itself
  return auth::Authenticator::MayWrite(caller, *facility, field);
}

absl::Status LicensingService::HandleAddLicence(const v1::AddLicenceRequest& request,
                                                v1::Licence* response,
                                                const records::Principal& caller) {
  RMTC_RETURN_IF_ERROR(StudioWide(caller, "AddLicence"));
  auto licence = LicenceFromProto(request.licence());
  if (!licence.ok()) return licence.status();
  auto added = licensing_.AddLicence(*std::move(licence), request.created_by());
  if (!added.ok()) return added.status();
  ToProto(*added, response);
  return absl::OkStatus();
}

absl::Status LicensingService::HandleGetLicence(const v1::GetLicenceRequest& request,
                                                v1::Licence* response) {
  auto licence = licensing_.GetLicence(request.id());
  if (!licence.ok()) return licence.status();
  ToProto(*licence, response);
  return absl::OkStatus();
}

absl::Status LicensingService::HandleListLicences(const v1::ListLicencesRequest& request,
                                                  v1::ListLicencesResponse* response) {
  auto page = licensing_.ListLicences(request.page_size(), request.page_token());
  if (!page.ok()) return page.status();
  for (const auto& l : page->first) ToProto(l, response->add_licences());
  response->set_next_page_token(page->second);
  return absl::OkStatus();
}

absl::Status LicensingService::HandleRevokeLicence(
    const v1::RevokeLicenceRequest& request, v1::Licence* response,
    const records::Principal& caller) {
  RMTC_RETURN_IF_ERROR(StudioWide(caller, "RevokeLicence"));
  auto at = OptionalTimestampFromProto(request.has_at(), request.at(), "at");
  if (!at.ok()) return at.status();
  auto licence = licensing_.RevokeLicence(request.id(), *at, RequestKeyOf(request));
  if (!licence.ok()) return licence.status();
  ToProto(*licence, response);
  return absl::OkStatus();
}

absl::Status LicensingService::HandleAttachLicence(
    const v1::AttachLicenceRequest& request, v1::LicenceAttachment* response,
    const records::Principal& caller) {
  RMTC_RETURN_IF_ERROR(MayWriteOn(caller, request.artefact_id(), "artefact_id"));
  auto effective_at = OptionalTimestampFromProto(request.has_effective_at(),
                                                 request.effective_at(), "effective_at");
  if (!effective_at.ok()) return effective_at.status();
  auto attached = licensing_.AttachLicence(request.artefact_id(), request.expression(),
                                           request.attribution(), request.created_by(),
                                           *effective_at, RequestKeyOf(request));
  if (!attached.ok()) return attached.status();
  ToProto(*attached, response);
  return absl::OkStatus();
}

absl::Status LicensingService::HandleListAttachments(
    const v1::ListAttachmentsRequest& request, v1::ListAttachmentsResponse* response) {
  auto attachments = licensing_.Attachments(request.artefact_id());
  if (!attachments.ok()) return attachments.status();
  for (const auto& a : *attachments) ToProto(a, response->add_attachments());
  return absl::OkStatus();
}

absl::Status LicensingService::HandleElectLicence(const v1::ElectLicenceRequest& request,
                                                  v1::LicenceElection* response,
                                                  const records::Principal& caller) {
  RMTC_RETURN_IF_ERROR(MayWriteOn(caller, request.artefact_id(), "artefact_id"));
  auto elected = licensing_.ElectLicence(request.artefact_id(), request.licence_id(),
                                         request.created_by(), RequestKeyOf(request));
  if (!elected.ok()) return elected.status();
  ToProto(*elected, response);
  return absl::OkStatus();
}

absl::Status LicensingService::HandleSetConsent(const v1::SetConsentRequest& request,
                                                v1::ConsentRecord* response,
                                                const records::Principal& caller) {
  RMTC_RETURN_IF_ERROR(MayWriteOn(caller, request.artefact_id(), "artefact_id"));
  records::ConsentRecord record;
  record.party = request.party();
  record.note = request.note();
  record.recorded_by = request.created_by();
  const std::pair<v1::ConsentValue, const char*> keys[] = {
      {request.ai_training(), "ai_training"},
      {request.ai_generative_training(), "ai_generative_training"},
      {request.data_mining(), "data_mining"},
      {request.ai_inference(), "ai_inference"}};
  for (int k = 0; k < records::kConsentKeyCount; ++k) {
    auto value = ConsentValueFromProto(keys[k].first, keys[k].second);
    if (!value.ok()) return value.status();
    record.values[k] = *value;
  }
  if (request.has_effective_at()) {
    auto effective_at = TimestampFromProto(request.effective_at(), "effective_at");
    if (!effective_at.ok()) return effective_at.status();
    record.effective_at = *effective_at;
  }
  auto stored =
      licensing_.SetConsent(request.artefact_id(), record, RequestKeyOf(request));
  if (!stored.ok()) return stored.status();
  ToProto(*stored, response);
  return absl::OkStatus();
}

absl::Status LicensingService::HandleGetConsentHistory(
    const v1::ConsentHistoryRequest& request, v1::ConsentHistoryResponse* response) {
  auto history = licensing_.ConsentHistory(request.artefact_id());
  if (!history.ok()) return history.status();
  for (const auto& r : *history) ToProto(r, response->add_records());
  return absl::OkStatus();
}

absl::Status LicensingService::HandleGetLicensingChain(
    const v1::GetLicensingChainRequest& request, v1::LicensingChain* response) {
  auto as_of = OptionalTimestampFromProto(request.has_as_of(), request.as_of(), "as_of");
  if (!as_of.ok()) return as_of.status();
  auto chain = licensing_.Chain(request.artefact_id(), *as_of);
  if (!chain.ok()) return chain.status();
  ToProto(*chain, response);
  response->set_artefact_id(request.artefact_id());
  return absl::OkStatus();
}

absl::Status LicensingService::HandleCheckUse(const v1::CheckUseRequest& request,
                                              v1::UseCheck* response) {
  auto use = IntendedUseFromProto(request.use(), "use");
  if (!use.ok()) return use.status();
  auto policy = PolicyFromProto(request.policy(), "policy");
  if (!policy.ok()) return policy.status();
  auto as_of = OptionalTimestampFromProto(request.has_as_of(), request.as_of(), "as_of");
  if (!as_of.ok()) return as_of.status();
  auto check = licensing_.Check(request.artefact_id(), *use, *as_of, *policy,
                                request.jurisdiction());
  if (!check.ok()) return check.status();
  ToProto(*check, response);
  return absl::OkStatus();
}

absl::Status LicensingService::HandleGetImpact(const v1::ImpactRequest& request,
                                               v1::ImpactResponse* response) {
  lineage::ImpactRequest impact{.page_size = request.page_size(),
                                .page_token = request.page_token()};
  switch (request.target_case()) {
    case v1::ImpactRequest::kArtefactId:
      impact.target = store::ImpactQuery::Target::kArtefact;
      impact.key = request.artefact_id();
      break;
    case v1::ImpactRequest::kLicenceId:
      impact.target = store::ImpactQuery::Target::kLicence;
      impact.key = request.licence_id();
      break;
    case v1::ImpactRequest::kParty:
      impact.target = store::ImpactQuery::Target::kParty;
      impact.key = request.party();
      break;
    default:
      return absl::InvalidArgumentError("target: give artefact_id, licence_id or party");
  }
  auto answer = licensing_.Impact(impact);
  if (!answer.ok()) return answer.status();
  for (const auto& node : answer->page.nodes) {
    auto* out = response->add_nodes();
    ToProto(node.artefact, out->mutable_artefact());
    out->set_direct(node.direct);
  }
  for (const auto& [kind, count] : answer->page.counts) {
    auto* out = response->add_counts();
    out->set_kind(static_cast<v1::Kind>(kind));
    out->set_count(count);
  }
  response->set_total(answer->total);
  response->set_next_page_token(answer->next_page_token);
  return absl::OkStatus();
}

absl::Status LicensingService::HandleAddClearance(const v1::AddClearanceRequest& request,
                                                  v1::Clearance* response,
                                                  const records::Principal& caller) {
  RMTC_RETURN_IF_ERROR(
      MayWriteOn(caller, request.clearance().artefact_id(), "clearance.artefact_id"));
  auto clearance = ClearanceFromProto(request.clearance());
  if (!clearance.ok()) return clearance.status();
  auto added = licensing_.AddClearance(*std::move(clearance), request.created_by(),
                                       RequestKeyOf(request));
  if (!added.ok()) return added.status();
  ToProto(*added, response);
  return absl::OkStatus();
}

absl::Status LicensingService::HandleGetClearance(const v1::GetClearanceRequest& request,
                                                  v1::Clearance* response) {
  auto clearance = licensing_.GetClearance(request.id());
  if (!clearance.ok()) return clearance.status();
  ToProto(*clearance, response);
  return absl::OkStatus();
}

absl::Status LicensingService::HandleListClearances(
    const v1::ListClearancesRequest& request, v1::ListClearancesResponse* response) {
  auto page = licensing_.ListClearances(request.artefact_id(), request.party(),
                                        request.page_size(), request.page_token());
  if (!page.ok()) return page.status();
  for (const auto& c : page->first) ToProto(c, response->add_clearances());
  response->set_next_page_token(page->second);
  return absl::OkStatus();
}

absl::Status LicensingService::HandleRevokeClearance(
    const v1::RevokeClearanceRequest& request, v1::Clearance* response,
    const records::Principal& caller) {
  if (!caller.facility.empty()) {
    auto cleared = licensing_.GetClearance(request.id());
    if (cleared.ok()) {
      RMTC_RETURN_IF_ERROR(MayWriteOn(caller, cleared->artefact.ToString(), "id"));
    }
  }
  auto at = OptionalTimestampFromProto(request.has_at(), request.at(), "at");
  if (!at.ok()) return at.status();
  auto clearance = licensing_.RevokeClearance(request.id(), *at, request.created_by());
  if (!clearance.ok()) return clearance.status();
  ToProto(*clearance, response);
  return absl::OkStatus();
}

}  // namespace rmtc::rpc
