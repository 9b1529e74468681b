#include "lineage/page_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <random>

#include "vocabulary/hex.h"

namespace rmtc::lineage {
namespace {

constexpr std::size_t kTagHexDigits = 32;  // 128 bits

}  // namespace

PageTokenSeal::PageTokenSeal() : key_(kKeyBytes, '\0') {
  auto* bytes = reinterpret_cast<unsigned char*>(key_.data());
  if (RAND_bytes(bytes, static_cast<int>(key_.size())) != 1) {
    std::random_device random;
    for (auto& c : key_) c = static_cast<char>(random());
  }
}

PageTokenSeal::PageTokenSeal(std::string key) : key_(std::move(key)) {}

std::string PageTokenSeal::Tag(std::string_view body) const {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &length);
  return vocabulary::HexEncode(mac, length).substr(0, kTagHexDigits);
}

std::string PageTokenSeal::Seal(std::string_view body) const {
  std::string token(body);
  token.push_back('.');
  token += Tag(body);
  return token;
}

std::optional<std::string_view> PageTokenSeal::Open(std::string_view token) const {
  if (token.size() <= kTagHexDigits + 1) return std::nullopt;
  const std::size_t dot = token.size() - kTagHexDigits - 1;
  if (token[dot] != '.') return std::nullopt;
  const std::string_view body = token.substr(0, dot);
  const std::string expected = Tag(body);
  if (CRYPTO_memcmp(expected.data(), token.data() + dot + 1, kTagHexDigits) != 0) {
    return std::nullopt;
  }
  return body;
}

}  // namespace rmtc::lineage
