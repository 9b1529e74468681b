#include "store/migrator.h"

#include <spdlog/spdlog.h>

#include <pqxx/pqxx>
#include <set>

#include "common/strings.h"
#include "store/connection_pool.h"
#include "store/database_url.h"

namespace rmtc::store {
namespace {

// pg_advisory_xact_lock key: "rmtc" in ASCII.
constexpr std::int64_t kMigrationLock = 0x726d7463;

constexpr char kLock[] = "SELECT pg_advisory_xact_lock($1)";
constexpr char kCreateVersionTable[] =
    "CREATE TABLE IF NOT EXISTS schema_version ("
    "  version    int         PRIMARY KEY,"
    "  name       text        NOT NULL,"
    "  applied_at timestamptz NOT NULL DEFAULT now())";
constexpr char kAppliedVersions[] = "SELECT version FROM schema_version";
constexpr char kRecordVersion[] =
    "INSERT INTO schema_version (version, name) VALUES ($1, $2)";

}  // namespace

absl::StatusOr<int> Migrate(const std::string& url,
                            const std::vector<Migration>& migrations) {
  const int newest_known = migrations.empty() ? 0 : migrations.back().version;
  try {
    pqxx::connection connection(WithLibpqDefaults(url));
    pqxx::work tx(connection);
    tx.exec_params(kLock, kMigrationLock);
    tx.exec0(kCreateVersionTable);
    std::set<int> applied;
    for (const auto& row : tx.exec(kAppliedVersions)) {
      applied.insert(row[0].as<int>());
    }
    if (!applied.empty() && *applied.rbegin() > newest_known) {
      return absl::FailedPreconditionError(
          StrCat("the database schema is at version ", *applied.rbegin(),
                 ", newer than this rmtcd knows (", newest_known,
                 "): it was migrated by a newer rmtcd; run that version or newer"));
    }
    int version = 0;
    for (const auto& m : migrations) {
      if (applied.count(m.version)) {
        version = m.version;
        continue;
      }
      if (!applied.empty() && m.version < *applied.rbegin()) {
        return absl::FailedPreconditionError(
            StrCat("the database schema has versions {",
                   StrJoin(applied, ", ", [](int v) { return v; }), "} but lacks ",
                   m.version, " (", m.name, "): its history does not match this rmtcd"));
      }
      spdlog::info("applying schema migration {} ({})", m.version, m.name);
      tx.exec0(std::string(m.sql));
      tx.exec_params0(kRecordVersion, m.version, std::string(m.name));
      version = m.version;
    }
    tx.commit();
    return version;
  } catch (const pqxx::broken_connection& e) {
    return absl::UnavailableError(
        StrCat("cannot reach the database: ", DatabaseErrorText(e)));
  } catch (const std::exception& e) {
    return absl::InternalError(StrCat("schema migration failed: ", DatabaseErrorText(e)));
  }
}

}  // namespace rmtc::store
