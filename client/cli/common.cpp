#include "common.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>

#include "vocabulary/hex.h"
#include "vocabulary/time_text.h"

namespace rmtc::cli {

int ExitCodeFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kNotFound:
      return kExitNotFound;
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kFailedPrecondition:
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kOutOfRange:
      return kExitInvalid;
    case ErrorCode::kUnavailable:
    case ErrorCode::kDeadlineExceeded:
    case ErrorCode::kResourceExhausted:
      return kExitUnavailable;
    default:
      return kExitFailed;
  }
}

int Fail(std::string_view what, std::string_view message, int exit_code) {
  std::cerr << "rmtc: " << what << ": " << message << "\n";
  return exit_code;
}

int Fail(std::string_view what, const Error& error) {
  std::string message = error.message;
  if (message.empty()) message = ErrorCodeName(error.code);
  if (error.code == ErrorCode::kDeadlineExceeded) {
    message += " (the call took longer than --timeout)";
  }
  return Fail(what, message, ExitCodeFor(error.code));
}

Error WithFlagNames(Error error, const FlagNames& flags) {
  std::string& text = error.message;
  for (const auto& [field, flag] : flags) {
    for (std::size_t at = text.find(field); at != std::string::npos;
         at = text.find(field, at + 1)) {
      const std::size_t end = at + field.size();
      const bool starts = at == 0 || text[at - 1] == ' ' || text[at - 1] == '(';
      const bool ends = end == text.size() || text[end] == ':' || text[end] == '[';
      if (starts && ends) text.replace(at, field.size(), flag);
    }
  }
  return error;
}

namespace {

// 8-4-4-4-12 hex digits, any case.
bool LooksLikeUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i])))
      return false;
  }
  return true;
}

// `text` as one shell word: as it is if plain, else in single quotes.
std::string ShellWord(std::string_view text) {
  const bool plain = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' ||
           c == '-' || c == '/';
  });
  if (plain) return std::string(text);
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

}  // namespace

Error WithNameHint(Error error, std::string_view argument) {
  if (error.code == ErrorCode::kInvalidArgument && !LooksLikeUuid(argument)) {
    error.message +=
        "; to find an artefact by name: rmtc ls --name " + ShellWord(argument);
  }
  return error;
}

std::string_view LocalErrorCode(int exit_code) {
  switch (exit_code) {
    case kExitUsage:
      return "USAGE";
    case kExitInvalid:
      return "INVALID_INPUT";
    case kExitNotFound:
      return "NOT_FOUND";
    default:
      return "FAILED";
  }
}

int Report(const Globals& globals, std::string_view what, std::string_view message,
           int exit_code) {
  if (globals.json) {
    PrintJson({{"error",
                {{"what", what},
                 {"code", LocalErrorCode(exit_code)},
                 {"message", message},
                 {"exit_code", exit_code}}}});
  }
  return Fail(what, message, exit_code);
}

int Report(const Globals& globals, std::string_view what, const Error& error) {
  if (globals.json) {
    PrintJson({{"error",
                {{"what", what},
                 {"code", ErrorCodeName(error.code)},
                 {"message", error.message},
                 {"exit_code", ExitCodeFor(error.code)}}}});
  }
  return Fail(what, error);
}

namespace {

// "tls_cert_file: needs tls_key_file" -> "--tls-cert: needs --tls-key".
std::string TlsFlagNames(std::string text) {
  const FlagNames flags = {{"tls_ca_file", "--tls-ca"},
                           {"tls_cert_file", "--tls-cert"},
                           {"tls_key_file", "--tls-key"}};
  for (const auto& [field, flag] : flags) {
    for (auto at = text.find(field); at != std::string::npos; at = text.find(field, at)) {
      text.replace(at, field.size(), flag);
    }
  }
  return text;
}

}  // namespace

std::optional<Client> ConnectOrReport(const Globals& globals, int& exit_code) {
  ClientOptions options;
  options.address = globals.address;
  options.token = globals.token;
  options.timeout =
      std::chrono::milliseconds(static_cast<long>(globals.timeout_s * 1000));
  options.tls_ca_file = globals.tls_ca;
  options.tls_cert_file = globals.tls_cert;
  options.tls_key_file = globals.tls_key;
  options.tls_server_name = globals.tls_server_name;
  auto client = Client::Connect(options);
  if (!client && client.error().message.starts_with("tls_")) {
    exit_code =
        Report(globals, "connect", TlsFlagNames(client.error().message), kExitUsage);
    return std::nullopt;
  }
  if (!client && client.error().code == ErrorCode::kInvalidArgument) {
    // "address: '...' has no port: ..." -> "rmtc: --address: '...' has no port: ..."
    std::string_view why = client.error().message;
    if (why.starts_with("address: ")) why.remove_prefix(9);
    exit_code = Report(globals, globals.address_source, why, kExitUsage);
    return std::nullopt;
  }
  if (!client) {
    exit_code = Report(globals, "connect", client.error());
    return std::nullopt;
  }
  return *std::move(client);
}

std::optional<std::string> AttributesFromPairs(const std::vector<std::string>& pairs,
                                               std::string& error) {
  if (pairs.empty()) return std::string();
  nlohmann::json object = nlohmann::json::object();
  for (const auto& pair : pairs) {
    const auto eq = pair.find('=');
    if (eq == std::string::npos || eq == 0) {
      error = "--attr '" + pair + "': expected KEY=VALUE";
      return std::nullopt;
    }
    const std::string key = pair.substr(0, eq);
    const std::string value = pair.substr(eq + 1);
    auto parsed = nlohmann::json::parse(value, nullptr, /*allow_exceptions=*/false);
    object[key] = parsed.is_discarded() ? nlohmann::json(value) : parsed;
  }
  try {
    return object.dump();
  } catch (const nlohmann::json::exception&) {
    // dump() refuses strings that are not UTF-8 (rmtcd would too).
    error = "--attr: keys and values must be valid UTF-8";
    return std::nullopt;
  }
}

std::optional<ExternalId> ParseExternalId(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) {
    return std::nullopt;
  }
  return ExternalId{std::string(text.substr(0, colon)),
                    std::string(text.substr(colon + 1))};
}

std::optional<Source> ParseSource(std::string_view text, Relation fallback,
                                  std::string& error) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) return Source::Stored(fallback, std::string(text));
  const auto relation = RelationFromName(text.substr(0, colon));
  if (!relation) {
    error = "--from '" + std::string(text) + "': '" + std::string(text.substr(0, colon)) +
            "' is not a relation (derived_from, contains, supersedes, ...)";
    return std::nullopt;
  }
  return Source::Stored(*relation, std::string(text.substr(colon + 1)));
}

std::optional<std::string> Sha256OfFile(const std::string& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                              &EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  std::vector<char> block(1 << 20);
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    if (in.gcount() > 0) {
      EVP_DigestUpdate(ctx.get(), block.data(), static_cast<std::size_t>(in.gcount()));
    }
  }
  if (in.bad()) {
    error = path + ": read error";
    return std::nullopt;
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &length);
  return vocabulary::HexEncode(digest, length);
}

std::optional<Time> ParseTime(std::string_view text) {
  const auto micros = vocabulary::ParseRfc3339(text);
  if (!micros) return std::nullopt;
  return Time(std::chrono::microseconds(*micros));
}

void PrintJson(const nlohmann::json& document) {
  std::cout << document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
            << "\n";
}

}  // namespace rmtc::cli
