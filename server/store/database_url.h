// The database password: found in a connection string, kept out of logs
// and answers, or given apart from the string (a file, so that it does not
// show in `ps`).
#pragma once

#include <exception>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace rmtc::store {

// Every spelling of the password that `url` (a libpq URL or key=value
// string) carries: as written, percent- or backslash-decoded, and as libpq
// itself parses it. Works on strings libpq refuses, too.
std::vector<std::string> PasswordsIn(const std::string& url);

// Registers the passwords in `url`, and PGPASSWORD's, with rmtc::Masked()
// (common/secrets.h), so that no log line or answer shows them.
void ProtectPasswords(const std::string& url);

// INVALID_ARGUMENT (without the password) if `url` is a URL whose user or
// password holds an unescaped '@': libpq would read the rest as the host
// name and quote it in its errors.
absl::Status CheckDatabaseUrl(const std::string& url);

// `url` with `password` added (URL query parameter or key=value pair) and
// registered as a secret. INVALID_ARGUMENT if `url` already holds one.
absl::StatusOr<std::string> WithPassword(const std::string& url,
                                         const std::string& password);

// The password in the file at `path`: its first line. FAILED_PRECONDITION
// if it cannot be read or is empty.
absl::StatusOr<std::string> ReadPasswordFile(const std::string& path);

// A libpq/libpqxx error's text for a log or an answer: trailing newlines
// cut, every known secret masked.
std::string DatabaseErrorText(const std::exception& error);

}  // namespace rmtc::store
