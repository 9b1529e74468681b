// rmtc import: bulk registration from JSON lines, batched, safe to rerun:
// every line carries an item key derived from its content.
#include <openssl/evp.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <regex>
#include <set>

#include "commands.h"
#include "output.h"
#include "vocabulary/hex.h"

namespace rmtc::cli {
namespace {

constexpr int kMaxBatch = 10000;

struct ImportArgs {
  std::string file;
  int batch_size = 500;
};

// One line of the file, read into an artefact. Sources that name a `key`
// are resolved when the batch is built.
struct Line {
  int number = 0;
  std::string key;
  NewArtefact artefact;
  std::vector<std::pair<Relation, std::string>> keyed_sources;  // relation, key
};

// A batch is also flushed at this many bytes, well inside rmtcd's default
// request limit (16 MiB, --max-request-bytes): 500 lines with 64 KiB of
// attributes each would be refused whole.
constexpr std::size_t kMaxBatchBytes = 8 * 1024 * 1024;

// About what an artefact adds to a request: its texts, plus room for the
// field tags, ids and sources.
std::size_t RequestBytes(const NewArtefact& a) {
  std::size_t bytes = 256 + a.name.size() + a.version.size() + a.uri.size() +
                      a.sha256.size() + a.facility.size() + a.attributes.size() +
                      a.item_key.size() + 64 * a.sources.size();
  for (const auto& x : a.external_ids) bytes += 16 + x.system.size() + x.id.size();
  return bytes;
}

std::string Sha256Hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr);
  return vocabulary::HexEncode(digest, length);
}

std::optional<std::string> StringField(const nlohmann::json& object, const char* name,
                                       std::string& error) {
  if (!object.contains(name)) return std::string();
  if (!object[name].is_string()) {
    error = std::string("\"") + name + "\" must be a string";
    return std::nullopt;
  }
  return object[name].get<std::string>();
}

// Reads one JSON line. `keys` holds the keys of earlier lines: a source may
// only name one of those (the graph is written in file order).
std::optional<Line> ParseLine(const std::string& text, int number,
                              const std::set<std::string>& keys, std::string& error) {
  auto object = nlohmann::json::parse(text, nullptr, false);
  if (object.is_discarded() || !object.is_object()) {
    error = "not a JSON object";
    return std::nullopt;
  }
  Line line;
  line.number = number;
  static const std::set<std::string> kKnown = {
      "key",    "kind",     "name",       "version",      "uri",
      "sha256", "facility", "attributes", "external_ids", "sources"};
  for (const auto& [field, value] : object.items()) {
    if (!kKnown.count(field)) {
      error = "unknown field \"" + field + "\"";
      return std::nullopt;
    }
  }
  auto kind = StringField(object, "kind", error);
  if (!kind) return std::nullopt;
  line.artefact.kind = KindFromName(*kind);
  if (!line.artefact.kind) {
    error = "\"kind\" must be dataset, model, weights, run, inference or asset";
    return std::nullopt;
  }
  std::string* fields[] = {
      &line.key,          &line.artefact.name,   &line.artefact.version,
      &line.artefact.uri, &line.artefact.sha256, &line.artefact.facility};
  const char* names[] = {"key", "name", "version", "uri", "sha256", "facility"};
  for (int i = 0; i < 6; ++i) {
    auto value = StringField(object, names[i], error);
    if (!value) return std::nullopt;
    *fields[i] = *value;
  }
  if (line.artefact.name.empty()) {
    error = "\"name\" is required";
    return std::nullopt;
  }
  if (!line.key.empty() && keys.count(line.key)) {
    error = "\"key\" \"" + line.key + "\" is used by an earlier line";
    return std::nullopt;
  }
  if (object.contains("attributes")) {
    if (!object["attributes"].is_object()) {
      error = "\"attributes\" must be an object";
      return std::nullopt;
    }
    line.artefact.attributes = object["attributes"].dump();
  }
  for (const auto& ext : object.value("external_ids", nlohmann::json::array())) {
    std::optional<ExternalId> parsed;
    if (ext.is_string()) parsed = ParseExternalId(ext.get<std::string>());
    if (ext.is_object() && ext.contains("system") && ext.contains("id") &&
        ext["system"].is_string() && ext["id"].is_string()) {
      parsed = ExternalId{ext["system"].get<std::string>(), ext["id"].get<std::string>()};
    }
    if (!parsed) {
      error = "an external id must be \"SYSTEM:ID\" or {\"system\": ..., \"id\": ...}";
      return std::nullopt;
    }
    line.artefact.external_ids.push_back(*parsed);
  }
  for (const auto& source : object.value("sources", nlohmann::json::array())) {
    if (!source.is_object() || !source.contains("relation") ||
        !source["relation"].is_string()) {
      error = "a source must be {\"relation\": ..., \"id\" or \"key\": ...}";
      return std::nullopt;
    }
    auto relation = RelationFromName(source["relation"].get<std::string>());
    if (!relation) {
      error = "\"" + source["relation"].get<std::string>() + "\" is not a relation";
      return std::nullopt;
    }
    if (source.contains("key") && source["key"].is_string()) {
      const std::string key = source["key"].get<std::string>();
      if (!keys.count(key)) {
        error = "source key \"" + key + "\" is not the key of an earlier line";
        return std::nullopt;
      }
      line.keyed_sources.emplace_back(*relation, key);
    } else if (source.contains("id") && source["id"].is_string()) {
      line.artefact.sources.push_back(
          Source::Stored(*relation, source["id"].get<std::string>()));
    } else {
      error =
          "a source needs an \"id\" (a stored artefact) or a \"key\" (an earlier line)";
      return std::nullopt;
    }
  }
  return line;
}

