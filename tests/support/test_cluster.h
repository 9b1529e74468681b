// A throwaway PostgreSQL for tests: the same embedded cluster rmtcd runs,
// in a fresh temporary directory, non-durable for speed, removed at the end.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "embedded/embedded_postgres.h"
#include "support/temp_dir.h"

namespace rmtc::testing {

class TestCluster {
 public:
  // Starts the cluster; aborts the test program if it cannot.
  TestCluster();
  ~TestCluster();

  // A new, empty database; `migrated` applies the built-in schema.
  // Returns its connection string.
  std::string CreateDatabase(bool migrated = true);

  // Runs `sql` on `url`, returning the first column of the first row ("" if
  // none). For assertions about what is stored.
  static std::string Query(const std::string& url, const std::string& sql);

  // Stops and starts the server (same data): for outage tests.
  void Stop();
  void Start();

  std::string ConnectionString(const std::string& database) const;

 private:
  TempDir dir_;
  std::unique_ptr<embedded::EmbeddedPostgres> server_;
  int databases_ = 0;
};

}  // namespace rmtc::testing
