// What the call a thread is serving allows: until when it may run, whether
// its client has gone, and whom it runs as. The RPC door
// (rpc/dispatcher.cpp) opens a scope around each handler; the store reads it
// to bound and cancel the call's statements, so that an abandoned call does
// not hold a database connection, and to name the caller in what it writes
// (the audit entry, the request id's owner). No scope (tools, tests): no
// deadline, never cancelled, no caller.
#pragma once

#include <chrono>
#include <functional>
#include <string>

namespace rmtc {

struct CallLimits {
  std::chrono::steady_clock::time_point deadline =
      std::chrono::steady_clock::time_point::max();
  // True once the client cancelled or went away; may be called from any
  // thread while the scope is open.
  std::function<bool()> cancelled;
  // The principal's name (records::Principal::name) once the call is
  // admitted; "" before, and outside any call.
  std::string principal;
  // The RPC's method name ("RegisterArtefacts"); "" outside any call.
  std::string method;
  // A write's request bytes as received, SHA-256 hex (for its
  // audit entry); "" for reads and outside any call.
  std::string request_sha256;
};

class CallScope {
 public:
  explicit CallScope(CallLimits limits) : limits_(std::move(limits)), outer_(current_) {
    current_ = &limits_;
  }
  ~CallScope() { current_ = outer_; }
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;

  // The innermost open scope of this thread, or nullptr.
  static const CallLimits* Current() { return current_; }

  // Names the request of the innermost scope's call, once it is parsed.
  static void SetRequestSha256(std::string hex) {
    if (current_ != nullptr) current_->request_sha256 = std::move(hex);
  }

 private:
  CallLimits limits_;
  CallLimits* outer_;
  static inline thread_local CallLimits* current_ = nullptr;
};

// A system_clock deadline (gRPC's) on the steady clock; gRPC's "no
// deadline" (a far future) stays time_point::max().
inline std::chrono::steady_clock::time_point SteadyDeadline(
    std::chrono::system_clock::time_point deadline) {
  const auto now = std::chrono::system_clock::now();
  if (deadline - now > std::chrono::hours(24 * 365)) {
    return std::chrono::steady_clock::time_point::max();
  }
  return std::chrono::steady_clock::now() +
         std::chrono::duration_cast<std::chrono::steady_clock::duration>(deadline - now);
}

}  // namespace rmtc
