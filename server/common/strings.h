// String building for messages. Debian builds abseil with its own
// absl::string_view (not std::string_view), so absl::StrCat and friends
// refuse std::string_view; these small helpers take both.
#pragma once

#include <charconv>
#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace rmtc {

inline void StrAppendPiece(std::string& out, std::string_view piece) {
  out.append(piece);
}
inline void StrAppendPiece(std::string& out, const char* piece) { out.append(piece); }
inline void StrAppendPiece(std::string& out, const std::string& piece) {
  out.append(piece);
}
inline void StrAppendPiece(std::string& out, absl::string_view piece) {
  out.append(piece.data(), piece.size());
}
inline void StrAppendPiece(std::string& out, char c) { out.push_back(c); }
template <std::integral T>
requires(!std::same_as<T, char> &&
         !std::same_as<T, bool>) void StrAppendPiece(std::string& out, T value) {
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, end);
}

// Appends every argument (strings, characters, integers) to `out`.
template <typename... Pieces>
void StrAppend(std::string& out, const Pieces&... pieces) {
  (StrAppendPiece(out, pieces), ...);
}

// Concatenates strings, characters and integers.
template <typename... Pieces>
std::string StrCat(const Pieces&... pieces) {
  std::string out;
  StrAppend(out, pieces...);
  return out;
}

// `items` joined by `separator`, each turned into text by `to_text`.
template <typename Range, typename ToText>
std::string StrJoin(const Range& items, std::string_view separator, ToText to_text) {
  std::string out;
  bool first = true;
  for (const auto& item : items) {
    if (!first) out.append(separator);
    first = false;
    StrAppendPiece(out, to_text(item));
  }
  return out;
}

// The pieces of `text` between `separator`s (empty pieces kept).
inline std::vector<std::string_view> StrSplit(std::string_view text, char separator) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = text.find(separator, start);
    out.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

// Lowercase hex of an unsigned integer.
inline std::string Hex(std::uint64_t value) {
  char buffer[17];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, 16);
  return std::string(buffer, end);
}

// A status message as std::string_view, for logging.
inline std::string_view MessageOf(const absl::Status& status) {
  const absl::string_view m = status.message();
  return {m.data(), m.size()};
}

}  // namespace rmtc
