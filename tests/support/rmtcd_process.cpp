#include "support/rmtcd_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "embedded/process.h"

namespace rmtc::testing {
namespace {

constexpr char kReadyLine[] = "rmtcd listening on ";

pid_t SpawnWithPipe(const std::string& binary, const std::vector<std::string>& args, int& read_fd) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return -1;
  std::vector<std::string> argv = {binary};
  argv.insert(argv.end(), args.begin(), args.end());
  auto pid = embedded::Spawn(argv, {.run_as = std::nullopt,
                                    .working_dir = "",
                                    .output_fd = fds[1],
                                    .own_process_group = false,
                                    .parent_death_signal = SIGKILL});
  close(fds[1]);
  if (!pid.ok()) {
    close(fds[0]);
    return -1;
  }
  read_fd = fds[0];
  return *pid;
}

int ExitCodeOf(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return -1000;
}

int WaitFor(pid_t pid, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) return ExitCodeOf(status);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  return -SIGKILL;
}

}  // namespace

std::unique_ptr<RmtcdProcess> RmtcdProcess::Start(const std::string& binary,
                                                  std::vector<std::string> args,
                                                  std::string* error,
                                                  std::chrono::seconds timeout) {
  auto process = Launch(binary, std::move(args));
  if (!process) {
    if (error) *error = "cannot start " + binary;
    return nullptr;
  }
  if (!process->WaitUntilListening(error, timeout)) return nullptr;
  return process;
}

std::unique_ptr<RmtcdProcess> RmtcdProcess::Launch(const std::string& binary,
                                                   std::vector<std::string> args) {
  bool has_listen = false;
  for (const auto& a : args) has_listen |= a == "--listen" || a.starts_with("--listen=");
  if (!has_listen) {
    args.push_back("--listen");
    args.push_back("127.0.0.1:0");
  }
  // Tests stop rmtcd often; idle client connections hold a stop for the
  // whole grace period.
  args.push_back("--shutdown-grace");
  args.push_back("1");
  std::unique_ptr<RmtcdProcess> process(new RmtcdProcess());
  int fd = -1;
  process->pid_ = SpawnWithPipe(binary, args, fd);
  if (process->pid_ < 0) return nullptr;
  process->reader_ = std::thread([p = process.get(), fd] { p->ReadOutput(fd); });
  return process;
}

bool RmtcdProcess::WaitUntilListening(std::string* error, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard lock(mu_);
      const auto at = output_.find(kReadyLine);
      if (at != std::string::npos) {
        const auto end = output_.find('\n', at);
        if (end != std::string::npos) {
          const auto start = at + sizeof(kReadyLine) - 1;
          address_ = output_.substr(start, end - start);
          return true;
        }
      }
      if (closed_) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const int code = Stop(SIGKILL);
  if (error) *error = "rmtcd did not start (exit " + std::to_string(code) + "):\n" + output();
  return false;
}

RmtcdProcess::~RmtcdProcess() {
  if (pid_ > 0) Stop(SIGTERM);
  if (reader_.joinable()) reader_.join();
}

void RmtcdProcess::ReadOutput(int fd) {
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    std::lock_guard lock(mu_);
    output_.append(buffer, static_cast<std::size_t>(n));
  }
  close(fd);
  std::lock_guard lock(mu_);
  closed_ = true;
}

int RmtcdProcess::Stop(int signal) {
  if (pid_ <= 0) return -1;
  kill(pid_, signal);
  const int code = WaitFor(pid_, std::chrono::seconds(60));
  pid_ = -1;
  if (reader_.joinable()) reader_.join();
  return code;
}

std::string RmtcdProcess::output() {
  std::lock_guard lock(mu_);
  return output_;
}

Finished RunToEnd(const std::string& binary, const std::vector<std::string>& args,
                  std::chrono::seconds timeout) {
  int fd = -1;
  const pid_t pid = SpawnWithPipe(binary, args, fd);
  if (pid < 0) return {-1, "cannot start " + binary};
  std::string output;
  std::thread reader([&] {
    char buffer[4096];
    ssize_t n;
    while ((n = read(fd, buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR)) {
      if (n > 0) output.append(buffer, static_cast<std::size_t>(n));
    }
    close(fd);
  });
  const int code = WaitFor(pid, timeout);
  reader.join();
  return {code, output};
}

}  // namespace rmtc::testing
