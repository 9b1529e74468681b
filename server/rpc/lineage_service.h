// The rmtc.v1.Lineage gRPC service: converts requests to domain commands,
// calls the ProvenanceGraph, converts answers and errors back. Thin: every
// rule lives in lineage/.
#pragma once

#include <grpcpp/grpcpp.h>

#include "lineage/provenance_graph.h"
#include "rmtc/v1/lineage.grpc.pb.h"
#include "rpc/dispatcher.h"

namespace rmtc::rpc {

// Every method is "raw": the Dispatcher parses the bytes itself, so a
// request with invalid UTF-8 gets INVALID_ARGUMENT naming the field instead
// of protobuf's bare parse failure.
using RawLineageBase = v1::Lineage::WithRawCallbackMethod_RegisterArtefacts<
    v1::Lineage::WithRawCallbackMethod_RecordTrainingRun<
        v1::Lineage::WithRawCallbackMethod_RecordInference<
            v1::Lineage::WithRawCallbackMethod_GetArtefact<
                v1::Lineage::WithRawCallbackMethod_FindArtefacts<
                    v1::Lineage::WithRawCallbackMethod_ListArtefacts<
                        v1::Lineage::WithRawCallbackMethod_Trace<
                            v1::Lineage::Service>>>>>>>;

class LineageService final : public RawLineageBase {
 public:
  LineageService(lineage::ProvenanceGraph& graph, Dispatcher& dispatcher)
      : graph_(graph), dispatcher_(dispatcher) {}

  // The typed handlers; public so tests can call them without a network.
  absl::Status HandleRegisterArtefacts(const v1::RegisterArtefactsRequest& request,
                                       v1::RegisterArtefactsResponse* response,
                                       const records::Principal& caller);
  absl::Status HandleRecordTrainingRun(const v1::RecordTrainingRunRequest& request,
                                       v1::RecordTrainingRunResponse* response,
                                       const records::Principal& caller);
  absl::Status HandleRecordInference(const v1::RecordInferenceRequest& request,
                                     v1::RecordInferenceResponse* response,
                                     const records::Principal& caller);
  absl::Status HandleGetArtefact(const v1::GetArtefactRequest& request,
                                 v1::Artefact* response);
  absl::Status HandleFindArtefacts(const v1::FindArtefactsRequest& request,
                                   v1::FindArtefactsResponse* response);
  absl::Status HandleListArtefacts(const v1::ListArtefactsRequest& request,
                                   v1::ListArtefactsResponse* response);
  absl::Status HandleTrace(const v1::TraceRequest& request, v1::TraceResponse* response);

 private:
  RMTC_SERVE_RAW_AS_CALLER(RegisterArtefacts, RegisterArtefactsRequest,
                           RegisterArtefactsResponse)
  RMTC_SERVE_RAW_AS_CALLER(RecordTrainingRun, RecordTrainingRunRequest,
                           RecordTrainingRunResponse)
  RMTC_SERVE_RAW_AS_CALLER(RecordInference, RecordInferenceRequest,
                           RecordInferenceResponse)
  RMTC_SERVE_RAW(GetArtefact, GetArtefactRequest, Artefact)
  RMTC_SERVE_RAW(FindArtefacts, FindArtefactsRequest, FindArtefactsResponse)
  RMTC_SERVE_RAW(ListArtefacts, ListArtefactsRequest, ListArtefactsResponse)
  RMTC_SERVE_RAW(Trace, TraceRequest, TraceResponse)

  lineage::ProvenanceGraph& graph_;
  Dispatcher& dispatcher_;
};

}  // namespace rmtc::rpc
