// The zero-config default: a private PostgreSQL cluster that rmtcd keeps
// under its data directory, reachable only through a unix socket there.
//
//   <data-dir>/postgres/      the cluster (initdb on first start)
//   <data-dir>/run/           its socket; no TCP port is opened
//   <data-dir>/postgres.log   the server's log
//
// Running as root, the cluster runs as the `postgres` user (PostgreSQL
// refuses root), so that user must be able to reach the data directory.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "embedded/process.h"

namespace rmtc::embedded {

// Where rmtcd keeps its data without --data-dir: /var/lib/rmtc for root,
// else $XDG_DATA_HOME/rmtc, else ~/.local/share/rmtc.
std::filesystem::path DefaultDataDir();

// PostgreSQL's server binaries. For an existing cluster (`version` from its
// PG_VERSION), those of that major version, else FAILED_PRECONDITION; for a
// new one, `pg_config --bindir` if it holds initdb, else the newest
// /usr/lib/postgresql/<version>/bin, else NOT_FOUND.
absl::StatusOr<std::filesystem::path> FindPostgresBinDir(const std::string& version = "");

struct EmbeddedOptions {
  std::filesystem::path data_dir;
  // false for throwaway test clusters: fsync off, much faster.
  bool durable = true;
};

class EmbeddedPostgres {
 public:
  // Creates the cluster on first use (initdb, then the `rmtc` database),
  // starts it, and waits until it accepts connections. After an unclean
  // stop PostgreSQL recovers from its log by itself. If the cluster is still
  // held by a PostgreSQL that is shutting down, waits for it.
  // FAILED_PRECONDITION when the data directory is unusable (held by another
  // running server, unreachable for the postgres user, path too long for a
  // socket); NOT_FOUND when PostgreSQL is not installed; INTERNAL when
  // initdb or the server fails (the message quotes its log).
  static absl::StatusOr<std::unique_ptr<EmbeddedPostgres>> Start(
      const EmbeddedOptions& options);

  // Stops the server (fast shutdown) if it still runs.
  ~EmbeddedPostgres();
  EmbeddedPostgres(const EmbeddedPostgres&) = delete;
  EmbeddedPostgres& operator=(const EmbeddedPostgres&) = delete;

  // Fast shutdown: running transactions are rolled back, a checkpoint is
  // written. Escalates to an immediate shutdown after 30 s.
  void Stop();

  // True once the server has exited on its own (it is reaped, and Stop()
  // has nothing left to do). Not to be called while Stop() runs.
  bool Exited();

  // A libpq connection string for `database`.
  std::string ConnectionString(const std::string& database = "rmtc") const;
  // The same for the cluster under `data_dir`, started by whoever holds it
  // (rmtcd token create reaches a running rmtcd's database this way).
  static std::string ConnectionStringFor(const std::filesystem::path& data_dir,
                                         const std::string& database = "rmtc");

  pid_t pid() const { return pid_; }
  const std::filesystem::path& data_dir() const { return options_.data_dir; }

 private:
  EmbeddedPostgres(EmbeddedOptions options, std::filesystem::path bin_dir,
                   std::optional<Account> run_as);
  absl::Status Prepare();
  absl::Status InitCluster();
  absl::Status WaitForOldServer();
  absl::Status Launch();
  absl::Status WaitUntilReady();
  absl::Status EnsureDatabase();
  std::string LogTail() const;

  EmbeddedOptions options_;
  std::filesystem::path bin_dir_;
  std::optional<Account> run_as_;  // set when running as root
  pid_t pid_ = -1;
};

}  // namespace rmtc::embedded
