// rmtc audit ls | head | verify.
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "commands.h"
#include "output.h"

namespace rmtc::cli {
namespace {

struct ListArgs {
  std::string principal;
  std::string since;
  std::string artefact;
  long long after = 0;
  int limit = 100;
  bool rows = false;
};

struct VerifyArgs {
  std::vector<std::string> checkpoints;  // "SEQ:HASH"
  std::string checkpoint_file;
  bool unaudited = false;
};

nlohmann::json EntryToJson(const AuditEntry& e, bool with_rows) {
  nlohmann::json out = {{"seq", e.seq},
                        {"recorded_at", FormatTime(e.recorded_at)},
                        {"principal", e.principal},
                        {"method", e.method},
                        {"request_id", e.request_id},
                        {"request_sha256", e.request_sha256},
                        {"artefact_ids", e.artefact_ids},
                        {"row_count", e.rows.size()},
                        {"rows_digest", e.rows_digest},
                        {"prev_hash", e.prev_hash},
                        {"hash", e.hash}};
  if (with_rows) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& r : e.rows) rows.push_back({{"ref", r.ref}, {"digest", r.digest}});
    out["rows"] = rows;
  }
  return out;
}

void PrintEntry(std::ostream& out, const AuditEntry& e, bool with_rows) {
  out << e.seq << "  " << FormatTime(e.recorded_at) << "  " << e.principal << "  "
      << e.method << "  " << e.rows.size() << (e.rows.size() == 1 ? " row" : " rows");
  if (!e.request_id.empty()) out << "  request " << e.request_id;
  if (!e.artefact_ids.empty()) {
    out << "  " << e.artefact_ids.front();
    if (e.artefact_ids.size() > 1) out << " +" << e.artefact_ids.size() - 1;
  }
  out << "\n";
  if (with_rows) {
    for (const auto& r : e.rows) out << "    " << r.ref << "  " << r.digest << "\n";
  }
}

int RunList(const Globals& globals, const ListArgs& a) {
  AuditFilter filter{.principal = a.principal, .artefact_id = a.artefact};
  if (!a.since.empty()) {
    filter.since = ParseTime(a.since);
    if (!filter.since) {
      return Report(globals, "audit ls",
                    "--since: '" + a.since + "' is not a date (YYYY-MM-DD) or time",
                    kExitUsage);
    }
  }
  int exit_code = kExitOk;
  auto client = ConnectOrReport(globals, exit_code);
  if (!client) return exit_code;
  std::vector<AuditEntry> entries;
  std::int64_t after = a.after;
  std::int64_t more = 0;
  while (static_cast<int>(entries.size()) < a.limit) {
    const int want = std::min(1000, a.limit - static_cast<int>(entries.size()));
    auto page = client->ListAuditEntries(filter, after, want);
    if (!page) return Report(globals, "audit ls", page.error());
    for (auto& e : page->entries) entries.push_back(std::move(e));
    after = page->next_after_seq;
    if (after == 0) break;
  }
  if (after != 0 && static_cast<int>(entries.size()) >= a.limit) more = after;
  if (globals.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& e : entries) list.push_back(EntryToJson(e, a.rows));
    PrintJson({{"entries", list}, {"next_after", more}});
  } else {
    for (const auto& e : entries) PrintEntry(std::cout, e, a.rows);
    if (more != 0) {
      std::cerr << "(more entries: rmtc audit ls --after " << more << ")\n";
    }
  }
  return kExitOk;
}

int RunHead(const Globals& globals) {
  int exit_code = kExitOk;
  auto client = ConnectOrReport(globals, exit_code);
  if (!client) return exit_code;
  auto head = client->GetAuditHead();
  if (!head) return Report(globals, "audit head", head.error());
  const std::string at = head->recorded_at ? FormatTime(*head->recorded_at) : "";
  if (globals.json) {
    PrintJson({{"seq", head->seq}, {"hash", head->hash}, {"recorded_at", at}});
  } else {
    // The form --checkpoint and --checkpoint-file read back.
    std::cout << head->seq << ":" << head->hash << (at.empty() ? "" : "  " + at) << "\n";
  }
  return kExitOk;
}

// "SEQ:HASH", as `rmtc audit head` prints it (anything after the hash is
// ignored, so its lines can be kept as they are).
std::optional<AuditHead> ParseCheckpoint(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  AuditHead head;
  try {
    std::size_t used = 0;
    head.seq = std::stoll(std::string(text.substr(0, colon)), &used);
    if (used != colon) return std::nullopt;
  } catch (const std::exception&) {
    return std::nullopt;
  }
  std::string_view hash = text.substr(colon + 1);
  hash = hash.substr(0, hash.find_first_of(" \t"));
  head.hash = std::string(hash);
  return head;
}

