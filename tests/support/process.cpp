#include "support/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

extern char** environ;

namespace rmtc::testing {
namespace {

constexpr char kReadyLine[] = "rmtcd listening on ";

// fork + exec with stdout to `out_fd` and stderr to `err_fd`. The child is
// killed if the forking thread ends first, so nothing outlives a test.
pid_t Spawn(const std::vector<std::string>& argv, int out_fd, int err_fd,
            const RunOptions& options) {
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry = *e;
    const std::string name = entry.substr(0, entry.find('='));
    bool drop = options.env.count(name) > 0;
    for (const auto& unset : options.unset_env) drop |= unset == name;
    if (!drop) env_strings.push_back(entry);
  }
  for (const auto& [name, value] : options.env) env_strings.push_back(name + "=" + value);
  std::vector<char*> args, env;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (const auto& e : env_strings) env.push_back(const_cast<char*>(e.c_str()));
  env.push_back(nullptr);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid != 0) return pid;
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(125);
  // CLOEXEC: the extra descriptor must not reach the program; dup2 clears it on stdin.
  const int null_in = open("/dev/null", O_RDONLY | O_CLOEXEC);
  dup2(null_in, STDIN_FILENO);
  dup2(out_fd, STDOUT_FILENO);
  dup2(err_fd, STDERR_FILENO);
  if (!options.working_dir.empty() && chdir(options.working_dir.c_str()) != 0) _exit(124);
  execve(args[0], args.data(), env.data());
  _exit(127);
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
    if (waitpid(pid, &status, WNOHANG) == pid) return ExitCodeOf(status);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  return -SIGKILL;
}

}  // namespace

Finished Run(const std::vector<std::string>& argv, const RunOptions& options) {
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0)
    return {-1, "", "pipe failed"};
  const pid_t pid = Spawn(argv, out[1], err[1], options);
  close(out[1]);
  close(err[1]);
  Finished done;
  // Reads both pipes until both close; poll keeps either from filling up.
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  std::string* sinks[2] = {&done.out, &done.err};
  int open_pipes = 2;
  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  while (open_pipes > 0 && std::chrono::steady_clock::now() < deadline) {
    if (poll(fds, 2, 100) < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      char buffer[8192];
      const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_pipes;
      }
    }
  }
  for (auto& fd : fds) {
    if (fd.fd >= 0) close(fd.fd);
  }
  done.exit_code = WaitFor(pid, std::chrono::seconds(5));
  return done;
}

pid_t LaunchQuietly(const std::vector<std::string>& argv, const RunOptions& options) {
  const int null_out = open("/dev/null", O_WRONLY | O_CLOEXEC);
  const pid_t pid = Spawn(argv, null_out, null_out, options);
  close(null_out);
  return pid;
}

int WaitExit(pid_t pid, std::chrono::seconds timeout) { return WaitFor(pid, timeout); }

std::unique_ptr<RmtcdProcess> RmtcdProcess::Start(const std::string& binary,
                                                  std::vector<std::string> args,
                                                  std::string* error) {
  auto process = Launch(binary, std::move(args));
  if (!process) {
    if (error) *error = "cannot start " + binary;
    return nullptr;
  }
  if (!process->WaitUntilListening(error)) return nullptr;
  return process;
}

const std::string& TestToken() {
  static const std::string token = [] {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::random_device random;
    std::string t = "rmtc_";
    for (int i = 0; i < 43; ++i) t.push_back(kAlphabet[random() % 64]);
    setenv("RMTC_TOKEN", t.c_str(), 1);
    return t;
  }();
  return token;
}

namespace {

// A file holding TestToken(), for --bootstrap-token-file; made once.
const std::string& TestTokenFile() {
  static const std::string path = [] {
    const std::string file = (std::filesystem::temp_directory_path() /
                              ("rmtc-test-token-" + std::to_string(getpid())))
                                 .string();
    std::ofstream(file) << TestToken() << "\n";
    std::atexit([] { std::remove(TestTokenFile().c_str()); });
    return file;
  }();
  return path;
}

bool HasFlag(const std::vector<std::string>& args, const std::string& flag) {
  for (const auto& a : args) {
    if (a == flag || a.starts_with(flag + "=")) return true;
  }
  return false;
}

}  // namespace

std::unique_ptr<RmtcdProcess> RmtcdProcess::Launch(const std::string& binary,
                                                   std::vector<std::string> args) {
  if (!HasFlag(args, "--listen")) {
    args.push_back("--listen");
    args.push_back("127.0.0.1:0");
  }
  if (!HasFlag(args, "--auth")) {
    args.insert(args.end(),
                {"--auth", "required", "--bootstrap-token-file", TestTokenFile()});
  }
  // Tests stop rmtcd often; an idle client connection holds a stop for the
  // whole grace period.
  args.push_back("--shutdown-grace");
  args.push_back("1");
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return nullptr;
  std::vector<std::string> argv = {binary};
  argv.insert(argv.end(), args.begin(), args.end());
  std::unique_ptr<RmtcdProcess> process(new RmtcdProcess());
  process->pid_ = Spawn(argv, fds[1], fds[1], {});
  close(fds[1]);
  const int fd = fds[0];
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
  if (error)
    *error = "rmtcd did not start (exit " + std::to_string(code) + "):\n" + output();
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

}  // namespace rmtc::testing
