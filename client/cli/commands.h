// The rmtc commands. Each Add* declares a subcommand on `app`; when the
// command line picks it, `run` is set to the function that carries it out
// and returns the exit code.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "common.h"

namespace rmtc::cli {

using Runner = std::function<int()>;

// The global TLS flags, each also an RMTC_TLS_* environment variable.
void AddTlsOptions(CLI::App& app, Globals& globals);

void AddRegisterCommand(CLI::App& app, const Globals& globals, Runner& run);
void AddRecordCommands(CLI::App& app, const Globals& globals, Runner& run);
void AddReadCommands(CLI::App& app, const Globals& globals, Runner& run);
void AddTraceCommand(CLI::App& app, const Globals& globals, Runner& run);
void AddImportCommand(CLI::App& app, const Globals& globals, Runner& run);
void AddLicensingCommands(CLI::App& app, const Globals& globals, Runner& run);
void AddAccessCommands(CLI::App& app, const Globals& globals, Runner& run);
void AddAuditCommands(CLI::App& app, const Globals& globals, Runner& run);

// A use check's JSON document, text, and the exit code its verdict gives
// (0 ALLOWED, 5 DENIED, 6 REVIEW).
nlohmann::json CheckToJson(const std::string& id, const UseCheck& check);
void PrintCheck(std::ostream& out, const UseCheck& check);
int VerdictExit(Verdict verdict);

}  // namespace rmtc::cli
