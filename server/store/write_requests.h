// Request ids: what makes a write safe to repeat. A write claims its id in
// write_request inside its own transaction; a repeat of the same request
// finds the claim and gets the first answer back; the same id with another
// request is ALREADY_EXISTS. Lineage and licensing writes share this.
//
// Ids are the caller's own: a claim is keyed by (principal, request id), so
// the same id from another principal is another request. Claims expire
// (rmtcd --request-id-days, store/request_sweep.h): a repeat after its claim
// was forgotten is a new request.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>

#include "absl/status/statusor.h"
#include "records/queries.h"

namespace rmtc::store {

// What the first call with a request id left in its claim for its repeats.
struct FirstAnswer {
  std::string result_ids;  // lineage writes: the artefact ids, "id,id,...", in order
  std::string existed;     // lineage writes: their flags, "true,false,..."
  std::optional<std::int64_t> result_seq;  // licensing writes: the record appended
};

// Whose claims a write makes and finds: the admitted caller's principal
// (common/call_scope.h), "" outside any call (tools, tests).
std::string RequestOwner();

// Claims `request.id` (not empty), for RequestOwner(), for its method and digest.
// nullopt: this transaction holds the claim; write, store the answer in it (lineage:
// sql::kFinishRequest; licensing: FinishRecordRequest), and commit. Otherwise
// the first call's answer, or ALREADY_EXISTS when the id came with another
// method or digest: "request_id: '<id>' was already used for a different
// <first method> request; use a new id for a new request". A concurrent first
// call with the same id is waited for (the primary key): its commit makes
// this call a repeat, its rollback leaves the id to this one.
absl::StatusOr<std::optional<FirstAnswer>> ClaimRequest(
    pqxx::transaction_base& tx, const records::RequestKey& request);

// Names, in the claim of `id`, the record a licensing write appended.
void FinishRecordRequest(pqxx::transaction_base& tx, const std::string& id,
                         std::int64_t seq);

// Forgets up to `limit` claims older than `age`, oldest first; how many.
int ForgetRequestsOlderThan(pqxx::transaction_base& tx, std::chrono::seconds age,
                            int limit);

}  // namespace rmtc::store
