// Runs one unit of work on a pooled connection and turns every libpqxx
// exception into a Status (ML Metadata's TransactionExecutor, in small).
//
// - A broken connection is dropped; the work is tried once more on a fresh
//   one (nothing was committed), and UNAVAILABLE comes back if that fails.
// - A commit whose outcome is unknown is UNAVAILABLE: the client retries
//   with the same request id, which makes the retry safe.
// - Serialisation failures, deadlocks and unique violations from a racing
//   writer are retried a few times; every check runs again on the retry.
// - A stored row this rmtcd cannot read (UnreadableRow, stored_values.h) is
//   INTERNAL naming the row.
// - A value the database refuses is INVALID_ARGUMENT; a server shutting down
//   (SQLSTATE 57P..) or a connection failure (08...) is handled like a broken
//   connection; anything else INTERNAL.
#pragma once

#include <spdlog/spdlog.h>

#include <chrono>
#include <pqxx/pqxx>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/strings.h"
#include "store/connection_pool.h"
#include "store/stored_values.h"

namespace rmtc::store {
namespace internal {

inline constexpr int kMaxAttempts = 4;

inline std::string Trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

// SQLSTATE classes that mean the connection, not the statement, failed:
// 08 connection exception, 57P operator intervention (shutdown, crash,
// cannot connect now).
inline bool ConnectionLost(const std::string& sqlstate) {
  return sqlstate.rfind("08", 0) == 0 || sqlstate.rfind("57P", 0) == 0;
}

template <typename Tx, typename T, typename Fn>
absl::StatusOr<T> Run(ConnectionPool& pool, std::string_view what, Fn&& fn,
                      std::chrono::milliseconds wait) {
  absl::Status last;
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    auto lease = pool.Acquire(wait);
    if (!lease.ok()) return lease.status();
    try {
      Tx tx(**lease);
      absl::StatusOr<T> result = fn(tx);
      if (result.ok()) tx.commit();  // otherwise ~Tx rolls back
      return result;
    } catch (const pqxx::in_doubt_error&) {
      lease->Discard();
      return absl::UnavailableError(
          StrCat("the database connection broke during commit, so the write may or "
                 "may not be stored; retry it (with the same request_id, where the call "
                 "takes one)"));
    } catch (const pqxx::broken_connection& e) {
      lease->Discard();
      pool.DropIdle();
      last = absl::UnavailableError(StrCat("database unavailable: ", Trimmed(e.what())));
      if (attempt >= 2) return last;
    } catch (const pqxx::transaction_rollback& e) {
      // serialization_failure, deadlock_detected: try again.
      last = absl::AbortedError(StrCat(what, ": ", Trimmed(e.what())));
    } catch (const pqxx::unique_violation& e) {
      // A concurrent write took a digest or external id between our checks
      // and our insert; the next attempt sees it and answers precisely.
      last = absl::AbortedError(StrCat(what, ": ", Trimmed(e.what())));
    } catch (const pqxx::data_exception& e) {
      return absl::InvalidArgumentError(
          StrCat("the database refused a value: ", Trimmed(e.what())));
    } catch (const pqxx::sql_error& e) {
      if (ConnectionLost(e.sqlstate())) {
        // The server is shutting down or the connection failed mid-work
        // (libpqxx reports these as plain SQL errors when libpq has not
        // yet marked the connection broken): nothing was committed.
        lease->Discard();
        pool.DropIdle();
        last =
            absl::UnavailableError(StrCat("database unavailable: ", Trimmed(e.what())));
        if (attempt >= 2) return last;
        continue;
      }
      spdlog::error("{}: database error {}: {} (query: {:.200})", what, e.sqlstate(),
                    Trimmed(e.what()), e.query());
      return absl::InternalError(StrCat(what, ": database error ", e.sqlstate()));
    } catch (const UnreadableRow& e) {
      spdlog::error("{}: {}", what, e.what());
      return absl::InternalError(StrCat(what, ": ", e.what()));
    } catch (const std::exception& e) {
      lease->Discard();
      spdlog::error("{}: {}", what, e.what());
      return absl::InternalError(StrCat(what, ": ", e.what()));
    }
  }
  return last;
}

}  // namespace internal

// `fn(pqxx::transaction_base&)` returns T or absl::StatusOr<T>. Reads run
// without BEGIN/COMMIT: one statement, one round trip. `wait` bounds the
// wait for a free connection.
template <typename T, typename Fn>
absl::StatusOr<T> RunReadOnly(ConnectionPool& pool, std::string_view what, Fn&& fn,
                              std::chrono::milliseconds wait = std::chrono::seconds(30)) {
  return internal::Run<pqxx::nontransaction, T>(pool, what, fn, wait);
}

// One transaction: committed if `fn` returns OK, rolled back otherwise.
template <typename T, typename Fn>
absl::StatusOr<T> RunReadWrite(ConnectionPool& pool, std::string_view what, Fn&& fn) {
  return internal::Run<pqxx::work, T>(pool, what, fn, std::chrono::seconds(30));
}

}  // namespace rmtc::store
