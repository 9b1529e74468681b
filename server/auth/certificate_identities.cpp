#include "auth/certificate_identities.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "auth/roles.h"
#include "common/strings.h"

namespace rmtc::auth {
namespace {

// The line's words, up to a '#'.
std::vector<std::string> WordsOf(std::string line) {
  if (const auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
  std::istringstream in(line);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

}  // namespace

absl::StatusOr<std::map<std::string, records::Principal>> ParseCertificateIdentities(
    const std::string& path, const std::string& text) {
  std::map<std::string, records::Principal> identities;
  std::map<std::string, int> first_line;
  std::istringstream in(text);
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    const auto words = WordsOf(line);
    if (words.empty()) continue;
    const std::string where = StrCat(path, ":", number, ": ");
    if (words.size() > 3 || words.size() < 2) {
      return absl::InvalidArgumentError(
          StrCat(where, "expected '<certificate name> <role> [facility]', got ",
                 words.size(), " words"));
    }
    const auto role = RoleNamed(words[1]);
    if (!role) {
      return absl::InvalidArgumentError(StrCat(where, "unknown role '", words[1],
                                               "' (reader, recorder, rights or admin)"));
    }
    if (auto [it, fresh] = first_line.emplace(words[0], number); !fresh) {
      return absl::InvalidArgumentError(
          StrCat(where, "'", words[0], "' is mapped already, on line ", it->second));
    }
    identities[words[0]] =
        records::Principal{.name = StrCat("cert:", words[0]),
                           .role = *role,
                           .facility = words.size() == 3 ? words[2] : std::string(),
                           .source = records::Principal::Source::kCertificate};
  }
  return identities;
}

absl::StatusOr<std::map<std::string, records::Principal>> ReadCertificateIdentities(
    const std::string& path) {
  std::ifstream file(path);
  if (!file) {
    return absl::InvalidArgumentError(StrCat("--tls-client-identities: cannot read ",
                                             path, ": ", std::strerror(errno)));
  }
  std::ostringstream text;
  text << file.rdbuf();
  return ParseCertificateIdentities(path, text.str());
}

}  // namespace rmtc::auth
