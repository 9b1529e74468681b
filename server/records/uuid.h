// A UUID as a value: parsing, canonical text, and time-ordered generation.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace rmtc::records {

class Uuid {
 public:
  Uuid() = default;  // the nil UUID
  explicit Uuid(const std::array<std::uint8_t, 16>& bytes) : bytes_(bytes) {}

  // Parses the canonical 8-4-4-4-12 hex form (either case). nullopt otherwise.
  static std::optional<Uuid> Parse(std::string_view text);

  // A new version-7 UUID: 48 bits of Unix milliseconds, then random bits, so
  // ids made close in time sit close in a B-tree index.
  static Uuid NewV7();

  // Lowercase canonical form, 36 characters.
  std::string ToString() const;
  bool IsNil() const { return *this == Uuid(); }
  const std::array<std::uint8_t, 16>& bytes() const { return bytes_; }

  auto operator<=>(const Uuid&) const = default;

 private:
  std::array<std::uint8_t, 16> bytes_{};
};

}  // namespace rmtc::records

template <>
struct std::hash<rmtc::records::Uuid> {
  std::size_t operator()(const rmtc::records::Uuid& u) const noexcept {
    // The low half of a v7 UUID is random: a fine hash as it is.
    std::size_t h = 0;
    for (int i = 8; i < 16; ++i) h = (h << 8) | u.bytes()[i];
    return h;
  }
};
