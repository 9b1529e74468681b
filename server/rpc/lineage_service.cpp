#include "rpc/lineage_service.h"

#include "common/status_macros.h"
#include "common/strings.h"
#include "rpc/convert.h"
#include "rpc/licensing_convert.h"
#include "rpc/request_digest.h"

namespace rmtc::rpc {
namespace {

template <typename Request>
lineage::WriteContext ContextOf(const Request& request) {
  return {request.request_id(), RequestDigest(request), request.created_by()};
}

absl::StatusOr<std::vector<records::NewArtefact>> NewArtefactsFromProto(
    const google::protobuf::RepeatedPtrField<v1::NewArtefact>& protos,
    std::string_view field) {
  std::vector<records::NewArtefact> out;
  out.reserve(protos.size());
  for (int i = 0; i < protos.size(); ++i) {
    auto item = NewArtefactFromProto(protos[i], StrCat(field, "[", i, "]"));
    if (!item.ok()) return item.status();
    out.push_back(*std::move(item));
  }
  return out;
}

std::vector<std::string> Strings(
    const google::protobuf::RepeatedPtrField<std::string>& ids) {
  return {ids.begin(), ids.end()};
}

void SetRegistered(const records::WriteResult& result, std::size_t index,
                   v1::Registered* out) {
  ToProto(result.artefacts[index], out->mutable_artefact());
  out->set_existed(result.existed[index]);
}

// A facility-bound caller records only its facility's artefacts.
absl::Status MayWrite(const records::Principal& caller, const v1::NewArtefact& artefact,
                      std::string_view field) {
  return auth::Authenticator::MayWrite(caller, artefact.facility(),
                                       StrCat(field, ".facility"));
}

absl::Status MayWriteAll(const records::Principal& caller,
                         const google::protobuf::RepeatedPtrField<v1::NewArtefact>& all,
                         std::string_view field) {
  for (int i = 0; i < all.size(); ++i) {
    RMTC_RETURN_IF_ERROR(MayWrite(caller, all[i], StrCat(field, "[", i, "]")));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status LineageService::HandleRegisterArtefacts(
    const v1::RegisterArtefactsRequest& request, v1::RegisterArtefactsResponse* response,
    const records::Principal& caller) {
  RMTC_RETURN_IF_ERROR(MayWriteAll(caller, request.artefacts(), "artefacts"));
  auto artefacts = NewArtefactsFromProto(request.artefacts(), "artefacts");
  if (!artefacts.ok()) return artefacts.status();
  auto result = graph_.Register({ContextOf(request), *std::move(artefacts)});
  if (!result.ok()) return result.status();
  for (std::size_t i = 0; i < result->artefacts.size(); ++i) {
    SetRegistered(*result, i, response->add_artefacts());
  }
  return absl::OkStatus();
}

absl::Status LineageService::HandleRecordTrainingRun(
    const v1::RecordTrainingRunRequest& request, v1::RecordTrainingRunResponse* response,
    const records::Principal& caller) {
  RMTC_RETURN_IF_ERROR(MayWrite(caller, request.run(), "run"));
  RMTC_RETURN_IF_ERROR(MayWriteAll(caller, request.weights(), "weights"));
  auto run = NewArtefactFromProto(request.run(), "run");
  if (!run.ok()) return run.status();
  auto weights = NewArtefactsFromProto(request.weights(), "weights");
  if (!weights.ok()) return weights.status();
  auto check = GuardrailFromProto(request.has_check(), request.check());
  if (!check.ok()) return check.status();
  auto result = graph_.RecordTrainingRun(
      {ContextOf(request), *check, *std::move(run), Strings(request.trained_on()),
       Strings(request.evaluated_on()), Strings(request.base()), *std::move(weights)});
  if (!result.ok()) return result.status();
  if (result->check) ToProto(*result->check, response->mutable_check());
  SetRegistered(*result, 0, response->mutable_run());
  for (std::size_t i = 1; i < result->artefacts.size(); ++i) {
    SetRegistered(*result, i, response->add_weights());
  }
  return absl::OkStatus();
}

absl::Status LineageService::HandleRecordInference(
    const v1::RecordInferenceRequest& request, v1::RecordInferenceResponse* response,
    const records::Principal& caller) {
  RMTC_RETURN_IF_ERROR(MayWrite(caller, request.inference(), "inference"));
  RMTC_RETURN_IF_ERROR(MayWriteAll(caller, request.outputs(), "outputs"));
  auto inference = NewArtefactFromProto(request.inference(), "inference");
  if (!inference.ok()) return inference.status();
  auto outputs = NewArtefactsFromProto(request.outputs(), "outputs");
  if (!outputs.ok()) return outputs.status();
  auto check = GuardrailFromProto(request.has_check(), request.check());
  if (!check.ok()) return check.status();
  auto result = graph_.RecordInference({ContextOf(request), *check, *std::move(inference),
                                        Strings(request.uses()),
                                        Strings(request.inputs()), *std::move(outputs)});
  if (!result.ok()) return result.status();
  if (result->check) ToProto(*result->check, response->mutable_check());
  SetRegistered(*result, 0, response->mutable_inference());
  for (std::size_t i = 1; i < result->artefacts.size(); ++i) {
    SetRegistered(*result, i, response->add_outputs());
  }
  return absl::OkStatus();
}

absl::Status LineageService::HandleGetArtefact(const v1::GetArtefactRequest& request,
                                               v1::Artefact* response) {
  auto artefact = graph_.Get(request.id());
  if (!artefact.ok()) return artefact.status();
  ToProto(*artefact, response);
  return absl::OkStatus();
}

absl::Status LineageService::HandleFindArtefacts(const v1::FindArtefactsRequest& request,
                                                 v1::FindArtefactsResponse* response) {
  auto kind = KindFromProto(request.kind(), "kind");
  if (!kind.ok()) return kind.status();
  absl::StatusOr<std::vector<records::Artefact>> found;
  switch (request.key_case()) {
    case v1::FindArtefactsRequest::kSha256:
      found = graph_.FindBySha256(request.sha256(), *kind);
      break;
    case v1::FindArtefactsRequest::kExternalId:
      found = graph_.FindByExternalId(
          {request.external_id().system(), request.external_id().id()});
      break;
    default:
      return absl::InvalidArgumentError("key: give sha256 or external_id");
  }
  if (!found.ok()) return found.status();
  for (const auto& a : *found) ToProto(a, response->add_artefacts());
  return absl::OkStatus();
}

absl::Status LineageService::HandleListArtefacts(const v1::ListArtefactsRequest& request,
                                                 v1::ListArtefactsResponse* response) {
  auto kind = KindFromProto(request.kind(), "kind");
  if (!kind.ok()) return kind.status();
  lineage::ListRequest list{.kind = *kind,
                            .name_contains = request.name_contains(),
                            .facility = request.facility(),
                            .created_after = std::nullopt,
                            .created_before = std::nullopt,
                            .page_size = request.page_size(),
                            .page_token = request.page_token()};
  auto after = OptionalTimestampFromProto(request.has_created_after(),
                                          request.created_after(), "created_after");
  if (!after.ok()) return after.status();
  list.created_after = *after;
  auto before = OptionalTimestampFromProto(request.has_created_before(),
                                           request.created_before(), "created_before");
  if (!before.ok()) return before.status();
  list.created_before = *before;
  auto page = graph_.List(list);
  if (!page.ok()) return page.status();
  for (const auto& a : page->artefacts) ToProto(a, response->add_artefacts());
  response->set_next_page_token(page->next_page_token);
  return absl::OkStatus();
}

absl::Status LineageService::HandleTrace(const v1::TraceRequest& request,
                                         v1::TraceResponse* response) {
  lineage::TraceRequest trace{.id = request.id(),
                              .direction = records::Direction::kUpstream,
                              .max_depth = request.max_depth(),
                              .relations = {},
                              .max_nodes = request.max_nodes(),
                              .page_token = request.page_token()};
  switch (request.direction()) {
    case v1::DIRECTION_UNSPECIFIED:
    case v1::DIRECTION_UPSTREAM:
      break;
    case v1::DIRECTION_DOWNSTREAM:
      trace.direction = records::Direction::kDownstream;
      break;
    default:
      return absl::InvalidArgumentError(
          StrCat("direction: unknown direction ", static_cast<int>(request.direction())));
  }
  for (int i = 0; i < request.relations_size(); ++i) {
    auto relation = RelationFromProto(request.relations(i), StrCat("relations[", i, "]"));
    if (!relation.ok()) return relation.status();
    if (!*relation) {
      return absl::InvalidArgumentError(StrCat("relations[", i, "]: is unspecified"));
    }
    trace.relations.push_back(**relation);
  }
  auto result = graph_.Trace(trace);
  if (!result.ok()) return result.status();
  for (const auto& node : result->nodes) {
    auto* out = response->add_nodes();
    ToProto(node.artefact, out->mutable_artefact());
    out->set_depth(node.depth);
  }
  for (const auto& edge : result->edges) ToProto(edge, response->add_edges());
  response->set_partial(result->partial);
  response->set_next_page_token(result->next_page_token);
  return absl::OkStatus();
}

}  // namespace rmtc::rpc