// Gives each line its item key, which the service binds to the artefact the
// line makes, so every later import of the line finds that artefact. The
// key is a digest of what the line says, with each source named by what it
// points at (a stored id, or the item key of the earlier line its "key"
// names), plus how many earlier lines of the file say the same. Neither the
// batch a line falls in, its line number, its "key" label nor the file's
// name counts, and appended lines do not change the keys of earlier ones.
class LineIdentities {
 public:
  std::string ItemKeyOf(const Line& line) {
    const NewArtefact& a = line.artefact;
    std::set<std::pair<std::string, std::string>> external_ids, sources;
    for (const auto& ext : a.external_ids) external_ids.emplace(ext.system, ext.id);
    for (const auto& source : a.sources) {
      sources.emplace(RelationName(source.relation), "id:" + Lowercase(source.id));
    }
    for (const auto& [relation, label] : line.keyed_sources) {
      sources.emplace(RelationName(relation), "line:" + item_key_of_label_.at(label));
    }
    // Attributes are a dump of the parsed object: keys sorted, no spacing.
    const nlohmann::json content = {KindName(*a.kind),
                                    a.name,
                                    a.version,
                                    a.uri,
                                    Lowercase(a.sha256),
                                    a.facility,
                                    a.attributes.empty() ? "{}" : a.attributes,
                                    external_ids,
                                    sources};
    const std::string digest =
        Sha256Hex(content.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    const std::string key =
        std::string(kItemKeyPrefix) + digest + ":" + std::to_string(seen_[digest]++);
    if (!line.key.empty()) item_key_of_label_[line.key] = key;
    return key;
  }

 private:
  static constexpr char kItemKeyPrefix[] = "rmtc-import.v1:";

  static std::string Lowercase(std::string text) {
    for (char& c : text) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return text;
  }

  std::map<std::string, std::string> item_key_of_label_;
  std::map<std::string, int> seen_;  // content digest -> lines so far
};

// Reads the whole file once: every line must parse before anything is
// written. Calls `each` with every line, in order.
template <typename Each>
bool ForEachLine(const std::string& path, std::string& error, Each&& each) {
  std::ifstream in(path);
  if (!in) {
    error = path + ": cannot open";
    return false;
  }
  std::set<std::string> keys;
  std::string text;
  for (int number = 1; std::getline(in, text); ++number) {
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::string why;
    auto line = ParseLine(text, number, keys, why);
    if (!line) {
      error = path + ":" + std::to_string(number) + ": " + why;
      return false;
    }
    if (!line->key.empty()) keys.insert(line->key);
    if (!each(*line)) return false;
  }
  return true;
}

// The line behind "artefacts[N]..." in a message from the service.
std::string LocateError(const std::string& path, const std::vector<Line>& batch,
                        const std::string& message) {
  static const std::regex kItem(R"(^artefacts\[(\d+)\]\.?(.*)$)");
  std::smatch match;
  if (std::regex_match(message, match, kItem)) {
    const auto index = std::stoul(match[1].str());
    if (index < batch.size()) {
      return path + ":" + std::to_string(batch[index].number) + ": " + match[2].str();
    }
  }
  return path + ": " + message;
}

class Progress {
 public:
  Progress(std::string file, int total)
      : file_(std::move(file)), total_(total), shown_(isatty(STDERR_FILENO) == 1) {}
  void Update(int done) {
    if (!shown_) return;
    constexpr int kWidth = 30;
    const int filled = total_ > 0 ? done * kWidth / total_ : kWidth;
    std::cerr << "\rimporting " << file_ << " [" << std::string(filled, '#')
              << std::string(kWidth - filled, ' ') << "] " << done << "/" << total_
              << std::flush;
  }
  void Finish() {
    if (shown_) std::cerr << "\n";
  }

