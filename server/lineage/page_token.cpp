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

std::string PageTokenSeal::Encode(std::string_view kind,
                                  const std::vector<std::string>& position,
                                  std::string_view fingerprint) const {
  std::string body(kind);
  for (const auto& field : position) {
    body.push_back('~');
    body += field;
  }
  body.push_back('~');
  body += fingerprint;
  return Seal(body);
}

std::optional<std::vector<std::string>> PageTokenSeal::Decode(
    std::string_view token, std::string_view kind, std::size_t fields,
    std::string_view fingerprint) const {
  const auto body = Open(token);
  if (!body) return std::nullopt;
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t at = body->find('~'); at != std::string_view::npos;
       start = at + 1, at = body->find('~', start)) {
    parts.emplace_back(body->substr(start, at - start));
  }
  parts.emplace_back(body->substr(start));
  if (parts.size() != fields + 2 || parts.front() != kind ||
      parts.back() != fingerprint) {
    return std::nullopt;
  }
  return std::vector<std::string>(parts.begin() + 1, parts.end() - 1);
}

std::string PageTokenSeal::Fingerprint(std::string_view canonical) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : canonical) {
    h ^= c;
    h *= 1099511628211ull;
  }
  unsigned char bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<unsigned char>(h >> (56 - 8 * i));
  return vocabulary::HexEncode(bytes, sizeof bytes);
}

}  // namespace rmtc::lineage
