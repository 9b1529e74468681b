#include "store/connection_pool.h"

#include <cstdlib>
#include <pqxx/pqxx>

#include "common/secrets.h"
#include "common/strings.h"
#include "store/database_url.h"

namespace rmtc::store {

ConnectionPool::ConnectionPool(std::string url, int size,
                               std::function<void(pqxx::connection&)> prepare,
                               std::chrono::seconds max_statement)
    : url_(WithLibpqDefaults(url)),
      size_(size),
      prepare_(std::move(prepare)),
      max_statement_(max_statement) {}

std::string WithLibpqDefaults(const std::string& url) {
  // The precedence libpq gives: the connection string, then the
  // environment, then this default.
  const char* env = std::getenv("PGCONNECT_TIMEOUT");
  if (url.find("connect_timeout") != std::string::npos ||
      (env != nullptr && *env != '\0')) {
    return url;
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    return StrCat(url, url.find('?') == std::string::npos ? "?" : "&",
                  "connect_timeout=5");
  }
  return url.empty() ? "connect_timeout=5" : StrCat(url, " connect_timeout=5");
}

ConnectionPool::~ConnectionPool() = default;

ConnectionPool::Lease::Lease(ConnectionPool* pool,
                             std::unique_ptr<pqxx::connection> connection)
    : pool_(pool), connection_(std::move(connection)) {}

ConnectionPool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_),
      connection_(std::move(other.connection_)),
      discard_(other.discard_) {
  other.pool_ = nullptr;
}

ConnectionPool::Lease::~Lease() {
  if (pool_ != nullptr) pool_->Return(std::move(connection_), discard_);
}

absl::StatusOr<ConnectionPool::Lease> ConnectionPool::Acquire(
    std::chrono::milliseconds wait) {
  {
    std::unique_lock lock(mu_);
    const bool got =
        freed_.wait_for(lock, wait, [&] { return !idle_.empty() || leased_ < size_; });
    if (!got) {
      return absl::ResourceExhaustedError(
          StrCat("all ", size_, " database connections stayed busy for ", wait.count(),
                 " ms; retry later, or raise --database-pool"));
    }
    ++leased_;
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(connection));
    }
  }
  // A new connection is made outside the lock: it can take seconds.
  try {
    auto connection = std::make_unique<pqxx::connection>(url_);
    if (prepare_) prepare_(*connection);
    return Lease(this, std::move(connection));
  } catch (const std::exception& e) {
    Return(nullptr, true);
    return absl::UnavailableError(
        StrCat("cannot connect to the database: ", DatabaseErrorText(e)));
  }
}

void ConnectionPool::DropIdle() {
  std::vector<std::unique_ptr<pqxx::connection>> dropped;
  {
    std::lock_guard lock(mu_);
    dropped.swap(idle_);
  }
  // Closed outside the lock: closing a dead socket can take a moment.
}

void ConnectionPool::Return(std::unique_ptr<pqxx::connection> connection, bool discard) {
  {
    std::lock_guard lock(mu_);
    --leased_;
    if (connection && !discard && connection->is_open()) {
      idle_.push_back(std::move(connection));
    }
  }
  freed_.notify_one();
}

std::string RedactUrl(const std::string& url) {
  ProtectPasswords(url);
  return Masked(url);
}

}  // namespace rmtc::store
