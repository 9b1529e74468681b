// Starting and stopping child processes, optionally as another user: what
// the embedded PostgreSQL needs (initdb refuses to run as root).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace rmtc::embedded {

// A system user to run a child as.
struct Account {
  std::string name;
  uid_t uid;
  gid_t gid;
};

// The account `name`, or nullopt if it does not exist.
std::optional<Account> LookUpAccount(const std::string& name);

struct SpawnOptions {
  std::optional<Account> run_as;   // switch user in the child
  std::string working_dir;         // chdir there first ("" : stay)
  int output_fd = -1;              // stdout and stderr go here (-1: /dev/null)
  bool own_process_group = false;  // so a terminal's Ctrl-C reaches only us
  int parent_death_signal = 0;     // sent to the child if we die first
};

// Starts `argv` (argv[0] is a path). The child starts with no blocked
// signals, whatever the parent blocks.
absl::StatusOr<pid_t> Spawn(const std::vector<std::string>& argv,
                            const SpawnOptions& options);

struct Completed {
  int exit_code;       // -1 if killed by a signal
  std::string output;  // stdout and stderr, interleaved
};

// Runs `argv` to completion and collects what it printed.
absl::StatusOr<Completed> RunToCompletion(const std::vector<std::string>& argv,
                                          SpawnOptions options);

// Waits up to `timeout` for `pid` to exit. True if it did (and was reaped).
bool WaitForExit(pid_t pid, std::chrono::milliseconds timeout);

// True if `pid` exited already (reaping it); false while it runs.
bool HasExited(pid_t pid);

// Whether `account` can reach `path` with `mode` (access(2) bits), checked
// in a child running as that account.
bool AccountCanAccess(const Account& account, const std::string& path, int mode);

}  // namespace rmtc::embedded
