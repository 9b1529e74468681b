#include "store/database_url.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <fstream>
#include <string_view>

#include "common/secrets.h"
#include "common/strings.h"

namespace rmtc::store {
namespace {

bool IsUrl(std::string_view url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Lenient: a '%' not followed by two hex digits stays as it is.
std::string PercentDecoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
        HexValue(text[i + 2]) >= 0) {
      out.push_back(
          static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// The part of a URL before its query: "user:password@host:port/db".
std::string_view UrlHead(std::string_view url) {
  url.remove_prefix(url.find("://") + 3);
  return url.substr(0, url.find('?'));
}

// The user-info's password as written, up to the last '@' (libpq stops at
// the first one; the person who wrote it meant the last).
void AddUrlPasswords(std::string_view url, std::vector<std::string>& out) {
  const std::string_view head = UrlHead(url);
  const auto at = head.rfind('@');
  if (at != std::string_view::npos) {
    const std::string_view user_info = head.substr(0, at);
    const auto colon = user_info.find(':');
    if (colon != std::string_view::npos) {
      const std::string_view written = user_info.substr(colon + 1);
      out.emplace_back(written);
      out.push_back(PercentDecoded(written));
    }
  }
  for (auto at_param = url.find("password="); at_param != std::string_view::npos;
       at_param = url.find("password=", at_param + 1)) {
    if (at_param == 0 || (url[at_param - 1] != '?' && url[at_param - 1] != '&')) continue;
    std::string_view written = url.substr(at_param + 9);
    written = written.substr(0, written.find('&'));
    out.emplace_back(written);
    out.push_back(PercentDecoded(written));
  }
}

// password=value or password = 'quoted \' value' in a key=value string.
void AddKeywordPasswords(std::string_view text, std::vector<std::string>& out) {
  for (auto at = text.find("password"); at != std::string_view::npos;
       at = text.find("password", at + 1)) {
    if (at > 0 && text[at - 1] != ' ' && text[at - 1] != '\t') continue;
    std::size_t i = at + 8;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (i >= text.size() || text[i] != '=') continue;
    ++i;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    const bool quoted = i < text.size() && text[i] == '\'';
    if (quoted) ++i;
    const std::size_t start = i;
    std::string value;
    for (; i < text.size(); ++i) {
      const char c = text[i];
      if (quoted ? c == '\'' : (c == ' ' || c == '\t')) break;
      if (c == '\\' && i + 1 < text.size()) ++i;
      value.push_back(text[i]);
    }
    out.emplace_back(text.substr(start, i - start));
    out.push_back(std::move(value));
  }
}

// What libpq itself makes of the string, when it can parse it.
void AddLibpqPassword(const std::string& url, std::vector<std::string>& out) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (error != nullptr) PQfreemem(error);  // may quote the password: never shown
  if (options == nullptr) return;
  for (auto* option = options; option->keyword != nullptr; ++option) {
    if (std::string_view(option->keyword) == "password" && option->val != nullptr) {
      out.emplace_back(option->val);
    }
  }
  PQconninfoFree(options);
}

std::string Trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

}  // namespace

std::vector<std::string> PasswordsIn(const std::string& url) {
  std::vector<std::string> out;
  if (IsUrl(url)) {
    AddUrlPasswords(url, out);
  } else {
    AddKeywordPasswords(url, out);
  }
  AddLibpqPassword(url, out);
  std::erase(out, std::string());
  return out;
}

void ProtectPasswords(const std::string& url) {
  for (const auto& password : PasswordsIn(url)) AddSecret(password);
  if (const char* env = std::getenv("PGPASSWORD"); env != nullptr) AddSecret(env);
}

absl::Status CheckDatabaseUrl(const std::string& url) {
  if (!IsUrl(url)) return absl::OkStatus();
  const std::string_view head = UrlHead(url);
  if (head.find('@') != head.rfind('@')) {
    return absl::InvalidArgumentError(
        "--database-url: the user or password holds an '@'; write it as %40 (or give "
        "the password with --database-password-file)");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> WithPassword(const std::string& url,
                                         const std::string& password) {
  if (!PasswordsIn(url).empty()) {
    return absl::InvalidArgumentError(
        "--database-url already holds a password: give it one way only");
  }
  AddSecret(password);
  if (IsUrl(url)) {
    return StrCat(url, url.find('?') == std::string::npos ? "?" : "&",
                  "password=", internal::PercentEncoded(password, true));
  }
  std::string quoted;
  for (char c : password) {
    if (c == '\\' || c == '\'') quoted.push_back('\\');
    quoted.push_back(c);
  }
  return StrCat(url, url.empty() ? "" : " ", "password='", quoted, "'");
}

absl::StatusOr<std::string> ReadPasswordFile(const std::string& path) {
  std::ifstream in(path);
  std::string password;
  if (!in || !std::getline(in, password)) {
    return absl::FailedPreconditionError(
        StrCat("--database-password-file ", path, ": cannot read it"));
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.empty()) {
    return absl::FailedPreconditionError(
        StrCat("--database-password-file ", path, ": the first line is empty"));
  }
  return password;
}

std::string DatabaseErrorText(const std::exception& error) {
  return Masked(Trimmed(error.what()));
}

}  // namespace rmtc::store
