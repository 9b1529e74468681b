// The audit calls of rmtc::Client: entries, the head, verification.
#include "client_impl.h"
#include "convert.h"

namespace rmtc {
namespace {

template <typename Response, typename Call>
Result<Response> CallAudit(const Client::Impl& impl, Call&& call) {
  return WithRetries<Response>(impl, [&](grpc::ClientContext* context, Response* out) {
    return call(*impl.audit, context, out);
  });
}

AuditEntry FromProto(const v1::AuditEntry& p) {
  AuditEntry e{.seq = p.seq(),
               .recorded_at = TimeFromProto(p.recorded_at()),
               .principal = p.principal(),
               .method = p.method(),
               .request_id = p.request_id(),
               .request_sha256 = p.request_sha256(),
               .artefact_ids = {p.artefact_ids().begin(), p.artefact_ids().end()},
               .rows_digest = p.rows_digest(),
               .prev_hash = p.prev_hash(),
               .hash = p.hash()};
  for (const auto& row : p.rows()) e.rows.push_back({row.ref(), row.digest()});
  return e;
}

AuditHead FromProto(const v1::AuditHead& p) {
  AuditHead head{.seq = p.seq(), .hash = p.hash()};
  if (p.has_recorded_at()) head.recorded_at = TimeFromProto(p.recorded_at());
  return head;
}

std::string ProblemText(v1::AuditFinding::Problem problem) {
  switch (problem) {
    case v1::AuditFinding::ROW_CHANGED:
      return "row changed";
    case v1::AuditFinding::ROW_DELETED:
      return "row deleted";
    case v1::AuditFinding::ENTRY_CHANGED:
      return "entry changed";
    case v1::AuditFinding::CHAIN_BROKEN:
      return "chain broken";
    case v1::AuditFinding::ENTRIES_MISSING:
      return "entries missing";
    case v1::AuditFinding::HEAD_MISMATCH:
      return "head mismatch";
    case v1::AuditFinding::CHECKPOINT_MISMATCH:
      return "checkpoint mismatch";
    case v1::AuditFinding::UNAUDITED_ROW:
      return "row without entry";
    default:
      return "unknown problem";
  }
}

}  // namespace

Result<AuditPage> Client::ListAuditEntries(const AuditFilter& filter,
                                           std::int64_t after_seq, int page_size) const {
  v1::ListAuditEntriesRequest request;
  request.set_principal(filter.principal);
  if (filter.since) SetTimestamp(*filter.since, request.mutable_since());
  request.set_artefact_id(filter.artefact_id);
  request.set_after_seq(after_seq);
  request.set_page_size(page_size);
  auto response = CallAudit<v1::ListAuditEntriesResponse>(
      *impl_, [&](v1::Audit::Stub& stub, grpc::ClientContext* context, auto* out) {
        return stub.ListAuditEntries(context, request, out);
      });
  if (!response) return response.error();
  AuditPage page{.next_after_seq = response->next_after_seq()};
  for (const auto& e : response->entries()) page.entries.push_back(FromProto(e));
  return page;
}

Result<AuditHead> Client::GetAuditHead() const {
  auto response = CallAudit<v1::AuditHead>(
      *impl_, [&](v1::Audit::Stub& stub, grpc::ClientContext* context, auto* out) {
        return stub.GetAuditHead(context, v1::GetAuditHeadRequest(), out);
      });
  if (!response) return response.error();
  return FromProto(*response);
}

Result<AuditVerification> Client::VerifyAudit(const VerifyOptions& options) const {
  v1::VerifyAuditRequest request;
  request.set_after_seq(options.after_seq);
  request.set_unaudited_rows(options.unaudited_rows);
  for (const auto& c : options.checkpoints) {
    auto* checkpoint = request.add_checkpoints();
    checkpoint->set_seq(c.seq);
    checkpoint->set_hash(c.hash);
  }
  AuditVerification result;
  for (;;) {
    auto page = CallAudit<v1::VerifyAuditResponse>(
        *impl_, [&](v1::Audit::Stub& stub, grpc::ClientContext* context, auto* out) {
          return stub.VerifyAudit(context, request, out);
        });
    if (!page) return page.error();
    result.entries_checked += page->entries_checked();
    result.rows_checked += page->rows_checked();
    for (const auto& f : page->findings()) {
      result.findings.push_back({.problem = ProblemText(f.problem()),
                                 .seq = f.seq(),
                                 .method = f.method(),
                                 .principal = f.principal(),
                                 .row = f.row(),
                                 .detail = f.detail()});
    }
    if (page->done()) {
      result.head = FromProto(page->head());
      result.unaudited_rows = page->unaudited_rows();
      return result;
    }
    request.set_after_seq(page->last_seq());
  }
}

}  // namespace rmtc
