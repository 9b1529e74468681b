// rmtc-bench: RMTC measured against the raw database, in one run on one
// machine. Starts a real rmtcd (zero-config: its own PostgreSQL), generates
// a synthetic studio graph, and measures
//   - ingest through rmtcd (1 and 4 clients) against COPY straight into
//     PostgreSQL through libpqxx (the same rows);
//   - upstream trace latency through rmtcd, the same recursive SQL run
//     directly, and a breadth-first walk with one query per hop (what ML
//     Metadata and the RMTC Python reference do);
//   - use-check latency; impact latency from a core dataset;
//   - rmtcd's peak resident memory.
// Prints a table (or --json). docs/performance.md records a run.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <random>
#include <set>
#include <thread>

#include "rmtc/client.h"
#include "store/sql.h"
#include "studio_graph.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace rmtc::bench {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

struct Options {
  std::int64_t nodes = 100'000;
  std::uint64_t seed = 42;
  int traces = 1000;
  int checks = 300;
  int batch = 5000;
  std::string rmtcd = RMTCD_PATH;
  std::string data_dir;
  bool json = false;
};

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }
double Millis(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

struct Latency {
  double p50 = 0, p99 = 0, max = 0;
  static Latency Of(std::vector<double> ms) {
    if (ms.empty()) return {};
    std::sort(ms.begin(), ms.end());
    auto at = [&](double q) {
      return ms[std::min(ms.size() - 1, static_cast<std::size_t>(q * ms.size()))];
    };
    return {at(0.50), at(0.99), ms.back()};
  }
};

std::string NewUuid(std::mt19937_64& random) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) s.push_back('-');
    s.push_back(kHex[random() & 15]);
  }
  s[14] = '4';
  return s;
}

// Registers `graph` through rmtcd in batches; returns the id of every item.
std::vector<std::string> IngestThroughService(const Client& client,
                                              const StudioGraph& graph, int batch,
                                              const std::string& tag) {
  std::vector<std::string> ids(graph.items.size());
  for (std::size_t start = 0; start < graph.items.size(); start += batch) {
    const std::size_t end = std::min(graph.items.size(), start + batch);
    std::vector<NewArtefact> artefacts;
    artefacts.reserve(end - start);
    for (std::size_t i = start; i < end; ++i) {
      const Item& item = graph.items[i];
      NewArtefact a{.kind = item.kind, .name = item.name, .sha256 = item.sha256};
      for (const auto& [relation, source] : item.sources) {
        if (static_cast<std::size_t>(source) >= start) {
          a.sources.push_back(
              Source::InBatch(relation, static_cast<int>(source - start)));
        } else {
          a.sources.push_back(Source::Stored(relation, ids[source]));
        }
      }
      artefacts.push_back(std::move(a));
    }
    auto result = client.Register(artefacts, {tag + "-" + std::to_string(start)});
    if (!result) {
      throw std::runtime_error("ingest failed: " + result.error().message);
    }
    for (std::size_t i = start; i < end; ++i) ids[i] = (*result)[i - start].artefact.id;
  }
  return ids;
}

// The same rows, COPY'd straight into a copy of the tables (schema "raw").
void IngestRaw(pqxx::connection& db, const StudioGraph& graph, int batch) {
  std::mt19937_64 random(7);
  std::vector<std::string> ids(graph.items.size());
  for (auto& id : ids) id = NewUuid(random);
  for (std::size_t start = 0; start < graph.items.size(); start += batch) {
    const std::size_t end = std::min(graph.items.size(), start + batch);
    pqxx::work tx(db);
    {
      pqxx::stream_to artefacts(tx, "raw.artefact",
                                std::vector<std::string>{"id", "kind", "name", "sha256",
                                                         "created_by", "attributes"});
      for (std::size_t i = start; i < end; ++i) {
        const Item& item = graph.items[i];
        const std::string sha = "\\x" + item.sha256;
        artefacts << std::make_tuple(
            ids[i].c_str(), std::string(KindName(item.kind)).c_str(), item.name.c_str(),
            item.sha256.empty() ? nullptr : sha.c_str(), "bench", "{}");
      }
      artefacts.complete();
    }
    {
      pqxx::stream_to edges(
          tx, "raw.edge",
          std::vector<std::string>{"derived_id", "source_id", "relation"});
      for (std::size_t i = start; i < end; ++i) {
        for (const auto& [relation, source] : graph.items[i].sources) {
          edges << std::make_tuple(ids[i], ids[source],
                                   std::string(RelationName(relation)));
        }
      }
      edges.complete();
    }
    tx.commit();
  }
}

