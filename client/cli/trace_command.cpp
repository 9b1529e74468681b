#include <iostream>
#include <memory>

#include "commands.h"
#include "output.h"

namespace rmtc::cli {
namespace {

struct TraceArgs {
  std::string id;
  bool down = false;
  int depth = 0;
  std::vector<std::string> relations;
  int limit = 10000;
  std::string format = "tree";
};

int RunTrace(const Globals& globals, const TraceArgs& args) {
  TraceOptions options;
  options.direction = args.down ? Direction::kDownstream : Direction::kUpstream;
  options.max_depth = args.depth;
  for (const auto& name : args.relations) {
    auto relation = RelationFromName(name);
    if (!relation) {
      return Report(globals, "trace", "--relation '" + name + "' is not a relation",
                    kExitUsage);
    }
    options.relations.push_back(*relation);
  }
  int exit_code = kExitOk;
  auto client = ConnectOrReport(globals, exit_code);
  if (!client) return exit_code;
  TraceResult trace;
  // Follows the pages until --limit nodes or the end.
  for (;;) {
    options.max_nodes =
        std::min(100000, args.limit - static_cast<int>(trace.nodes.size()));
    auto page = client->Trace(args.id, options);
    if (!page) return Report(globals, "trace", WithNameHint(page.error(), args.id));
    for (auto& node : page->nodes) trace.nodes.push_back(std::move(node));
    for (auto& edge : page->edges) trace.edges.push_back(std::move(edge));
    trace.partial = page->partial;
    if (!page->partial || static_cast<int>(trace.nodes.size()) >= args.limit) break;
    options.page_token = page->next_page_token;
  }
  // The service's spelling of the root (ids are accepted in any case and
  // answered in lower case): the node at depth 0.
  std::string root = args.id;
  for (const auto& node : trace.nodes) {
    if (node.depth == 0) root = node.artefact.id;
  }
  const std::string format = globals.json ? "json" : args.format;
  if (format == "json") {
    PrintJson(TraceToJson(root, options.direction, trace));
  } else if (format == "dot") {
    PrintDot(std::cout, trace);
  } else {
    PrintTree(std::cout, root, options.direction, trace);
  }
  return kExitOk;
}

}  // namespace

void AddTraceCommand(CLI::App& app, const Globals& globals, Runner& run) {
  auto args = std::make_shared<TraceArgs>();
  auto* cmd = app.add_subcommand(
      "trace",
      "Show what an artefact is built from (or, with --down, what is built from it)");
  cmd->footer(
      "Examples:\n"
      "  rmtc trace FRAME_ID                        # the frame's whole ancestry, as a "
      "tree\n"
      "  rmtc trace FRAME_ID --relation output_of --relation uses --relation produced_by "
      "\\\n"
      "      --relation trained_on                  # only the training data behind it\n"
      "  rmtc trace DATASET_ID --down --format dot | dot -Tsvg > impact.svg\n"
      "Reading the tree: upstream, 'output_of: inference \"comp\"' under a frame says "
      "the\n"
      "frame is output_of that inference; with --down, '<- contains: dataset "
      "\"plates\"'\n"
      "under a plate says that dataset contains the plate.\n");
  cmd->add_option("id", args->id, "The artefact to start from")->required();
  cmd->add_flag("--down", args->down, "Downstream: what is built from it");
  cmd->add_option("--depth", args->depth, "At most this many steps (0: no limit)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--relation", args->relations, "Follow only this relation. Repeatable");
  cmd->add_option("--limit", args->limit, "At most this many nodes")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--format", args->format,
                  "tree (for people), json, or dot (Graphviz: dot -Tsvg)")
      ->check(CLI::IsMember({"tree", "json", "dot"}))
      ->capture_default_str();
  cmd->callback([&globals, &run, args] {
    run = [&globals, args] { return RunTrace(globals, *args); };
  });
}

}  // namespace rmtc::cli
