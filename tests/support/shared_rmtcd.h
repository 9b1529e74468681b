// One zero-config rmtcd (its embedded PostgreSQL in a temporary directory)
// for a whole test program, as a GoogleTest environment:
//   ::testing::AddGlobalTestEnvironment(new rmtc::testing::SharedRmtcd(RMTCD_PATH));
//   ... rmtc::testing::SharedRmtcd::Get().address() ...
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "support/process.h"
#include "support/temp_dir.h"

namespace rmtc::testing {

class SharedRmtcd : public ::testing::Environment {
 public:
  explicit SharedRmtcd(std::string binary) : binary_(std::move(binary)) {}

  void SetUp() override {
    dir_ = std::make_unique<TempDir>();
    std::string error;
    process_ = RmtcdProcess::Start(
        binary_, {"--data-dir", (dir_->path() / "data").string()}, &error);
    ASSERT_NE(process_, nullptr) << error;
  }

  // A clean stop is part of what the tests check.
  void TearDown() override {
    if (process_) {
      EXPECT_EQ(process_->Stop(), 0) << process_->output();
    }
    process_.reset();
    dir_.reset();
  }

  static RmtcdProcess& Get() { return *process_; }

 private:
  std::string binary_;
  static inline std::unique_ptr<TempDir> dir_;
  static inline std::unique_ptr<RmtcdProcess> process_;
};

}  // namespace rmtc::testing
