#include <iostream>
#include <memory>

#include "commands.h"
#include "output.h"

namespace rmtc::cli {
namespace {

struct GuardArgs {
  std::string use, policy;
  bool enforce = false;
};

struct RunArgs {
  GuardArgs check;
  std::string name, version, facility, request_id;
  std::vector<std::string> trained_on, evaluated_on, base, attrs;
  std::string weights_name, weights_file, weights_sha256, weights_uri;
};

struct InferenceArgs {
  GuardArgs check;
  std::string name, facility, request_id;
  std::vector<std::string> weights, inputs, output_names, output_files, attrs;
};

std::optional<Guardrail> GuardrailOf(const GuardArgs& g) {
  if (g.use.empty()) return std::nullopt;
  Guardrail guard{*IntendedUseFromName(g.use), g.enforce, std::nullopt};
  if (!g.policy.empty()) guard.policy = PolicyFromName(g.policy);
  return guard;
}

void AddGuardOptions(CLI::App* cmd, GuardArgs& g) {
  auto* check =
      cmd->add_option(
             "--check", g.use,
             "Check this use before recording and print the verdict "
             "(internal-research, commercial-production, client-delivery, "
             "public-release, training); the record is made whatever the verdict "
             "(exit 0) unless --enforce")
          ->check(CLI::IsMember({"internal-research", "commercial-production",
                                 "client-delivery", "public-release", "training"}));
  // Without --check there is no verdict to enforce or to judge by a policy:
  // refuse rather than record unchecked what the user meant to guard.
  cmd->add_flag("--enforce", g.enforce,
                "With --check: refuse to record if the verdict is DENIED (exit 3)")
      ->needs(check);
  cmd->add_option("--policy", g.policy, "With --check: strict or permissive")
      ->check(CLI::IsMember({"strict", "permissive"}))
      ->needs(check);
}

int RunRecordRun(const Globals& globals, const RunArgs& args) {
  TrainingRun run;
  run.run.name = args.name;
  run.run.version = args.version;
  run.run.facility = args.facility;
  std::string error;
  auto attributes = AttributesFromPairs(args.attrs, error);
  if (!attributes) return Report(globals, "record run", error, kExitUsage);
  run.run.attributes = *attributes;
  run.trained_on = args.trained_on;
  run.evaluated_on = args.evaluated_on;
  run.base = args.base;
  NewArtefact weights;
  weights.name = args.weights_name;
  weights.uri = args.weights_uri;
  weights.facility = args.facility;
  weights.sha256 = args.weights_sha256;
  if (!args.weights_file.empty()) {
    auto digest = Sha256OfFile(args.weights_file, error);
    if (!digest) return Report(globals, "record run", error, kExitInvalid);
    weights.sha256 = *digest;
    if (weights.uri.empty()) weights.uri = "file://" + args.weights_file;
  }
  run.weights.push_back(weights);
  run.check = GuardrailOf(args.check);
  int exit_code = kExitOk;
  auto client = ConnectOrReport(globals, exit_code);
  if (!client) return exit_code;
  auto recorded = client->RecordTrainingRun(run, {args.request_id});
  if (!recorded) {
    return Report(
        globals, "record run",
        WithFlagNames(recorded.error(), {{"run.name", "--name"},
                                         {"run.version", "--version"},
                                         {"run.facility", "--facility"},
                                         {"run.attributes", "--attr"},
                                         {"weights[0].name", "--weights-name"},
                                         {"weights[0].sha256", "--weights-sha256"},
                                         {"weights[0].uri", "--weights-uri"},
                                         {"weights[0].facility", "--facility"},
                                         {"request_id", "--request-id"}}));
  }
  if (globals.json) {
    nlohmann::json weights_json = nlohmann::json::array();
    for (const auto& w : recorded->weights) weights_json.push_back(ToJson(w));
    nlohmann::json document = {{"run", ToJson(recorded->run)}, {"weights", weights_json}};
    if (recorded->check)
      document["check"] = CheckToJson(recorded->run.artefact.id, *recorded->check);
    PrintJson(document);
  } else {
    PrintLine(std::cout, recorded->run.artefact, recorded->run.existed);
    for (const auto& w : recorded->weights) PrintLine(std::cout, w.artefact, w.existed);
    if (recorded->check) PrintCheck(std::cout, *recorded->check);
  }
  // Recorded: the command did its job whatever the verdict says (the
  // verdict is printed; --enforce is how a DENIED stops the record).
  return kExitOk;
}

int RunRecordInference(const Globals& globals, const InferenceArgs& args) {
  if (args.output_files.size() > args.output_names.size()) {
    return Report(globals, "record inference",
                  "more --output-file than --output-name: each file gives the digest "
                  "of the output named in the same position",
                  kExitUsage);
  }
  Inference inference;
  inference.inference.name =
      args.name.empty() ? "inference " + FormatTime(std::chrono::system_clock::now())
                        : args.name;
  inference.inference.facility = args.facility;
  std::string error;
  auto attributes = AttributesFromPairs(args.attrs, error);
  if (!attributes) return Report(globals, "record inference", error, kExitUsage);
  inference.inference.attributes = *attributes;
  inference.uses = args.weights;
  inference.inputs = args.inputs;
  inference.check = GuardrailOf(args.check);
  for (std::size_t i = 0; i < args.output_names.size(); ++i) {
    NewArtefact output;
    output.name = args.output_names[i];
    output.facility = args.facility;
    if (i < args.output_files.size()) {
      auto digest = Sha256OfFile(args.output_files[i], error);
      if (!digest) return Report(globals, "record inference", error, kExitInvalid);
      output.sha256 = *digest;
      output.uri = "file://" + args.output_files[i];
    }
    inference.outputs.push_back(output);
  }
  int exit_code = kExitOk;
  auto client = ConnectOrReport(globals, exit_code);
  if (!client) return exit_code;
  auto recorded = client->RecordInference(inference, {args.request_id});
  if (!recorded) {
    return Report(globals, "record inference",
                  WithFlagNames(recorded.error(), {{"inference.name", "--name"},
                                                   {"inference.facility", "--facility"},
                                                   {"inference.attributes", "--attr"},
                                                   {"request_id", "--request-id"}}));
  }
  if (globals.json) {
    nlohmann::json outputs = nlohmann::json::array();
    for (const auto& o : recorded->outputs) outputs.push_back(ToJson(o));
    nlohmann::json document = {{"inference", ToJson(recorded->inference)},
                               {"outputs", outputs}};
    if (recorded->check) {
      document["check"] = CheckToJson(recorded->inference.artefact.id, *recorded->check);
    }
    PrintJson(document);
  } else {
    PrintLine(std::cout, recorded->inference.artefact, recorded->inference.existed);
    for (const auto& o : recorded->outputs) PrintLine(std::cout, o.artefact, o.existed);
    if (recorded->check) PrintCheck(std::cout, *recorded->check);
  }
  // Recorded: the command did its job whatever the verdict says (the
  // verdict is printed; --enforce is how a DENIED stops the record).
  return kExitOk;
}

}  // namespace

void AddRecordCommands(CLI::App& app, const Globals& globals, Runner& run) {
  auto* record =
      app.add_subcommand("record", "Record a training run or an inference, atomically");
  record->require_subcommand(1);
  record->footer(
      "Examples:\n"
      "  rmtc record run --name lora-sh010 --trained-on PLATES_ID --weights-name "
      "lora.safetensors\n"
      "  rmtc record inference --weights WEIGHTS_ID --input PLATE_ID --output-name "
      "comp.exr \\\n"
      "      --check client-delivery --enforce     # refuse to record if DENIED\n"
      "See rmtc record run --help and rmtc record inference --help.\n");

  auto run_args = std::make_shared<RunArgs>();
  auto* cmd = record->add_subcommand(
      "run", "Record a training run: its data, its base, and the weights it produced");
  cmd->footer(
      "Example:\n"
      "  rmtc record run --name lora-sh010-v2 --trained-on PLATES_ID \\\n"
      "      --evaluated-on HOLDOUT_ID --base SDXL_WEIGHTS_ID \\\n"
      "      --weights-name lora-sh010-v2.safetensors --weights-file "
      "out/lora.safetensors \\\n"
      "      --attr steps=4000 --attr lr=1e-4\n");
  cmd->add_option("--name", run_args->name, "The run's name")->required();
  cmd->add_option("--version", run_args->version, "The run's version");
  cmd->add_option("--trained-on", run_args->trained_on,
                  "Dataset ID it trained on. Repeatable")
      ->required();
  cmd->add_option("--evaluated-on", run_args->evaluated_on,
                  "Dataset ID it was evaluated on. Repeatable");
  cmd->add_option("--base", run_args->base,
                  "Weights or model ID it started from (fine-tuning). Repeatable");
  cmd->add_option("--weights-name", run_args->weights_name,
                  "Name of the weights it produced")
      ->required();
  auto* wfile = cmd->add_option("--weights-file", run_args->weights_file,
                                "The weights file, for their sha256");
  auto* wsha = cmd->add_option("--weights-sha256", run_args->weights_sha256,
                               "The weights' sha256, if the file is elsewhere");
  wfile->excludes(wsha);
  cmd->add_option("--weights-uri", run_args->weights_uri, "Where the weights live");
  cmd->add_option("--attr", run_args->attrs,
                  "KEY=VALUE attribute of the run (hyperparameters, job id). Repeatable");
  cmd->add_option("--facility", run_args->facility, "The facility that ran it");
  cmd->add_option("--request-id", run_args->request_id, "Makes the call safe to repeat");
  AddGuardOptions(cmd, run_args->check);
  cmd->callback([&globals, &run, run_args] {
    run = [&globals, run_args] { return RunRecordRun(globals, *run_args); };
  });

  auto inf_args = std::make_shared<InferenceArgs>();
  auto* inf = record->add_subcommand(
      "inference",
      "Record an inference: the weights it used, its inputs and its outputs");
  inf->footer(
      "Example:\n"
      "  rmtc record inference --name 'nuke: sh010 comp' --weights LORA_WEIGHTS_ID \\\n"
      "      --input PLATE_ID --output-name sh010_comp_v001.exr \\\n"
      "      --output-file /shots/sh010/comp/sh010_comp_v001.exr\n");
  inf->add_option("--name", inf_args->name,
                  "The inference's name (default: 'inference <time>')");
  inf->add_option("--weights", inf_args->weights, "Weights ID it used. Repeatable")
      ->required();
  inf->add_option("--input", inf_args->inputs, "Asset or dataset ID it read. Repeatable");
  inf->add_option("--output-name", inf_args->output_names,
                  "Name of an output asset. Repeatable")
      ->required();
  inf->add_option(
      "--output-file", inf_args->output_files,
      "File of the output named in the same position, for its sha256. Repeatable");
  inf->add_option("--attr", inf_args->attrs,
                  "KEY=VALUE attribute of the inference. Repeatable");
  inf->add_option("--facility", inf_args->facility, "The facility that ran it");
  inf->add_option("--request-id", inf_args->request_id, "Makes the call safe to repeat");
  AddGuardOptions(inf, inf_args->check);
  inf->callback([&globals, &run, inf_args] {
    run = [&globals, inf_args] { return RunRecordInference(globals, *inf_args); };
  });
}

}  // namespace rmtc::cli
