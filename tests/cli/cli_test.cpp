// The rmtc CLI end to end: the real binary against a real rmtcd.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "support/process.h"
#include "support/shared_rmtcd.h"
#include "support/temp_dir.h"

namespace rmtc {
namespace {

using nlohmann::json;
using testing::Finished;
using testing::RmtcdProcess;
using testing::TempDir;

constexpr char kRmtc[] = RMTC_PATH;
constexpr char kRmtcd[] = RMTCD_PATH;
constexpr char kGoldenDir[] = GOLDEN_DIR;

// Runs `rmtc --address <server> args...`.
Finished Rmtc(std::vector<std::string> args, testing::RunOptions options = {}) {
  args.insert(args.begin(), {kRmtc, "--address", testing::SharedRmtcd::Get().address()});
  return testing::Run(args, options);
}

// Runs with --json and parses stdout, which must be exactly one document.
json RmtcJson(std::vector<std::string> args, int expected_exit = 0) {
  args.insert(args.begin(), "--json");
  auto run = Rmtc(args);
  EXPECT_EQ(run.exit_code, expected_exit) << run.err;
  auto parsed = json::parse(run.out, nullptr, false);
  EXPECT_FALSE(parsed.is_discarded()) << "stdout is not one JSON document:\n" << run.out;
  return parsed;
}

std::string IdOf(std::vector<std::string> args) {
  return RmtcJson(std::move(args)).value("id", std::string("<no id>"));
}

// Errors are exactly one line on stderr, "rmtc: <what>: <why>".
void ExpectOneLineError(const Finished& run, const std::string& contains) {
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  EXPECT_EQ(run.err.rfind("rmtc: ", 0), 0u) << run.err;
  EXPECT_NE(run.err.find(contains), std::string::npos) << run.err;
}

// Replaces every UUID with <id1>, <id2>... in order of first appearance, so
// output can be compared with a golden file.
std::string NormaliseIds(const std::string& text) {
  static const std::regex kUuid(
      "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  std::map<std::string, int> number;
  std::string out;
  auto begin = std::sregex_iterator(text.begin(), text.end(), kUuid);
  std::size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    out += text.substr(last, it->position() - last);
    auto [entry, fresh] = number.emplace(it->str(), static_cast<int>(number.size()) + 1);
    out += "<id" + std::to_string(entry->second) + ">";
    last = it->position() + it->length();
  }
  return out + text.substr(last);
}

// Compares with tests/cli/golden/<name>; RMTC_UPDATE_GOLDEN=1 rewrites it.
void ExpectGolden(const std::string& name, const std::string& actual) {
  const std::string path = std::string(kGoldenDir) + "/" + name;
  if (const char* update = std::getenv("RMTC_UPDATE_GOLDEN"); update && *update == '1') {
    std::ofstream(path) << actual;
  }
  std::ifstream in(path);
  ASSERT_TRUE(in) << "missing golden file " << path;
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str()) << "differs from " << path;
}

int CountFacility(const std::string& facility) {
  auto listed = RmtcJson({"ls", "--facility", facility, "--limit", "100000"});
  return static_cast<int>(listed["artefacts"].size());
}

TEST(Cli, RegisterShowFindAndListSpeakJson) {
  TempDir dir;
  const auto file = dir.path() / "plate_0010.exr";
  std::ofstream(file) << "not really an EXR";
  auto asset = RmtcJson({"register", "asset", "--name", "plate_0010.exr", "--file",
                         file.string(), "--facility", "cli-test", "--attr", "frame=10",
                         "--attr", "show=RMTC", "--external-id", "shotgrid:Version/77"});
  for (const char* field : {"id", "kind", "name", "sha256", "attributes", "created_at"}) {
    EXPECT_TRUE(asset.contains(field)) << field;
  }
  EXPECT_EQ(asset["kind"], "asset");
  EXPECT_EQ(asset["sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(asset["attributes"]["frame"], 10);
  EXPECT_EQ(asset["attributes"]["show"], "RMTC");
  EXPECT_EQ(asset["existed"], false);
  const std::string id = asset["id"];

  auto again =
      RmtcJson({"register", "asset", "--name", "plate copy", "--file", file.string()});
  EXPECT_EQ(again["id"], id);
  EXPECT_EQ(again["existed"], true);

  auto shown = RmtcJson({"show", id});
  EXPECT_EQ(shown["name"], "plate_0010.exr");
  EXPECT_EQ(shown["external_ids"][0]["system"], "shotgrid");

  auto by_file = RmtcJson({"find", "--file", file.string()});
  ASSERT_EQ(by_file["artefacts"].size(), 1u);
  EXPECT_EQ(by_file["artefacts"][0]["id"], id);
  auto by_ext = RmtcJson({"find", "--external-id", "shotgrid:Version/77"});
  EXPECT_EQ(by_ext["artefacts"][0]["id"], id);

  auto set = RmtcJson({"register", "dataset", "--name", "cli plates", "--facility",
                       "cli-test", "--from", "contains:" + id});
  auto listed = RmtcJson({"ls", "--facility", "cli-test"});
  ASSERT_EQ(listed["artefacts"].size(), 2u);
  EXPECT_EQ(listed["more"], false);
  auto limited = RmtcJson({"ls", "--facility", "cli-test", "--limit", "1"});
  EXPECT_EQ(limited["artefacts"].size(), 1u);
  EXPECT_EQ(limited["more"], true);
  auto datasets = RmtcJson({"ls", "--facility", "cli-test", "--kind", "dataset"});
  ASSERT_EQ(datasets["artefacts"].size(), 1u);
  EXPECT_EQ(datasets["artefacts"][0]["id"], set["id"]);

  // Text output is for people: one line per artefact.
  auto text = Rmtc({"ls", "--facility", "cli-test"});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_EQ(std::count(text.out.begin(), text.out.end(), '\n'), 2) << text.out;
  EXPECT_NE(text.out.find("\"cli plates\""), std::string::npos);
}

TEST(Cli, RecordAndTraceAsJson) {
  const auto data = IdOf({"register", "dataset", "--name", "json-trace data"});
  auto run = RmtcJson({"record", "run", "--name", "json-trace run", "--trained-on", data,
                       "--weights-name", "json-trace.ckpt", "--attr", "steps=100"});
  ASSERT_TRUE(run.contains("run") && run.contains("weights"));
  EXPECT_EQ(run["run"]["kind"], "run");
  EXPECT_EQ(run["run"]["attributes"]["steps"], 100);
  const std::string weights = run["weights"][0]["id"];
  auto inference = RmtcJson({"record", "inference", "--weights", weights, "--output-name",
                             "json-trace out 1", "--output-name", "json-trace out 2"});
  ASSERT_EQ(inference["outputs"].size(), 2u);
  EXPECT_EQ(inference["inference"]["kind"], "inference");
  const std::string output = inference["outputs"][0]["id"];

  auto trace = RmtcJson({"trace", output});
  EXPECT_EQ(trace["partial"], false);
  EXPECT_EQ(trace["root"], output);
  ASSERT_EQ(trace["nodes"].size(), 5u);
  for (const auto& node : trace["nodes"]) {
    for (const char* field : {"id", "kind", "name", "depth"})
      EXPECT_TRUE(node.contains(field));
  }
  EXPECT_EQ(trace["nodes"][4]["id"], data);
  EXPECT_EQ(trace["nodes"][4]["depth"], 4);
  ASSERT_EQ(trace["edges"].size(), 4u);
  std::set<std::string> relations;
  for (const auto& edge : trace["edges"]) {
    for (const char* field : {"from", "to", "relation"})
      EXPECT_TRUE(edge.contains(field));
    relations.insert(edge["relation"]);
  }
  EXPECT_EQ(relations,
            (std::set<std::string>{"output_of", "uses", "produced_by", "trained_on"}));

  auto down = RmtcJson({"trace", data, "--down"});
  EXPECT_EQ(down["direction"], "downstream");
  EXPECT_EQ(down["nodes"].size(), 6u);  // data, run, weights, inference, 2 outputs
  auto shallow = RmtcJson({"trace", data, "--down", "--depth", "2"});
  EXPECT_EQ(shallow["nodes"].size(), 3u);
  auto limited = RmtcJson({"trace", data, "--down", "--limit", "4"});
  EXPECT_EQ(limited["nodes"].size(), 4u);
  EXPECT_EQ(limited["partial"], true);
  auto training_only =
      RmtcJson({"trace", output, "--relation", "output_of", "--relation", "uses"});
  EXPECT_EQ(training_only["nodes"].size(), 3u);
}

TEST(Cli, TraceTreeAndDotMatchGoldenFiles) {
  const auto plate_a = IdOf({"register", "asset", "--name", "plate_a"});
  const auto plate_b = IdOf({"register", "asset", "--name", "plate_b"});
  const auto plates =
      IdOf({"register", "dataset", "--name", "plates", "--version", "v2", "--from",
            "contains:" + plate_a, "--from", "contains:" + plate_b});
  const auto base = IdOf({"register", "model", "--name", "base-model"});
  auto run = RmtcJson({"record", "run", "--name", "finetune", "--trained-on", plates,
                       "--base", base, "--weights-name", "finetune.ckpt"});
  const std::string weights = run["weights"][0]["id"];
  auto inference =
      RmtcJson({"record", "inference", "--name", "comp", "--weights", weights, "--input",
                plate_a, "--output-name", "comp_v001.exr"});
  const std::string output = inference["outputs"][0]["id"];

  auto tree = Rmtc({"trace", output});
  ASSERT_EQ(tree.exit_code, 0) << tree.err;
  ExpectGolden("trace_tree.txt", NormaliseIds(tree.out));
  // Ids are accepted in any case; the tree is the same.
  std::string upper = output;
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
  auto upper_tree = Rmtc({"trace", upper});
  ASSERT_EQ(upper_tree.exit_code, 0) << upper_tree.err;
  EXPECT_EQ(upper_tree.out, tree.out);
  auto dot = Rmtc({"trace", output, "--format", "dot"});
  ASSERT_EQ(dot.exit_code, 0) << dot.err;
  ExpectGolden("trace.dot", NormaliseIds(dot.out));
  auto down = Rmtc({"trace", plate_a, "--down"});
  ExpectGolden("trace_down_tree.txt", NormaliseIds(down.out));

  // Graphviz renders it.
  TempDir dir;
  const auto dot_file = dir.path() / "trace.dot";
  std::ofstream(dot_file) << dot.out;
  auto svg = testing::Run({"/usr/bin/dot", "-Tsvg", dot_file.string()});
  EXPECT_EQ(svg.exit_code, 0) << svg.err;
  EXPECT_NE(svg.out.find("<svg"), std::string::npos);
  EXPECT_NE(svg.out.find("finetune.ckpt"), std::string::npos);
}

TEST(Cli, ExitCodesAndOneLineErrors) {
  auto usage = Rmtc({"register", "asset"});  // no --name
  EXPECT_EQ(usage.exit_code, 1);
  auto unknown_kind = Rmtc({"register", "checkpoint", "--name", "x"});
  EXPECT_EQ(unknown_kind.exit_code, 1);
  auto no_command = Rmtc({});
  EXPECT_EQ(no_command.exit_code, 1);

  auto missing = Rmtc({"show", "0190c4d2-7b1e-7c3a-9f00-123456789abc"});
  EXPECT_EQ(missing.exit_code, 2);
  ExpectOneLineError(missing,
                     "rmtc: show: id: no artefact 0190c4d2-7b1e-7c3a-9f00-123456789abc");
  auto nothing = Rmtc({"find", "--sha256", std::string(64, '0')});
  EXPECT_EQ(nothing.exit_code, 2);
  ExpectOneLineError(nothing, "nothing is registered with sha256");

  auto bad_digest = Rmtc({"register", "asset", "--name", "x", "--sha256", "abc"});
  EXPECT_EQ(bad_digest.exit_code, 3);
  ExpectOneLineError(bad_digest, "rmtc: register: --sha256: 'abc' is not 64 hex digits");
  const auto asset = IdOf({"register", "asset", "--name", "exit-code asset"});
  auto not_allowed = Rmtc(
      {"record", "run", "--name", "r", "--trained-on", asset, "--weights-name", "w"});
  EXPECT_EQ(not_allowed.exit_code, 3);
  ExpectOneLineError(not_allowed,
                     "trained_on[0]: trained_on goes from a run to a dataset");
  auto not_uuid = Rmtc({"show", "not-an-id"});
  EXPECT_EQ(not_uuid.exit_code, 3);
  ExpectOneLineError(not_uuid, "'not-an-id' is not a UUID");

  auto down = testing::Run({kRmtc, "--address", "127.0.0.1:1", "--timeout", "1", "ls"});
  EXPECT_EQ(down.exit_code, 4);
  ExpectOneLineError(down, "cannot reach rmtcd at 127.0.0.1:1");

  // With --json, even a failure prints exactly one JSON document.
  auto failed = RmtcJson({"show", "0190c4d2-7b1e-7c3a-9f00-123456789abc"}, 2);
  EXPECT_EQ(failed["error"]["code"], "NOT_FOUND");
  EXPECT_EQ(failed["error"]["exit_code"], 2);
  auto down_json =
      testing::Run({kRmtc, "--json", "--address", "127.0.0.1:1", "--timeout", "1", "ls"});
  EXPECT_EQ(down_json.exit_code, 4);
  auto down_document = json::parse(down_json.out, nullptr, false);
  ASSERT_FALSE(down_document.is_discarded()) << down_json.out;
  EXPECT_EQ(down_document["error"]["code"], "UNAVAILABLE");
  EXPECT_EQ(down_document["error"]["what"], "connect");

  // Attributes that are not UTF-8 are a usage error, and nothing is stored.
  auto latin1 =
      Rmtc({"register", "asset", "--name", "latin-1 attr", "--attr", "artist=Ren\xe9"});
  EXPECT_EQ(latin1.exit_code, 1);
  ExpectOneLineError(latin1, "--attr: keys and values must be valid UTF-8");
  EXPECT_TRUE(RmtcJson({"ls", "--name", "latin-1 attr"})["artefacts"].empty());
}

TEST(Cli, EveryCommandHasHelpWithAnExample) {
  for (std::vector<std::string> command : {std::vector<std::string>{},
                                           {"register"},
                                           {"record", "run"},
                                           {"record", "inference"},
                                           {"show"},
                                           {"find"},
                                           {"ls"},
                                           {"trace"},
                                           {"import"},
                                           {"license", "add"},
                                           {"license", "show"},
                                           {"license", "ls"},
                                           {"license", "attach"},
                                           {"license", "elect"},
                                           {"license", "revoke"},
                                           {"consent", "set"},
                                           {"consent", "history"},
                                           {"clearance", "add"},
                                           {"clearance", "show"},
                                           {"clearance", "ls"},
                                           {"clearance", "revoke"},
                                           {"clearance"},
                                           {"chain"},
                                           {"check"},
                                           {"impact"},
                                           {"record"},
                                           {"license"},
                                           {"consent"}}) {
    command.push_back("--help");
    auto help = Rmtc(command);
    EXPECT_EQ(help.exit_code, 0) << command[0];
    EXPECT_NE(help.out.find("Example"), std::string::npos) << command[0] << "\n"
                                                           << help.out;
  }
  auto top = Rmtc({"--help"});
  EXPECT_NE(top.out.find("Exit codes"), std::string::npos);
  auto version = testing::Run({kRmtc, "--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind("rmtc 0.", 0), 0u) << version.out;
  auto server_version = testing::Run({kRmtcd, "--version"});
  EXPECT_EQ(server_version.exit_code, 0) << server_version.err;
  EXPECT_EQ(server_version.out, "rmtcd " + version.out.substr(5));  // one project version
}

// Seconds `args` took to run.
double SecondsOf(const std::function<void()>& run) {
  const auto started = std::chrono::steady_clock::now();
  run();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
      .count();
}

TEST(Cli, NoRmtcdOrABadAddressFailsAtOnce) {
  // Refused: nothing listens there. Exit 4 well before --timeout (30 s).
  for (const std::string address : {"127.0.0.1:1", "unix:/nonexistent.sock"}) {
    Finished run;
    const double seconds = SecondsOf([&] {
      run = testing::Run({kRmtc, "--address", address, "ls"});
    });
    EXPECT_EQ(run.exit_code, 4) << address << ": " << run.err;
    EXPECT_LT(seconds, 2.0) << address;
    ExpectOneLineError(run, "rmtc: connect: cannot reach rmtcd at " + address);
    // script/server starts the default address only: no such hint here.
    EXPECT_EQ(run.err.find("script/server"), std::string::npos) << run.err;
  }
  // Malformed: a usage error, named by where the address came from.
  for (const std::string address :
       {"127.0.0.1", "http://127.0.0.1:50051", "127.0.0.1:0", "127.0.0.1:65536",
        "::1:50051", "unix:", "plates.local:port"}) {
    Finished run;
    const double seconds = SecondsOf([&] {
      run = testing::Run({kRmtc, "--address", address, "ls"});
    });
    EXPECT_EQ(run.exit_code, 1) << address << ": " << run.err;
    EXPECT_LT(seconds, 2.0) << address;
    ExpectOneLineError(run, "rmtc: --address: '" + address + "' ");
    auto json_run = testing::Run({kRmtc, "--json", "--address", address, "ls"});
    auto document = json::parse(json_run.out, nullptr, false);
    ASSERT_FALSE(document.is_discarded()) << json_run.out;
    EXPECT_EQ(document["error"]["code"], "USAGE");
    EXPECT_EQ(document["error"]["exit_code"], 1);
  }
  auto from_env = testing::Run({kRmtc, "ls"}, {.env = {{"RMTC_ADDRESS", "127.0.0.1"}}});
  EXPECT_EQ(from_env.exit_code, 1);
  ExpectOneLineError(from_env, "rmtc: RMTC_ADDRESS: '127.0.0.1' has no port");
  // Well-formed IPv6 and unix forms reach the shared rmtcd's port or fail as refused.
  auto v6 = testing::Run({kRmtc, "--address", "[::1]:1", "ls"});
  EXPECT_EQ(v6.exit_code, 4) << v6.err;
}

TEST(Cli, UsageErrorsAreOneLineAndKeepTheJsonPromise) {
  auto no_use = Rmtc({"--json", "check", "0190c4d2-7b1e-7c3a-9f00-123456789abc"});
  EXPECT_EQ(no_use.exit_code, 1);
  auto document = json::parse(no_use.out, nullptr, false);
  ASSERT_FALSE(document.is_discarded()) << "stdout is not one JSON document:\n"
                                        << no_use.out;
  EXPECT_EQ(document["error"]["code"], "USAGE");
  EXPECT_EQ(document["error"]["exit_code"], 1);
  EXPECT_NE(document["error"]["message"].get<std::string>().find("--use is required"),
            std::string::npos);
  ExpectOneLineError(no_use, "rmtc: check: --use is required");

  auto no_command = Rmtc({"--json", "record"});
  EXPECT_EQ(no_command.exit_code, 1);
  EXPECT_FALSE(json::parse(no_command.out, nullptr, false).is_discarded())
      << no_command.out;
  ExpectOneLineError(no_command, "rmtc: record: give a command: run inference");
  auto bad_value =
      Rmtc({"check", "0190c4d2-7b1e-7c3a-9f00-123456789abc", "--use", "sale"});
  EXPECT_EQ(bad_value.exit_code, 1);
  ExpectOneLineError(bad_value, "rmtc: check: --use: sale not in");
  EXPECT_TRUE(Rmtc({"check", "--help"}).err.empty());  // help is not an error
}

TEST(Cli, EnforceWithoutCheckIsRefusedAndRecordsNothing) {
  const auto data = IdOf({"register", "dataset", "--name", "enforce-alone data"});
  auto run = Rmtc({"record", "run", "--name", "enforce-alone run", "--trained-on", data,
                   "--weights-name", "enforce-alone weights", "--enforce"});
  EXPECT_EQ(run.exit_code, 1);
  ExpectOneLineError(run, "rmtc: record run: --enforce requires --check");
  auto policy =
      Rmtc({"record", "run", "--name", "enforce-alone run", "--trained-on", data,
            "--weights-name", "enforce-alone weights", "--policy", "strict"});
  EXPECT_EQ(policy.exit_code, 1);
  ExpectOneLineError(policy, "rmtc: record run: --policy requires --check");
  EXPECT_TRUE(RmtcJson({"ls", "--name", "enforce-alone run"})["artefacts"].empty());
  EXPECT_TRUE(RmtcJson({"ls", "--name", "enforce-alone weights"})["artefacts"].empty());

  auto weights = IdOf({"register", "weights", "--name", "enforce-alone ckpt"});
  auto inference = Rmtc({"record", "inference", "--weights", weights, "--output-name",
                         "enforce-alone frame", "--enforce"});
  EXPECT_EQ(inference.exit_code, 1);
  ExpectOneLineError(inference, "rmtc: record inference: --enforce requires --check");
  EXPECT_TRUE(RmtcJson({"ls", "--name", "enforce-alone frame"})["artefacts"].empty());
}

TEST(Cli, UnknownPartyOrLicenceIsNotFoundWithTheClosestNames) {
  const auto art = IdOf({"register", "asset", "--name", "suggest artwork"});
  RmtcJson(
      {"consent", "set", art, "--party", "Suggest Painter", "--ai-training", "allowed"});
  auto known = RmtcJson({"impact", "--party", "Suggest Painter"});
  EXPECT_EQ(known["total"], 1);

  auto wrong_case = Rmtc({"impact", "--party", "suggest painter"});
  EXPECT_EQ(wrong_case.exit_code, 2) << wrong_case.out;
  ExpectOneLineError(wrong_case, "rmtc: impact: --party: no party 'suggest painter'");
  EXPECT_NE(wrong_case.err.find("did you mean 'Suggest Painter'?"), std::string::npos)
      << wrong_case.err;
  EXPECT_EQ(wrong_case.out, "");  // not "0 artefacts affected"
  auto part = Rmtc({"impact", "--party", "Suggest"});
  EXPECT_EQ(part.exit_code, 2);
  EXPECT_NE(part.err.find("'Suggest Painter'"), std::string::npos) << part.err;
  auto as_json = RmtcJson({"impact", "--party", "Sugest Painter"}, 2);  // a typo
  EXPECT_EQ(as_json["error"]["code"], "NOT_FOUND");
  EXPECT_NE(as_json["error"]["message"].get<std::string>().find("'Suggest Painter'"),
            std::string::npos);
  auto nobody = Rmtc({"impact", "--party", "Nobody Zzyzx Qwv"});
  EXPECT_EQ(nobody.exit_code, 2);
  EXPECT_EQ(nobody.err.find("did you mean"), std::string::npos) << nobody.err;

  auto licence = Rmtc({"impact", "--license", "cc-by-nc-4.0"});
  EXPECT_EQ(licence.exit_code, 2);
  ExpectOneLineError(licence,
                     "rmtc: impact: --license: no licence cc-by-nc-4.0; did you mean "
                     "'CC-BY-NC-4.0'?\n");
  const auto unlicensed = IdOf({"register", "asset", "--name", "suggest unlicensed"});
  auto attach = Rmtc({"license", "attach", unlicensed, "cc-by-4.0"});
  EXPECT_EQ(attach.exit_code, 3);
  ExpectOneLineError(attach, "at position 1; did you mean 'CC-BY-4.0'?\n");
  auto chain = RmtcJson({"chain", unlicensed});
  ASSERT_EQ(chain["terms"].size(), 1u) << "a refused attachment was stored";
  EXPECT_NE(
      chain["terms"][0]["message"].get<std::string>().find("no licence is recorded"),
      std::string::npos);
  auto show = Rmtc({"license", "show", "CC-BY-NC-4"});
  EXPECT_EQ(show.exit_code, 2);
  EXPECT_NE(show.err.find("did you mean 'CC-BY-NC-4.0'"), std::string::npos) << show.err;
}

TEST(Cli, ConsentAndLicenceValuesTakeBothSpellingsAndPrintOne) {
  const auto art = IdOf({"register", "asset", "--name", "spelling artwork"});
  for (const std::string value : {"not-allowed", "notAllowed"}) {
    auto set = RmtcJson({"consent", "set", art, "--party", "Spelling Artist",
                         "--ai-training", value, "--data-mining", value});
    EXPECT_EQ(set["ai_training"], "not-allowed") << value;
    EXPECT_EQ(set["data_mining"], "not-allowed") << value;
  }
  auto text = Rmtc({"consent", "history", art});
  EXPECT_NE(text.out.find("ai_training=not-allowed"), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("notAllowed"), std::string::npos) << text.out;

  auto camel = RmtcJson({"license", "add", "LicenseRef-Cli-Spelling-Camel", "--name",
                         "camel", "--training", "notAllowed"});
  EXPECT_EQ(camel["terms"]["training"], "not-allowed");
  auto kebab = RmtcJson({"license", "add", "LicenseRef-Cli-Spelling-Kebab", "--name",
                         "kebab", "--training", "not-allowed"});
  EXPECT_EQ(kebab["terms"]["training"], "not-allowed");

  // Errors name the flags, and write nothing.
  auto bad =
      Rmtc({"consent", "set", art, "--party", "Spelling Artist", "--ai-inference", "no"});
  EXPECT_EQ(bad.exit_code, 1);
  ExpectOneLineError(
      bad, "rmtc: consent set: --ai-inference: 'no' is not allowed, not-allowed");
  auto none = Rmtc({"consent", "set", art, "--party", "Spelling Artist"});
  EXPECT_EQ(none.exit_code, 1);
  ExpectOneLineError(none,
                     "give at least one of --ai-training, --ai-generative-training");
  EXPECT_EQ(RmtcJson({"consent", "history", art})["records"].size(), 2u);
  auto long_name = Rmtc({"record", "run", "--name", std::string(600, 'r'), "--trained-on",
                         IdOf({"register", "dataset", "--name", "spelling data"}),
                         "--weights-name", "w"});
  EXPECT_EQ(long_name.exit_code, 3);
  ExpectOneLineError(long_name, "rmtc: record run: --name: ");
  auto window = Rmtc({"license", "add", "LicenseRef-Cli-Spelling-Window", "--name", "w",
                      "--valid-from", "2027-01-01", "--valid-until", "2026-01-01"});
  EXPECT_EQ(window.exit_code, 3);
  ExpectOneLineError(window,
                     "rmtc: license add: --valid-until: must be later than --valid-from");
}

TEST(Cli, LicensingWritesTakeARequestIdAndRepeatWithoutASecondRecord) {
  const auto art = IdOf({"register", "asset", "--name", "repeated licensing artwork"});
  const std::vector<std::string> consent = {
      "consent",     "set",           art,
      "--party",     "Repeat Artist", "--ai-training",
      "not-allowed", "--request-id",  "cli-consent-1"};
  auto first = RmtcJson(consent);
  auto again = RmtcJson(consent);
  EXPECT_EQ(again["recorded_at"], first["recorded_at"]);
  EXPECT_EQ(RmtcJson({"consent", "history", art})["records"].size(), 1u);
  auto other = Rmtc({"consent", "set", art, "--party", "Repeat Artist", "--ai-training",
                     "allowed", "--request-id", "cli-consent-1"});
  EXPECT_EQ(other.exit_code, 3);
  ExpectOneLineError(
      other,
      "rmtc: consent set: --request-id: 'cli-consent-1' was already used "
      "for a different SetConsent request; use a new id for a new request");
  EXPECT_EQ(RmtcJson({"consent", "history", art})["records"].size(), 1u);

  const std::vector<std::string> attach = {
      "license", "attach", art, "MIT OR Apache-2.0", "--request-id", "cli-attach-1"};
  auto attached = RmtcJson(attach);
  EXPECT_EQ(RmtcJson(attach)["attached_at"], attached["attached_at"]);
  const std::vector<std::string> elect = {"license", "elect",        art,
                                          "MIT",     "--request-id", "cli-elect-1"};
  auto elected = RmtcJson(elect);
  EXPECT_EQ(RmtcJson(elect)["elected_at"], elected["elected_at"]);
  auto crossed =
      Rmtc({"license", "elect", art, "Apache-2.0", "--request-id", "cli-attach-1"});
  EXPECT_EQ(crossed.exit_code, 3);
  ExpectOneLineError(crossed,
                     "rmtc: license elect: --request-id: 'cli-attach-1' was already used "
                     "for a different AttachLicence request");
  RmtcJson({"license", "add", "LicenseRef-Cli-Repeat-Revoke", "--name", "r"});
  const std::vector<std::string> revoke = {"license", "revoke",
                                           "LicenseRef-Cli-Repeat-Revoke", "--request-id",
                                           "cli-revoke-1"};
  auto revoked = RmtcJson(revoke);
  EXPECT_EQ(RmtcJson(revoke)["revoked_at"], revoked["revoked_at"]);
}

TEST(Cli, ShowOfANameHintsAtLsAndCountsReadAsEnglish) {
  auto by_name = Rmtc({"show", "plate 0010.exr"});
  EXPECT_EQ(by_name.exit_code, 3);
  ExpectOneLineError(by_name,
                     "to find an artefact by name: rmtc ls --name 'plate 0010.exr'");

  const auto lone = IdOf({"register", "asset", "--name", "counted plate"});
  auto one = Rmtc({"impact", lone});
  EXPECT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(one.out.rfind("1 artefact affected: 1 asset\n", 0), 0u) << one.out;
  const auto set = IdOf(
      {"register", "dataset", "--name", "counted set", "--from", "contains:" + lone});
  auto run = RmtcJson({"record", "run", "--name", "counted run", "--trained-on", set,
                       "--weights-name", "counted weights"});
  auto two = Rmtc({"impact", lone});
  EXPECT_EQ(two.out.rfind(
                "4 artefacts affected: 1 dataset, 1 set of weights, 1 run, 1 asset\n", 0),
            0u)
      << two.out;
}

TEST(Cli, LicensingCommandsGateOnTheVerdict) {
  auto registry = RmtcJson({"license", "ls"});
  EXPECT_GE(registry["licences"].size(), 18u);
  auto nc = RmtcJson({"license", "show", "CC-BY-NC-4.0"});
  EXPECT_EQ(nc["terms"]["field_of_use"], "non-commercial");

  auto vendor = RmtcJson({"license", "add", "LicenseRef-Cli-Vendor-2026", "--like",
                          "LicenseRef-RMTC-Studio-Internal", "--name",
                          "Cli vendor agreement", "--licensor", "Plate Co",
                          "--attribution", "--valid-until", "2099-01-01"});
  EXPECT_EQ(vendor["terms"]["attribution"], true);
  EXPECT_EQ(vendor["licensor"], "Plate Co");
  EXPECT_EQ(vendor["valid_until"], "2099-01-01T00:00:00.000000Z");

  const auto data = IdOf({"register", "dataset", "--name", "cli nc data"});
  auto attached = RmtcJson({"license", "attach", data, "CC-BY-NC-4.0", "--attribution",
                            "Cli Artist", "--from", "2020-01-01"});
  EXPECT_EQ(attached["licence_ids"], json::array({"CC-BY-NC-4.0"}));
  auto run = RmtcJson({"record", "run", "--name", "cli licensed run", "--trained-on",
                       data, "--weights-name", "cli licensed weights"});
  const std::string weights = run["weights"][0]["id"];
  auto inference = RmtcJson({"record", "inference", "--weights", weights, "--output-name",
                             "cli licensed frame"});
  const std::string frame = inference["outputs"][0]["id"];

  auto denied = Rmtc({"check", frame, "--use", "commercial-production"});
  EXPECT_EQ(denied.exit_code, 5) << denied.err;
  EXPECT_EQ(denied.out.rfind("DENIED for commercial-production", 0), 0u) << denied.out;
  EXPECT_NE(denied.out.find("dataset 'cli nc data'"), std::string::npos) << denied.out;
  auto review =
      Rmtc({"check", frame, "--use", "commercial-production", "--policy", "permissive"});
  EXPECT_EQ(review.exit_code, 6);
  auto allowed = Rmtc({"check", frame, "--use", "internal-research"});
  EXPECT_EQ(allowed.exit_code, 0);

  auto verdict = RmtcJson({"check", frame, "--use", "commercial-production"}, 5);
  EXPECT_EQ(verdict["verdict"], "DENIED");
  ASSERT_FALSE(verdict["reasons"].empty());
  EXPECT_EQ(verdict["reasons"][0]["rule"], "field-of-use");
  EXPECT_EQ(verdict["reasons"][0]["path"].back(), data);
  // Before the frame was recorded there was nothing to judge.
  auto as_of = RmtcJson(
      {"check", frame, "--use", "internal-research", "--as-of", "2019-06-01"}, 2);
  EXPECT_EQ(as_of["error"]["code"], "NOT_FOUND");
  EXPECT_EQ(as_of["error"]["message"].get<std::string>().rfind(
                "artefact_id: " + frame +
                    " was not recorded yet as of 2019-06-01T00:00:00.000000Z (recorded ",
                0),
            0u)
      << as_of;
  auto chain_before = Rmtc({"chain", frame, "--as-of", "2019-06-01"});
  EXPECT_EQ(chain_before.exit_code, 2);
  ExpectOneLineError(chain_before, "was not recorded yet as of 2019-06-01");
  auto bad_time = Rmtc({"check", frame, "--use", "internal-research", "--as-of", "June"});
  EXPECT_EQ(bad_time.exit_code, 1);

  auto chain = RmtcJson({"chain", weights});
  EXPECT_EQ(chain["credits"], json::array({"Cli Artist"}));
  bool risk = false;
  for (const auto& t : chain["terms"])
    risk |= t["kind"] == "field-of-use" && t["risk"] == true;
  EXPECT_TRUE(risk);

  auto consent =
      RmtcJson({"consent", "set", data, "--party", "Cli Artist", "--ai-training",
                "notAllowed", "--at", "2021-01-01T00:00:00Z", "--note", "letter"});
  EXPECT_EQ(consent["ai_training"], "not-allowed");  // C2PA's spelling in, rmtc's out
  EXPECT_EQ(consent["ai_inference"], nullptr);
  auto history = RmtcJson({"consent", "history", data});
  EXPECT_EQ(history["records"].size(), 1u);
  EXPECT_EQ(Rmtc({"check", frame, "--use", "internal-research"}).exit_code, 5);
  auto impact = RmtcJson({"impact", "--party", "Cli Artist"});
  EXPECT_EQ(impact["total"], 5);  // the data, run, weights, inference, frame
  EXPECT_EQ(impact["counts"]["weights"], 1);

  // A guardrail that is not enforced records and prints the verdict: the
  // command did its job, so it exits 0.
  auto advised = Rmtc({"record", "run", "--name", "cli advised run", "--trained-on", data,
                       "--weights-name", "w", "--check", "commercial-production"});
  EXPECT_EQ(advised.exit_code, 0) << advised.err;
  EXPECT_NE(advised.out.find("DENIED for commercial-production"), std::string::npos)
      << advised.out;
  EXPECT_EQ(RmtcJson({"ls", "--name", "cli advised run"})["artefacts"].size(), 1u);

  // A guardrail that is enforced refuses the record and writes nothing.
  auto refused =
      Rmtc({"record", "run", "--name", "cli refused run", "--trained-on", data,
            "--weights-name", "w", "--check", "internal-research", "--enforce"});
  EXPECT_EQ(refused.exit_code, 3);
  ExpectOneLineError(refused, "check: DENIED for internal-research");
  EXPECT_TRUE(RmtcJson({"ls", "--name", "cli refused run"})["artefacts"].empty());

  auto bad_expression = Rmtc({"license", "attach", data, "MIT OR"});
  EXPECT_EQ(bad_expression.exit_code, 3);
  ExpectOneLineError(bad_expression, "at position 7");
}

// Issue 9 §1, §2, §5 through rmtc: credit reaches the frame, every source
// is named, evaluation data is a use of it.
TEST(Cli, CreditsSourcesAndEvaluationDataInChecks) {
  auto dataset = [](const std::string& name, const std::string& licence,
                    const std::string& credit) {
    const auto id = IdOf({"register", "dataset", "--name", name});
    std::vector<std::string> attach{"license", "attach", id, licence};
    if (!credit.empty()) attach.insert(attach.end(), {"--attribution", credit});
    EXPECT_EQ(Rmtc(attach).exit_code, 0);
    return id;
  };
  auto weights_of = [](std::vector<std::string> run) {
    run.insert(run.begin(), {"record", "run"});
    return RmtcJson(run)["weights"][0]["id"].get<std::string>();
  };
  // Credit: a frame of a model trained on two CC-BY-4.0 sets credits both.
  const auto a = dataset("cli by a", "CC-BY-4.0", "Cli Aroha");
  const auto b = dataset("cli by b", "CC-BY-4.0", "Cli Ngaio");
  const auto weights =
      weights_of({"--name", "cli by run", "--trained-on", a, "--trained-on", b,
                  "--weights-name", "cli by weights"});
  const std::string frame =
      RmtcJson({"record", "inference", "--weights", weights, "--output-name",
                "cli by frame"})["outputs"][0]["id"];
  auto delivery = RmtcJson({"check", frame, "--use", "client-delivery"});
  EXPECT_EQ(delivery["verdict"], "ALLOWED");
  EXPECT_EQ(delivery["credits"], json::array({"Cli Aroha", "Cli Ngaio"}));
  auto text = Rmtc({"check", frame, "--use", "client-delivery"});
  EXPECT_NE(text.out.find("attribution: credit Cli Aroha under CC-BY-4.0 (a risk: it "
                          "reached this artefact through a model's use); via asset "
                          "'cli by frame' <- inference"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("credits: Cli Aroha; Cli Ngaio;"), std::string::npos);
  auto chain = RmtcJson({"chain", frame});
  EXPECT_EQ(chain["credits"], json::array({"Cli Aroha", "Cli Ngaio"}));

  // Every source: two NC sets behind one DENIED reason, each with its path.
  const auto c = dataset("cli nc c", "CC-BY-NC-4.0", "");
  const auto d = dataset("cli nc d", "CC-BY-NC-4.0", "");
  const auto nc_weights = weights_of({"--name", "cli nc run", "--trained-on", c,
                                      "--trained-on", d, "--weights-name", "cli nc w"});
  auto denied = RmtcJson({"check", nc_weights, "--use", "commercial-production"}, 5);
  int field_of_use = 0;
  for (const auto& r : denied["reasons"]) {
    if (r["rule"] != "field-of-use") continue;
    ++field_of_use;
    EXPECT_EQ(r["source_count"], 2);
    std::set<std::string> origins;
    for (const auto& source : r["sources"]) {
      EXPECT_EQ(source["path"].size(), 3u);
      EXPECT_EQ(source["path"].front(), nc_weights);
      EXPECT_EQ(source["path"].back(), source["artefact_id"]);
      origins.insert(source["artefact_id"].get<std::string>());
    }
    EXPECT_EQ(origins, (std::set<std::string>{c, d}));
  }
  EXPECT_EQ(field_of_use, 1);
  auto denied_text = Rmtc({"check", nc_weights, "--use", "commercial-production"});
  EXPECT_NE(
      denied_text.out.find("from 2 sources: dataset 'cli nc c', dataset 'cli nc d'; "
                           "via weights 'cli nc w' <- run 'cli nc run' <- dataset"),
      std::string::npos)
      << denied_text.out;

  // Evaluation data: the run that evaluated on NC data asks for a review,
  // its weights are clean.
  const auto holdout = dataset("cli nc holdout", "CC-BY-NC-4.0", "");
  auto run = RmtcJson({"record", "run", "--name", "cli eval run", "--trained-on", a,
                       "--evaluated-on", holdout, "--weights-name", "cli eval w"});
  const std::string run_id = run["run"]["id"];
  auto review = Rmtc({"check", run_id, "--use", "commercial-production"});
  EXPECT_EQ(review.exit_code, 6) << review.out;
  EXPECT_NE(
      review.out.find("(evaluation data: run 'cli eval run' is evaluated_on it, "
                      "itself a use; nothing of it reaches what the run makes); via "
                      "run 'cli eval run' <- dataset 'cli nc holdout'"),
      std::string::npos)
      << review.out;
  EXPECT_EQ(Rmtc({"check", run["weights"][0]["id"], "--use", "commercial-production"})
                .exit_code,
            0);
}

// "YYYY-MM-DDTHH:MM:SSZ", whole seconds from now (rounded down), for
// windows that must open after artefacts recorded a moment ago.
std::string SecondsFromNow(int seconds) {
  const auto t =
      std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) +
      std::chrono::seconds(seconds);
  const std::time_t c = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&c, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

// Sleeps until the wall clock is past `moment` (SecondsFromNow's format).
void SleepUntilAfter(const std::string& moment) {
  std::tm tm{};
  strptime(moment.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  const auto at = std::chrono::system_clock::from_time_t(timegm(&tm));
  std::this_thread::sleep_until(at + std::chrono::milliseconds(50));
}

// A plate relicensed from CC-BY-NC-4.0 (v1) to CC-BY-4.0 (v2, supersedes
// v1): v1's term still reaches v2, until the rights holder's clearance on
// what derives from v2 lifts it, shown with its evidence, as of its window.
TEST(Cli, AClearanceLiftsATermAndShowsItsEvidence) {
  const auto v1 = IdOf({"register", "asset", "--name", "cli clear plate v1"});
  const auto v2 = IdOf({"register", "asset", "--name", "cli clear plate v2", "--from",
                        "supersedes:" + v1});
  for (const auto& [id, licence] : {std::pair{v1, "CC-BY-NC-4.0"}, {v2, "CC-BY-4.0"}}) {
    EXPECT_EQ(Rmtc({"license", "attach", id, licence, "--attribution", "Cli Holder",
                    "--from", "2020-01-01"})
                  .exit_code,
              0);
  }
  EXPECT_EQ(Rmtc({"check", v2, "--use", "client-delivery"}).exit_code, 5);

  // Bad input: a precise error, and nothing recorded.
  const std::vector<std::string> base = {
      "clearance", "add", v1, "--party", "Cli Holder", "--evidence", "contract 7"};
  auto with = [&](std::vector<std::string> more) {
    auto args = base;
    args.insert(args.end(), more.begin(), more.end());
    return Rmtc(args);
  };
  auto bad_rule = with({"--lifts", "field-of-use", "--lifts", "non-commercial"});
  EXPECT_EQ(bad_rule.exit_code, 3);
  ExpectOneLineError(bad_rule,
                     "--lifts[1]: 'non-commercial' is not a rule a clearance lifts "
                     "(field-of-use, no-derivatives,");
  auto bad_licence = with({"--lifts", "field-of-use", "--license", "CC-BY-NC-4"});
  EXPECT_EQ(bad_licence.exit_code, 2);
  ExpectOneLineError(bad_licence,
                     "--license: no licence CC-BY-NC-4; did you mean 'CC-BY-NC-4.0'?");
  const auto unrelated = IdOf({"register", "asset", "--name", "cli clear unrelated"});
  auto not_downstream = with({"--lifts", "field-of-use", "--downstream", unrelated});
  EXPECT_EQ(not_downstream.exit_code, 3);
  ExpectOneLineError(not_downstream, "--downstream: " + unrelated + " is not built from");
  auto bad_window = with({"--lifts", "field-of-use", "--valid-from", "2022-01-01",
                          "--valid-until", "2021-01-01"});
  EXPECT_EQ(bad_window.exit_code, 3);
  ExpectOneLineError(bad_window, "--valid-until: must be later than --valid-from");
  auto bad_use = with({"--lifts", "field-of-use", "--use", "delivery"});
  EXPECT_EQ(bad_use.exit_code, 1);
  EXPECT_TRUE(RmtcJson({"clearance", "ls", "--artefact", v1})["clearances"].empty());

  // The window opens two seconds from now: a moment before it, but after
  // v1 and v2 were recorded, is still one an answer can be about.
  const std::string before = SecondsFromNow(1), from = SecondsFromNow(2);
  auto added = RmtcJson(
      {"clearance", "add", v1, "--downstream", v2, "--party", "Cli Holder", "--evidence",
       "https://legal.example/relicence.pdf", "--lifts", "field-of-use", "--license",
       "CC-BY-NC-4.0", "--use", "client-delivery", "--valid-from", from});
  SleepUntilAfter(from);
  const std::string id = added.value("id", "");
  ASSERT_FALSE(id.empty()) << added;
  EXPECT_EQ(added["rules"], json::array({"field-of-use"}));
  EXPECT_EQ(added["uses"], json::array({"client-delivery"}));
  EXPECT_EQ(added["downstream_id"], v2);
  EXPECT_EQ(added["valid_from"], from.substr(0, 19) + ".000000Z");

  auto allowed = Rmtc({"check", v2, "--use", "client-delivery"});
  EXPECT_EQ(allowed.exit_code, 0) << allowed.out;
  EXPECT_NE(allowed.out.find("cleared:\n  CLEARED  field-of-use: CC-BY-NC-4.0 is "
                             "non-commercial: no client-delivery"),
            std::string::npos)
      << allowed.out;
  EXPECT_NE(allowed.out.find("    by clearance " + id +
                             " from Cli Holder for client-delivery; evidence: "
                             "https://legal.example/relicence.pdf"),
            std::string::npos)
      << allowed.out;
  auto verdict = RmtcJson({"check", v2, "--use", "client-delivery"});
  ASSERT_EQ(verdict["cleared"].size(), 1u) << verdict;
  EXPECT_EQ(verdict["cleared"][0]["effect"], "DENIED");
  EXPECT_EQ(verdict["cleared"][0]["clearance"]["id"], id);
  EXPECT_EQ(verdict["cleared"][0]["clearance"]["evidence"],
            "https://legal.example/relicence.pdf");
  EXPECT_TRUE(verdict["reasons"].empty());
  // Other uses, v1 itself, and a moment before the window stay denied.
  EXPECT_EQ(Rmtc({"check", v2, "--use", "public-release"}).exit_code, 5);
  EXPECT_EQ(Rmtc({"check", v1, "--use", "client-delivery"}).exit_code, 5);
  EXPECT_EQ(Rmtc({"check", v2, "--use", "client-delivery", "--as-of", before}).exit_code,
            5);

  // The chain keeps the term and names the clearance next to it.
  auto chain = Rmtc({"chain", v2});
  EXPECT_NE(chain.out.find("field-of-use non-commercial  [CC-BY-NC-4.0]"),
            std::string::npos)
      << chain.out;
  EXPECT_NE(chain.out.find("      cleared by clearance " + id + " from Cli Holder"),
            std::string::npos)
      << chain.out;
  auto chain_json = RmtcJson({"chain", v2});
  bool named = false;
  for (const auto& t : chain_json["terms"]) {
    if (t["kind"] == "field-of-use" && !t["clearances"].empty())
      named = t["clearances"][0]["id"] == id;
  }
  EXPECT_TRUE(named) << chain_json;

  auto shown = Rmtc({"clearance", "show", id});
  EXPECT_EQ(shown.exit_code, 0);
  EXPECT_NE(shown.out.find("evidence        https://legal.example/relicence.pdf"),
            std::string::npos)
      << shown.out;
  EXPECT_EQ(RmtcJson({"clearance", "ls", "--artefact", v2})["clearances"].size(), 1u);
  EXPECT_EQ(RmtcJson({"clearance", "ls", "--party", "Cli Holder"})["clearances"][0]["id"],
            id);
  EXPECT_EQ(Rmtc({"clearance", "show", "0190c4d2-7b1e-7c3a-9f00-123456789abc"}).exit_code,
            2);

  // Revoked from a second from now: denied after that, still allowed as of
  // the window's start; revoking again later keeps the earliest.
  const std::string end = SecondsFromNow(1);
  auto revoked = RmtcJson({"clearance", "revoke", id, "--at", end});
  EXPECT_EQ(revoked["revoked_at"], end.substr(0, 19) + ".000000Z");
  SleepUntilAfter(end);
  EXPECT_EQ(Rmtc({"check", v2, "--use", "client-delivery"}).exit_code, 5);
  EXPECT_EQ(Rmtc({"check", v2, "--use", "client-delivery", "--as-of", from}).exit_code,
            0);
  EXPECT_EQ(RmtcJson({"clearance", "revoke", id})["revoked_at"],
            end.substr(0, 19) + ".000000Z");
}

// "YYYY-MM-DD", `days` from today.
std::string DateFromNow(int days) {
  const auto day = std::chrono::floor<std::chrono::days>(
      std::chrono::system_clock::now() + std::chrono::hours(24 * days));
  const std::chrono::year_month_day ymd(day);
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

// A licensed dataset, a run on it, and an inference's frame: the frame's id.
std::string FrameFrom(const std::string& licence, const std::string& tag,
                      const std::function<json(std::vector<std::string>)>& rmtc) {
  const std::string data =
      rmtc({"register", "dataset", "--name", tag + " data"})["id"].get<std::string>();
  rmtc({"license", "attach", data, licence, "--from", "2020-01-01"});
  auto run = rmtc({"record", "run", "--name", tag + " run", "--trained-on", data,
                   "--weights-name", tag + " weights"});
  const std::string weights = run["weights"][0]["id"];
  auto inference = rmtc(
      {"record", "inference", "--weights", weights, "--output-name", tag + " frame"});
  return inference["outputs"][0]["id"];
}

TEST(Cli, ExpiryTerritoryAndBadInputsThroughTheSharedRmtcd) {
  const std::string until = DateFromNow(30), later = DateFromNow(60);
  auto added = RmtcJson({"license", "add", "LicenseRef-Cli-Keeps", "--name",
                         "Cli vendor, rights survive", "--field-of-use", "commercial",
                         "--training", "allowed", "--valid-until", until,
                         "--survives-expiry", "derivatives-made-during-term",
                         "--jurisdiction", "AU", "--jurisdiction", "US"});
  EXPECT_EQ(added["terms"]["survives_expiry"], "derivatives-made-during-term");
  EXPECT_EQ(added["jurisdictions"], json::array({"AU", "US"}));
  auto shown = Rmtc({"license", "show", "LicenseRef-Cli-Keeps"});
  EXPECT_NE(shown.out.find("survives expiry"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("derivatives-made-during-term"), std::string::npos)
      << shown.out;
  RmtcJson({"license", "add", "LicenseRef-Cli-Silent", "--like", "LicenseRef-Cli-Keeps",
            "--valid-until", until, "--survives-expiry", "none"});

  auto shared = [](std::vector<std::string> args) { return RmtcJson(std::move(args)); };
  const std::string kept = FrameFrom("LicenseRef-Cli-Keeps", "cli keeps", shared);
  const std::string quiet = FrameFrom("LicenseRef-Cli-Silent", "cli silent", shared);
  // Made during the term, asked about after it: kept, or reviewed.
  EXPECT_EQ(Rmtc({"check", kept, "--use", "client-delivery", "--as-of", later}).exit_code,
            0);
  auto review =
      RmtcJson({"check", quiet, "--use", "client-delivery", "--as-of", later}, 6);
  ASSERT_FALSE(review["reasons"].empty());
  EXPECT_EQ(review["reasons"][0]["rule"], "licence-ended");
  EXPECT_NE(review["reasons"][0]["message"].get<std::string>().find(
                "run 'cli silent run' was made while LicenseRef-Cli-Silent was in force; "
                "it expired on " +
                until),
            std::string::npos)
      << review;

  // Where the use happens.
  auto nz = Rmtc({"check", kept, "--use", "client-delivery", "--jurisdiction", "NZ"});
  EXPECT_EQ(nz.exit_code, 5) << nz.err;
  EXPECT_EQ(nz.out.rfind("DENIED for client-delivery in NZ (policy strict", 0), 0u)
      << nz.out;
  EXPECT_NE(nz.out.find("jurisdiction: LicenseRef-Cli-Keeps applies only in AU, US: not "
                        "NZ (a risk: it reached this artefact through training)"),
            std::string::npos)
      << nz.out;
  auto au = RmtcJson({"check", kept, "--use", "client-delivery", "--jurisdiction", "AU"});
  EXPECT_EQ(au["verdict"], "ALLOWED");
  EXPECT_EQ(au["jurisdiction"], "AU");

  // Bad input: one line naming the flag, and nothing written.
  auto lower = Rmtc({"check", kept, "--use", "client-delivery", "--jurisdiction", "nz"});
  EXPECT_EQ(lower.exit_code, 3);
  ExpectOneLineError(lower,
                     "rmtc: check: --jurisdiction: 'nz' is not an ISO 3166 alpha-2 "
                     "country code (two capital letters, e.g. NZ)");
  auto spelled = Rmtc({"license", "add", "LicenseRef-Cli-Spelled", "--name", "x",
                       "--jurisdiction", "New Zealand"});
  EXPECT_EQ(spelled.exit_code, 3);
  ExpectOneLineError(spelled,
                     "rmtc: license add: --jurisdiction[0]: 'New Zealand' is not an ISO "
                     "3166 alpha-2 country code (two capital letters, e.g. NZ)");
  auto forever = Rmtc({"license", "add", "LicenseRef-Cli-Forever", "--name", "x",
                       "--survives-expiry", "forever"});
  EXPECT_EQ(forever.exit_code, 1);
  ExpectOneLineError(forever, "'forever' is not none or derivatives-made-during-term");
  for (const char* id : {"LicenseRef-Cli-Spelled", "LicenseRef-Cli-Forever"}) {
    EXPECT_EQ(Rmtc({"license", "show", id}).exit_code, 2) << id;
  }
}

// A second rmtcd, configured as a studio that reviews withdrawn consents.
TEST(Cli, StudioAndConsentWithdrawalSettingsOfRmtcd) {
  TempDir dir;
  std::string error;
  // The aliases come from the environment, split at ';' (rmtcd inherits it).
  ::setenv("RMTC_STUDIO_ALIAS", "Rongotai Studio Ltd;Rongotai Studio Montreal Inc.", 1);
  auto studio =
      RmtcdProcess::Start(kRmtcd,
                          {"--data-dir", (dir.path() / "data").string(), "--studio",
                           "Rongotai Studio", "--consent-withdrawal", "review"},
                          &error);
  ::unsetenv("RMTC_STUDIO_ALIAS");
  ASSERT_NE(studio, nullptr) << error;
  auto rmtc = [&](std::vector<std::string> args, int expected_exit = 0) {
    args.insert(args.begin(), {kRmtc, "--json", "--address", studio->address()});
    auto run = testing::Run(args);
    EXPECT_EQ(run.exit_code, expected_exit) << run.err << run.out;
    return json::parse(run.out, nullptr, false);
  };
  auto json_rmtc = [&](std::vector<std::string> args) { return rmtc(std::move(args)); };
  // MIT's terms: unlike CC0's, they reach the trained model.
  rmtc({"license", "add", "LicenseRef-Cli-Other-Co", "--name", "Granted elsewhere",
        "--like", "MIT", "--licensee", "Other Co"});
  rmtc({"license", "add", "LicenseRef-Cli-Ours", "--name", "Granted to us", "--like",
        "MIT", "--licensee", "rongotai studio montreal inc."});
  const std::string theirs = FrameFrom("LicenseRef-Cli-Other-Co", "their", json_rmtc);
  const std::string ours = FrameFrom("LicenseRef-Cli-Ours", "our", json_rmtc);

  auto review = rmtc({"check", theirs, "--use", "internal-research"}, 6);
  ASSERT_FALSE(review["reasons"].empty());
  EXPECT_EQ(review["reasons"][0]["rule"], "licensee");
  EXPECT_EQ(
      review["reasons"][0]["message"].get<std::string>().rfind(
          "LicenseRef-Cli-Other-Co was granted to Other Co, not Rongotai Studio", 0),
      0u)
      << review;
  EXPECT_EQ(rmtc({"check", ours, "--use", "client-delivery"})["verdict"], "ALLOWED");

  // An artist withdraws ten days after the model was recorded: REVIEW here.
  const std::string art =
      rmtc({"register", "asset", "--name", "cli withdrawn art"})["id"];
  rmtc({"license", "attach", art, "CC0-1.0", "--from", "2020-01-01"});
  const std::string set = rmtc({"register", "dataset", "--name", "cli withdrawn set",
                                "--from", "contains:" + art})["id"];
  auto run = rmtc({"record", "run", "--name", "cli withdrawn run", "--trained-on", set,
                   "--weights-name", "cli withdrawn weights"});
  const std::string weights = run["weights"][0]["id"];
  rmtc({"consent", "set", art, "--party", "Cli Painter", "--ai-training", "not-allowed",
        "--at", DateFromNow(10)});
  EXPECT_EQ(rmtc({"check", weights, "--use", "internal-research"})["verdict"], "ALLOWED");
  auto withdrawn = rmtc(
      {"check", weights, "--use", "internal-research", "--as-of", DateFromNow(20)}, 6);
  ASSERT_FALSE(withdrawn["reasons"].empty());
  EXPECT_EQ(withdrawn["reasons"][0]["rule"], "consent-withdrawn");
  EXPECT_EQ(withdrawn["reasons"][0]["party"], "Cli Painter");
  EXPECT_EQ(studio->Stop(), 0) << studio->output();

  // Bad settings are usage errors (exit 2) before anything starts.
  auto bad = testing::Run({kRmtcd, "--consent-withdrawal", "maybe"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--consent-withdrawal"), std::string::npos) << bad.err;
  auto alias_alone = testing::Run({kRmtcd, "--studio-alias", "X"});
  EXPECT_EQ(alias_alone.exit_code, 2);
  EXPECT_NE(alias_alone.err.find("--studio-alias needs --studio"), std::string::npos)
      << alias_alone.err;
}

TEST(Cli, AddressComesFromTheEnvironment) {
  auto run =
      testing::Run({kRmtc, "--json", "ls", "--limit", "1"},
                   {.env = {{"RMTC_ADDRESS", testing::SharedRmtcd::Get().address()}}});
  EXPECT_EQ(run.exit_code, 0) << run.err;
}

// A JSON-lines file: `count` assets of `facility`, then a dataset of them.
std::string WriteImportFile(const std::filesystem::path& path,
                            const std::string& facility, int count) {
  std::ofstream out(path);
  json dataset = {{"kind", "dataset"},
                  {"name", facility + " set"},
                  {"facility", facility},
                  {"sources", json::array()}};
  for (int i = 0; i < count; ++i) {
    out << json{{"key", "a" + std::to_string(i)},
                {"kind", "asset"},
                {"name", facility + " asset " + std::to_string(i)},
                {"facility", facility},
                {"attributes", {{"frame", i}}}}
               .dump()
        << "\n";
    if (i % 10 == 0)
      dataset["sources"].push_back(
          {{"relation", "contains"}, {"key", "a" + std::to_string(i)}});
  }
  out << dataset.dump() << "\n";
  return path.string();
}

TEST(Cli, ImportIsBatchedAndRefusesBadLinesBeforeWriting) {
  TempDir dir;
  const auto file = WriteImportFile(dir.path() / "small.jsonl", "import-small", 40);
  auto summary = RmtcJson({"import", file, "--batch-size", "16"});
  EXPECT_EQ(summary["lines"], 41);
  EXPECT_EQ(summary["batches"], 3);
  EXPECT_EQ(summary["new"], 41);
  EXPECT_EQ(CountFacility("import-small"), 41);
  // Running it again writes nothing new.
  RmtcJson({"import", file, "--batch-size", "16"});
  EXPECT_EQ(CountFacility("import-small"), 41);

  const auto bad = dir.path() / "bad.jsonl";
  std::ofstream(bad) << R"({"kind": "asset", "name": "fine", "facility": "import-bad"})"
                     << "\n"
                     << R"({"kind": "asset", "name": "broken")"
                     << "\n";
  auto refused = Rmtc({"import", bad.string()});
  EXPECT_EQ(refused.exit_code, 3);
  ExpectOneLineError(refused, bad.string() + ":2: not a JSON object");
  const auto refused_by_service = dir.path() / "refused.jsonl";
  std::ofstream(refused_by_service)
      << R"({"kind": "asset", "name": "fine", "facility": "import-bad"})"
      << "\n"
      << R"({"kind": "asset", "name": "x", "sha256": "nope", "facility": "import-bad"})"
      << "\n";
  auto service = Rmtc({"import", refused_by_service.string()});
  EXPECT_EQ(service.exit_code, 3);
  ExpectOneLineError(service,
                     refused_by_service.string() + ":2: sha256: 'nope' is not 64 hex");
  EXPECT_EQ(CountFacility("import-bad"), 0);
}

// 300 lines with 60 KiB of attributes are ~18 MB, over rmtcd's 16 MiB
// request limit in one write: import ends each write at about 8 MiB.
TEST(Cli, ImportSplitsLargeLinesByBytes) {
  TempDir dir;
  const auto file = dir.path() / "heavy.jsonl";
  {
    std::ofstream out(file);
    const std::string blob(60 * 1024, 'x');
    for (int i = 0; i < 300; ++i) {
      out << R"({"kind": "asset", "name": "heavy-)" << i
          << R"(", "facility": "import-heavy", "attributes": {"blob": ")" << blob
          << "\"}}\n";
    }
  }
  const auto imported = RmtcJson({"import", file.string(), "--batch-size", "1000"});
  EXPECT_EQ(imported["new"], 300);
  EXPECT_EQ(imported["batches"], 3);  // ~135 lines of ~61 KB to a write
  EXPECT_EQ(CountFacility("import-heavy"), 300);
}

TEST(Cli, InterruptedImportCompletesOnRerunWithoutDuplicates) {
  TempDir dir;
  constexpr int kAssets = 3000;
  const auto file = WriteImportFile(dir.path() / "big.jsonl", "import-big", kAssets);
  const std::vector<std::string> command = {
      kRmtc,          "--address", testing::SharedRmtcd::Get().address(), "import", file,
      "--batch-size", "10"};
  const pid_t pid = testing::LaunchQuietly(command);
  // Kill it (as a crash would) once some batches, but not all, are in.
  int seen = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    seen = CountFacility("import-big");
    if (seen >= 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid, SIGKILL);
  testing::WaitExit(pid, std::chrono::seconds(10));
  const int interrupted_at = CountFacility("import-big");
  ASSERT_GE(interrupted_at, 200);
  ASSERT_LT(interrupted_at, kAssets + 1)
      << "the import finished before it was interrupted";
  EXPECT_EQ(interrupted_at % 10, 0) << "a batch was half written";

  auto rerun = testing::Run(command);
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  auto listed = RmtcJson({"ls", "--facility", "import-big", "--limit", "100000"});
  ASSERT_EQ(listed["artefacts"].size(), static_cast<std::size_t>(kAssets + 1));
  std::set<std::string> names;
  for (const auto& a : listed["artefacts"]) names.insert(a["name"].get<std::string>());
  EXPECT_EQ(names.size(), static_cast<std::size_t>(kAssets + 1))
      << "duplicates were written";
  // The dataset points at the assets the first run wrote, not at copies.
  const std::string set_id = listed["artefacts"][kAssets]["id"];
  auto trace = RmtcJson({"trace", set_id});
  EXPECT_EQ(trace["nodes"].size(), static_cast<std::size_t>(kAssets / 10 + 1));
}

// Two identical lines without digests are two artefacts, also when each is
// its own batch: a line's item key counts the identical lines before it.
TEST(Cli, IdenticalLinesInOneFileAreSeparateArtefacts) {
  TempDir dir;
  const auto file = dir.path() / "twins.jsonl";
  std::ofstream(file)
      << R"({"kind": "asset", "name": "twin plate", "facility": "import-twins"})"
      << "\n"
      << R"({"kind": "asset", "name": "twin plate", "facility": "import-twins"})"
      << "\n";
  auto imported = Rmtc({"import", file.string(), "--batch-size", "1"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_EQ(CountFacility("import-twins"), 2);
  // A rerun of the same file is a replay, not two more.
  ASSERT_EQ(Rmtc({"import", file.string(), "--batch-size", "1"}).exit_code, 0);
  EXPECT_EQ(CountFacility("import-twins"), 2);
  // The summary counts in English: one of each reads singular.
  const auto one = dir.path() / "one.jsonl";
  std::ofstream(one)
      << R"({"kind": "asset", "name": "lone plate", "facility": "import-twins"})"
      << "\n";
  auto single = Rmtc({"import", one.string()});
  ASSERT_EQ(single.exit_code, 0) << single.err;
  EXPECT_EQ(single.out, "imported 1 artefact from " + one.string() +
                            " in 1 batch: 1 new, 0 already registered\n");
}

int CountFacilityKind(const std::string& facility, const std::string& kind) {
  auto listed =
      RmtcJson({"ls", "--facility", facility, "--kind", kind, "--limit", "100000"});
  return static_cast<int>(listed["artefacts"].size());
}

// Lines without sha256: 12 groups of 20 assets, each group followed by a
// dataset that contains them by key; two identical "twin" lines; an asset
// with an external id; a dataset of the 12 datasets. 256 lines.
std::vector<json> RerunLines(const std::string& facility) {
  std::vector<json> lines;
  const json twin = {{"kind", "asset"}, {"name", "twin plate"}, {"facility", facility}};
  json all = {{"key", "all"},
              {"kind", "dataset"},
              {"name", facility + " all"},
              {"facility", facility},
              {"sources", json::array()}};
  for (int group = 0; group < 12; ++group) {
    const std::string set_key = "set" + std::to_string(group);
    json set = {{"key", set_key},
                {"kind", "dataset"},
                {"name", facility + " " + set_key},
                {"facility", facility},
                {"sources", json::array()}};
    for (int i = group * 20; i < (group + 1) * 20; ++i) {
      const std::string key = "a" + std::to_string(i);
      lines.push_back({{"key", key},
                       {"kind", "asset"},
                       {"name", facility + " plate " + key},
                       {"facility", facility},
                       {"attributes", {{"frame", i}}}});
      set["sources"].push_back({{"relation", "contains"}, {"key", key}});
    }
    lines.push_back(set);
    all["sources"].push_back({{"relation", "contains"}, {"key", set_key}});
    if (group == 2 || group == 9) lines.push_back(twin);
  }
  lines.push_back({{"kind", "asset"},
                   {"name", facility + " tagged"},
                   {"facility", facility},
                   {"external_ids", {facility + ":asset/1"}}});
  lines.push_back(all);
  return lines;
}

void WriteLines(const std::filesystem::path& path, const std::vector<json>& lines,
                std::size_t count) {
  std::ofstream out(path);
  for (std::size_t i = 0; i < count; ++i) out << lines[i].dump() << "\n";
}

std::string IdNamed(const std::string& facility, const std::string& name) {
  const json listed = RmtcJson({"ls", "--facility", facility, "--limit", "100000"});
  for (const auto& a : listed["artefacts"]) {
    if (a["name"] == name) return a["id"];
  }
  return "<none named " + name + ">";
}

// The issue this answers: a rerun with another --batch-size, an appended
// line or an earlier interruption registered lines without sha256 again,
// and the summary counted replays as new.
TEST(Cli, ImportRegistersEachLineOnceWhateverTheBatchesAndReruns) {
  TempDir dir;
  const std::string facility = "import-rerun";
  auto lines = RerunLines(facility);
  ASSERT_EQ(lines.size(), 256u);
  const auto file = dir.path() / "rerun.jsonl";
  auto import = [&](const std::string& batch_size, std::size_t count) {
    WriteLines(file, lines, count);
    return RmtcJson({"import", file.string(), "--batch-size", batch_size});
  };
  auto expect_summary = [](const json& summary, int lines, int fresh, int existed) {
    EXPECT_EQ(summary["lines"], lines) << summary.dump();
    EXPECT_EQ(summary["new"], fresh) << summary.dump();
    EXPECT_EQ(summary["existed"], existed) << summary.dump();
  };

  // An import interrupted after 130 lines (a prefix of the file) ...
  expect_summary(import("7", 130), 130, 130, 0);
  EXPECT_EQ(CountFacility(facility), 130);
  // ... completed with another batch size: the group cut in two gets its
  // dataset pointing at the assets the first run wrote.
  expect_summary(import("50", 256), 256, 126, 130);
  EXPECT_EQ(CountFacility(facility), 256);
  // Exact reruns, with the same and with another batch size.
  expect_summary(import("50", 256), 256, 0, 256);
  auto text = Rmtc({"import", file.string(), "--batch-size", "13"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_EQ(text.out, "imported 256 artefacts from " + file.string() +
                          " in 20 batches: 0 new, 256 already registered\n");
  EXPECT_EQ(CountFacility(facility), 256);

  // Lines appended: new assets, a third twin, a dataset of new and old lines.
  json late_set = {{"key", "late"},
                   {"kind", "dataset"},
                   {"name", facility + " late set"},
                   {"facility", facility},
                   {"sources", {{{"relation", "contains"}, {"key", "a0"}}}}};
  for (int i = 0; i < 10; ++i) {
    const std::string key = "late" + std::to_string(i);
    lines.push_back({{"key", key},
                     {"kind", "asset"},
                     {"name", facility + " " + key},
                     {"facility", facility}});
    late_set["sources"].push_back({{"relation", "contains"}, {"key", key}});
  }
  lines.push_back({{"kind", "asset"}, {"name", "twin plate"}, {"facility", facility}});
  lines.push_back(late_set);
  expect_summary(import("1000", lines.size()), 268, 12, 256);
  expect_summary(import("3", lines.size()), 268, 0, 268);

  EXPECT_EQ(CountFacility(facility), 268);
  EXPECT_EQ(CountFacilityKind(facility, "asset"), 240 + 3 + 1 + 10);
  EXPECT_EQ(CountFacilityKind(facility, "dataset"), 12 + 1 + 1);
  EXPECT_EQ(RmtcJson({"ls", "--facility", facility, "--name", "twin plate"})["artefacts"]
                .size(),
            3u);
  // Each dataset holds exactly the assets of the first runs: no copies.
  EXPECT_EQ(RmtcJson({"trace", IdNamed(facility, facility + " all")})["nodes"].size(),
            1u + 12 + 240);
  EXPECT_EQ(
      RmtcJson({"trace", IdNamed(facility, facility + " late set")})["nodes"].size(),
      1u + 11);
}

TEST(Cli, ImportHelpSaysWhatCountsAsTheSameLine) {
  auto help = Rmtc({"import", "--help"});
  ASSERT_EQ(help.exit_code, 0) << help.err;
  EXPECT_NE(help.out.find("Two lines are the same line when"), std::string::npos)
      << help.out;
}

// Times print right at both ends of the range and before 1970 (they once
// printed 1816-03-30T05:56:08.-810266Z for the year 9999).
TEST(Cli, ConsentTimesPrintRightAcrossTheWholeRange) {
  const std::string asset = IdOf({"register", "asset", "--name", "cli time edges"});
  for (const char* at : {"9999-12-31T23:59:59.123456Z", "1969-12-31T23:59:59.5Z",
                         "0001-01-01T00:00:00Z"}) {
    ASSERT_EQ(Rmtc({"consent", "set", asset, "--party", "Cli Timekeeper", "--ai-training",
                    "allowed", "--at", at})
                  .exit_code,
              0)
        << at;
  }
  const auto history = Rmtc({"consent", "history", asset});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  for (const char* printed :
       {"9999-12-31T23:59:59.123456Z", "1969-12-31T23:59:59.500000Z",
        "0001-01-01T00:00:00.000000Z"}) {
    EXPECT_NE(history.out.find(printed), std::string::npos) << printed << "\n"
                                                            << history.out;
  }
  const auto json_history = RmtcJson({"consent", "history", asset});
  ASSERT_EQ(json_history["records"].size(), 3u);
  EXPECT_EQ(json_history["records"][0]["effective_at"], "0001-01-01T00:00:00.000000Z");
  EXPECT_EQ(json_history["records"][2]["effective_at"], "9999-12-31T23:59:59.123456Z");
  // The day after the last one is refused, not wrapped.
  auto beyond = Rmtc({"consent", "set", asset, "--party", "Cli Timekeeper",
                      "--ai-training", "allowed", "--at", "10000-01-01"});
  EXPECT_EQ(beyond.exit_code, 1) << beyond.err;
}

}  // namespace
}  // namespace rmtc

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new rmtc::testing::SharedRmtcd(RMTCD_PATH));
  return RUN_ALL_TESTS();
}
