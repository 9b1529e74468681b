// Forgets old request-id claims (store/write_requests.h): rmtcd runs one
// sweep in the background, so that write_request does not grow forever and
// an id can be used again once its window has passed
// (rmtcd --request-id-days, docs/api.md "Request ids").
//
// Each pass deletes the claims older than the window in batches of
// kBatch, one short transaction each, oldest first through the created_at
// index: bounded work per statement, and writers are never waited for.
// Several rmtcd on one database may all sweep; they skip each other's rows.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "absl/status/statusor.h"
#include "store/connection_pool.h"

namespace rmtc::store {

class RequestSweep {
 public:
  static constexpr int kBatch = 1000;

  // Sweeps now and then every `every`, forgetting claims older than
  // `keep_for`.
  RequestSweep(ConnectionPool& pool, std::chrono::seconds keep_for,
               std::chrono::seconds every);
  // Stops after the batch in progress.
  ~RequestSweep();
  RequestSweep(const RequestSweep&) = delete;
  RequestSweep& operator=(const RequestSweep&) = delete;

  // One pass, batch after batch until none is left: how many were
  // forgotten. For tests and for the background thread.
  static absl::StatusOr<long> SweepOnce(ConnectionPool& pool,
                                        std::chrono::seconds keep_for,
                                        const std::function<bool()>& stopping = {});

 private:
  void Run();

  ConnectionPool& pool_;
  const std::chrono::seconds keep_for_;
  const std::chrono::seconds every_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace rmtc::store
