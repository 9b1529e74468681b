// Lowercase hex, the one encoder of digests, request ids and token tags.
#pragma once

#include <string>
#include <string_view>

namespace rmtc::vocabulary {

inline std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0x0f]);
  }
  return out;
}

inline std::string HexEncode(const unsigned char* bytes, std::size_t size) {
  return HexEncode(std::string_view(reinterpret_cast<const char*>(bytes), size));
}

}  // namespace rmtc::vocabulary