// Licences on every dataset and asset, and consents on 1% of the assets:
// set-up for the use checks, written directly (not what is measured).
void AttachLicences(pqxx::connection& db, const StudioGraph& graph,
                    const std::vector<std::string>& ids) {
  pqxx::work tx(db);
  {
    pqxx::stream_to attachments(
        tx, "licence_attachment",
        std::vector<std::string>{"artefact_id", "expression", "licence_ids",
                                 "attribution", "attached_at"});
    for (std::size_t i = 0; i < graph.items.size(); ++i) {
      const Item& item = graph.items[i];
      if (item.licence.empty()) continue;
      attachments << std::make_tuple(ids[i], item.licence, "{" + item.licence + "}",
                                     std::string("Artist ") + std::to_string(i % 97),
                                     std::string("2020-01-01 00:00:00+00"));
    }
    attachments.complete();
  }
  {
    pqxx::stream_to consents(
        tx, "consent",
        std::vector<std::string>{"artefact_id", "party", "ai_training", "effective_at"});
    for (std::size_t i = 0; i < graph.items.size(); i += 100) {
      if (graph.items[i].kind != Kind::kAsset || graph.items[i].licence.empty()) continue;
      consents << std::make_tuple(ids[i], "Artist " + std::to_string(i % 97),
                                  std::string(i % 300 == 0 ? "notAllowed" : "allowed"),
                                  std::string("2021-01-01 00:00:00+00"));
    }
    consents.complete();
  }
  tx.commit();
}

void CreateRawTables(pqxx::connection& db) {
  pqxx::work tx(db);
  tx.exec(
      "DROP SCHEMA IF EXISTS raw CASCADE; CREATE SCHEMA raw;"
      " CREATE TABLE raw.artefact (LIKE public.artefact INCLUDING ALL);"
      " CREATE TABLE raw.edge (LIKE public.edge INCLUDING ALL);"
      " ALTER TABLE raw.edge ADD FOREIGN KEY (derived_id) REFERENCES raw.artefact (id),"
      "                      ADD FOREIGN KEY (source_id) REFERENCES raw.artefact (id);");
  tx.commit();
}

// ML Metadata's shape: one query per hop over the frontier.
std::size_t WalkPerHop(pqxx::connection& db, const std::string& root) {
  pqxx::nontransaction tx(db);
  std::set<std::string> seen = {root};
  std::vector<std::string> frontier = {root};
  while (!frontier.empty()) {
    std::string array = "{";
    for (std::size_t i = 0; i < frontier.size(); ++i)
      array += (i ? "," : "") + frontier[i];
    array += "}";
    const auto rows = tx.exec_params(
        "SELECT a.id::text, a.kind::text, a.name, e.relation::text, e.derived_id::text"
        " FROM edge e JOIN artefact a ON a.id = e.source_id"
        " WHERE e.derived_id = ANY ($1::uuid[])",
        array);
    frontier.clear();
    for (const auto& row : rows) {
      if (seen.insert(row[0].c_str()).second) frontier.emplace_back(row[0].c_str());
    }
  }
  return seen.size();
}

long PeakRssKib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

