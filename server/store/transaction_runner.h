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
// - Each statement runs under a statement_timeout: what is left of the
//   call's deadline (common/call_scope.h), at most --max-statement-seconds;
//   a call that is cancelled, passes its deadline or outlives the shutdown
//   grace has its statement cancelled (StatementWatch) and gets CANCELLED,
//   DEADLINE_EXCEEDED or UNAVAILABLE, and its connection is replaced.
// - A value the database refuses is INVALID_ARGUMENT; a server shutting down
//   (SQLSTATE 57P..) or a connection failure (08...) is handled like a broken
//   connection; anything else INTERNAL.
#pragma once

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <pqxx/pqxx>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/call_scope.h"
#include "common/strings.h"
#include "store/connection_pool.h"
#include "store/database_url.h"
#include "store/statement_watch.h"
#include "store/stored_values.h"

namespace rmtc::store {
namespace internal {

inline constexpr int kMaxAttempts = 4;
inline constexpr char kQueryCanceled[] = "57014";  // cancel or statement_timeout

// The wait for a connection, cut to what is left of the call's deadline.
inline std::chrono::milliseconds WaitWithin(const CallLimits* call,
                                            std::chrono::milliseconds wait) {
  if (call == nullptr || call->deadline == std::chrono::steady_clock::time_point::max()) {
    return wait;
  }
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      call->deadline - std::chrono::steady_clock::now());
  return std::clamp(left, std::chrono::milliseconds(0), wait);
}

// statement_timeout for the call: what is left of its deadline in whole
// seconds (so that calls with the same deadline reuse the setting without
// a round trip), at most `max`. Set on the session, outside any
// transaction, so that a rollback cannot undo it behind pqxx's back.
inline void LimitStatementTime(pqxx::connection& connection, const CallLimits* call,
                               std::chrono::seconds max) {
  auto limit = max;
  if (call != nullptr && call->deadline != std::chrono::steady_clock::time_point::max()) {
    const auto left = std::chrono::ceil<std::chrono::seconds>(
        call->deadline - std::chrono::steady_clock::now());
    limit = std::clamp(left, std::chrono::seconds(1), max);
  }
  const std::string value = StrCat(limit.count() * 1000);
  if (connection.get_variable("statement_timeout") != value) {
    connection.set_variable("statement_timeout", value);
  }
}

// A connection that was sent a cancel is not reused: a late cancel must not
// stop the next call's statement.
struct DiscardIfCancelled {
  ConnectionPool::Lease& lease;
  const StatementWatch::Guard& guard;
  ~DiscardIfCancelled() {
    if (guard.reason() != StatementWatch::Reason::kNone) lease.Discard();
  }
};

// SQLSTATE classes that mean the connection, not the statement, failed:
// 08 connection exception, 57P operator intervention (shutdown, crash,
// cannot connect now).
inline bool ConnectionLost(const std::string& sqlstate) {
  return sqlstate.rfind("08", 0) == 0 || sqlstate.rfind("57P", 0) == 0;
}

template <typename Tx, typename T, typename Fn>
absl::StatusOr<T> Run(ConnectionPool& pool, std::string_view what, Fn&& fn,
                      std::chrono::milliseconds wait) {
  const CallLimits* call = CallScope::Current();
  absl::Status last;
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    if (auto refusal = pool.watch().Refusal(call);
        refusal != StatementWatch::Reason::kNone) {
      return CancelledStatus(refusal);
    }
    auto lease = pool.Acquire(WaitWithin(call, wait));
    if (!lease.ok()) {
      const auto refusal = pool.watch().Refusal(call);
      return refusal == StatementWatch::Reason::kNone ? lease.status()
                                                      : CancelledStatus(refusal);
    }
    const auto guard = pool.watch().Watch(**lease, call);
    const DiscardIfCancelled discard_if_cancelled{*lease, guard};
    try {
      LimitStatementTime(**lease, call, pool.max_statement());
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
      last =
          absl::UnavailableError(StrCat("database unavailable: ", DatabaseErrorText(e)));
      if (attempt >= 2) return last;
    } catch (const pqxx::transaction_rollback& e) {
      // serialization_failure, deadlock_detected: try again.
      last = absl::AbortedError(StrCat(what, ": ", DatabaseErrorText(e)));
    } catch (const pqxx::unique_violation& e) {
      // A concurrent write took a digest or external id between our checks
      // and our insert; the next attempt sees it and answers precisely.
      last = absl::AbortedError(StrCat(what, ": ", DatabaseErrorText(e)));
    } catch (const pqxx::data_exception& e) {
      return absl::InvalidArgumentError(
          StrCat("the database refused a value: ", DatabaseErrorText(e)));
    } catch (const pqxx::sql_error& e) {
      if (e.sqlstate() == kQueryCanceled) return CancelledStatus(guard.reason());
      if (ConnectionLost(e.sqlstate())) {
        // The server is shutting down or the connection failed mid-work
        // (libpqxx reports these as plain SQL errors when libpq has not
        // yet marked the connection broken): nothing was committed.
        lease->Discard();
        pool.DropIdle();
        last = absl::UnavailableError(
            StrCat("database unavailable: ", DatabaseErrorText(e)));
        if (attempt >= 2) return last;
        continue;
      }
      spdlog::error("{}: database error {}: {} (query: {:.200})", what, e.sqlstate(),
                    DatabaseErrorText(e), e.query());
      return absl::InternalError(StrCat(what, ": database error ", e.sqlstate()));
    } catch (const UnreadableRow& e) {
      spdlog::error("{}: {}", what, DatabaseErrorText(e));
      return absl::InternalError(StrCat(what, ": ", DatabaseErrorText(e)));
    } catch (const std::exception& e) {
      lease->Discard();
      spdlog::error("{}: {}", what, DatabaseErrorText(e));
      return absl::InternalError(StrCat(what, ": ", DatabaseErrorText(e)));
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
