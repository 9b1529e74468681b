// rmtc: the command line of RMTC, for TDs. Uses only the public client API.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <functional>
#include <iostream>

#include "commands.h"
#include "common.h"
#include "rmtc/client.h"

namespace {

constexpr char kDescription[] =
    "rmtc - register and trace the lineage of AI work: datasets, models, weights,\n"
    "training runs, inferences and the assets they consume and produce.\n"
    "\n"
    "Talks to rmtcd (start one with script/server). Every command takes --json\n"
    "for exactly one JSON document on stdout.\n"
    "\n"
    "Examples:\n"
    "  rmtc register dataset --name wellington-plates --uri s3://plates/2026\n"
    "  rmtc record run --name lora-7 --trained-on DATASET_ID --weights-name "
    "lora-7.safetensors\n"
    "  rmtc record inference --weights WEIGHTS_ID --input PLATE_ID --output-name "
    "sh010_comp.exr\n"
    "  rmtc trace OUTPUT_ID                 # what it is built from, as a tree\n"
    "  rmtc trace DATASET_ID --down         # everything built from it\n"
    "  rmtc license attach PLATES_ID 'CC-BY-NC-4.0' --attribution 'Ngaio Artist'\n"
    "  rmtc check FRAME_ID --use client-delivery   # ALLOWED, REVIEW or DENIED, and "
    "why\n";

constexpr char kFooter[] =
    "Exit codes: 0 success; 1 usage error; 2 not found; 3 invalid input (the\n"
    "service refused it: a bad field, a relation the kinds do not allow, an id\n"
    "already taken); 4 rmtcd unavailable or timed out; 5 rmtc check: DENIED;\n"
    "6 rmtc check: REVIEW; 7 any other failure; 8 rmtc audit verify: the log or a\n"
    "row is not as written.\n"
    "Errors are one line on stderr: rmtc: <what>: <why>; with --json, stdout also\n"
    "gets {\"error\": {\"what\", \"code\", \"message\", \"exit_code\"}}.";

// The subcommands the command line named so far, "record inference"; ""
// for none. CLI11 records each one as it starts parsing it.
std::string CommandPath(const CLI::App& app) {
  std::string path;
  for (const CLI::App* at = &app;;) {
    const auto named = at->get_subcommands();
    if (named.empty()) return path;
    at = named.front();
    path += (path.empty() ? "" : " ") + at->get_name();
  }
}

// Whether --json is on the command line, for errors found while parsing it.
bool AsksForJson(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--") return false;
    if (arg == "--json") return true;
  }
  return false;
}

// A command line CLI11 refused, reported like every other error: one line,
// "rmtc: <command>: <why>", and with --json an error document on stdout.
int ReportParseError(const CLI::App& app, const CLI::ParseError& e,
                     rmtc::cli::Globals& globals, bool json) {
  const std::string command = CommandPath(app);
  std::string why = e.what();
  std::replace(why.begin(), why.end(), '\n', ' ');
  if (why == "A subcommand is required") {
    const CLI::App* at = &app;
    while (!at->get_subcommands().empty()) at = at->get_subcommands().front();
    why = "give a command:";
    const std::function<bool(const CLI::App*)> all;
    for (const CLI::App* sub : at->get_subcommands(all)) why += " " + sub->get_name();
  } else if (!why.empty()) {
    why[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(why[0])));
  }
  why += " (see rmtc " + (command.empty() ? "" : command + " ") + "--help)";
  globals.json = json;
  return rmtc::cli::Report(globals, command.empty() ? "usage" : command, why,
                           rmtc::cli::kExitUsage);
}

}  // namespace

int main(int argc, char** argv) {
  // Errors are one line of rmtc's own: gRPC would add its own lines on
  // stderr for a failed TLS handshake. GRPC_VERBOSITY set by the user wins.
  setenv("GRPC_VERBOSITY", "NONE", /*overwrite=*/0);
  rmtc::cli::Globals globals;
  if (const char* address = std::getenv("RMTC_ADDRESS"); address && *address) {
    globals.address = address;
    globals.address_source = "RMTC_ADDRESS";
  }
  if (const char* token = std::getenv("RMTC_TOKEN"); token && *token) {
    globals.token = token;
  }
  CLI::App app(kDescription, "rmtc");
  app.footer(kFooter);
  app.require_subcommand(1);
  app.fallthrough();
  app.get_formatter()->column_width(36);
  app.set_version_flag("--version", std::string("rmtc ") + rmtc::Version());
  app.add_option(
         "--address", globals.address,
         "rmtcd to talk to: HOST:PORT, [IPv6]:PORT or unix:PATH (env RMTC_ADDRESS)")
      ->capture_default_str()
      ->each([&globals](const std::string&) { globals.address_source = "--address"; });
  app.add_option("--token", globals.token,
                 "Access token (rmtc_...) for an rmtcd that requires one (env "
                 "RMTC_TOKEN, which keeps it out of ps and shell history)");
  app.add_flag("--json", globals.json, "Print exactly one JSON document on stdout");
  app.add_option("--timeout", globals.timeout_s,
                 "Seconds each call to rmtcd may take, retries included")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  rmtc::cli::AddTlsOptions(app, globals);

  std::function<int()> run;
  rmtc::cli::AddRegisterCommand(app, globals, run);
  rmtc::cli::AddRecordCommands(app, globals, run);
  rmtc::cli::AddReadCommands(app, globals, run);
  rmtc::cli::AddTraceCommand(app, globals, run);
  rmtc::cli::AddImportCommand(app, globals, run);
  rmtc::cli::AddLicensingCommands(app, globals, run);
  rmtc::cli::AddAccessCommands(app, globals, run);
  rmtc::cli::AddAuditCommands(app, globals, run);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version print and succeed; anything else is a usage error.
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
      return app.exit(e, std::cout, std::cerr);
    }
    return ReportParseError(app, e, globals, AsksForJson(argc, argv));
  }
  if (!run) return rmtc::cli::kExitUsage;
  try {
    return run();
  } catch (const std::exception& e) {
    // A bug, not a user error: say so in one line rather than abort.
    std::cerr << "rmtc: internal error: " << e.what() << "\n";
    return rmtc::cli::kExitFailed;
  }
}
