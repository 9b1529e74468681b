// PostgreSQL stopped and started again under load, rmtcd left running: calls
// during the outage answer UNAVAILABLE and nothing else, calls succeed again
// once the database is back, and every write acknowledged with OK is stored.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <pqxx/pqxx>
#include <random>
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
constexpr int kWriters = 3;
constexpr int kReaders = 3;
// Small and large writes: a large one is more often cut off in the middle
// of its transaction by the shutdown.
constexpr int kItemsPerWrite[kWriters] = {5, 50, 200};
// Writes certainly inside their transactions when the database stops: the
// test holds uncommitted rows that they wait for. Half wait in a statement
// (the claim of their request id), half in a COPY (of their external id).
// Whether libpq reports such a cut-off write as an error of the statement
// or as a lost connection is a race, so there are several of each.
constexpr int kHeldPerKind = 4;
// Room for the held writes and the rest of the load.
constexpr char kPoolSize[] = "16";
// How long the database stays down once rmtcd has noticed.
constexpr auto kOutage = std::chrono::seconds(3);

// What the writers were told, and ids the readers can ask about.
class Acknowledged {
 public:
  void Add(const std::string& id, const std::string& name) {
    std::lock_guard lock(mu_);
    ids_.push_back(id);
    names_.push_back(name);
  }
  std::string Any(std::mt19937& random) const {
    std::lock_guard lock(mu_);
    return ids_[std::uniform_int_distribution<std::size_t>(0, ids_.size() - 1)(random)];
  }
  std::pair<std::vector<std::string>, std::vector<std::string>> All() const {
    std::lock_guard lock(mu_);
    return {ids_, names_};
  }

 private:
  mutable std::mutex mu_;
  std::vector<std::string> ids_;
  std::vector<std::string> names_;
};

// Counts OK answers to calls that started after a moment, per worker.
class Progress {
 public:
  explicit Progress(int workers) : ok_since_(workers) {}
  void Ok(int worker, Clock::time_point started) {
    std::lock_guard lock(mu_);
    if (started >= since_) ++ok_since_[worker];
  }
  // Restarts the count from now.
  void Reset() {
    std::lock_guard lock(mu_);
    since_ = Clock::now();
    for (auto& n : ok_since_) n = 0;
  }
  // Every worker had at least `n` OK answers since the last Reset.
  bool AllAtLeast(int n) const {
    std::lock_guard lock(mu_);
    for (int k : ok_since_) {
      if (k < n) return false;
    }
    return true;
  }

 private:
  mutable std::mutex mu_;
  Clock::time_point since_ = Clock::now();
  std::vector<int> ok_since_;
};

