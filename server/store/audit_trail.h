// Appending to the audit log inside a write's own transaction
// (docs/operations.md, "Audit log"). Every store write that changes an
// audited table calls AppendAudit before it commits: no write without its
// entry, no entry without its write (the entry rolls back with the write).
//
// The caller, method and request digest come from the call's CallScope
// (common/call_scope.h); a write made outside any call (rmtcd token
// create, the bootstrap token file) opens a scope naming itself.
//
// Row refs, one per row written:
//   artefact:<uuid>             the artefact, its edges and external ids
//   item_key:<key>              an item key bound
//   licence:<id>                a licence (its revocation apart)
//   licence_revoked:<micros>:<id>  revoked from <micros> or earlier
//   attachment:<seq>  election:<seq>  consent:<seq>
//   clearance:<uuid>  clearance_revocation:<seq>
//   token:<uuid>      token_revocation:<seq>
#pragma once

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "records/audit.h"
#include "records/uuid.h"

namespace rmtc::store {

struct AuditWrite {
  std::string request_id;
  std::vector<records::Uuid> artefact_ids;  // written, or spoken of
  std::vector<std::string> refs;            // the rows written
};

// Digests the rows, then appends the entry after the chain's head (which
// it locks until the transaction ends). Nothing if `write.refs` is empty.
void AppendAudit(pqxx::transaction_base& tx, const AuditWrite& write);

// The digests of the rows `refs` name as they read now, in order; nullopt
// for a row that is gone.
std::vector<std::optional<std::string>> RowDigests(pqxx::transaction_base& tx,
                                                   const std::vector<std::string>& refs);

}  // namespace rmtc::store