int Run(const Options& options) {
  testing::TempDir scratch;
  const std::string data_dir =
      options.data_dir.empty() ? (scratch.path() / "data").string() : options.data_dir;
  std::string error;
  auto rmtcd = testing::RmtcdProcess::Start(
      options.rmtcd, {"--data-dir", data_dir, "--database-pool", "8"}, &error);
  if (!rmtcd) {
    std::cerr << "rmtc-bench: " << error << "\n";
    return 1;
  }
  const std::string conninfo =
      "host='" + data_dir + "/run' port=5432 user=rmtc dbname=rmtc";
  pqxx::connection db(conninfo);
  auto client =
      Client::Connect({.address = rmtcd->address(), .timeout = std::chrono::minutes(5)});
  if (!client) {
    std::cerr << "rmtc-bench: " << client.error().message << "\n";
    return 1;
  }
  json report = {{"nodes", options.nodes},
                 {"seed", options.seed},
                 {"cores", std::thread::hardware_concurrency()}};
  auto log = [&](const std::string& what) {
    if (!options.json) std::cerr << "[rmtc-bench] " << what << std::endl;
  };

  log("generating the studio graph");
  const StudioGraph graph = GenerateStudioGraph(options.nodes, options.seed, "g1/");
  const double rows = static_cast<double>(graph.items.size() + graph.edges);
  report["graph"] = {{"artefacts", graph.items.size()},
                     {"edges", graph.edges},
                     {"inferences", graph.inferences.size()}};

  log("ingest through rmtcd, 1 client");
  auto started = Clock::now();
  const auto ids = IngestThroughService(*client, graph, options.batch, "bench-g1");
  const double service_1 = rows / Seconds(Clock::now() - started);

  log("ingest straight into PostgreSQL with COPY");
  CreateRawTables(db);
  started = Clock::now();
  IngestRaw(db, graph, options.batch);
  const double raw = rows / Seconds(Clock::now() - started);

  log("ingest through rmtcd, 4 clients");
  std::vector<StudioGraph> parts;
  for (int c = 0; c < 4; ++c) {
    parts.push_back(GenerateStudioGraph(options.nodes / 4, options.seed + 100 + c,
                                        "g4-" + std::to_string(c) + "/"));
  }
  double rows_4 = 0;
  for (const auto& p : parts) rows_4 += static_cast<double>(p.items.size() + p.edges);
  started = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < 4; ++c) {
    threads.emplace_back([&, c] {
      auto own = Client::Connect(
          {.address = rmtcd->address(), .timeout = std::chrono::minutes(5)});
      IngestThroughService(*own, parts[c], options.batch,
                           "bench-g4-" + std::to_string(c));
    });
  }
  for (auto& t : threads) t.join();
  const double service_4 = rows_4 / Seconds(Clock::now() - started);
  report["ingest"] = {{"service_1_client_rows_per_s", service_1},
                      {"service_4_clients_rows_per_s", service_4},
                      {"raw_copy_rows_per_s", raw},
                      {"ratio_service_to_raw", service_1 / raw}};

  log("licences and consents (set-up)");
  AttachLicences(db, graph, ids);
  // What autovacuum does soon after a bulk load in production: statistics,
  // and the visibility map that lets walks be index-only scans.
  { pqxx::nontransaction(db).exec("VACUUM (ANALYZE)"); }

  std::mt19937_64 random(options.seed);
  auto pick = [&](const std::vector<std::int64_t>& from, int n) {
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i) out.push_back(ids[from[random() % from.size()]]);
    return out;
  };
  const auto trace_roots = pick(graph.inferences, options.traces);

  log("upstream traces");
  std::vector<double> service_ms, sql_ms, hop_ms;
  std::vector<double> sizes;
  // As rmtcd runs it (PgLineageStore::PrepareStatements).
  db.set_variable("plan_cache_mode", "force_custom_plan");
  db.prepare("trace", rmtc::store::sql::kTraceUpstream);
  for (const auto& root : trace_roots) {
    auto t0 = Clock::now();
    auto traced = client->Trace(root, {.max_nodes = 100000});
    service_ms.push_back(Millis(Clock::now() - t0));
    if (!traced) throw std::runtime_error("trace failed: " + traced.error().message);
    sizes.push_back(static_cast<double>(traced->nodes.size()));
    t0 = Clock::now();
    {
      pqxx::nontransaction tx(db);
      tx.exec_prepared("trace", root, 100000, "{}", -1,
                       "00000000-0000-0000-0000-000000000000", 100001);
    }
    sql_ms.push_back(Millis(Clock::now() - t0));
    t0 = Clock::now();
    WalkPerHop(db, root);
    hop_ms.push_back(Millis(Clock::now() - t0));
  }
  const auto service_trace = Latency::Of(service_ms), sql_trace = Latency::Of(sql_ms),
             hop_trace = Latency::Of(hop_ms);
  std::sort(sizes.begin(), sizes.end());
  report["trace"] = {
      {"samples", trace_roots.size()},
      {"upstream_nodes_median", sizes[sizes.size() / 2]},
      {"upstream_nodes_max", sizes.back()},
      {"service_ms", {{"p50", service_trace.p50}, {"p99", service_trace.p99}}},
      {"raw_sql_ms", {{"p50", sql_trace.p50}, {"p99", sql_trace.p99}}},
      {"per_hop_ms", {{"p50", hop_trace.p50}, {"p99", hop_trace.p99}}},
      {"ratio_service_to_raw_p99", service_trace.p99 / sql_trace.p99}};

  log("use checks");
  std::vector<double> check_ms;
  std::map<std::string, int> verdicts;
  for (const auto& id : pick(graph.outputs, options.checks)) {
    const auto t0 = Clock::now();
    auto check = client->CheckUse(id, IntendedUse::kCommercialProduction);
    check_ms.push_back(Millis(Clock::now() - t0));
    if (!check) throw std::runtime_error("check failed: " + check.error().message);
    ++verdicts[std::string(VerdictName(check->verdict))];
  }
  const auto check_latency = Latency::Of(check_ms);
  report["check"] = {{"samples", check_ms.size()},
                     {"ms", {{"p50", check_latency.p50}, {"p99", check_latency.p99}}},
                     {"verdicts", verdicts}};

  log("impact from a core dataset");
  std::vector<double> impact_ms;
  std::int64_t impact_total = 0;
  for (int i = 0; i < 3; ++i) {
    const auto t0 = Clock::now();
    auto impact = client->Impact({.artefact_id = ids[graph.core_datasets[0]]}, 1000);
    impact_ms.push_back(Millis(Clock::now() - t0));
    if (!impact) throw std::runtime_error("impact failed: " + impact.error().message);
    impact_total = impact->total;
  }
  std::sort(impact_ms.begin(), impact_ms.end());
  report["impact"] = {{"downstream", impact_total}, {"ms_median", impact_ms[1]}};
  report["rmtcd_peak_rss_mib"] = static_cast<double>(PeakRssKib(rmtcd->pid())) / 1024.0;

  if (options.json) {
    std::cout << report.dump(2) << "\n";
    return 0;
  }
  std::printf(
      "rmtc-bench: %lld artefacts, %lld edges, seed %llu, %u cores\n",
      static_cast<long long>(graph.items.size()), static_cast<long long>(graph.edges),
      static_cast<unsigned long long>(options.seed), std::thread::hardware_concurrency());
  std::printf("%-40s %14s %14s %10s\n", "measure", "rmtcd", "raw database", "ratio");
  std::printf("%-40s %14.0f %14.0f %10.2f\n", "ingest, rows/s (1 client; raw: COPY)",
              service_1, raw, service_1 / raw);
  std::printf("%-40s %14.0f %14s %10s\n", "ingest, rows/s (4 clients)", service_4, "",
              "");
  std::printf("%-40s %14.2f %14.2f %10.2f\n", "trace p50, ms", service_trace.p50,
              sql_trace.p50, service_trace.p50 / sql_trace.p50);
  std::printf("%-40s %14.2f %14.2f %10.2f\n", "trace p99, ms", service_trace.p99,
              sql_trace.p99, service_trace.p99 / sql_trace.p99);
  std::printf("%-40s %14.2f %14.2f %10s\n", "trace p50/p99, ms: one query per hop",
              hop_trace.p50, hop_trace.p99, "");
  std::printf("%-40s %14.0f %14.0f %10s\n", "trace size, nodes (median, max)",
              sizes[sizes.size() / 2], sizes.back(), "");
  std::printf("%-40s %14.2f %14.2f %10s\n", "use check p50 / p99, ms", check_latency.p50,
              check_latency.p99, "");
  std::printf("%-40s %14.1f %14lld %10s\n", "impact, ms (median of 3) / downstream",
              impact_ms[1], static_cast<long long>(impact_total), "");
  std::printf("%-40s %14.1f %14s %10s\n", "rmtcd peak RSS, MiB",
              report["rmtcd_peak_rss_mib"].get<double>(), "", "");
  return 0;
}

}  // namespace
}  // namespace rmtc::bench

