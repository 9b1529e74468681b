// The public C++ client library against a real rmtcd. Links librmtc and no
// other RMTC code, as a pipeline tool would.
#include "rmtc/client.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "support/process.h"
#include "support/shared_rmtcd.h"
#include "support/temp_dir.h"

namespace rmtc {
namespace {

constexpr char kRmtcd[] = RMTCD_PATH;

Client Connected() {
  auto client = Client::Connect({.address = testing::SharedRmtcd::Get().address()});
  EXPECT_TRUE(client.ok()) << client.error().message;
  return *std::move(client);
}

NewArtefact Item(Kind kind, std::string name) {
  NewArtefact a;
  a.kind = kind;
  a.name = std::move(name);
  return a;
}

TEST(Client, ConnectFailsFastWhenNothingListens) {
  // The default timeout is 30 s: a refused connection must not wait it out.
  for (const std::string address : {"127.0.0.1:1", "unix:/nonexistent.sock"}) {
    const auto started = std::chrono::steady_clock::now();
    auto client = Client::Connect({.address = address});
    ASSERT_FALSE(client.ok()) << address;
    EXPECT_EQ(client.error().code, ErrorCode::kUnavailable);
    EXPECT_NE(client.error().message.find("cannot reach rmtcd at " + address),
              std::string::npos)
        << client.error().message;
    // Only the default address is the one script/server starts.
    EXPECT_EQ(client.error().message.find("script/server"), std::string::npos);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2))
        << address;
  }
}

TEST(Client, ConnectRefusesAMalformedAddressAtOnce) {
  for (const std::string address :
       {"127.0.0.1", "http://127.0.0.1:50051", "127.0.0.1:0", "127.0.0.1:70000", "[::1",
        "::1:50051", "unix:", ""}) {
    const auto started = std::chrono::steady_clock::now();
    auto client = Client::Connect({.address = address});
    ASSERT_FALSE(client.ok()) << address;
    EXPECT_EQ(client.error().code, ErrorCode::kInvalidArgument) << address;
    EXPECT_EQ(client.error().message.rfind("address: ", 0), 0u) << client.error().message;
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(500));
  }
  // The forms gRPC dials pass the check (and are refused: nothing listens).
  for (const std::string address :
       {"[::1]:1", "localhost:1", "dns:localhost:1", "ipv4:127.0.0.1:1,127.0.0.1:2",
        "ipv6:[::1]:1", "unix-abstract:rmtc-nothing-here"}) {
    auto client =
        Client::Connect({.address = address, .timeout = std::chrono::seconds(5)});
    ASSERT_FALSE(client.ok()) << address;
    EXPECT_EQ(client.error().code, ErrorCode::kUnavailable)
        << address << ": " << client.error().message;
  }
}

TEST(Client, RegistersRecordsAndTracesInPlainCpp) {
  const Client client = Connected();
  auto plate = Item(Kind::kAsset, "client plate");
  plate.sha256 = std::string(64, '7');
  plate.attributes = R"({"frame": 1001})";
  plate.external_ids = {{"ftrack", "client-test/plate"}};
  auto set = Item(Kind::kDataset, "client plates");
  set.sources = {Source::InBatch(Relation::kContains, 0)};
  auto registered = client.Register({plate, set});
  ASSERT_TRUE(registered.ok()) << registered.error().message;
  ASSERT_EQ(registered->size(), 2u);
  const Artefact& dataset = (*registered)[1].artefact;
  EXPECT_EQ(dataset.kind, Kind::kDataset);
  EXPECT_FALSE(dataset.created_by.empty());
  EXPECT_LT(std::chrono::system_clock::now() - dataset.created_at,
            std::chrono::minutes(5));

  TrainingRun run{Item(Kind::kRun, "client run"),
                  {dataset.id},
                  {},
                  {},
                  {Item(Kind::kWeights, "client.ckpt")}};
  run.run.kind.reset();  // implied
  run.weights[0].kind.reset();
  auto recorded = client.RecordTrainingRun(run);
  ASSERT_TRUE(recorded.ok()) << recorded.error().message;
  EXPECT_EQ(recorded->weights.at(0).artefact.kind, Kind::kWeights);

  Inference inference{Item(Kind::kInference, "client inference"),
                      {recorded->weights[0].artefact.id},
                      {(*registered)[0].artefact.id},
                      {Item(Kind::kAsset, "client out.exr")}};
  auto inferred = client.RecordInference(inference);
  ASSERT_TRUE(inferred.ok()) << inferred.error().message;
  const std::string output = inferred->outputs.at(0).artefact.id;

  auto trace = client.Trace(output);
  ASSERT_TRUE(trace.ok()) << trace.error().message;
  EXPECT_FALSE(trace->partial);
  ASSERT_EQ(trace->nodes.size(), 6u);
  EXPECT_EQ(trace->nodes.front().artefact.id, output);
  EXPECT_EQ(trace->nodes.back().artefact.id, dataset.id);
  EXPECT_EQ(trace->edges.size(), 6u);

  auto page = client.Trace(output, {.max_nodes = 2});
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->partial);
  auto rest =
      client.Trace(output, {.max_nodes = 100, .page_token = page->next_page_token});
  ASSERT_TRUE(rest.ok()) << rest.error().message;
  EXPECT_EQ(page->nodes.size() + rest->nodes.size(), 6u);

  auto got = client.Get(dataset.id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->name, "client plates");
  auto by_digest = client.FindBySha256(std::string(64, '7'), Kind::kAsset);
  ASSERT_TRUE(by_digest.ok());
  ASSERT_EQ(by_digest->size(), 1u);
  EXPECT_EQ((*by_digest)[0].attributes, R"({"frame": 1001})");
  auto by_ext = client.FindByExternalId({"ftrack", "client-test/plate"});
  ASSERT_TRUE(by_ext.ok());
  EXPECT_EQ(by_ext->size(), 1u);
  auto listed = client.List({.kind = Kind::kWeights, .name_contains = "CLIENT.ckpt"});
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->artefacts.size(), 1u);
  auto healthy = client.Healthy();
  ASSERT_TRUE(healthy.ok());
  EXPECT_TRUE(*healthy);
}

