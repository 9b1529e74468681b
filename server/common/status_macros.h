// Early returns for absl::Status and absl::StatusOr, as ML Metadata and
// absl's own internals use them (absl does not export these yet).
#pragma once

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define RMTC_RETURN_IF_ERROR(expr)                        \
  do {                                                    \
    if (auto rmtc_status_ = (expr); !rmtc_status_.ok()) { \
      return rmtc_status_;                                \
    }                                                     \
  } while (0)

#define RMTC_CONCAT_INNER_(a, b) a##b
#define RMTC_CONCAT_(a, b) RMTC_CONCAT_INNER_(a, b)

// RMTC_ASSIGN_OR_RETURN(auto x, FunctionReturningStatusOr());
#define RMTC_ASSIGN_OR_RETURN(lhs, expr) \
  RMTC_ASSIGN_OR_RETURN_IMPL_(RMTC_CONCAT_(rmtc_statusor_, __LINE__), lhs, expr)

#define RMTC_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr)   \
  auto statusor = (expr);                                  \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = *std::move(statusor)
