#include "rpc/audit_service.h"

#include "lineage/validation.h"
#include "rpc/convert.h"

namespace rmtc::rpc {
namespace {

void ToProto(const records::AuditEntry& e, v1::AuditEntry* out) {
  out->set_seq(e.seq);
  rpc::ToProto(e.recorded_at, out->mutable_recorded_at());
  out->set_principal(e.principal);
  out->set_method(e.method);
  out->set_request_id(e.request_id);
  out->set_request_sha256(e.request_sha256);
  for (const auto& id : e.artefact_ids) out->add_artefact_ids(id.ToString());
  for (const auto& row : e.rows) {
    auto* r = out->add_rows();
    r->set_ref(row.ref);
    r->set_digest(row.digest);
  }
  out->set_rows_digest(e.rows_digest);
  out->set_prev_hash(e.prev_hash);
  out->set_hash(e.hash);
}

void ToProto(const records::AuditHead& head, v1::AuditHead* out) {
  out->set_seq(head.seq);
  out->set_hash(head.hash);
  if (head.recorded_at) rpc::ToProto(*head.recorded_at, out->mutable_recorded_at());
}

v1::AuditFinding::Problem ProblemToProto(records::AuditFinding::Problem problem) {
  using P = records::AuditFinding::Problem;
  switch (problem) {
    case P::kRowChanged:
      return v1::AuditFinding::ROW_CHANGED;
    case P::kRowMissing:
      return v1::AuditFinding::ROW_DELETED;
    case P::kEntryChanged:
      return v1::AuditFinding::ENTRY_CHANGED;
    case P::kChainBroken:
      return v1::AuditFinding::CHAIN_BROKEN;
    case P::kEntriesMissing:
      return v1::AuditFinding::ENTRIES_MISSING;
    case P::kHeadMismatch:
      return v1::AuditFinding::HEAD_MISMATCH;
    case P::kCheckpointMismatch:
      return v1::AuditFinding::CHECKPOINT_MISMATCH;
    case P::kUnauditedRow:
      return v1::AuditFinding::UNAUDITED_ROW;
  }
  return v1::AuditFinding::PROBLEM_UNSPECIFIED;
}

}  // namespace

absl::Status AuditService::HandleListAuditEntries(
    const v1::ListAuditEntriesRequest& request, v1::ListAuditEntriesResponse* response) {
  store::AuditQuery query{.principal = request.principal(),
                          .after_seq = request.after_seq()};
  auto since = OptionalTimestampFromProto(request.has_since(), request.since(), "since");
  if (!since.ok()) return since.status();
  query.since = *since;
  if (!request.artefact_id().empty()) {
    auto id = lineage::ParseId("artefact_id", request.artefact_id());
    if (!id.ok()) return id.status();
    query.artefact = *id;
  }
  auto listing = log_.List(query, request.page_size());
  if (!listing.ok()) return listing.status();
  for (const auto& e : listing->entries) ToProto(e, response->add_entries());
  response->set_next_after_seq(listing->next_after_seq);
  return absl::OkStatus();
}

absl::Status AuditService::HandleGetAuditHead(const v1::GetAuditHeadRequest&,
                                              v1::AuditHead* response) {
  auto head = log_.Head();
  if (!head.ok()) return head.status();
  ToProto(*head, response);
  return absl::OkStatus();
}

absl::Status AuditService::HandleVerifyAudit(const v1::VerifyAuditRequest& request,
                                             v1::VerifyAuditResponse* response) {
  lineage::VerifyQuery query{.after_seq = request.after_seq(),
                             .max_entries = request.max_entries(),
                             .unaudited_rows = request.unaudited_rows()};
  for (const auto& c : request.checkpoints()) {
    query.checkpoints.push_back({.seq = c.seq(), .hash = c.hash()});
  }
  auto page = log_.Verify(query);
  if (!page.ok()) return page.status();
  response->set_entries_checked(page->entries_checked);
  response->set_rows_checked(page->rows_checked);
  response->set_last_seq(page->last_seq);
  response->set_done(page->done);
  for (const auto& f : page->findings) {
    auto* out = response->add_findings();
    out->set_problem(ProblemToProto(f.problem));
    out->set_seq(f.seq);
    out->set_method(f.method);
    out->set_principal(f.principal);
    out->set_row(f.row);
    out->set_detail(f.detail);
  }
  ToProto(page->head, response->mutable_head());
  response->set_unaudited_rows(page->unaudited_rows);
  return absl::OkStatus();
}

}  // namespace rmtc::rpc
