// The zero-config default under kill -9: rmtcd with --data-dir (its own
// PostgreSQL in there) is killed twice while a pipeline tool registers
// batches through the client library, and restarted on the same data dir
// and the same unix socket. Every acknowledged record must be found, once.
// Links librmtc and no server code, as a pipeline tool would.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>

#include "rmtc/client.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace rmtc {
namespace {

using Clock = std::chrono::steady_clock;
using testing::RmtcdProcess;
using testing::TempDir;

constexpr char kRmtcd[] = RMTCD_PATH;
constexpr int kItemsPerBatch = 20;
constexpr int kKills = 2;
// Batches acknowledged by each rmtcd before it is killed, and by the last.
constexpr int kBatchesPerLife = 25;

bool WaitUntil(const std::function<bool()>& done, std::chrono::seconds limit) {
  const auto deadline = Clock::now() + limit;
  while (!done()) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

std::string ItemName(int batch, int item) {
  return "embedded-b" + std::to_string(batch) + "-i" + std::to_string(item);
}

// What the tool was told: name -> id.
class Acknowledged {
 public:
  void Add(const std::vector<Registered>& items) {
    std::lock_guard lock(mu_);
    for (const auto& item : items) ids_[item.artefact.name] = item.artefact.id;
    ++batches_;
  }
  int Batches() const {
    std::lock_guard lock(mu_);
    return batches_;
  }
  std::map<std::string, std::string> Ids() const {
    std::lock_guard lock(mu_);
    return ids_;
  }
  void Problem(std::string what) {
    std::lock_guard lock(mu_);
    problems_ += "  " + what + "\n";
  }
  std::string Problems() const {
    std::lock_guard lock(mu_);
    return problems_;
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::string> ids_;
  int batches_ = 0;
  std::string problems_;
};

// Registers batches until stopped, each retried under its request id until
// acknowledged (the client library retries UNAVAILABLE a few times itself;
// a restart of rmtcd and its PostgreSQL can take longer). A batch begun is
// finished before the tool stops, so every batch tried is acknowledged;
// it gives up a minute after being asked to stop, or after three minutes.
void Ingest(std::stop_token stop, const Client& client, Acknowledged& acknowledged,
            std::atomic<int>& unavailable) {
  const auto deadline = Clock::now() + std::chrono::minutes(3);
  std::optional<Clock::time_point> stopping;
  for (int batch = 0; !stop.stop_requested(); ++batch) {
    std::vector<NewArtefact> items(kItemsPerBatch);
    for (int i = 0; i < kItemsPerBatch; ++i) {
      items[i].kind = Kind::kAsset;
      items[i].name = ItemName(batch, i);
      items[i].attributes = R"({"batch": )" + std::to_string(batch) + "}";
    }
    const WriteOptions options{.request_id = "embedded-b" + std::to_string(batch)};
    for (;;) {
      auto registered = client.Register(items, options);
      if (registered.ok()) {
        acknowledged.Add(*registered);
        break;
      }
      if (registered.error().code != ErrorCode::kUnavailable) {
        acknowledged.Problem("batch " + std::to_string(batch) + ": " +
                             ErrorCodeName(registered.error().code) + ": " +
                             registered.error().message);
      }
      ++unavailable;
      if (stop.stop_requested() && !stopping) stopping = Clock::now();
      if (Clock::now() > deadline ||
          (stopping && Clock::now() > *stopping + std::chrono::minutes(1))) {
        acknowledged.Problem("batch " + std::to_string(batch) +
                             ": not acknowledged in time");
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

// The pid in the first line of the cluster's postmaster.pid; -1 if none.
pid_t PostmasterPid(const std::filesystem::path& data_dir) {
  std::ifstream in(data_dir / "postgres" / "postmaster.pid");
  long pid = -1;
  in >> pid;
  return static_cast<pid_t>(pid);
}

// Kills rmtcd `kKills` times under load (with its PostgreSQL too, if
// `postgres_too`: a container killed, the OOM killer), restarting it each
// time, then checks what is stored against what was acknowledged.
void KillAndRestartUnderLoad(bool postgres_too) {
  TempDir dir;
  const std::string socket = "unix:" + (dir.path() / "rmtcd.sock").string();
  const std::vector<std::string> args = {"--data-dir", (dir.path() / "data").string(),
                                         "--listen", socket};
  std::string error;
  auto server = RmtcdProcess::Start(kRmtcd, args, &error);
  ASSERT_NE(server, nullptr) << error;
  ASSERT_EQ(server->address(), socket);
  auto client = Client::Connect({.address = socket, .timeout = std::chrono::seconds(30)});
  ASSERT_TRUE(client.ok()) << client.error().message;

  Acknowledged acknowledged;
  std::atomic<int> unavailable = 0;
  std::vector<std::string> restarts;
  {
    std::jthread tool(Ingest, std::cref(*client), std::ref(acknowledged),
                      std::ref(unavailable));
    for (int round = 1; round <= kKills; ++round) {
      const int before = acknowledged.Batches();
      ASSERT_TRUE(
          WaitUntil([&] { return acknowledged.Batches() >= before + kBatchesPerLife; },
                    std::chrono::seconds(90)))
          << "no progress: " << acknowledged.Problems() << server->output();
      if (postgres_too) {
        const pid_t postmaster = PostmasterPid(dir.path() / "data");
        ASSERT_GT(postmaster, 0);
        ASSERT_EQ(kill(postmaster, SIGKILL), 0);
      }
      ASSERT_EQ(server->Stop(SIGKILL), -SIGKILL);
      const auto killed = Clock::now();
      // Its PostgreSQL shuts down when it sees rmtcd die; the new rmtcd waits
      // for that, recovers the cluster and serves on the same socket.
      server = RmtcdProcess::Start(kRmtcd, args, &error);
      ASSERT_NE(server, nullptr) << error;
      ASSERT_EQ(server->address(), socket);
      const auto listening = Clock::now();
      const int acked_then = acknowledged.Batches();
      // How long the tool takes to be answered again (its channel's
      // reconnection backoff), within the time allowed for progress below.
      WaitUntil([&] { return acknowledged.Batches() > acked_then; },
                std::chrono::seconds(90));
      char line[200];
      std::snprintf(line, sizeof line,
                    "%.1f s to listen again after kill -9, %.1f s more to the next "
                    "acknowledgement",
                    std::chrono::duration<double>(listening - killed).count(),
                    std::chrono::duration<double>(Clock::now() - listening).count());
      restarts.push_back(line);
    }
    const int before = acknowledged.Batches();
    ASSERT_TRUE(
        WaitUntil([&] { return acknowledged.Batches() >= before + kBatchesPerLife; },
                  std::chrono::seconds(90)))
        << "no progress after the last restart: " << acknowledged.Problems()
        << server->output();
  }  // the tool finishes its batch and stops
  EXPECT_EQ(acknowledged.Problems(), "");

  // Everything stored under these names, through a new client.
  auto reader = Client::Connect({.address = socket, .timeout = std::chrono::seconds(30)});
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  std::map<std::string, std::string> stored;
  int rows = 0;
  ListOptions page{.name_contains = "embedded-b", .page_size = 1000};
  for (;;) {
    auto listed = reader->List(page);
    ASSERT_TRUE(listed.ok()) << listed.error().message;
    for (const auto& artefact : listed->artefacts) {
      stored[artefact.name] = artefact.id;
      ++rows;
    }
    if (listed->next_page_token.empty()) break;
    page.page_token = listed->next_page_token;
  }
  const auto acked = acknowledged.Ids();
  EXPECT_EQ(rows, static_cast<int>(stored.size())) << "an item is stored twice";
  EXPECT_EQ(acked.size(),
            static_cast<std::size_t>(acknowledged.Batches() * kItemsPerBatch));
  EXPECT_TRUE(stored == acked) << stored.size() << " stored, " << acked.size()
                               << " acknowledged";
  int checked = 0;
  for (const auto& [name, id] : acked) {
    if (++checked % 25 != 0) continue;
    auto artefact = reader->Get(id);
    ASSERT_TRUE(artefact.ok()) << name << ": " << artefact.error().message;
    EXPECT_EQ(artefact->name, name);
  }
  EXPECT_EQ(server->Stop(SIGTERM), 0) << server->output();

  std::printf(
      "[ fault    ] %d batches acknowledged, %d calls UNAVAILABLE after the client's "
      "own retries\n",
      acknowledged.Batches(), unavailable.load());
  for (const auto& r : restarts) std::printf("[ fault    ] restart: %s\n", r.c_str());
}

TEST(EmbeddedKilled, EveryAcknowledgedRecordSurvivesKillAndRestart) {
  KillAndRestartUnderLoad(/*postgres_too=*/false);
}

// PostgreSQL recovers from its log; with synchronous commits (the embedded
// default is durable) nothing acknowledged is lost.
TEST(EmbeddedKilled, AlsoWhenItsPostgresIsKilledWithIt) {
  KillAndRestartUnderLoad(/*postgres_too=*/true);
}

}  // namespace
}  // namespace rmtc
