#include "store/request_sweep.h"

#include <spdlog/spdlog.h>

#include "common/strings.h"
#include "store/transaction_runner.h"
#include "store/write_requests.h"

namespace rmtc::store {

RequestSweep::RequestSweep(ConnectionPool& pool, std::chrono::seconds keep_for,
                           std::chrono::seconds every)
    : pool_(pool), keep_for_(keep_for), every_(every), thread_([this] { Run(); }) {}

RequestSweep::~RequestSweep() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

absl::StatusOr<long> RequestSweep::SweepOnce(ConnectionPool& pool,
                                             std::chrono::seconds keep_for,
                                             const std::function<bool()>& stopping) {
  long forgotten = 0;
  for (;;) {
    auto batch =
        RunReadWrite<int>(pool, "ForgetRequests", [&](pqxx::transaction_base& tx) {
          return absl::StatusOr<int>(ForgetRequestsOlderThan(tx, keep_for, kBatch));
        });
    if (!batch.ok()) return batch.status();
    forgotten += *batch;
    if (*batch < kBatch || (stopping && stopping())) return forgotten;
  }
}

void RequestSweep::Run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    lock.unlock();
    const auto forgotten = SweepOnce(pool_, keep_for_, [this] {
      std::lock_guard stopping(mu_);
      return stop_;
    });
    if (!forgotten.ok()) {
      spdlog::warn(
          "request ids: the sweep of expired claims failed (next try in {} s): {}",
          every_.count(), MessageOf(forgotten.status()));
    } else if (*forgotten > 0) {
      spdlog::info("request ids: forgot {} claims older than {} s", *forgotten,
                   keep_for_.count());
    }
    lock.lock();
    wake_.wait_for(lock, every_, [&] { return stop_; });
  }
}

}  // namespace rmtc::store
