#include <iostream>
#include <memory>

#include "commands.h"
#include "output.h"

namespace rmtc::cli {

namespace {

struct RegisterArgs {
  std::string kind;
  std::string name, version, uri, file, sha256, facility, request_id;
  std::vector<std::string> attrs, from, external_ids;
};

int RunRegister(const Globals& globals, const RegisterArgs& args) {
  NewArtefact artefact;
  artefact.kind = KindFromName(args.kind);
  artefact.name = args.name;
  artefact.version = args.version;
  artefact.uri = args.uri;
  artefact.facility = args.facility;
  artefact.sha256 = args.sha256;
  std::string error;
  if (!args.file.empty()) {
    auto digest = Sha256OfFile(args.file, error);
    if (!digest) return Report(globals, "register", error, kExitInvalid);
    artefact.sha256 = *digest;
    if (artefact.uri.empty()) artefact.uri = "file://" + args.file;
  }
  auto attributes = AttributesFromPairs(args.attrs, error);
  if (!attributes) return Report(globals, "register", error, kExitUsage);
  artefact.attributes = *attributes;
  for (const auto& text : args.from) {
    auto source = ParseSource(text, Relation::kDerivedFrom, error);
    if (!source) return Report(globals, "register", error, kExitUsage);
    artefact.sources.push_back(*source);
  }
  for (const auto& text : args.external_ids) {
    auto ext = ParseExternalId(text);
    if (!ext) {
      return Report(globals, "register",
                    "--external-id '" + text + "': expected SYSTEM:ID", kExitUsage);
    }
    artefact.external_ids.push_back(*ext);
  }
  int exit_code = kExitOk;
  auto client = ConnectOrReport(globals, exit_code);
  if (!client) return exit_code;
  auto result = client->Register({artefact}, {args.request_id});
  if (!result) {
    return Report(
        globals, "register",
        WithFlagNames(result.error(), {{"artefacts[0].name", "--name"},
                                       {"artefacts[0].version", "--version"},
                                       {"artefacts[0].uri", "--uri"},
                                       {"artefacts[0].sha256", "--sha256"},
                                       {"artefacts[0].facility", "--facility"},
                                       {"artefacts[0].attributes", "--attr"},
                                       {"artefacts[0].external_ids", "--external-id"},
                                       {"artefacts[0].sources", "--from"},
                                       {"request_id", "--request-id"}}));
  }
  const Registered& registered = result->at(0);
  if (globals.json) {
    PrintJson(ToJson(registered));
  } else {
    PrintLine(std::cout, registered.artefact, registered.existed);
  }
  return kExitOk;
}

}  // namespace

void AddRegisterCommand(CLI::App& app, const Globals& globals, Runner& run) {
  auto args = std::make_shared<RegisterArgs>();
  auto* cmd =
      app.add_subcommand("register", "Register one artefact and where it comes from");
  cmd->footer(
      "Registering the same kind with the same sha256 again returns the stored\n"
      "artefact (marked 'already registered') instead of a copy.\n\n"
      "Examples:\n"
      "  rmtc register asset --name plate_0010.exr --file /shots/sh010/plate_0010.exr\n"
      "  rmtc register dataset --name sh010-plates --from contains:ASSET_ID --attr "
      "frames=96\n"
      "  rmtc register model --name sdxl-base --version 1.0 --external-id "
      "hf:stabilityai/sdxl\n");
  cmd->add_option("kind", args->kind, "dataset, model, weights, run, inference or asset")
      ->required()
      ->check(
          CLI::IsMember({"dataset", "model", "weights", "run", "inference", "asset"}));
  cmd->add_option("--name", args->name, "Its name (required; at most 512 bytes)")
      ->required();
  cmd->add_option("--version", args->version, "Its version");
  cmd->add_option("--uri", args->uri,
                  "Where it lives (s3://, file://, an asset manager URL)");
  auto* file = cmd->add_option(
      "--file", args->file, "Compute --sha256 from this file (read in blocks, any size)");
  auto* sha =
      cmd->add_option("--sha256", args->sha256, "Its content digest: 64 hex digits");
  file->excludes(sha);
  cmd->add_option("--attr", args->attrs,
                  "KEY=VALUE attribute; VALUE is JSON if it parses (1200, true, "
                  "{\"a\":1}), else a string. Repeatable");
  cmd->add_option("--from", args->from,
                  "[RELATION:]ID of a source; the relation defaults to derived_from "
                  "(e.g. contains:ID for a dataset's member). Repeatable");
  cmd->add_option("--facility", args->facility, "The facility that made it");
  cmd->add_option("--external-id", args->external_ids,
                  "SYSTEM:ID in another system (shotgrid:Version/1234). Repeatable");
  cmd->add_option("--request-id", args->request_id,
                  "Makes the call safe to repeat: the same id returns the first answer");
  cmd->callback([&globals, &run, args] {
    run = [&globals, args] { return RunRegister(globals, *args); };
  });
}

}  // namespace rmtc::cli
