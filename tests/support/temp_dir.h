// A fresh temporary directory for a test, removed with everything in it.
#pragma once

#include <filesystem>

namespace rmtc::testing {

class TempDir {
 public:
  // Open to the postgres user (mode 0711) for clusters run as root.
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace rmtc::testing
