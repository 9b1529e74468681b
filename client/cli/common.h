// What every rmtc command shares: global flags, exit codes, error reporting,
// and parsing of the small formats commands take (KEY=VALUE, SYSTEM:ID).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rmtc/client.h"

namespace rmtc {
using Time = rmtc::Time;  // microseconds: 0001..9999
}

namespace rmtc::cli {

// Exit codes, as documented in `rmtc --help` and the README.
enum Exit : int {
  kExitOk = 0,
  kExitUsage = 1,        // bad command line
  kExitNotFound = 2,     // an id, digest or external id that is not there
  kExitInvalid = 3,      // input the service refused (or a file that is unreadable)
  kExitUnavailable = 4,  // rmtcd cannot be reached, or timed out
  kExitDenied = 5,       // rmtc check: the use is DENIED
  kExitReview = 6,       // rmtc check: the use needs a REVIEW
  kExitFailed = 7,       // anything else that went wrong in the service
  kExitTampered = 8,     // rmtc audit verify: the log or a row is not as written
};

struct Globals {
  std::string address = "127.0.0.1:50051";
  std::string address_source = "--address";  // or RMTC_ADDRESS, for error messages
  bool json = false;
  double timeout_s = 30;
  std::string token;  // --token or RMTC_TOKEN; never printed
  // --tls-ca, --tls-cert, --tls-key, --tls-server-name (tls_options.cpp).
  std::string tls_ca, tls_cert, tls_key, tls_server_name;
};

// The exit code for an error the service answered.
int ExitCodeFor(ErrorCode code);

// Prints "rmtc: <what>: <message>" on stderr and returns the exit code.
int Fail(std::string_view what, const Error& error);
int Fail(std::string_view what, std::string_view message, int exit_code);

// Reports a failed call: the stderr line, and with --json an error document
// on stdout ({"error": {"what", "code", "message", "exit_code"}}; `code` is
// the gRPC status name, or USAGE, INVALID_INPUT, NOT_FOUND or FAILED for
// errors found before any call). Returns the exit code.
int Report(const Globals& globals, std::string_view what, const Error& error);
int Report(const Globals& globals, std::string_view what, std::string_view message,
           int exit_code);

// Proto field paths and the CLI flags that set them: {"licence.valid_until",
// "--valid-until"}.
using FlagNames = std::vector<std::pair<std::string_view, std::string_view>>;

// `error` with each field path it names replaced by its flag, so that the
// service's "licence.valid_until: must be later than valid_from" reads
// "--valid-until: must be later than --valid-from" on the command line.
// A path is replaced where it starts the message or follows a space or '(',
// and is followed by ':', '[' or the end.
Error WithFlagNames(Error error, const FlagNames& flags);

// `error` of a call given `argument` for an id: when the service refused it
// as no id and it looks like a name, a hint to look the name up
// ("...; to find it by name: rmtc ls --name 'plate 1'").
Error WithNameHint(Error error, std::string_view argument);

// The `code` of an error document for an error found by rmtc itself.
std::string_view LocalErrorCode(int exit_code);

// Connects with the global flags. On failure prints why and sets `exit_code`:
// a malformed address is a usage error (1), an unreachable rmtcd 4.
std::optional<Client> ConnectOrReport(const Globals& globals, int& exit_code);

// Builds an attributes JSON object from KEY=VALUE pairs. VALUE is taken as
// JSON when it parses as JSON (numbers, true, {"a":1}), else as a string.
// Fails on a pair without '='.
std::optional<std::string> AttributesFromPairs(const std::vector<std::string>& pairs,
                                               std::string& error);

// "SYSTEM:ID" -> {SYSTEM, ID}; the ID may itself contain ':'.
std::optional<ExternalId> ParseExternalId(std::string_view text);

// "[RELATION:]ID" -> a Source, with `fallback` when no relation is given.
std::optional<Source> ParseSource(std::string_view text, Relation fallback,
                                  std::string& error);

// SHA-256 of a file, read in blocks (any size), as 64 lowercase hex digits.
std::optional<std::string> Sha256OfFile(const std::string& path, std::string& error);

// "2026-11-26", "2026-11-26T07:30:00Z", "2026-11-26T07:30:00.5+13:00";
// nullopt outside 0001..9999, for a day the month lacks, or 23:59:60.
std::optional<Time> ParseTime(std::string_view text);

// Prints one JSON document on stdout.
void PrintJson(const nlohmann::json& document);

}  // namespace rmtc::cli
