// Pages are cut by bytes as well as by count (docs/api.md "Pages"): an
// answer of 1,000 artefacts with 64 KiB of attributes each would be 65 MB,
// held by rmtcd until the client reads it. Every paged answer stops before
// the item that would take it past the deployment's budget
// (--max-response-bytes), and its token continues exactly there. A page
// always holds at least one item, so paging moves on even past an item
// larger than the budget; such an item comes back alone.
#pragma once

#include <cstddef>
#include <vector>

#include "records/artefact.h"
#include "records/licensing.h"
#include "records/queries.h"

namespace rmtc::lineage {

inline constexpr std::size_t kDefaultPageBytes = 4 * 1024 * 1024;
inline constexpr std::size_t kMinPageBytes = 16 * 1024;
// Room kept for what a page holds besides its items: the page token,
// `partial`, counts.
inline constexpr std::size_t kPageEnvelopeBytes = 1024;

// The bytes an item adds to an answer on the wire (protobuf), at most:
// every field's text plus its tag and length prefix, and the item's own.
std::size_t WireBytes(const records::Artefact& artefact);
std::size_t WireBytes(const records::TraceNode& node);
std::size_t WireBytes(const records::Edge& edge);
std::size_t WireBytes(const records::Licence& licence);
std::size_t WireBytes(const records::Clearance& clearance);
// An artefact without attributes and external ids (trace and impact nodes).
std::size_t SummaryWireBytes(const records::Artefact& artefact);

// Counts what a page may still take: Fits(bytes) is true for the first item
// whatever its size, then while the total stays within the budget.
class PageBudget {
 public:
  explicit PageBudget(std::size_t page_bytes)
      : left_(page_bytes > kPageEnvelopeBytes ? page_bytes - kPageEnvelopeBytes : 0) {}

  // Takes `bytes` for one more item if they fit (or if it is the first).
  bool Take(std::size_t bytes) {
    if (items_ > 0 && bytes > left_) return false;
    left_ = bytes > left_ ? 0 : left_ - bytes;
    used_ += bytes;
    ++items_;
    return true;
  }
  std::size_t left() const { return left_; }
  std::size_t used() const { return used_; }
  std::size_t items() const { return items_; }

 private:
  std::size_t left_;
  std::size_t used_ = 0;
  std::size_t items_ = 0;
};

// How many leading `items` make a page: at most `page_size`, and within
// `page_bytes` as `measure` weighs them (at least one, if there is one).
template <typename Item, typename Measure>
std::size_t ItemsWithin(const std::vector<Item>& items, int page_size,
                        std::size_t page_bytes, Measure measure) {
  PageBudget budget(page_bytes);
  std::size_t kept = 0;
  while (kept < items.size() && static_cast<int>(kept) < page_size &&
         budget.Take(measure(items[kept]))) {
    ++kept;
  }
  return kept;
}

}  // namespace rmtc::lineage
