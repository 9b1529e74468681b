#include <iostream>
#include <memory>

#include "commands.h"
#include "output.h"

namespace rmtc::cli {
namespace {

struct FindArgs {
  std::string sha256, file, external_id, kind;
};

struct ListArgs {
  std::string kind, name, facility;
  int limit = 100;
};

int RunShow(const Globals& globals, const std::string& id) {
  int exit_code = kExitOk;
  auto client = ConnectOrReport(globals, exit_code);
  if (!client) return exit_code;
  auto artefact = client->Get(id);
  if (!artefact) return Report(globals, "show", WithNameHint(artefact.error(), id));
  if (globals.json) {
    PrintJson(ToJson(*artefact));
  } else {
    PrintDetails(std::cout, *artefact);
  }
  return kExitOk;
}

int RunFind(const Globals& globals, const FindArgs& args) {
  int exit_code = kExitOk;
  std::optional<Kind> kind;
  if (!args.kind.empty()) kind = KindFromName(args.kind);
  Result<std::vector<Artefact>> found = Error{};
  std::string what;
  std::string error;
  std::string sha256 = args.sha256;
  if (!args.file.empty()) {
    auto digest = Sha256OfFile(args.file, error);
    if (!digest) return Report(globals, "find", error, kExitInvalid);
    sha256 = *digest;
  }
  auto client = ConnectOrReport(globals, exit_code);
  if (!client) return exit_code;
  if (!args.external_id.empty()) {
    auto ext = ParseExternalId(args.external_id);
    if (!ext) {
      return Report(globals, "find",
                    "--external-id '" + args.external_id + "': expected SYSTEM:ID",
                    kExitUsage);
    }
    found = client->FindByExternalId(*ext);
    what = "external id " + args.external_id;
  } else {
    found = client->FindBySha256(sha256, kind);
    what = "sha256 " + sha256;
  }
  if (!found) return Report(globals, "find", found.error());
  if (globals.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& a : *found) list.push_back(ToJson(a));
    PrintJson({{"artefacts", list}});
  } else {
    for (const auto& a : *found) PrintLine(std::cout, a);
  }
  if (found->empty())
    return Fail("find", "nothing is registered with " + what, kExitNotFound);
  return kExitOk;
}

int RunList(const Globals& globals, const ListArgs& args) {
  int exit_code = kExitOk;
  auto client = ConnectOrReport(globals, exit_code);
  if (!client) return exit_code;
  ListOptions options;
  if (!args.kind.empty()) options.kind = KindFromName(args.kind);
  options.name_contains = args.name;
  options.facility = args.facility;
  std::vector<Artefact> artefacts;
  bool more = false;
  // Pages through the API until --limit or the end.
  for (;;) {
    options.page_size = std::min(1000, args.limit - static_cast<int>(artefacts.size()));
    auto page = client->List(options);
    if (!page) return Report(globals, "ls", page.error());
    for (auto& a : page->artefacts) artefacts.push_back(std::move(a));
    if (page->next_page_token.empty()) break;
    if (static_cast<int>(artefacts.size()) >= args.limit) {
      more = true;
      break;
    }
    options.page_token = page->next_page_token;
  }
  if (globals.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& a : artefacts) list.push_back(ToJson(a));
    PrintJson({{"artefacts", list}, {"more", more}});
  } else {
    for (const auto& a : artefacts) PrintLine(std::cout, a);
    if (more) std::cerr << "(more artefacts follow; raise --limit)\n";
  }
  return kExitOk;
}

}  // namespace

void AddReadCommands(CLI::App& app, const Globals& globals, Runner& run) {
  auto id = std::make_shared<std::string>();
  auto* show = app.add_subcommand("show", "Show one artefact, every field");
  show->footer("Example:\n  rmtc show 0193a1c2-7b1e-7c3a-9f00-123456789abc\n");
  show->add_option("id", *id, "The artefact's id")->required();
  show->callback(
      [&globals, &run, id] { run = [&globals, id] { return RunShow(globals, *id); }; });

  auto find_args = std::make_shared<FindArgs>();
  auto* find =
      app.add_subcommand("find", "Find artefacts by content digest or external id");
  find->footer(
      "Examples:\n"
      "  rmtc find --file /shots/sh010/plate_0010.exr\n"
      "  rmtc find --external-id shotgrid:Version/1234\n");
  auto* sha = find->add_option("--sha256", find_args->sha256, "64 hex digits");
  auto* file =
      find->add_option("--file", find_args->file, "A file: its sha256 is looked up");
  auto* ext = find->add_option("--external-id", find_args->external_id, "SYSTEM:ID");
  sha->excludes(file)->excludes(ext);
  file->excludes(ext);
  find->add_option("--kind", find_args->kind, "Only this kind (with --sha256 or --file)")
      ->check(
          CLI::IsMember({"dataset", "model", "weights", "run", "inference", "asset"}));
  find->callback([&globals, &run, find_args, sha, file, ext] {
    run = [&globals, find_args, given = sha->count() + file->count() + ext->count()] {
      if (given != 1) {
        return Report(globals, "find", "give one of --sha256, --file or --external-id",
                      kExitUsage);
      }
      return RunFind(globals, *find_args);
    };
  });

  auto list_args = std::make_shared<ListArgs>();
  auto* ls = app.add_subcommand("ls", "List artefacts, oldest first");
  ls->footer("Examples:\n  rmtc ls --kind weights --limit 20\n  rmtc ls --name sh010\n");
  ls->add_option("--kind", list_args->kind, "Only this kind")
      ->check(
          CLI::IsMember({"dataset", "model", "weights", "run", "inference", "asset"}));
  ls->add_option("--name", list_args->name, "Only names containing this (any case)");
  ls->add_option("--facility", list_args->facility, "Only from this facility");
  ls->add_option("--limit", list_args->limit, "At most this many")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  ls->callback([&globals, &run, list_args] {
    run = [&globals, list_args] { return RunList(globals, *list_args); };
  });
}

}  // namespace rmtc::cli
