// kill -9 of rmtcd while four clients ingest batches into an external
// PostgreSQL (a TestCluster, which outlives rmtcd). A write is one
// transaction, so every batch must be wholly stored or wholly absent after
// the kill; retrying the unacknowledged batches under their request ids on a
// new rmtcd must leave exactly one copy of every item.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <map>
#include <set>
#include <stop_token>
#include <thread>

#include "faults/fault_support.h"
#include "rmtc/v1/lineage.grpc.pb.h"
#include "support/process.h"
#include "support/test_cluster.h"

namespace rmtc::faults {
namespace {

using testing::RmtcdProcess;
using testing::TestCluster;

constexpr char kRmtcd[] = RMTCD_PATH;
constexpr int kClients = 4;
constexpr int kBatchesPerClient = 100;
constexpr int kKills = 3;
// Items 0..198 are assets; the last is a dataset that contains them, so a
// batch is rows in artefact, edge and write_request.
constexpr int kItemsPerBatch = 200;
static_assert(kItemsPerBatch == 200, "the SQL below counts 200 rows a batch");
constexpr int kBatches = kClients * kBatchesPerClient;
constexpr int kItems = kBatches * kItemsPerBatch;
// Everything the clients do must end by then (ctest's TIMEOUT is longer).
constexpr auto kClientsLimit = std::chrono::seconds(150);

std::string BatchKey(int client, int batch) {
  return "c" + std::to_string(client) + "-b" + std::to_string(batch);
}
std::string RequestId(int client, int batch) {
  return "fault-" + BatchKey(client, batch);
}
std::string ItemName(int client, int batch, int item) {
  return BatchKey(client, batch) + "-i" + std::to_string(item);
}

v1::RegisterArtefactsRequest Batch(int client, int batch) {
  v1::RegisterArtefactsRequest request;
  request.set_request_id(RequestId(client, batch));
  request.set_created_by("fault-client-" + std::to_string(client));
  for (int i = 0; i + 1 < kItemsPerBatch; ++i) {
    auto* asset = request.add_artefacts();
    asset->set_kind(v1::KIND_ASSET);
    asset->set_name(ItemName(client, batch, i));
  }
  auto* dataset = request.add_artefacts();
  dataset->set_kind(v1::KIND_DATASET);
  dataset->set_name(ItemName(client, batch, kItemsPerBatch - 1));
  for (int i = 0; i + 1 < kItemsPerBatch; ++i) {
    auto* source = dataset->add_sources();
    source->set_relation(v1::RELATION_CONTAINS);
    source->set_batch_index(i);
  }
  return request;
}

// What the clients were told, shared with the test's main thread.
class Ledger {
 public:
  void Acknowledge(int client, int batch, std::vector<std::string> ids) {
    std::lock_guard lock(mu_);
    acked_[{client, batch}] = std::move(ids);
  }
  std::map<std::pair<int, int>, std::vector<std::string>> Acked() const {
    std::lock_guard lock(mu_);
    return acked_;
  }
  int AckedCount() const {
    std::lock_guard lock(mu_);
    return static_cast<int>(acked_.size());
  }
  void Problem(std::string what) {
    std::lock_guard lock(mu_);
    problems_.push_back(std::move(what));
  }
  std::vector<std::string> Problems() const {
    std::lock_guard lock(mu_);
    return problems_;
  }

  std::atomic<int> in_flight{0};
  std::atomic<int> finished_clients{0};

