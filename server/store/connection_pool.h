// A fixed-size pool of PostgreSQL connections, built once at start. A
// connection that breaks is dropped and a new one is made on demand, so the
// service recovers by itself when the database comes back.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <pqxx/connection>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "store/statement_watch.h"

namespace rmtc::store {

class ConnectionPool {
 public:
  // `prepare` runs on every new connection (to declare prepared statements).
  // No statement runs longer than `max_statement`.
  ConnectionPool(std::string url, int size,
                 std::function<void(pqxx::connection&)> prepare = {},
                 std::chrono::seconds max_statement = std::chrono::seconds(300));
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // A connection held for one unit of work and returned when the lease ends.
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    pqxx::connection& operator*() const { return *connection_; }
    // The connection is broken: close it instead of returning it.
    void Discard() { discard_ = true; }

   private:
    friend class ConnectionPool;
    Lease(ConnectionPool* pool, std::unique_ptr<pqxx::connection> connection);
    ConnectionPool* pool_;
    std::unique_ptr<pqxx::connection> connection_;
    bool discard_ = false;
  };

  // Waits up to `wait` for a free slot. UNAVAILABLE if no connection can be
  // made (the message says why); RESOURCE_EXHAUSTED if every connection
  // stays busy (the database is up, rmtcd is overloaded).
  absl::StatusOr<Lease> Acquire(
      std::chrono::milliseconds wait = std::chrono::seconds(30));

  // Closes every idle connection. Called when one connection is found
  // broken: after a database restart the idle ones are broken too, and a
  // retry must not pick another dead one.
  void DropIdle();

  const std::string& url() const { return url_; }
  std::chrono::seconds max_statement() const { return max_statement_; }
  // Cancels the statements of calls that ended (transaction_runner.h).
  StatementWatch& watch() { return watch_; }

 private:
  void Return(std::unique_ptr<pqxx::connection> connection, bool discard);

  const std::string url_;
  const int size_;
  const std::function<void(pqxx::connection&)> prepare_;
  const std::chrono::seconds max_statement_;
  StatementWatch watch_;
  std::mutex mu_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  int leased_ = 0;
};

// libpq waits forever for a host that drops packets unless told otherwise:
// `url` with connect_timeout=5 added, unless `url` or PGCONNECT_TIMEOUT
// sets one. In the connection string, never setenv(): that races with
// libpq's getenv() in threads already connecting.
std::string WithLibpqDefaults(const std::string& url);

// Describes a connection string without its password (registering that
// password with rmtc::Masked()), for logs.
std::string RedactUrl(const std::string& url);

}  // namespace rmtc::store
