// Client certificates as principals (rmtcd --tls-client-identities): a file
// maps the names a verified client certificate carries (its CN or a SAN)
// to a role and an optional facility, one line each:
//
//   # name            role      [facility]
//   ingest.studio     recorder  wlg
//   render-farm-01    reader
//
// '#' starts a comment; blank lines are skipped; a name holds no spaces. A
// call with a mapped certificate and no token runs as "cert:<name>" with
// that role; a token, when the call has one, wins (docs/operations.md
// "Security").
#pragma once

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "records/access.h"

namespace rmtc::auth {

// The principal of each certificate name in `text`, read from the file
// `path` (named in errors). INVALID_ARGUMENT "<path>:<line>: ..." on the
// first bad line.
absl::StatusOr<std::map<std::string, records::Principal>> ParseCertificateIdentities(
    const std::string& path, const std::string& text);

// The same for the file at `path`; INVALID_ARGUMENT if it cannot be read.
absl::StatusOr<std::map<std::string, records::Principal>> ReadCertificateIdentities(
    const std::string& path);

}  // namespace rmtc::auth
