#include "embedded/process.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "common/strings.h"

namespace rmtc::embedded {
namespace {

// Runs in the forked child: only async-signal-safe calls until exec.
[[noreturn]] void ExecChild(const std::vector<char*>& argv, const SpawnOptions& options,
                            pid_t parent) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  if (options.own_process_group) setpgid(0, 0);
  const int out =
      options.output_fd >= 0 ? options.output_fd : open("/dev/null", O_WRONLY);
  dup2(out, STDOUT_FILENO);
  dup2(out, STDERR_FILENO);
  const int in = open("/dev/null", O_RDONLY);
  dup2(in, STDIN_FILENO);
  if (options.run_as) {
    if (setgroups(0, nullptr) != 0 || setgid(options.run_as->gid) != 0 ||
        setuid(options.run_as->uid) != 0) {
      _exit(126);
    }
  }
  // After setuid: a change of credentials clears the death signal.
  if (options.parent_death_signal != 0) {
    prctl(PR_SET_PDEATHSIG, options.parent_death_signal);
    if (getppid() != parent) _exit(125);  // the parent is already gone
  }
  if (!options.working_dir.empty() && chdir(options.working_dir.c_str()) != 0) {
    _exit(124);
  }
  execv(argv[0], argv.data());
  _exit(127);
}

}  // namespace

std::optional<Account> LookUpAccount(const std::string& name) {
  struct passwd pw;
  struct passwd* found = nullptr;
  char buffer[4096];
  if (getpwnam_r(name.c_str(), &pw, buffer, sizeof buffer, &found) != 0 ||
      found == nullptr) {
    return std::nullopt;
  }
  return Account{name, pw.pw_uid, pw.pw_gid};
}

absl::StatusOr<pid_t> Spawn(const std::vector<std::string>& argv,
                            const SpawnOptions& options) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    return absl::InternalError(StrCat("fork: ", std::strerror(errno)));
  }
  if (pid == 0) ExecChild(args, options, parent);
  return pid;
}

absl::StatusOr<Completed> RunToCompletion(const std::vector<std::string>& argv,
                                          SpawnOptions options) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    return absl::InternalError(StrCat("pipe: ", std::strerror(errno)));
  }
  options.output_fd = fds[1];
  auto pid = Spawn(argv, options);
  close(fds[1]);
  if (!pid.ok()) {
    close(fds[0]);
    return pid.status();
  }
  Completed done{-1, ""};
  char buffer[4096];
  ssize_t n;
  while ((n = read(fds[0], buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR)) {
    if (n > 0) done.output.append(buffer, static_cast<std::size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(*pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) done.exit_code = WEXITSTATUS(status);
  return done;
}

bool HasExited(pid_t pid) {
  int status = 0;
  return waitpid(pid, &status, WNOHANG) == pid;
}

bool WaitForExit(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (HasExited(pid)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return HasExited(pid);
}

bool AccountCanAccess(const Account& account, const std::string& path, int mode) {
  const pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) {
    if (setgroups(0, nullptr) != 0 || setgid(account.gid) != 0 ||
        setuid(account.uid) != 0) {
      _exit(2);
    }
    _exit(access(path.c_str(), mode) == 0 ? 0 : 1);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace rmtc::embedded
