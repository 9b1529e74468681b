// rmtc: the command line of RMTC, for TDs. Uses only the public client API.
#include <unistd.h>

#include <CLI/CLI.hpp>

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
    "  rmtc record run --name lora-7 --trained-on DATASET_ID --weights-name lora-7.safetensors\n"
    "  rmtc record inference --weights WEIGHTS_ID --input PLATE_ID --output-name sh010_comp.exr\n"
    "  rmtc trace OUTPUT_ID                 # what it is built from, as a tree\n"
    "  rmtc trace DATASET_ID --down         # everything built from it\n"
    "  rmtc license attach PLATES_ID 'CC-BY-NC-4.0' --attribution 'Ngaio Artist'\n"
    "  rmtc check FRAME_ID --use client-delivery   # ALLOWED, REVIEW or DENIED, and why\n";

constexpr char kFooter[] =
    "Exit codes: 0 success; 1 usage error; 2 not found; 3 invalid input (the\n"
    "service refused it: a bad field, a relation the kinds do not allow, an id\n"
    "already taken); 4 rmtcd unavailable or timed out; 5 rmtc check: DENIED;\n"
    "6 rmtc check: REVIEW; 7 any other failure.\n"
    "Errors are one line on stderr: rmtc: <what>: <why>.";

}  // namespace

int main(int argc, char** argv) {
  rmtc::cli::Globals globals;
  if (const char* address = std::getenv("RMTC_ADDRESS"); address && *address) {
    globals.address = address;
  }
  CLI::App app(kDescription, "rmtc");
  app.footer(kFooter);
  app.require_subcommand(1);
  app.fallthrough();
  app.get_formatter()->column_width(36);
  app.set_version_flag("--version", std::string("rmtc ") + rmtc::Version());
  app.add_option("--address", globals.address,
                 "rmtcd to talk to: HOST:PORT or unix:PATH (env RMTC_ADDRESS)")
      ->capture_default_str();
  app.add_flag("--json", globals.json, "Print exactly one JSON document on stdout");
  app.add_option("--timeout", globals.timeout_s, "Seconds one call may take")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();

  std::function<int()> run;
  rmtc::cli::AddRegisterCommand(app, globals, run);
  rmtc::cli::AddRecordCommands(app, globals, run);
  rmtc::cli::AddReadCommands(app, globals, run);
  rmtc::cli::AddTraceCommand(app, globals, run);
  rmtc::cli::AddImportCommand(app, globals, run);
  rmtc::cli::AddLicensingCommands(app, globals, run);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, std::cout, std::cerr);
    return code == 0 ? rmtc::cli::kExitOk : rmtc::cli::kExitUsage;
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
