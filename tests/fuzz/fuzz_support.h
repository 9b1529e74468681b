// What the fuzz targets share: a checked assertion that libFuzzer sees as a
// crash, splitting of fuzz bytes into fields, and a reference UTF-8 decoder
// written independently of lineage::IsValidUtf8 so the two can be compared.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace rmtc::fuzz {

// Prints what broke and aborts: libFuzzer saves the input as a crash.
[[noreturn]] inline void Fail(const char* file, int line, const char* condition,
                              const std::string& detail) {
  std::fprintf(stderr, "%s:%d: invariant broken: %s\n  %s\n", file, line, condition,
               detail.c_str());
  std::abort();
}

#define RMTC_FUZZ_CHECK(condition, detail)                                          \
  do {                                                                              \
    if (!(condition)) ::rmtc::fuzz::Fail(__FILE__, __LINE__, #condition, (detail)); \
  } while (0)

inline std::string_view AsText(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

inline std::string Describe(const absl::Status& status) {
  return std::string(status.ToString());
}

// Debian's abseil has its own absl::string_view; this gives a std::string.
inline std::string MessageOf(const absl::Status& status) {
  return std::string(status.message().data(), status.message().size());
}

// The pieces of `text` between `separator`s, empty pieces kept.
inline std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = text.find(separator, start);
    if (end == std::string_view::npos) {
      out.push_back(text.substr(start));
      return out;
    }
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
}

// Well-formed UTF-8 after the Unicode Standard's Table 3-7 (the byte ranges
// of every well-formed sequence), not after the decoder under test.
inline bool ReferenceIsUtf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  const auto in = [](unsigned char c, unsigned lo, unsigned hi) {
    return c >= lo && c <= hi;
  };
  std::size_t i = 0;
  while (i < n) {
    const unsigned char b0 = s[i];
    if (b0 <= 0x7F) {
      i += 1;
      continue;
    }
    // The range the second byte must fall in, and the sequence length.
    unsigned lo = 0x80, hi = 0xBF;
    std::size_t length = 0;
    if (in(b0, 0xC2, 0xDF)) {
      length = 2;
    } else if (b0 == 0xE0) {
      length = 3, lo = 0xA0;
    } else if (in(b0, 0xE1, 0xEC) || in(b0, 0xEE, 0xEF)) {
      length = 3;
    } else if (b0 == 0xED) {
      length = 3, hi = 0x9F;
    } else if (b0 == 0xF0) {
      length = 4, lo = 0x90;
    } else if (in(b0, 0xF1, 0xF3)) {
      length = 4;
    } else if (b0 == 0xF4) {
      length = 4, hi = 0x8F;
    } else {
      return false;
    }
    if (i + length > n) return false;
    if (!in(s[i + 1], lo, hi)) return false;
    for (std::size_t k = 2; k < length; ++k) {
      if (!in(s[i + k], 0x80, 0xBF)) return false;
    }
    i += length;
  }
  return true;
}

inline std::string Lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// For messages: the input with bytes outside printable ASCII as \xNN,
// shortened.
inline std::string Printable(std::string_view text, std::size_t limit = 200) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < text.size() && i < limit; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7F && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  if (text.size() > limit) out += "...";
  return out;
}

}  // namespace rmtc::fuzz
