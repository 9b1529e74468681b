#include "support/test_cluster.h"

#include <pqxx/pqxx>
#include <stdlib.h>
#include <sys/stat.h>

#include <cstdio>
#include <stdexcept>

#include "common/strings.h"
#include "store/migrator.h"

namespace rmtc::testing {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/rmtc-test-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  // The embedded PostgreSQL runs as 'postgres' under root: let it through.
  chmod(pattern.c_str(), 0711);
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

TestCluster::TestCluster() { Start(); }

TestCluster::~TestCluster() { Stop(); }

void TestCluster::Start() {
  auto started = embedded::EmbeddedPostgres::Start({dir_.path() / "data", false});
  if (!started.ok()) {
    std::fprintf(stderr, "cannot start the test PostgreSQL: %s\n",
                 std::string(MessageOf(started.status())).c_str());
    std::abort();
  }
  server_ = *std::move(started);
}

void TestCluster::Stop() {
  if (server_) server_->Stop();
  server_.reset();
}

std::string TestCluster::ConnectionString(const std::string& database) const {
  return server_->ConnectionString(database);
}

std::string TestCluster::CreateDatabase(bool migrated) {
  const std::string name = StrCat("test_", ++databases_);
  {
    pqxx::connection admin(server_->ConnectionString("postgres"));
    pqxx::nontransaction tx(admin);
    tx.exec0("CREATE DATABASE " + name);
  }
  const std::string url = server_->ConnectionString(name);
  if (migrated) {
    auto version = store::Migrate(url, store::BuiltinMigrations());
    if (!version.ok()) {
      std::fprintf(stderr, "cannot migrate %s: %s\n", name.c_str(),
                   std::string(MessageOf(version.status())).c_str());
      std::abort();
    }
  }
  return url;
}

std::string TestCluster::Query(const std::string& url, const std::string& sql) {
  pqxx::connection connection(url);
  pqxx::nontransaction tx(connection);
  const auto rows = tx.exec(sql);
  if (rows.empty() || rows[0][0].is_null()) return "";
  return rows[0][0].c_str();
}

}  // namespace rmtc::testing