 private:
  std::string file_;
  int total_;
  bool shown_;
};

int RunImport(const Globals& globals, const ImportArgs& args) {
  std::string error;
  int total = 0;
  if (!ForEachLine(args.file, error, [&](const Line&) { return ++total, true; })) {
    return Report(globals, "import", error, kExitInvalid);
  }
  int exit_code = kExitOk;
  auto client = ConnectOrReport(globals, exit_code);
  if (!client) return exit_code;

  std::map<std::string, std::string> id_of_key;  // keys of lines already written
  LineIdentities identities;
  std::vector<Line> batch;
  std::size_t batch_bytes = 0;
  int done = 0, batches = 0, created = 0, existed = 0;
  Progress progress(args.file, total);
  // Writes `batch`. Every line carries its item key, so a line the service
  // has seen before (in an earlier run, with any batch size) comes back as
  // the artefact it made then, counted as already registered. The request
  // id is left to the client: it only makes the client's own retries safe.
  auto flush = [&]() -> bool {
    if (batch.empty()) return true;
    std::map<std::string, int> index_of_key;
    std::vector<NewArtefact> artefacts;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      NewArtefact artefact = batch[i].artefact;
      for (const auto& [relation, key] : batch[i].keyed_sources) {
        if (auto in_batch = index_of_key.find(key); in_batch != index_of_key.end()) {
          artefact.sources.push_back(Source::InBatch(relation, in_batch->second));
        } else {
          artefact.sources.push_back(Source::Stored(relation, id_of_key.at(key)));
        }
      }
      if (!batch[i].key.empty()) index_of_key[batch[i].key] = static_cast<int>(i);
      artefacts.push_back(std::move(artefact));
    }
    auto result = client->Register(artefacts);
    if (!result) {
      progress.Finish();
      error = LocateError(args.file, batch, result.error().message);
      exit_code = Report(globals, "import", Error{result.error().code, error});
      return false;
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (!batch[i].key.empty()) id_of_key[batch[i].key] = (*result)[i].artefact.id;
      ((*result)[i].existed ? existed : created)++;
    }
    done += static_cast<int>(batch.size());
    ++batches;
    progress.Update(done);
    batch.clear();
    batch_bytes = 0;
    return true;
  };
  const bool ok = ForEachLine(args.file, error, [&](const Line& line) {
    batch.push_back(line);
    batch.back().artefact.item_key = identities.ItemKeyOf(line);
    batch_bytes += RequestBytes(batch.back().artefact);
    const bool full = static_cast<int>(batch.size()) >= args.batch_size ||
                      batch_bytes >= kMaxBatchBytes;
    return !full || flush();
  });
  if (!ok || !flush()) {
    if (exit_code != kExitOk) return exit_code;
    return Report(globals, "import", error, kExitInvalid);
  }
  progress.Finish();
  if (globals.json) {
    PrintJson({{"file", args.file},
               {"lines", done},
               {"batches", batches},
               {"new", created},
               {"existed", existed}});
  } else {
    std::cout << "imported " << Count(done, "artefact") << " from " << args.file << " in "
              << Count(batches, "batch", "batches") << ": " << created << " new, "
              << existed << " already registered\n";
  }
  return kExitOk;
}

}  // namespace

void AddImportCommand(CLI::App& app, const Globals& globals, Runner& run) {
  auto args = std::make_shared<ImportArgs>();
  auto* cmd =
      app.add_subcommand("import", "Register artefacts in bulk from a JSON-lines file");
  cmd->footer(
      "Each line is one artefact:\n"
      "  {\"key\": \"plate-10\", \"kind\": \"asset\", \"name\": \"plate_0010.exr\",\n"
      "   \"sha256\": \"...\", \"uri\": \"...\", \"version\": \"...\", \"facility\": "
      "\"...\",\n"
      "   \"attributes\": {...}, \"external_ids\": [\"shotgrid:Version/1234\"],\n"
      "   \"sources\": [{\"relation\": \"derived_from\", \"key\": \"an earlier line's "
      "key\"},\n"
      "               {\"relation\": \"contains\", \"id\": \"a stored artefact's "
      "id\"}]}\n"
      "Only kind and name are required. A line may point only at earlier lines,\n"
      "so list a dataset after its members. Every line is checked before anything\n"
      "is written; each batch is one atomic write.\n\n"
      "Rerunning is safe: each line is registered once, however often the file is\n"
      "imported, with any --batch-size, after an interruption, or with lines\n"
      "appended. The summary counts what is new and what was already registered.\n"
      "Two lines are the same line when they have the same kind, name, version,\n"
      "uri, sha256 (any case), facility, attributes (as JSON: key order and\n"
      "spacing do not count), external ids and sources (in any order; a source\n"
      "by key counts as the line it names, compared the same way). The \"key\"\n"
      "label, the line's number and the file's name do not count. If a file\n"
      "holds the same line n times, that is n artefacts, the same n on every\n"
      "run. An edited line is a new line: it is registered as a new artefact and\n"
      "the old one stays. A line with a sha256 is also the same artefact as any\n"
      "stored one of its kind and digest.\n\n"
      "Example:\n  rmtc import plates.jsonl --batch-size 1000\n");
  cmd->add_option("file", args->file, "The JSON-lines file")->required();
  cmd->add_option("--batch-size", args->batch_size,
                  "Artefacts per write (a write also ends at about 8 MiB)")
      ->check(CLI::Range(1, kMaxBatch))
      ->capture_default_str();
  cmd->callback([&globals, &run, args] {
    run = [&globals, args] { return RunImport(globals, *args); };
  });
}

}  // namespace rmtc::cli
