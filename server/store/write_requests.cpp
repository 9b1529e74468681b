#include "store/write_requests.h"

#include "common/call_scope.h"
#include "common/strings.h"
#include "store/sql.h"
#include "vocabulary/hex.h"

namespace rmtc::store {

std::string RequestOwner() {
  const CallLimits* call = CallScope::Current();
  return call == nullptr ? std::string() : call->principal;
}

absl::StatusOr<std::optional<FirstAnswer>> ClaimRequest(
    pqxx::transaction_base& tx, const records::RequestKey& request) {
  const std::string digest_hex = vocabulary::HexEncode(request.digest);
  const std::string owner = RequestOwner();
  if (!tx.exec_params(sql::kClaimRequest, request.id, request.method, digest_hex, owner)
           .empty()) {
    return std::nullopt;
  }
  const auto row = tx.exec_params1(sql::kGetRequest, request.id, owner);
  if (row[0].c_str() != request.method || row[1].c_str() != digest_hex) {
    return absl::AlreadyExistsError(
        StrCat("request_id: '", request.id, "' was already used for a different ",
               row[0].c_str(), " request; use a new id for a new request"));
  }
  FirstAnswer first{.result_ids = row[2].c_str(), .existed = row[3].c_str()};
  if (!row[4].is_null()) first.result_seq = row[4].as<std::int64_t>();
  return first;
}

void FinishRecordRequest(pqxx::transaction_base& tx, const std::string& id,
                         std::int64_t seq) {
  tx.exec_params0(sql::kFinishRecordRequest, id, seq, RequestOwner());
}

int ForgetRequestsOlderThan(pqxx::transaction_base& tx, std::chrono::seconds age,
                            int limit) {
  return static_cast<int>(
      tx.exec_params(sql::kForgetRequests, static_cast<double>(age.count()), limit)
          .size());
}

}  // namespace rmtc::store
