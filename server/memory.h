// Giving memory back. glibc's malloc keeps freed memory for reuse: with
// one arena per worker thread and a threshold for mmap that rises after
// every large free, the buffers of one large call stay in rmtcd's resident
// set long after the call (issue 10: 5.2 GB held after a few batches).
// rmtcd fixes the thresholds at start and trims what malloc holds free.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>

namespace rmtc::server {

// Sets malloc's thresholds before any thread starts: blocks of 256 KiB and
// more (request and answer buffers, large pages) are mapped and unmapped
// on their own, so freeing one returns it at once; the threshold no longer
// rises with each large free; at most 4 arenas. Returns false if glibc
// refused a setting (rmtcd still runs, only holds more).
bool ConfigureAllocator();

// Returns the free memory malloc holds to the system: every `period`, if
// more than `slack` bytes lie free in malloc's arenas, malloc_trim(0).
// Runs on its own thread until destroyed.
class AllocatorTrimmer {
 public:
  explicit AllocatorTrimmer(std::chrono::milliseconds period = std::chrono::seconds(1),
                            std::size_t slack = 16 * 1024 * 1024);
  ~AllocatorTrimmer();
  AllocatorTrimmer(const AllocatorTrimmer&) = delete;
  AllocatorTrimmer& operator=(const AllocatorTrimmer&) = delete;

  // Trims now if more than `slack` bytes lie free; the bytes found free.
  static std::size_t TrimIfOver(std::size_t slack);

 private:
  void Run();

  const std::chrono::milliseconds period_;
  const std::size_t slack_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace rmtc::server
