#include "support/test_cluster.h"

#include <cstdio>
#include <pqxx/pqxx>
#include <stdexcept>

#include "common/strings.h"
#include "store/migrator.h"

namespace rmtc::testing {

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
