// The real rmtcd binary as a child process of a test.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace rmtc::testing {

class RmtcdProcess {
 public:
  // Starts `binary` with `args` (plus --listen 127.0.0.1:0 unless `args`
  // has --listen, and --shutdown-grace 1) and waits for its "rmtcd listening on ADDR" line. Returns
  // nullptr if it exits or stays silent past `timeout`; output() then says
  // why (kept in the returned error text).
  static std::unique_ptr<RmtcdProcess> Start(const std::string& binary,
                                             std::vector<std::string> args,
                                             std::string* error = nullptr,
                                             std::chrono::seconds timeout = std::chrono::seconds(90));

  // Start in two steps, to start several at once. Launch from the thread
  // that outlives the process: the child is killed when that thread ends.
  static std::unique_ptr<RmtcdProcess> Launch(const std::string& binary,
                                              std::vector<std::string> args);
  // False, with the reason in `error`, if rmtcd exits or stays silent.
  bool WaitUntilListening(std::string* error,
                          std::chrono::seconds timeout = std::chrono::seconds(90));
  ~RmtcdProcess();

  const std::string& address() const { return address_; }
  pid_t pid() const { return pid_; }

  // Sends `signal` and waits for the exit; returns the exit code (-signal
  // if killed by a signal).
  int Stop(int signal = 15 /* SIGTERM */);

  // Everything rmtcd printed so far (stdout and stderr).
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

struct Finished {
  int exit_code;  // -signal if killed
  std::string output;
};

// Runs `binary args...` to completion (or kills it after `timeout`).
Finished RunToEnd(const std::string& binary, const std::vector<std::string>& args,
                  std::chrono::seconds timeout = std::chrono::seconds(120));

}  // namespace rmtc::testing
