// The rmtc.v1.Licensing gRPC service: converts, calls lineage::Licensing,
// converts back. Thin, like LineageService, and served the same raw way.
#pragma once

#include <grpcpp/grpcpp.h>

#include "lineage/licensing.h"
#include "rmtc/v1/licensing.grpc.pb.h"
#include "rpc/dispatcher.h"

namespace rmtc::rpc {

// Every method served raw (rpc/dispatcher.h), wrapped innermost first.
template <typename Base>
using RawLicensingMethods1 = v1::Licensing::WithRawCallbackMethod_AddLicence<
    v1::Licensing::WithRawCallbackMethod_GetLicence<
        v1::Licensing::WithRawCallbackMethod_ListLicences<
            v1::Licensing::WithRawCallbackMethod_RevokeLicence<
                v1::Licensing::WithRawCallbackMethod_AttachLicence<
                    v1::Licensing::WithRawCallbackMethod_ListAttachments<
                        v1::Licensing::WithRawCallbackMethod_ElectLicence<
                            v1::Licensing::WithRawCallbackMethod_SetConsent<Base>>>>>>>>;
template <typename Base>
using RawLicensingMethods2 = v1::Licensing::WithRawCallbackMethod_GetConsentHistory<
    v1::Licensing::WithRawCallbackMethod_GetLicensingChain<
        v1::Licensing::WithRawCallbackMethod_CheckUse<
            v1::Licensing::WithRawCallbackMethod_GetImpact<
                v1::Licensing::WithRawCallbackMethod_AddClearance<
                    v1::Licensing::WithRawCallbackMethod_GetClearance<
                        v1::Licensing::WithRawCallbackMethod_ListClearances<
                            v1::Licensing::WithRawCallbackMethod_RevokeClearance<
                                Base>>>>>>>>;
using RawLicensingBase =
    RawLicensingMethods1<RawLicensingMethods2<v1::Licensing::Service>>;

class LicensingService final : public RawLicensingBase {
 public:
  LicensingService(lineage::Licensing& licensing, Dispatcher& dispatcher)
      : licensing_(licensing), dispatcher_(dispatcher) {}

  absl::Status HandleAddLicence(const v1::AddLicenceRequest& request,
                                v1::Licence* response, const records::Principal& caller);
  absl::Status HandleGetLicence(const v1::GetLicenceRequest& request,
                                v1::Licence* response);
  absl::Status HandleListLicences(const v1::ListLicencesRequest& request,
                                  v1::ListLicencesResponse* response);
  absl::Status HandleRevokeLicence(const v1::RevokeLicenceRequest& request,
                                   v1::Licence* response,
                                   const records::Principal& caller);
  absl::Status HandleAttachLicence(const v1::AttachLicenceRequest& request,
                                   v1::LicenceAttachment* response,
                                   const records::Principal& caller);
  absl::Status HandleListAttachments(const v1::ListAttachmentsRequest& request,
                                     v1::ListAttachmentsResponse* response);
  absl::Status HandleElectLicence(const v1::ElectLicenceRequest& request,
                                  v1::LicenceElection* response,
                                  const records::Principal& caller);
  absl::Status HandleSetConsent(const v1::SetConsentRequest& request,
                                v1::ConsentRecord* response,
                                const records::Principal& caller);
  absl::Status HandleGetConsentHistory(const v1::ConsentHistoryRequest& request,
                                       v1::ConsentHistoryResponse* response);
  absl::Status HandleGetLicensingChain(const v1::GetLicensingChainRequest& request,
                                       v1::LicensingChain* response);
  absl::Status HandleCheckUse(const v1::CheckUseRequest& request, v1::UseCheck* response);
  absl::Status HandleGetImpact(const v1::ImpactRequest& request,
                               v1::ImpactResponse* response);
  absl::Status HandleAddClearance(const v1::AddClearanceRequest& request,
                                  v1::Clearance* response,
                                  const records::Principal& caller);
  absl::Status HandleGetClearance(const v1::GetClearanceRequest& request,
                                  v1::Clearance* response);
  absl::Status HandleListClearances(const v1::ListClearancesRequest& request,
                                    v1::ListClearancesResponse* response);
  absl::Status HandleRevokeClearance(const v1::RevokeClearanceRequest& request,
                                     v1::Clearance* response,
                                     const records::Principal& caller);

 private:
  // A facility-bound caller writes only on its facility's artefacts.
  absl::Status MayWriteOn(const records::Principal& caller,
                          const std::string& artefact_id, std::string_view field);

  RMTC_SERVE_RAW_AS_CALLER(AddLicence, AddLicenceRequest, Licence)
  RMTC_SERVE_RAW(GetLicence, GetLicenceRequest, Licence)
  RMTC_SERVE_RAW(ListLicences, ListLicencesRequest, ListLicencesResponse)
  RMTC_SERVE_RAW_AS_CALLER(RevokeLicence, RevokeLicenceRequest, Licence)
  RMTC_SERVE_RAW_AS_CALLER(AttachLicence, AttachLicenceRequest, LicenceAttachment)
  RMTC_SERVE_RAW(ListAttachments, ListAttachmentsRequest, ListAttachmentsResponse)
  RMTC_SERVE_RAW_AS_CALLER(ElectLicence, ElectLicenceRequest, LicenceElection)
  RMTC_SERVE_RAW_AS_CALLER(SetConsent, SetConsentRequest, ConsentRecord)
  RMTC_SERVE_RAW(GetConsentHistory, ConsentHistoryRequest, ConsentHistoryResponse)
  RMTC_SERVE_RAW(GetLicensingChain, GetLicensingChainRequest, LicensingChain)
  RMTC_SERVE_RAW(CheckUse, CheckUseRequest, UseCheck)
  RMTC_SERVE_RAW(GetImpact, ImpactRequest, ImpactResponse)
  RMTC_SERVE_RAW_AS_CALLER(AddClearance, AddClearanceRequest, Clearance)
  RMTC_SERVE_RAW(GetClearance, GetClearanceRequest, Clearance)
  RMTC_SERVE_RAW(ListClearances, ListClearancesRequest, ListClearancesResponse)
  RMTC_SERVE_RAW_AS_CALLER(RevokeClearance, RevokeClearanceRequest, Clearance)

  lineage::Licensing& licensing_;
  Dispatcher& dispatcher_;
};

}  // namespace rmtc::rpc
