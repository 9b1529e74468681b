// Secrets this process knows (the database password) and the one function
// that removes them from any text bound for a log or a client. The secret
// is known exactly, from the parsed connection string, so masking replaces
// it wherever a library quotes it, in whatever shape (libpq's error texts
// quote URLs, tokens and key=value pairs each its own way).
#pragma once

#include <algorithm>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace rmtc {

inline constexpr std::string_view kMaskedSecret = "***";

namespace internal {

struct SecretList {
  std::mutex mu;
  std::vector<std::string> secrets;  // longest first: a secret may hold another
};

inline SecretList& Secrets() {
  static SecretList* list = new SecretList;  // outlives every logging thread
  return *list;
}

inline std::string PercentEncoded(std::string_view text, bool upper) {
  static constexpr char kUpper[] = "0123456789ABCDEF";
  static constexpr char kLower[] = "0123456789abcdef";
  const char* hex = upper ? kUpper : kLower;
  std::string out;
  for (unsigned char c : text) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                       c == '~';
    if (plain) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

}  // namespace internal

// Remembers `secret`, as written and percent-encoded (both hex cases), so
// that Masked() hides it. Empty secrets are ignored.
inline void AddSecret(std::string_view secret) {
  if (secret.empty()) return;
  auto& list = internal::Secrets();
  std::lock_guard lock(list.mu);
  for (std::string form : {std::string(secret), internal::PercentEncoded(secret, true),
                           internal::PercentEncoded(secret, false)}) {
    if (std::find(list.secrets.begin(), list.secrets.end(), form) == list.secrets.end()) {
      list.secrets.push_back(std::move(form));
    }
  }
  std::stable_sort(
      list.secrets.begin(), list.secrets.end(),
      [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

// `text` with every known secret replaced by "***".
inline std::string Masked(std::string_view text) {
  std::string out(text);
  auto& list = internal::Secrets();
  std::lock_guard lock(list.mu);
  for (const auto& secret : list.secrets) {
    for (auto at = out.find(secret); at != std::string::npos;
         at = out.find(secret, at + kMaskedSecret.size())) {
      out.replace(at, secret.size(), kMaskedSecret);
    }
  }
  return out;
}

}  // namespace rmtc