 private:
  mutable std::mutex mu_;
  std::map<std::pair<int, int>, std::vector<std::string>> acked_;
  std::vector<std::string> problems_;
};

// One pipeline tool: registers its batches in order, retrying each until it
// is acknowledged, always under the batch's request id; then replays some
// acknowledged batches and every batch whose first attempt failed, which
// must answer exactly what was acknowledged.
void Ingest(std::stop_token stop, int client, const ServerAddress& target, CallLog& log,
            Ledger& ledger, const std::atomic<bool>& killed) {
  const auto deadline = Clock::now() + kClientsLimit;
  std::unique_ptr<v1::Lineage::Stub> stub;
  int generation = -1;
  auto call = [&](const v1::RegisterArtefactsRequest& request,
                  v1::RegisterArtefactsResponse* response) {
    if (auto [address, now] = target.Get(); now != generation) {
      stub = v1::Lineage::NewStub(OpenChannel(address));
      generation = now;
    }
    auto context = DeadlineIn(std::chrono::seconds(60));
    const auto started = Clock::now();
    ++ledger.in_flight;
    const grpc::Status status = stub->RegisterArtefacts(context.get(), request, response);
    --ledger.in_flight;
    log.Add({"RegisterArtefacts", status.error_code(), status.error_message(), started,
             Clock::now()});
    return status;
  };
  auto ids_of = [](const v1::RegisterArtefactsResponse& response) {
    std::vector<std::string> ids;
    for (const auto& item : response.artefacts()) ids.push_back(item.artefact().id());
    return ids;
  };

  std::map<int, std::vector<std::string>> acked;
  std::set<int> in_doubt;  // a failed attempt: the batch may have been stored
  for (int batch = 0; batch < kBatchesPerClient; ++batch) {
    const auto request = Batch(client, batch);
    for (;;) {
      if (stop.stop_requested() || Clock::now() > deadline) {
        ledger.Problem(BatchKey(client, batch) + ": not acknowledged in time");
        ++ledger.finished_clients;
        return;
      }
      v1::RegisterArtefactsResponse response;
      const grpc::Status status = call(request, &response);
      if (status.ok()) {
        if (response.artefacts_size() != kItemsPerBatch) {
          ledger.Problem(BatchKey(client, batch) + ": answered " +
                         std::to_string(response.artefacts_size()) + " items");
        }
        acked[batch] = ids_of(response);
        ledger.Acknowledge(client, batch, acked[batch]);
        break;
      }
      in_doubt.insert(batch);
      // Before the kill nothing may fail; after it, only "unavailable".
      if (!killed || status.error_code() != grpc::StatusCode::UNAVAILABLE) {
        ledger.Problem(BatchKey(client, batch) + (killed ? " after" : " before") +
                       " the kill: " + CodeName(status.error_code()) + ": " +
                       status.error_message());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  for (const auto& [batch, ids] : acked) {
    if (batch % 5 != 0 && !in_doubt.contains(batch)) continue;
    v1::RegisterArtefactsResponse response;
    const grpc::Status status = call(Batch(client, batch), &response);
    if (!status.ok()) {
      ledger.Problem(BatchKey(client, batch) + ": replay: " +
                     CodeName(status.error_code()) + ": " + status.error_message());
    } else if (ids_of(response) != ids) {
      ledger.Problem(BatchKey(client, batch) + ": a replay answered other ids");
    }
  }
  ++ledger.finished_clients;
}

// Connections to the database other than the one asking.
constexpr char kOtherClients[] =
    "SELECT count(*) FROM pg_stat_activity"
    " WHERE datname = current_database() AND backend_type = 'client backend'"
    " AND pid <> pg_backend_pid()";
// Batches of artefact rows that are not whole, as "c1-b7:123 ..." ("" if none).
constexpr char kPartialBatches[] =
    "SELECT coalesce(string_agg(batch || ':' || n, ' '), '') FROM ("
    "  SELECT substring(name FROM '^c[0-9]+-b[0-9]+') AS batch, count(*) AS n"
    "  FROM artefact GROUP BY 1 HAVING count(*) <> 200) AS partial";
// Datasets that do not contain exactly the 199 assets of their batch.
constexpr char kPartialDatasets[] =
    "SELECT count(*) FROM artefact a WHERE a.kind = 'dataset' AND 199 <> ("
    "  SELECT count(*) FROM edge e JOIN artefact s ON s.id = e.source_id"
    "  WHERE e.derived_id = a.id AND e.relation = 'contains'"
    "    AND substring(s.name FROM '^c[0-9]+-b[0-9]+-') ="
    "        substring(a.name FROM '^c[0-9]+-b[0-9]+-'))";
// Stored batches without their write_request row, and the reverse, and
// write_request rows that do not name all 200 results.
constexpr char kRequestMismatches[] =
    "SELECT coalesce(string_agg("
    "    coalesce(w.request_id, 'no write_request for ' || b.id), ' '), '') FROM ("
    "  SELECT DISTINCT 'fault-' || substring(name FROM '^c[0-9]+-b[0-9]+') AS id"
    "  FROM artefact) AS b"
    "  FULL JOIN write_request w ON w.request_id = b.id"
    "  WHERE b.id IS NULL OR w.request_id IS NULL OR cardinality(w.result_ids) <> 200";

TEST(RmtcdKilledDuringIngest, BatchesAreAllOrNothingAndRetriesStoreEachItemOnce) {
  TestCluster cluster;
  const std::string url = cluster.CreateDatabase();
  std::string error;
  auto first = RmtcdProcess::Start(kRmtcd, {"--database-url", url}, &error);
  ASSERT_NE(first, nullptr) << error;

  const auto zero = Clock::now();
  ServerAddress target(first->address());
  CallLog log;
  Ledger ledger;
  std::atomic<bool> killed = false;
  std::vector<std::jthread> clients;  // stopped and joined first on any exit
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back(Ingest, c, std::cref(target), std::ref(log), std::ref(ledger),
                         std::cref(killed));
  }

  // Three times: kill in the middle of the ingest (a quarter, half, three
  // quarters of the batches acknowledged, calls in flight), check what is
  // stored while no rmtcd runs, start a new rmtcd on a new port.
  std::unique_ptr<RmtcdProcess> server = std::move(first);
  std::vector<std::string> kills;
  for (int round = 1; round <= kKills; ++round) {
    ASSERT_TRUE(
        WaitUntil([&] { return ledger.AckedCount() >= round * kBatches / (kKills + 1); },
                  std::chrono::seconds(120), std::chrono::milliseconds(2)))
        << "the clients made no progress: " << log.Summary() << "\n"
        << server->output();
    WaitUntil([&] { return ledger.in_flight >= 2; }, std::chrono::seconds(5),
              std::chrono::milliseconds(1));
    const int in_flight_at_kill = ledger.in_flight;
    killed = true;
    ASSERT_EQ(server->Stop(SIGKILL), -SIGKILL);
    const auto killed_at = Clock::now();

    // The dead rmtcd's backends may still be finishing a COMMIT it sent:
    // wait until they are gone, so that what is stored now stays as it is.
    ASSERT_TRUE(WaitUntil([&] { return TestCluster::Query(url, kOtherClients) == "0"; },
                          std::chrono::seconds(60), std::chrono::milliseconds(20)))
        << "backends of the killed rmtcd did not go away";

    // No rmtcd runs: every batch is whole or absent, and every acknowledged
    // batch is stored.
    const auto acked_before = ledger.Acked();
    const int stored_before =
        std::stoi(TestCluster::Query(url, "SELECT count(*) FROM write_request"));
    EXPECT_EQ(TestCluster::Query(url, kPartialBatches), "") << "batches stored in part";
    EXPECT_EQ(TestCluster::Query(url, kPartialDatasets), "0")
        << "datasets with edges missing";
    EXPECT_EQ(TestCluster::Query(url, kRequestMismatches), "");
    EXPECT_EQ(TestCluster::Query(url, "SELECT count(*) FROM artefact"),
              std::to_string(stored_before * kItemsPerBatch));
    EXPECT_EQ(TestCluster::Query(url, "SELECT count(*) FROM edge"),
              std::to_string(stored_before * (kItemsPerBatch - 1)));
    std::vector<std::string> acked_ids;
    for (const auto& [key, ids] : acked_before) {
      acked_ids.push_back(RequestId(key.first, key.second));
    }
    EXPECT_EQ(TestCluster::Query(
                  url, "SELECT count(*) FROM write_request WHERE request_id = ANY(" +
                           SqlArray(acked_ids, "text") + ")"),
              std::to_string(acked_ids.size()))
        << "an acknowledged batch is not stored";
    char line[200];
    std::snprintf(
        line, sizeof line,
        "kill %d at %.1f s, %d calls in flight: %zu batches acknowledged, %d stored",
        round, std::chrono::duration<double>(killed_at - zero).count(), in_flight_at_kill,
        acked_before.size(), stored_before);
    kills.push_back(line);

    // A new rmtcd on the same database, on a new port; the clients follow.
    server = RmtcdProcess::Start(kRmtcd, {"--database-url", url}, &error);
    ASSERT_NE(server, nullptr) << error;
    target.Set(server->address());
  }
  ASSERT_TRUE(WaitUntil([&] { return ledger.finished_clients == kClients; },
                        kClientsLimit + std::chrono::seconds(10),
                        std::chrono::milliseconds(20)))
      << log.Summary();
  for (auto& client : clients) client.join();
  const auto finished_at = Clock::now();

  std::string problems;
  for (const auto& p : ledger.Problems()) problems += "  " + p + "\n";
  EXPECT_EQ(problems, "") << "calls: " << log.Summary();

  // Exactly one copy of every item, one write_request per batch, and the
  // ids the clients were given are the stored ones.
  EXPECT_EQ(TestCluster::Query(url, "SELECT count(*) FROM artefact"),
            std::to_string(kItems));
  EXPECT_EQ(TestCluster::Query(url, "SELECT count(DISTINCT name) FROM artefact"),
            std::to_string(kItems));
  EXPECT_EQ(TestCluster::Query(url, "SELECT count(*) FROM write_request"),
            std::to_string(kBatches));
  EXPECT_EQ(TestCluster::Query(url, "SELECT count(*) FROM edge"),
            std::to_string(kBatches * (kItemsPerBatch - 1)));
  EXPECT_EQ(TestCluster::Query(url, kPartialBatches), "");
  EXPECT_EQ(TestCluster::Query(url, kPartialDatasets), "0");
  EXPECT_EQ(TestCluster::Query(url, kRequestMismatches), "");
  const auto acked = ledger.Acked();
  ASSERT_EQ(acked.size(), static_cast<std::size_t>(kBatches));
  for (int c = 0; c < kClients; ++c) {
    std::vector<std::string> ids, names;
    for (int b = 0; b < kBatchesPerClient; ++b) {
      const auto& batch_ids = acked.at({c, b});
      for (std::size_t i = 0; i < batch_ids.size(); ++i) {
        ids.push_back(batch_ids[i]);
        names.push_back(ItemName(c, b, static_cast<int>(i)));
      }
    }
    EXPECT_EQ(TestCluster::Query(url, "SELECT count(*) FROM artefact a JOIN unnest(" +
                                          SqlArray(ids, "uuid") + ", " +
                                          SqlArray(names, "text") +
                                          ") AS given(id, name) ON a.id = given.id"
                                          " AND a.name = given.name"),
              std::to_string(ids.size()))
        << "client " << c << " was given ids that are not stored under its names";
  }
  EXPECT_EQ(server->Stop(SIGTERM), 0) << server->output();

  for (const auto& kill : kills) std::printf("[ fault    ] %s\n", kill.c_str());
  std::printf("[ fault    ] all %d batches acknowledged at %.1f s; calls: %s\n", kBatches,
              std::chrono::duration<double>(finished_at - zero).count(),
              log.Summary().c_str());
}

}  // namespace
}  // namespace rmtc::faults
