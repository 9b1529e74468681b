// The rmtc.v1.Licensing gRPC service: converts, calls lineage::Licensing,
// converts back. Thin, like LineageService, and served the same raw way.
#pragma once

#include <grpcpp/grpcpp.h>

#include "lineage/licensing.h"
#include "rmtc/v1/licensing.grpc.pb.h"
#include "rpc/dispatcher.h"

namespace rmtc::rpc {

using RawLicensingBase = v1::Licensing::WithRawCallbackMethod_AddLicence<
    v1::Licensing::WithRawCallbackMethod_GetLicence<
    v1::Licensing::WithRawCallbackMethod_ListLicences<
    v1::Licensing::WithRawCallbackMethod_RevokeLicence<
    v1::Licensing::WithRawCallbackMethod_AttachLicence<
    v1::Licensing::WithRawCallbackMethod_ListAttachments<
    v1::Licensing::WithRawCallbackMethod_ElectLicence<
    v1::Licensing::WithRawCallbackMethod_SetConsent<
    v1::Licensing::WithRawCallbackMethod_GetConsentHistory<
    v1::Licensing::WithRawCallbackMethod_GetLicensingChain<
    v1::Licensing::WithRawCallbackMethod_CheckUse<
    v1::Licensing::WithRawCallbackMethod_GetImpact<v1::Licensing::Service>>>>>>>>>>>>;

class LicensingService final : public RawLicensingBase {
 public:
  LicensingService(lineage::Licensing& licensing, Dispatcher& dispatcher)
      : licensing_(licensing), dispatcher_(dispatcher) {}

  grpc::Status HandleAddLicence(const v1::AddLicenceRequest& request, v1::Licence* response);
  grpc::Status HandleGetLicence(const v1::GetLicenceRequest& request, v1::Licence* response);
  grpc::Status HandleListLicences(const v1::ListLicencesRequest& request,
                                  v1::ListLicencesResponse* response);
  grpc::Status HandleRevokeLicence(const v1::RevokeLicenceRequest& request,
                                   v1::Licence* response);
  grpc::Status HandleAttachLicence(const v1::AttachLicenceRequest& request,
                                   v1::LicenceAttachment* response);
  grpc::Status HandleListAttachments(const v1::ListAttachmentsRequest& request,
                                     v1::ListAttachmentsResponse* response);
  grpc::Status HandleElectLicence(const v1::ElectLicenceRequest& request,
                                  v1::LicenceElection* response);
  grpc::Status HandleSetConsent(const v1::SetConsentRequest& request,
                                v1::ConsentRecord* response);
  grpc::Status HandleGetConsentHistory(const v1::ConsentHistoryRequest& request,
                                       v1::ConsentHistoryResponse* response);
  grpc::Status HandleGetLicensingChain(const v1::GetLicensingChainRequest& request,
                                       v1::LicensingChain* response);
  grpc::Status HandleCheckUse(const v1::CheckUseRequest& request, v1::UseCheck* response);
  grpc::Status HandleGetImpact(const v1::ImpactRequest& request, v1::ImpactResponse* response);

 private:
#define RMTC_RAW_METHOD(Method, Request, Response)                            \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* context,      \
                                   const grpc::ByteBuffer* request,           \
                                   grpc::ByteBuffer* response) override {     \
    return dispatcher_.Serve<v1::Request, v1::Response>(                      \
        context, request, response, #Method,                                  \
        [this](const v1::Request& typed, v1::Response* out) {                 \
          return Handle##Method(typed, out);                                  \
        });                                                                   \
  }
  RMTC_RAW_METHOD(AddLicence, AddLicenceRequest, Licence)
  RMTC_RAW_METHOD(GetLicence, GetLicenceRequest, Licence)
  RMTC_RAW_METHOD(ListLicences, ListLicencesRequest, ListLicencesResponse)
  RMTC_RAW_METHOD(RevokeLicence, RevokeLicenceRequest, Licence)
  RMTC_RAW_METHOD(AttachLicence, AttachLicenceRequest, LicenceAttachment)
  RMTC_RAW_METHOD(ListAttachments, ListAttachmentsRequest, ListAttachmentsResponse)
  RMTC_RAW_METHOD(ElectLicence, ElectLicenceRequest, LicenceElection)
  RMTC_RAW_METHOD(SetConsent, SetConsentRequest, ConsentRecord)
  RMTC_RAW_METHOD(GetConsentHistory, ConsentHistoryRequest, ConsentHistoryResponse)
  RMTC_RAW_METHOD(GetLicensingChain, GetLicensingChainRequest, LicensingChain)
  RMTC_RAW_METHOD(CheckUse, CheckUseRequest, UseCheck)
  RMTC_RAW_METHOD(GetImpact, ImpactRequest, ImpactResponse)
#undef RMTC_RAW_METHOD

  lineage::Licensing& licensing_;
  Dispatcher& dispatcher_;
};

}  // namespace rmtc::rpc
