// Forward-only schema migrations (schema/V<n>__<name>.sql), built into the
// binary and applied at start.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace rmtc::store {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

// The migrations in schema/, by version. Generated at build time.
const std::vector<Migration>& BuiltinMigrations();

// Brings the database at `url` up to the last of `migrations`, in one
// transaction under an advisory lock, so that several rmtcd starting at once
// on one database all come up (one migrates, the others then find nothing
// to do). Every applied migration is recorded in schema_version.
// Returns the schema version now in place.
// FAILED_PRECONDITION if the database's schema is newer than the newest
// migration known here (an older rmtcd must not touch it), or if its
// history has a gap; UNAVAILABLE if the database cannot be reached;
// INTERNAL if a migration fails (nothing of it is kept).
absl::StatusOr<int> Migrate(const std::string& url,
                            const std::vector<Migration>& migrations);

}  // namespace rmtc::store
