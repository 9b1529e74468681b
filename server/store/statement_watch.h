// Cancels (libpq cancel) the statement of a call that no longer wants it:
// its client cancelled or went away, its deadline passed, or rmtcd is
// stopping and the grace is over. Without this an abandoned query keeps
// its connection, and the pool, busy until it ends by itself.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <pqxx/connection>
#include <thread>

#include "absl/status/status.h"
#include "common/call_scope.h"

namespace rmtc::store {

class StatementWatch {
 public:
  using Clock = std::chrono::steady_clock;

  StatementWatch();
  ~StatementWatch();
  StatementWatch(const StatementWatch&) = delete;
  StatementWatch& operator=(const StatementWatch&) = delete;

  enum class Reason { kNone, kCancelled, kDeadline, kShutdown };

  // While it lives, `connection` works for the call `limits` describes
  // (nullptr: no call, only the shutdown cut-off applies). Destroy it
  // before the connection goes back to the pool.
  class Guard {
   public:
    Guard(Guard&& other) noexcept;
    Guard& operator=(Guard&&) = delete;
    ~Guard();
    // Why the watch cancelled this work's statement (kNone: it did not).
    // A connection that was sent a cancel should be discarded: a late
    // cancel must not hit the next call's statement.
    Reason reason() const;

   private:
    friend class StatementWatch;
    Guard(StatementWatch* watch, std::uint64_t id) : watch_(watch), id_(id) {}
    StatementWatch* watch_;
    std::uint64_t id_;
  };
  Guard Watch(pqxx::connection& connection, const CallLimits* limits);

  // From `cutoff` on, every statement still running is cancelled and
  // Stopping() is true (rmtcd's shutdown grace).
  void CancelAllAfter(Clock::time_point cutoff);
  bool Stopping() const;

  // Why work for `limits` must not start (kNone: it may).
  Reason Refusal(const CallLimits* limits) const;

 private:
  struct Running {
    pqxx::connection* connection;
    const CallLimits* limits;
    Reason reason = Reason::kNone;
  };
  void Run();
  Reason ReasonFor(const CallLimits* limits, Clock::time_point now) const;

  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::map<std::uint64_t, Running> running_;
  std::uint64_t next_id_ = 0;
  Clock::time_point cutoff_ = Clock::time_point::max();
  bool stop_ = false;
  std::thread thread_;
};

// The status a call gets when its statement was cancelled for `reason`.
absl::Status CancelledStatus(StatementWatch::Reason reason);

}  // namespace rmtc::store
