#include "records/uuid.h"

#include <openssl/rand.h>

#include <chrono>
#include <random>
#include <stdexcept>

#include "vocabulary/hex.h"

namespace rmtc::records {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

constexpr bool IsDashPosition(std::size_t i) {
  return i == 8 || i == 13 || i == 18 || i == 23;
}

}  // namespace

std::optional<Uuid> Uuid::Parse(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  std::array<std::uint8_t, 16> bytes{};
  std::size_t out = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (IsDashPosition(i)) {
      if (text[i] != '-') return std::nullopt;
      ++i;
      continue;
    }
    const int hi = HexValue(text[i]);
    const int lo = HexValue(text[i + 1]);
    if (hi < 0 || lo < 0 || IsDashPosition(i + 1)) return std::nullopt;
    bytes[out++] = static_cast<std::uint8_t>(hi << 4 | lo);
    i += 2;
  }
  return Uuid(bytes);
}

// The random bits of ids: a per-thread generator seeded once from OpenSSL.
// Ids need to be unique, not secret, and a batch of 10,000 items should not
// make 10,000 calls into the system's entropy source.
static std::mt19937_64& IdRandom() {
  thread_local std::mt19937_64 random = [] {
    std::array<std::uint32_t, 8> seed{};
    if (RAND_bytes(reinterpret_cast<unsigned char*>(seed.data()),
                   static_cast<int>(sizeof seed)) != 1) {
      throw std::runtime_error("OpenSSL RAND_bytes failed");
    }
    std::seed_seq sequence(seed.begin(), seed.end());
    return std::mt19937_64(sequence);
  }();
  return random;
}

Uuid Uuid::NewV7() {
  std::array<std::uint8_t, 16> b{};
  auto& random = IdRandom();
  const std::uint64_t high = random(), low = random();
  for (int i = 0; i < 8; ++i) {
    b[i] = static_cast<std::uint8_t>(high >> (8 * i));
    b[8 + i] = static_cast<std::uint8_t>(low >> (8 * i));
  }
  const auto ms =
      static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count());
  for (int i = 0; i < 6; ++i) b[i] = static_cast<std::uint8_t>(ms >> (40 - 8 * i));
  b[6] = static_cast<std::uint8_t>(0x70 | (b[6] & 0x0f));  // version 7
  b[8] = static_cast<std::uint8_t>(0x80 | (b[8] & 0x3f));  // RFC 4122 variant
  return Uuid(b);
}

std::string Uuid::ToString() const {
  const std::string hex = vocabulary::HexEncode(bytes_.data(), bytes_.size());
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

}  // namespace rmtc::records
