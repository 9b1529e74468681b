// Errors and results of the RMTC client: values, never exceptions.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "rmtc/export.h"

namespace rmtc {

// The status codes of gRPC, which rmtcd answers with (same numbers).
enum class ErrorCode {
  kOk = 0,
  kCancelled = 1,
  kUnknown = 2,
  kInvalidArgument = 3,   // a field is wrong; the message names it
  kDeadlineExceeded = 4,  // the call took longer than the client's timeout
  kNotFound = 5,          // an id that does not exist
  kAlreadyExists = 6,     // an external id or request id already taken
  kPermissionDenied = 7,
  kResourceExhausted = 8,   // rmtcd is overloaded; retry later
  kFailedPrecondition = 9,  // e.g. a relation the two kinds do not allow
  kAborted = 10,
  kOutOfRange = 11,
  kUnimplemented = 12,
  kInternal = 13,
  kUnavailable = 14,  // rmtcd or its database cannot be reached
  kDataLoss = 15,
  kUnauthenticated = 16,
};

// "INVALID_ARGUMENT", "NOT_FOUND", ...
RMTC_EXPORT const char* ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kUnknown;
  std::string message{};  // from rmtcd: names the field, e.g. "artefacts[2].name: ..."
};

// A value, or the Error that prevented it.
template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT: implicit on purpose
  Result(Error error) : state_(std::move(error)) {}  // NOLINT
  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  // Requires ok().
  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // Requires !ok().
  const Error& error() const { return std::get<Error>(state_); }

 private:
  std::variant<T, Error> state_;
};

}  // namespace rmtc
