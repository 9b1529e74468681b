// The rmtc.v1.Audit gRPC service: listing and verifying the audit log
// (lineage/audit_log.h). Admin only (auth/roles.cpp).
#pragma once

#include <grpcpp/grpcpp.h>

#include "lineage/audit_log.h"
#include "rmtc/v1/audit.grpc.pb.h"
#include "rpc/dispatcher.h"

namespace rmtc::rpc {

using RawAuditBase = v1::Audit::WithRawCallbackMethod_ListAuditEntries<
    v1::Audit::WithRawCallbackMethod_GetAuditHead<
        v1::Audit::WithRawCallbackMethod_VerifyAudit<v1::Audit::Service>>>;

class AuditService final : public RawAuditBase {
 public:
  AuditService(lineage::AuditLog& log, Dispatcher& dispatcher)
      : log_(log), dispatcher_(dispatcher) {}

  absl::Status HandleListAuditEntries(const v1::ListAuditEntriesRequest& request,
                                      v1::ListAuditEntriesResponse* response);
  absl::Status HandleGetAuditHead(const v1::GetAuditHeadRequest& request,
                                  v1::AuditHead* response);
  absl::Status HandleVerifyAudit(const v1::VerifyAuditRequest& request,
                                 v1::VerifyAuditResponse* response);

 private:
  RMTC_SERVE_RAW(ListAuditEntries, ListAuditEntriesRequest, ListAuditEntriesResponse)
  RMTC_SERVE_RAW(GetAuditHead, GetAuditHeadRequest, AuditHead)
  RMTC_SERVE_RAW(VerifyAudit, VerifyAuditRequest, VerifyAuditResponse)

  lineage::AuditLog& log_;
  Dispatcher& dispatcher_;
};

}  // namespace rmtc::rpc
