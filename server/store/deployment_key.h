// The deployment's secret (schema/V0005__deployment_key.sql): one key per
// database, so every rmtcd on it signs page tokens alike.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "store/connection_pool.h"

namespace rmtc::store {

// The page-token key, 32 bytes. UNAVAILABLE if the database cannot be
// reached; INTERNAL if the row is missing or malformed.
absl::StatusOr<std::string> LoadPageTokenKey(ConnectionPool& pool);

}  // namespace rmtc::store