TEST(Client, ErrorsCarryTheCodeAndTheFieldNamingMessage) {
  const Client client = Connected();
  auto bad = Item(Kind::kAsset, "x");
  bad.sha256 = "123";
  auto refused = client.Register({Item(Kind::kAsset, "fine"), bad});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(refused.error().message,
            "artefacts[1].sha256: '123' is not 64 hex digits (3 characters given)");
  EXPECT_STREQ(ErrorCodeName(refused.error().code), "INVALID_ARGUMENT");
  auto missing = client.Get("0190c4d2-7b1e-7c3a-9f00-123456789abc");
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST(Client, RequestIdsMakeWritesRepeatable) {
  const Client client = Connected();
  auto first = client.Register({Item(Kind::kModel, "repeatable")}, {"client-test-req-1"});
  auto second =
      client.Register({Item(Kind::kModel, "repeatable")}, {"client-test-req-1"});
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ((*first)[0].artefact.id, (*second)[0].artefact.id);
  auto others = client.List({.kind = Kind::kModel, .name_contains = "repeatable"});
  EXPECT_EQ(others->artefacts.size(), 1u);
}

TEST(Client, OneClientServesManyThreads) {
  const Client client = Connected();
  constexpr int kThreads = 8, kEach = 25;
  std::atomic<int> failures = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t, copy = client] {
      for (int i = 0; i < kEach; ++i) {
        auto a =
            Item(Kind::kAsset, "threaded " + std::to_string(t) + "/" + std::to_string(i));
        a.facility = "client-threads";
        if (!copy.Register({a}).ok()) ++failures;
        if (!client.List({.facility = "client-threads", .page_size = 5}).ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  int count = 0;
  ListOptions options{.facility = "client-threads", .page_size = 1000};
  auto page = client.List(options);
  ASSERT_TRUE(page.ok());
  count = static_cast<int>(page->artefacts.size());
  EXPECT_EQ(count, kThreads * kEach);
}

// A port nothing listens on now, for a server that starts later.
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

TEST(Client, RetriesUnavailableUntilRmtcdIsBack) {
  testing::TempDir dir;
  const std::string address = "127.0.0.1:" + std::to_string(FreePort());
  const std::vector<std::string> args = {"--data-dir", (dir.path() / "d").string(),
                                         "--listen", address};
  std::string error;
  auto first = testing::RmtcdProcess::Start(kRmtcd, args, &error);
  ASSERT_NE(first, nullptr) << error;
  // The timeout bounds the whole call, retries included: room for a restart.
  auto client = Client::Connect({.address = address,
                                 .timeout = std::chrono::seconds(90),
                                 .max_attempts = 40,
                                 .initial_backoff = std::chrono::milliseconds(100)});
  ASSERT_TRUE(client.ok());
  EXPECT_EQ(first->Stop(), 0);

  // rmtcd comes back a moment later; the write, already retrying, lands once.
  std::unique_ptr<testing::RmtcdProcess> second =
      testing::RmtcdProcess::Launch(kRmtcd, args);
  std::thread waiter([&] { second->WaitUntilListening(&error); });
  auto written = client->Register({Item(Kind::kDataset, "written across a restart")});
  waiter.join();
  ASSERT_TRUE(written.ok()) << written.error().message;
  auto listed = client->List({.name_contains = "written across a restart"});
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->artefacts.size(), 1u);
}

TEST(Client, RetriesEndWithinTheCallsTimeout) {
  testing::TempDir dir;
  std::string error;
  auto server = testing::RmtcdProcess::Start(
      kRmtcd, {"--data-dir", (dir.path() / "d").string()}, &error);
  ASSERT_NE(server, nullptr) << error;
  // Backoff alone (50 ms doubling, 8 attempts) would wait over 3 s.
  auto client = Client::Connect({.address = server->address(),
                                 .timeout = std::chrono::seconds(1),
                                 .max_attempts = 8,
                                 .initial_backoff = std::chrono::milliseconds(50)});
  ASSERT_TRUE(client.ok()) << client.error().message;
  ASSERT_EQ(server->Stop(), 0);
  const auto started = std::chrono::steady_clock::now();
  auto listed = client->List();
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(listed.ok());
  EXPECT_TRUE(listed.error().code == ErrorCode::kUnavailable ||
              listed.error().code == ErrorCode::kDeadlineExceeded)
      << ErrorCodeName(listed.error().code);
  EXPECT_LT(took, std::chrono::milliseconds(1500));
}

}  // namespace
}  // namespace rmtc

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new rmtc::testing::SharedRmtcd(RMTCD_PATH));
  return RUN_ALL_TESTS();
}
