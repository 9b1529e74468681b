#include "memory.h"

#include <malloc.h>

namespace rmtc::server {

bool ConfigureAllocator() {
  // Setting either threshold turns off glibc's dynamic adjustment of both.
  const bool mmap_ok = mallopt(M_MMAP_THRESHOLD, 256 * 1024) == 1;
  const bool trim_ok = mallopt(M_TRIM_THRESHOLD, 4 * 1024 * 1024) == 1;
  // Each arena keeps its own free lists: fewer arenas, less held memory;
  // four keep the workers from contending on one lock.
  const bool arenas_ok = mallopt(M_ARENA_MAX, 4) == 1;
  return mmap_ok && trim_ok && arenas_ok;
}

AllocatorTrimmer::AllocatorTrimmer(std::chrono::milliseconds period, std::size_t slack)
    : period_(period), slack_(slack), thread_([this] { Run(); }) {}

AllocatorTrimmer::~AllocatorTrimmer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

std::size_t AllocatorTrimmer::TrimIfOver(std::size_t slack) {
  const struct mallinfo2 info = mallinfo2();
  if (info.fordblks > slack) malloc_trim(0);
  return info.fordblks;
}

void AllocatorTrimmer::Run() {
  std::unique_lock lock(mu_);
  while (!wake_.wait_for(lock, period_, [this] { return stopping_; })) {
    TrimIfOver(slack_);
  }
}

}  // namespace rmtc::server
