#include "store/statement_watch.h"

#include <spdlog/spdlog.h>

#include <pqxx/pqxx>

namespace rmtc::store {
namespace {

// How often running statements are checked: a cancelled call frees its
// connection within about this long.
constexpr auto kCheckEvery = std::chrono::milliseconds(50);

}  // namespace

StatementWatch::StatementWatch() : thread_([this] { Run(); }) {}

StatementWatch::~StatementWatch() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

StatementWatch::Guard StatementWatch::Watch(pqxx::connection& connection,
                                            const CallLimits* limits) {
  std::lock_guard lock(mu_);
  const std::uint64_t id = ++next_id_;
  running_.emplace(id, Running{&connection, limits});
  return Guard(this, id);
}

StatementWatch::Guard::Guard(Guard&& other) noexcept
    : watch_(other.watch_), id_(other.id_) {
  other.watch_ = nullptr;
}

StatementWatch::Guard::~Guard() {
  if (watch_ == nullptr) return;
  std::lock_guard lock(watch_->mu_);
  watch_->running_.erase(id_);
}

StatementWatch::Reason StatementWatch::Guard::reason() const {
  std::lock_guard lock(watch_->mu_);
  const auto it = watch_->running_.find(id_);
  return it == watch_->running_.end() ? Reason::kNone : it->second.reason;
}

void StatementWatch::CancelAllAfter(Clock::time_point cutoff) {
  {
    std::lock_guard lock(mu_);
    cutoff_ = cutoff;
  }
  wake_.notify_all();
}

bool StatementWatch::Stopping() const {
  std::lock_guard lock(mu_);
  return Clock::now() >= cutoff_;
}

StatementWatch::Reason StatementWatch::Refusal(const CallLimits* limits) const {
  std::lock_guard lock(mu_);
  return ReasonFor(limits, Clock::now());
}

StatementWatch::Reason StatementWatch::ReasonFor(const CallLimits* limits,
                                                 Clock::time_point now) const {
  if (now >= cutoff_) return Reason::kShutdown;
  if (limits == nullptr) return Reason::kNone;
  if (limits->cancelled && limits->cancelled()) return Reason::kCancelled;
  if (now >= limits->deadline) return Reason::kDeadline;
  return Reason::kNone;
}

void StatementWatch::Run() {
  std::unique_lock lock(mu_);
  while (!wake_.wait_for(lock, kCheckEvery, [&] { return stop_; })) {
    const auto now = Clock::now();
    for (auto& [id, running] : running_) {
      if (running.reason != Reason::kNone) continue;
      running.reason = ReasonFor(running.limits, now);
      if (running.reason == Reason::kNone) continue;
      // Under the lock: the guard, and with it the connection's lease,
      // cannot end while the cancel is on its way.
      try {
        running.connection->cancel_query();
      } catch (const std::exception& e) {
        spdlog::warn("cannot cancel a database statement: {}", e.what());
      }
    }
  }
}

absl::Status CancelledStatus(StatementWatch::Reason reason) {
  switch (reason) {
    case StatementWatch::Reason::kCancelled:
      return absl::CancelledError("the client cancelled the call; its query was stopped");
    case StatementWatch::Reason::kDeadline:
      return absl::DeadlineExceededError(
          "the call's deadline passed; its query was stopped");
    case StatementWatch::Reason::kShutdown:
      return absl::UnavailableError("rmtcd is shutting down; retry on another server");
    case StatementWatch::Reason::kNone:
      break;
  }
  return absl::DeadlineExceededError(
      "the query ran past its time limit (the call's deadline, or "
      "--max-statement-seconds) and was stopped");
}

}  // namespace rmtc::store