int main(int argc, char** argv) {
  rmtc::bench::Options options;
  CLI::App app(
      "rmtc-bench - RMTC measured against the raw database on this machine.\n"
      "Starts a real rmtcd with its own PostgreSQL in a scratch directory, generates a\n"
      "synthetic studio graph and measures ingest, traces, use checks, impact and "
      "memory.\n\n"
      "Example:\n  rmtc-bench --nodes 1000000 --json > bench.json\n",
      "rmtc-bench");
  app.add_option("--nodes", options.nodes, "Artefacts in the generated graph")
      ->check(CLI::Range(1000, 100'000'000))
      ->capture_default_str();
  app.add_option("--seed", options.seed, "Seed of the generator")->capture_default_str();
  app.add_option("--traces", options.traces, "Traces to time")->capture_default_str();
  app.add_option("--checks", options.checks, "Use checks to time")->capture_default_str();
  app.add_option("--batch", options.batch, "Artefacts per write")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  app.add_option("--rmtcd", options.rmtcd, "The rmtcd binary")->capture_default_str();
  app.add_option("--data-dir", options.data_dir,
                 "Keep the data here (default: a scratch dir)");
  app.add_flag("--json", options.json, "One JSON document instead of the table");
  CLI11_PARSE(app, argc, argv);
  try {
    return rmtc::bench::Run(options);
  } catch (const std::exception& e) {
    std::cerr << "rmtc-bench: " << e.what() << "\n";
    return 1;
  }
}
