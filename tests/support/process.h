// Programs under test as child processes: the real rmtcd, the rmtc CLI,
// anything else a test runs. No dependency on the server's code, so client
// tests can use it too.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace rmtc::testing {

struct Finished {
  int exit_code = -1;  // -signal if killed by one
  std::string out;     // stdout
  std::string err;     // stderr
};

struct RunOptions {
  std::map<std::string, std::string> env;  // added to (or replacing in) the environment
  std::vector<std::string> unset_env;      // removed from the environment
  std::string working_dir;
  std::chrono::seconds timeout = std::chrono::seconds(120);  // then SIGKILL
};

// Runs `argv` (argv[0] a path) to completion, stdout and stderr apart.
Finished Run(const std::vector<std::string>& argv, const RunOptions& options = {});

// Starts `argv` without waiting (output to /dev/null); pair with WaitExit.
pid_t LaunchQuietly(const std::vector<std::string>& argv, const RunOptions& options = {});
// Waits up to `timeout` for `pid` to exit (then SIGKILL); its exit code.
int WaitExit(pid_t pid, std::chrono::seconds timeout);

// The admin token every rmtcd the tests start accepts ("rmtc_..."), made
// once per test program. The first call also sets RMTC_TOKEN to it in this
// process, so the rmtc CLI and librmtc the tests run present it.
const std::string& TestToken();

// A long-running rmtcd.
class RmtcdProcess {
 public:
  // Starts `binary` with `args`, plus --listen 127.0.0.1:0 unless `args`
  // has --listen, --auth required with TestToken() as its bootstrap admin
  // token unless `args` has --auth (tests run as a shared service does),
  // and --shutdown-grace 1; waits for its "rmtcd listening on ADDR" line.
  // nullptr if it does not start; `error` then holds its output.
  static std::unique_ptr<RmtcdProcess> Start(const std::string& binary,
                                             std::vector<std::string> args,
                                             std::string* error = nullptr);

  // Start in two steps, to start several at once. Launch from a thread that
  // outlives the process: the child is killed when that thread ends.
  static std::unique_ptr<RmtcdProcess> Launch(const std::string& binary,
                                              std::vector<std::string> args);
  // False, with the reason in `error`, if rmtcd exits or stays silent.
  bool WaitUntilListening(std::string* error,
                          std::chrono::seconds timeout = std::chrono::seconds(90));

  ~RmtcdProcess();

  const std::string& address() const { return address_; }
  pid_t pid() const { return pid_; }

  // Sends `signal`, waits for the exit, returns the exit code (-signal if
  // it died of a signal).
  int Stop(int signal = 15 /* SIGTERM */);

  // Everything it printed so far, stdout and stderr together.
  std::string output();

 private:
  RmtcdProcess() = default;
  void ReadOutput(int fd);

  pid_t pid_ = -1;
  std::string address_;
  std::thread reader_;
  std::mutex mu_;
  std::string output_;
  bool closed_ = false;
};

}  // namespace rmtc::testing
