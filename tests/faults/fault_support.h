// What the fault tests that drive rmtcd through generated gRPC stubs share:
// channels with deadlines, the address clients follow when rmtcd is
// replaced, a log of every call's outcome, polling, and the resident memory
// of a process. No server code: the tests see rmtcd only over the wire and
// its database only through SQL.
#pragma once

#include <grpcpp/grpcpp.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace rmtc::faults {

using Clock = std::chrono::steady_clock;

std::shared_ptr<grpc::Channel> OpenChannel(const std::string& address);

// A context whose deadline is `limit` from now.
std::unique_ptr<grpc::ClientContext> DeadlineIn(std::chrono::seconds limit);

// "UNAVAILABLE", "OK", ...
std::string CodeName(grpc::StatusCode code);

// Polls `done` every `every` until it holds or `limit` passes; whether it held.
bool WaitUntil(const std::function<bool()>& done, std::chrono::seconds limit,
               std::chrono::milliseconds every = std::chrono::milliseconds(50));

// grpc.health.v1 status of the whole server: 1 SERVING, 2 NOT_SERVING, -1
// when the call fails.
int HealthOf(const std::string& address);

// VmRSS of `pid` in KiB (from /proc/<pid>/status); -1 if it cannot be read.
std::int64_t ResidentKiB(pid_t pid);

// A PostgreSQL array literal of `values`, e.g. ARRAY['a','b']::text[]
// (`type` is the element type). Quotes are doubled.
std::string SqlArray(const std::vector<std::string>& values, const std::string& type);

// Where clients should send calls now. Replacing rmtcd (a new process on a
// new port) bumps the generation, so each client opens a fresh channel.
class ServerAddress {
 public:
  explicit ServerAddress(std::string address) : address_(std::move(address)) {}
  void Set(std::string address);
  // The current address and its generation.
  std::pair<std::string, int> Get() const;

 private:
  mutable std::mutex mu_;
  std::string address_;
  int generation_ = 0;
};

// Every call a test makes: what, when, and how it ended. Thread-safe.
class CallLog {
 public:
  struct Call {
    std::string method;
    grpc::StatusCode code = grpc::StatusCode::OK;
    std::string message;
    Clock::time_point started;
    Clock::time_point ended;
  };

  void Add(Call call);
  std::vector<Call> Calls() const;
  // How many calls ended with `code`.
  int Count(grpc::StatusCode code) const;
  // "RegisterArtefacts OK: 12, RegisterArtefacts UNAVAILABLE: 3, ..."
  std::string Summary() const;
  // Each distinct error message once, with how often it came, one a line.
  std::string Messages() const;

 private:
  mutable std::mutex mu_;
  std::vector<Call> calls_;
};

// Formats up to `limit` calls for a failure message, times relative to `zero`.
std::string Describe(const std::vector<CallLog::Call>& calls, Clock::time_point zero,
                     std::size_t limit = 20);

}  // namespace rmtc::faults
