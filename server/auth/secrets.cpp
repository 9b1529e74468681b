#include "auth/secrets.h"

#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>

namespace rmtc::auth {
namespace {

constexpr std::string_view kPrefix = "rmtc_";
constexpr std::size_t kRandomBytes = 32;
constexpr std::size_t kEncodedChars = 43;  // ceil(32 * 8 / 6), no padding
constexpr char kAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string Base64Url(const unsigned char* bytes, std::size_t size) {
  std::string out;
  unsigned bits = 0;
  int held = 0;
  for (std::size_t i = 0; i < size; ++i) {
    bits = (bits << 8) | bytes[i];
    held += 8;
    while (held >= 6) {
      held -= 6;
      out.push_back(kAlphabet[(bits >> held) & 0x3f]);
    }
  }
  if (held > 0) out.push_back(kAlphabet[(bits << (6 - held)) & 0x3f]);
  return out;
}

bool IsBase64Url(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
}

}  // namespace

std::string NewSecret() {
  std::array<unsigned char, kRandomBytes> bytes;
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("OpenSSL's random generator failed");
  }
  return std::string(kPrefix) + Base64Url(bytes.data(), bytes.size());
}

bool LooksLikeSecret(std::string_view text) {
  if (!text.starts_with(kPrefix)) return false;
  text.remove_prefix(kPrefix.size());
  return text.size() == kEncodedChars &&
         std::all_of(text.begin(), text.end(), IsBase64Url);
}

store::TokenDigest DigestOf(std::string_view secret) {
  store::TokenDigest digest;
  SHA256(reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
         digest.data());
  return digest;
}

std::optional<std::string_view> BearerToken(std::string_view header) {
  constexpr std::string_view kScheme = "bearer";
  if (header.size() <= kScheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) {
      return std::nullopt;
    }
  }
  header.remove_prefix(kScheme.size());
  if (header.front() != ' ') return std::nullopt;
  while (!header.empty() && header.front() == ' ') header.remove_prefix(1);
  while (!header.empty() && header.back() == ' ') header.remove_suffix(1);
  if (header.empty() || header.find(' ') != std::string_view::npos) return std::nullopt;
  return header;
}

}  // namespace rmtc::auth