// A pipeline tool writing small batches: each one retried under its
// request id until it is acknowledged, as the API asks for UNAVAILABLE.
void Write(std::stop_token stop, int writer, const std::string& address, CallLog& log,
           Progress& progress, Acknowledged& acknowledged) {
  auto stub = v1::Lineage::NewStub(OpenChannel(address));
  for (int n = 0; !stop.stop_requested(); ++n) {
    v1::RegisterArtefactsRequest request;
    const std::string key =
        "outage-w" + std::to_string(writer) + "-n" + std::to_string(n);
    request.set_request_id(key);
    for (int i = 0; i < kItemsPerWrite[writer]; ++i) {
      auto* item = request.add_artefacts();
      item->set_kind(v1::KIND_ASSET);
      item->set_name(key + "-i" + std::to_string(i));
    }
    while (!stop.stop_requested()) {
      v1::RegisterArtefactsResponse response;
      auto context = DeadlineIn(std::chrono::seconds(60));
      const auto started = Clock::now();
      const grpc::Status status =
          stub->RegisterArtefacts(context.get(), request, &response);
      log.Add({"RegisterArtefacts", status.error_code(), status.error_message(), started,
               Clock::now()});
      if (status.ok()) {
        for (const auto& item : response.artefacts()) {
          acknowledged.Add(item.artefact().id(), item.artefact().name());
        }
        progress.Ok(writer, started);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
}

// A write retried until acknowledged; its first attempt waits inside its
// transaction on a row the test holds uncommitted, until the shutdown ends
// both.
void WriteHeld(std::stop_token stop, const std::string& address,
               const v1::RegisterArtefactsRequest& request, const std::string& method,
               CallLog& log, Acknowledged& acknowledged, std::atomic<int>& done) {
  auto stub = v1::Lineage::NewStub(OpenChannel(address));
  while (!stop.stop_requested()) {
    v1::RegisterArtefactsResponse response;
    auto context = DeadlineIn(std::chrono::seconds(60));
    const auto started = Clock::now();
    const grpc::Status status =
        stub->RegisterArtefacts(context.get(), request, &response);
    log.Add({method, status.error_code(), status.error_message(), started, Clock::now()});
    if (status.ok()) {
      for (const auto& item : response.artefacts()) {
        acknowledged.Add(item.artefact().id(), item.artefact().name());
      }
      ++done;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// A TD's tools reading: an artefact, its trace, a page of the list.
void Read(std::stop_token stop, int reader, int worker, const std::string& address,
          CallLog& log, Progress& progress, const Acknowledged& acknowledged) {
  auto stub = v1::Lineage::NewStub(OpenChannel(address));
  std::mt19937 random(static_cast<unsigned>(reader));
  for (int n = 0; !stop.stop_requested(); ++n) {
    auto context = DeadlineIn(std::chrono::seconds(60));
    const auto started = Clock::now();
    grpc::Status status;
    std::string method;
    switch (n % 3) {
      case 0: {
        method = "GetArtefact";
        v1::GetArtefactRequest request;
        request.set_id(acknowledged.Any(random));
        v1::Artefact response;
        status = stub->GetArtefact(context.get(), request, &response);
        break;
      }
      case 1: {
        method = "Trace";
        v1::TraceRequest request;
        request.set_id(acknowledged.Any(random));
        v1::TraceResponse response;
        status = stub->Trace(context.get(), request, &response);
        break;
      }
      default: {
        method = "ListArtefacts";
        v1::ListArtefactsRequest request;
        request.set_name_contains("outage-w" + std::to_string(reader % kWriters));
        request.set_page_size(50);
        v1::ListArtefactsResponse response;
        status = stub->ListArtefacts(context.get(), request, &response);
        break;
      }
    }
    log.Add({method, status.error_code(), status.error_message(), started, Clock::now()});
    if (status.ok()) progress.Ok(worker, started);
    std::this_thread::sleep_for(std::chrono::milliseconds(status.ok() ? 2 : 20));
  }
}

TEST(DatabaseOutageUnderLoad, UnavailableDuringTheOutageAndNothingAcknowledgedIsLost) {
  TestCluster cluster;
  const std::string url = cluster.CreateDatabase();
  std::string error;
  auto server = RmtcdProcess::Start(
      kRmtcd, {"--database-url", url, "--database-pool", kPoolSize}, &error);
  ASSERT_NE(server, nullptr) << error;
  const std::string address = server->address();

  // Something for the readers to read from the first call on.
  Acknowledged acknowledged;
  std::string seed_id;
  {
    auto stub = v1::Lineage::NewStub(OpenChannel(address));
    v1::RegisterArtefactsRequest request;
    auto* item = request.add_artefacts();
    item->set_kind(v1::KIND_DATASET);
    item->set_name("outage-seed");
    v1::RegisterArtefactsResponse response;
    auto context = DeadlineIn(std::chrono::seconds(60));
    ASSERT_TRUE(stub->RegisterArtefacts(context.get(), request, &response).ok());
    seed_id = response.artefacts(0).artefact().id();
    acknowledged.Add(seed_id, "outage-seed");
  }

  const auto zero = Clock::now();
  CallLog log;
  Progress progress(kWriters + kReaders);
  {
    // Writes held inside their transactions at the stop (below); declared
    // before the workers, which are stopped and joined first on any exit.
    std::vector<v1::RegisterArtefactsRequest> held(2 * kHeldPerKind);
    std::atomic<int> held_done = 0;
    std::vector<std::jthread> workers;
    for (int w = 0; w < kWriters; ++w) {
      workers.emplace_back(Write, w, address, std::ref(log), std::ref(progress),
                           std::ref(acknowledged));
    }
    for (int r = 0; r < kReaders; ++r) {
      workers.emplace_back(Read, r, kWriters + r, address, std::ref(log),
                           std::ref(progress), std::cref(acknowledged));
    }
    ASSERT_TRUE(
        WaitUntil([&] { return progress.AllAtLeast(10); }, std::chrono::seconds(60)))
        << log.Summary();

    // Writes that wait inside their transactions, on rows the test
    // inserted and has not committed.
    auto holder = std::make_unique<pqxx::connection>(url);
    auto claim = std::make_unique<pqxx::work>(*holder);
    for (int k = 0; k < kHeldPerKind; ++k) {
      const std::string in_statement = "outage-held-claim-" + std::to_string(k);
      // Claimed for the principal the writes run as (the only token).
      claim->exec0(
          "INSERT INTO write_request (request_id, method, digest, principal) VALUES ('" +
          in_statement +
          "', 'RegisterArtefacts', '\\x00',"
          " (SELECT name FROM access_token))");
      held[2 * k].set_request_id(in_statement);
      auto* item = held[2 * k].add_artefacts();
      item->set_kind(v1::KIND_ASSET);
      item->set_name(in_statement + "-i0");

      const std::string in_copy = "outage-held-copy-" + std::to_string(k);
      claim->exec0(
          "INSERT INTO external_id (system, value, artefact_id) VALUES ('outage', '" +
          in_copy + "', '" + seed_id + "')");
      held[2 * k + 1].set_request_id(in_copy);
      item = held[2 * k + 1].add_artefacts();
      item->set_kind(v1::KIND_ASSET);
      item->set_name(in_copy + "-i0");
      auto* tag = item->add_external_ids();
      tag->set_system("outage");
      tag->set_id(in_copy);
    }
    for (std::size_t h = 0; h < held.size(); ++h) {
      workers.emplace_back(WriteHeld, address, std::cref(held[h]),
                           h % 2 == 0 ? "RegisterArtefacts(held in a statement)"
                                      : "RegisterArtefacts(held in a COPY)",
                           std::ref(log), std::ref(acknowledged), std::ref(held_done));
    }
    ASSERT_TRUE(WaitUntil(
        [&] {
          return TestCluster::Query(
                     url,
                     "SELECT count(*) FROM pg_stat_activity WHERE datname ="
                     " current_database() AND wait_event_type = 'Lock'") ==
                 std::to_string(held.size());
        },
        std::chrono::seconds(30), std::chrono::milliseconds(20)))
        << "the held writes did not reach their transactions";

    // The outage: stopped (a fast shutdown ends every connection, rmtcd's
    // and the claim's), kept down until rmtcd's health says so and for a few
    // seconds more.
    const auto stopping = Clock::now();
    cluster.Stop();
    const auto stopped = Clock::now();
    claim.reset();  // its connection is gone: nothing to roll back
    holder.reset();
    EXPECT_TRUE(WaitUntil([&] { return HealthOf(address) == 2; },
                          std::chrono::seconds(30), std::chrono::milliseconds(100)))
        << "rmtcd's health did not turn NOT_SERVING";
    std::this_thread::sleep_for(kOutage);
    const auto starting = Clock::now();
    cluster.Start();
    const auto started = Clock::now();

    // Back: every worker gets answers again, without restarting rmtcd.
    progress.Reset();
    ASSERT_TRUE(WaitUntil(
        [&] { return progress.AllAtLeast(10) && held_done == 2 * kHeldPerKind; },
        std::chrono::seconds(60)))
        << "calls did not succeed again after the database came back: " << log.Summary()
        << "\n"
        << server->output();
    EXPECT_TRUE(WaitUntil([&] { return HealthOf(address) == 1; },
                          std::chrono::seconds(30), std::chrono::milliseconds(100)))
        << "rmtcd's health did not turn SERVING again";
    // Recovered: from here on every call must succeed (no stale connection
    // of before the outage may show).
    const auto recovered = Clock::now();
    progress.Reset();
    EXPECT_TRUE(
        WaitUntil([&] { return progress.AllAtLeast(10); }, std::chrono::seconds(60)))
        << log.Summary();
    workers.clear();  // stop and join

    const auto calls = log.Calls();
    std::vector<CallLog::Call> unexpected, ok_during_outage, unavailable_outside,
        after_recovery;
    int unavailable_during_outage = 0;
    for (const auto& call : calls) {
      const bool inside = call.started >= stopped && call.ended <= starting;
      const bool overlaps = call.ended >= stopping && call.started <= started;
      if (call.code == grpc::StatusCode::OK) {
        // Nothing can succeed while no database runs.
        if (inside) ok_during_outage.push_back(call);
      } else if (call.code == grpc::StatusCode::UNAVAILABLE) {
        if (inside) ++unavailable_during_outage;
        if (!overlaps) unavailable_outside.push_back(call);
      } else {
        unexpected.push_back(call);
      }
      if (call.code != grpc::StatusCode::OK && call.started > recovered) {
        after_recovery.push_back(call);
      }
    }
    EXPECT_TRUE(unexpected.empty()) << "answers other than OK and UNAVAILABLE:\n"
                                    << Describe(unexpected, stopping);
    EXPECT_TRUE(ok_during_outage.empty()) << "OK while the database was down:\n"
                                          << Describe(ok_during_outage, stopping);
    EXPECT_TRUE(unavailable_outside.empty())
        << "UNAVAILABLE for calls outside the outage:\n"
        << Describe(unavailable_outside, stopping);
    EXPECT_TRUE(after_recovery.empty()) << "failures after recovery:\n"
                                        << Describe(after_recovery, stopping);
    EXPECT_GE(unavailable_during_outage, kWriters + kReaders)
        << "the outage was not exercised: " << log.Summary();

    auto ms = [&](Clock::time_point t) {
      return static_cast<long>(
          std::chrono::duration_cast<std::chrono::milliseconds>(t - zero).count());
    };
    std::printf(
        "[ fault    ] stop %ld..%ld ms, start %ld..%ld ms, serving again by %ld ms; "
        "calls: %s\n%s",
        ms(stopping), ms(stopped), ms(starting), ms(started), ms(recovered),
        log.Summary().c_str(), log.Messages().c_str());
  }

  // Nothing acknowledged was lost.
  const auto [ids, names] = acknowledged.All();
  EXPECT_EQ(
      TestCluster::Query(url, "SELECT count(*) FROM artefact a JOIN unnest(" +
                                  SqlArray(ids, "uuid") + ", " + SqlArray(names, "text") +
                                  ") AS given(id, name) ON a.id = given.id"
                                  " AND a.name = given.name"),
      std::to_string(ids.size()))
      << "acknowledged writes are missing";
  // Retries under one request id wrote nothing twice, and nothing was
  // stored that was not acknowledged.
  EXPECT_EQ(
      TestCluster::Query(url, "SELECT count(*) - count(DISTINCT name) FROM artefact"),
      "0");
  EXPECT_EQ(TestCluster::Query(url, "SELECT count(*) FROM artefact"),
            std::to_string(ids.size()));
  EXPECT_EQ(server->Stop(SIGTERM), 0) << server->output();
}

}  // namespace
}  // namespace rmtc::faults