int RunVerify(const Globals& globals, const VerifyArgs& a) {
  VerifyOptions options{.unaudited_rows = a.unaudited};
  std::vector<std::pair<std::string, std::string>> texts;  // where, text
  for (const auto& c : a.checkpoints) texts.emplace_back("--checkpoint", c);
  if (!a.checkpoint_file.empty()) {
    std::ifstream file(a.checkpoint_file);
    if (!file) {
      return Report(globals, "audit verify",
                    "--checkpoint-file: cannot read " + a.checkpoint_file, kExitInvalid);
    }
    std::string line;
    for (int n = 1; std::getline(file, line); ++n) {
      if (line.empty() || line[0] == '#') continue;
      texts.emplace_back(a.checkpoint_file + ":" + std::to_string(n), line);
    }
  }
  for (const auto& [where, text] : texts) {
    auto checkpoint = ParseCheckpoint(text);
    if (!checkpoint) {
      return Report(globals, "audit verify",
                    where + ": '" + text +
                        "' is not a checkpoint (SEQ:HASH, as "
                        "`rmtc audit head` prints it)",
                    kExitUsage);
    }
    options.checkpoints.push_back(*checkpoint);
  }
  int exit_code = kExitOk;
  auto client = ConnectOrReport(globals, exit_code);
  if (!client) return exit_code;
  auto result = client->VerifyAudit(options);
  if (!result) return Report(globals, "audit verify", result.error());
  if (globals.json) {
    nlohmann::json findings = nlohmann::json::array();
    for (const auto& f : result->findings) {
      findings.push_back({{"problem", f.problem},
                          {"seq", f.seq},
                          {"method", f.method},
                          {"principal", f.principal},
                          {"row", f.row},
                          {"detail", f.detail}});
    }
    PrintJson({{"intact", result->intact()},
               {"entries_checked", result->entries_checked},
               {"rows_checked", result->rows_checked},
               {"unaudited_rows", result->unaudited_rows},
               {"head", {{"seq", result->head.seq}, {"hash", result->head.hash}}},
               {"findings", findings}});
  } else {
    for (const auto& f : result->findings) {
      std::cout << f.problem.c_str();
      if (f.seq != 0) std::cout << "  entry " << f.seq;
      if (!f.method.empty())
        std::cout << " (" << f.method << " by " << f.principal << ")";
      std::cout << ": " << f.detail << "\n";
    }
    std::cout << (result->intact() ? "intact" : "NOT INTACT") << ": "
              << result->entries_checked << " entries, " << result->rows_checked
              << " rows checked; head " << result->head.seq << ":" << result->head.hash
              << "\n";
    if (a.unaudited && result->unaudited_rows > 0) {
      std::cout << result->unaudited_rows << " rows have no entry\n";
    }
  }
  return result->intact() ? kExitOk : kExitTampered;
}

}  // namespace

void AddAuditCommands(CLI::App& app, const Globals& globals, Runner& run) {
  auto* audit = app.add_subcommand(
      "audit", "The audit log: who wrote what, and whether it is intact (admin)");
  audit->require_subcommand(1);
  audit->footer(
      "Every accepted write appends an entry in the same transaction: who, the\n"
      "method, the request id and digest, the rows written and their digests,\n"
      "chained by hash. `verify` recomputes the chain and every row's digest from\n"
      "the tables, so a row or an entry changed or deleted behind rmtcd's back\n"
      "is named. Keep `rmtc audit head` lines elsewhere (checkpoints): they show\n"
      "whether the log was cut or rewritten since.\n\n"
      "Examples:\n"
      "  rmtc audit ls --principal nuke-farm --since 2026-12-01\n"
      "  rmtc audit ls --artefact 0192f3c4-...\n"
      "  rmtc audit head >> /secure/rmtc-checkpoints\n"
      "  rmtc audit verify --checkpoint-file /secure/rmtc-checkpoints\n"
      "Exit codes: verify exits 8 when it finds anything wrong.\n");

  auto list_args = std::make_shared<ListArgs>();
  auto* list = audit->add_subcommand("ls", "List entries, oldest first");
  list->add_option("--principal", list_args->principal,
                   "Only this principal's (a token's name, cert:<name>, open)");
  list->add_option("--since", list_args->since,
                   "From this time on: YYYY-MM-DD or RFC 3339");
  list->add_option("--artefact", list_args->artefact,
                   "Only entries that wrote this artefact or a record on it");
  list->add_option("--after", list_args->after, "Start after this entry's seq");
  list->add_option("--limit", list_args->limit, "At most this many entries")
      ->default_val(100)
      ->check(CLI::Range(1, 1000000));
  list->add_flag("--rows", list_args->rows, "Also list each entry's rows and digests");
  list->callback([&globals, &run, list_args] {
    run = [&globals, list_args] { return RunList(globals, *list_args); };
  });

  auto* head = audit->add_subcommand(
      "head", "Print the chain's head as SEQ:HASH: a checkpoint to keep elsewhere");
  head->callback([&globals, &run] { run = [&globals] { return RunHead(globals); }; });

  auto verify_args = std::make_shared<VerifyArgs>();
  auto* verify = audit->add_subcommand(
      "verify", "Walk the chain and recompute every row's digest; name what was changed");
  verify->add_option("--checkpoint", verify_args->checkpoints,
                     "SEQ:HASH from an earlier `rmtc audit head` (repeatable)");
  verify->add_option("--checkpoint-file", verify_args->checkpoint_file,
                     "A file of `rmtc audit head` lines");
  verify->add_flag("--unaudited", verify_args->unaudited,
                   "Also find rows no entry wrote (reads every table: slow when large)");
  verify->callback([&globals, &run, verify_args] {
    run = [&globals, verify_args] { return RunVerify(globals, *verify_args); };
  });
}

}  // namespace rmtc::cli
