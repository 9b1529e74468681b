// End to end, issue 10 §4 "memory": one caller's big requests or unread
// answers must not take rmtcd's memory without bound, nor keep it. The real
// rmtcd with its default limits, a real PostgreSQL, real gRPC; rmtcd's
// resident memory is sampled from /proc/<pid>/status throughout.
//
// The loads are the issue's, scaled to run in about a minute: batches of
// large-attribute artefacts from 8 clients at once, and 40 connections that
// ask for a page of 1,000 such artefacts (~62 MB unbounded) and never read
// the answer. rmtcd must stay under kRssCeiling, give the memory back
// afterwards, refuse an oversized request naming its limit without writing,
// and keep serving other callers while the readers stall.
#include <arpa/inet.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include "rmtc/v1/lineage.grpc.pb.h"
#include "support/process.h"
#include "support/test_cluster.h"

namespace rmtc {
namespace {

using testing::RmtcdProcess;
using testing::TestCluster;
using Clock = std::chrono::steady_clock;

constexpr char kRmtcd[] = RMTCD_PATH;

// What rmtcd may hold at most under these loads (docs/operations.md,
// "Memory"), and what it must come back under once they end.
constexpr long kRssCeilingKiB = 512 * 1024;
constexpr long kRssRecoveredKiB = 192 * 1024;
// Attributes of ~60 KiB: near the 64 KiB limit, like the issue's.
constexpr std::size_t kAttributeBytes = 60 * 1024;
// Items per batch that fit the default request limit (16 MiB).
constexpr int kBatchItems = 200;
constexpr long kMiB = 1024 * 1024;

// One cluster for the whole program: starting PostgreSQL takes seconds.
TestCluster& Cluster() {
  static TestCluster* cluster = new TestCluster;
  return *cluster;
}

std::shared_ptr<grpc::Channel> Channel(const std::string& address, int id = 0) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(256 * 1024 * 1024);
  args.SetMaxSendMessageSize(256 * 1024 * 1024);
  args.SetInt("rmtc.test.connection", id);  // a connection of its own per id
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

std::unique_ptr<grpc::ClientContext> Context(int seconds = 60) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
  context->AddMetadata("authorization", "Bearer " + testing::TestToken());
  return context;
}

// A JSON object of about kAttributeBytes, different for every `tag`.
std::string Attributes(const std::string& tag) {
  std::string blob(kAttributeBytes, 'a' + static_cast<char>(tag.size() % 26));
  return "{\"tag\":\"" + tag + "\",\"blob\":\"" + blob + "\"}";
}

v1::RegisterArtefactsRequest Batch(const std::string& prefix, int items) {
  v1::RegisterArtefactsRequest request;
  for (int i = 0; i < items; ++i) {
    auto* a = request.add_artefacts();
    a->set_kind(v1::KIND_ASSET);
    a->set_name(prefix + "-" + std::to_string(i));
    a->set_attributes(Attributes(a->name()));
  }
  return request;
}

grpc::Status Register(v1::Lineage::Stub& stub,
                      const v1::RegisterArtefactsRequest& batch) {
  v1::RegisterArtefactsResponse response;
  return stub.RegisterArtefacts(Context().get(), batch, &response);
}

// How many artefacts have `name` in their name (every page, default size).
int CountNamed(v1::Lineage::Stub& stub, const std::string& name) {
  int count = 0;
  v1::ListArtefactsRequest request;
  request.set_name_contains(name);
  for (;;) {
    v1::ListArtefactsResponse page;
    const auto status = stub.ListArtefacts(Context().get(), request, &page);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (!status.ok()) return -1;
    count += page.artefacts_size();
    if (page.next_page_token().empty()) return count;
    request.set_page_token(page.next_page_token());
  }
}

// rmtcd's resident set, in KiB (VmRSS); 0 once it has gone.
long RssKiB(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
  }
  return 0;
}

// Samples a process's RSS every 20 ms and keeps the peak.
class RssSampler {
 public:
  explicit RssSampler(pid_t pid) : pid_(pid), thread_([this] { Run(); }) {}
  ~RssSampler() {
    stop_ = true;
    thread_.join();
  }
  long peak_kib() const { return peak_; }
  long now_kib() const { return RssKiB(pid_); }
  void ResetPeak() { peak_ = RssKiB(pid_); }
  // Waits up to `timeout` for the RSS to fall to `kib` or below; the last
  // sample.
  long WaitBelow(long kib, std::chrono::seconds timeout) const {
    const auto end = Clock::now() + timeout;
    long rss = now_kib();
    while (rss > kib && Clock::now() < end) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      rss = now_kib();
    }
    return rss;
  }

 private:
  void Run() {
    while (!stop_) {
      peak_ = std::max(peak_.load(), RssKiB(pid_));
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  const pid_t pid_;
  std::atomic<bool> stop_{false};
  std::atomic<long> peak_{0};
  std::thread thread_;
};

std::unique_ptr<RmtcdProcess> StartRmtcd(std::vector<std::string> args = {}) {
  args.insert(args.begin(), {"--database-url", Cluster().CreateDatabase()});
  std::string error;
  auto server = RmtcdProcess::Start(kRmtcd, args, &error);
  EXPECT_NE(server, nullptr) << error;
  return server;
}

// --- HTTP/2 by hand: a caller that asks and never reads ---------------------

void AppendFrame(std::string& out, std::uint8_t type, std::uint8_t flags,
                 std::uint32_t stream, const std::string& payload) {
  const std::size_t n = payload.size();
  out += {static_cast<char>(n >> 16), static_cast<char>(n >> 8), static_cast<char>(n),
          static_cast<char>(type), static_cast<char>(flags)};
  out += {static_cast<char>(stream >> 24), static_cast<char>(stream >> 16),
          static_cast<char>(stream >> 8), static_cast<char>(stream)};
  out += payload;
}

// An HPACK string literal (no Huffman): a 7-bit prefix length, the bytes.
void AppendHpackString(std::string& out, const std::string& text) {
  std::size_t n = text.size();
  if (n < 127) {
    out.push_back(static_cast<char>(n));
  } else {
    out.push_back(static_cast<char>(127));
    for (n -= 127; n >= 128; n >>= 7) out.push_back(static_cast<char>((n & 0x7f) | 0x80));
    out.push_back(static_cast<char>(n));
  }
  out += text;
}

// One TCP connection that sends a ListArtefacts call, then never reads a
// byte and never opens its flow-control window: rmtcd can send the first
// 64 KiB, and must hold (or drop) the rest of the answer itself.
class SilentCaller {
 public:
  SilentCaller(int port, const v1::ListArtefactsRequest& request) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    int small = 4096;  // the kernel must not soak the answer up either
    setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      ADD_FAILURE() << "cannot connect to port " << port;
      return;
    }
    std::string headers;
    const std::pair<std::string, std::string> fields[] = {
        {":method", "POST"},
        {":scheme", "http"},
        {":path", "/rmtc.v1.Lineage/ListArtefacts"},
        {":authority", "127.0.0.1:" + std::to_string(port)},
        {"content-type", "application/grpc"},
        {"te", "trailers"},
        {"authorization", "Bearer " + testing::TestToken()}};
    for (const auto& [name, value] : fields) {
      headers.push_back(0);  // literal without indexing, new name
      AppendHpackString(headers, name);
      AppendHpackString(headers, value);
    }
    const std::string message = request.SerializeAsString();
    std::string data(1, '\0');
    const std::uint32_t n = static_cast<std::uint32_t>(message.size());
    data += {static_cast<char>(n >> 24), static_cast<char>(n >> 16),
             static_cast<char>(n >> 8), static_cast<char>(n)};
    data += message;
    std::string wire = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    AppendFrame(wire, 0x4, 0, 0, "");         // SETTINGS: the defaults
    AppendFrame(wire, 0x1, 0x4, 1, headers);  // HEADERS, END_HEADERS
    AppendFrame(wire, 0x0, 0x1, 1, data);     // DATA, END_STREAM
    EXPECT_EQ(send(fd_, wire.data(), wire.size(), 0), static_cast<ssize_t>(wire.size()));
  }
  ~SilentCaller() {
    if (fd_ >= 0) close(fd_);
  }
  SilentCaller(const SilentCaller&) = delete;
  SilentCaller& operator=(const SilentCaller&) = delete;

 private:
  int fd_ = -1;
};

int PortOf(const std::string& address) {
  return std::stoi(address.substr(address.rfind(':') + 1));
}

// --- The request bound ------------------------------------------------------

TEST(RequestBound, AnOversizedBatchIsRefusedNamingTheLimitAndWritesNothing) {
  auto server = StartRmtcd();
  ASSERT_NE(server, nullptr);
  auto stub = v1::Lineage::NewStub(Channel(server->address()));
  // 300 x 60 KiB: ~18 MB, over the default 16 MiB.
  const auto status = Register(*stub, Batch("oversized", 300));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << status.error_message();
  EXPECT_NE(status.error_message().find("16777216"), std::string::npos)
      << status.error_message();
  EXPECT_EQ(CountNamed(*stub, "oversized"), 0);
  // Just under the limit is accepted and written.
  ASSERT_TRUE(Register(*stub, Batch("fits", kBatchItems)).ok());
  EXPECT_EQ(CountNamed(*stub, "fits"), kBatchItems);
}

// --- Large writes -----------------------------------------------------------

TEST(MemoryCeiling, LargeAttributeBatchesStayUnderTheCeilingAndComeBack) {
  auto server = StartRmtcd();
  ASSERT_NE(server, nullptr);
  RssSampler rss(server->pid());
  const long baseline = rss.now_kib();
  // 8 clients at once (as many as rmtcd's workers), each sending batches of
  // ~12 MB, and one of them a batch of ~60 MB that must be refused.
  constexpr int kClients = 8;
  constexpr int kBatchesEach = 2;
  std::atomic<int> written{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      auto stub = v1::Lineage::NewStub(Channel(server->address(), c + 1));
      if (c == 0) {
        const auto status = Register(*stub, Batch("huge", 1000));
        if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) ++refused;
      }
      for (int b = 0; b < kBatchesEach; ++b) {
        const auto status = Register(
            *stub, Batch("w" + std::to_string(c) + "b" + std::to_string(b), kBatchItems));
        EXPECT_TRUE(status.ok()) << status.error_message();
        if (status.ok()) written += kBatchItems;
      }
    });
  }
  for (auto& client : clients) client.join();
  const long peak = rss.peak_kib();
  const long after = rss.WaitBelow(kRssRecoveredKiB, std::chrono::seconds(15));
  std::printf("large batches: rss baseline %ld MiB, peak %ld MiB, after %ld MiB\n",
              baseline / 1024, peak / 1024, after / 1024);
  EXPECT_EQ(written, kClients * kBatchesEach * kBatchItems);
  EXPECT_EQ(refused, 1);
  EXPECT_LT(peak, kRssCeilingKiB) << "peak RSS " << peak / 1024 << " MiB";
  EXPECT_LT(after, kRssRecoveredKiB) << "RSS after the load " << after / 1024 << " MiB";
}

// --- Unread answers -----------------------------------------------------------

TEST(MemoryCeiling, SilentReadersOfLargePagesStayUnderTheCeilingAndOthersAreServed) {
  // Every caller here presents the test's one token, so the per-principal
  // limit (tests/e2e/limits_test.cpp) would refuse all but 8 of them: off,
  // so that this measures the memory bounds alone, under 40 open pages.
  auto server = StartRmtcd({"--max-calls-per-principal", "0"});
  ASSERT_NE(server, nullptr);
  auto stub = v1::Lineage::NewStub(Channel(server->address()));
  // 1,000 artefacts of ~60 KiB: a page of 1,000 would be ~62 MB.
  for (int b = 0; b < 5; ++b) {
    ASSERT_TRUE(Register(*stub, Batch("seed" + std::to_string(b), kBatchItems)).ok());
  }
  RssSampler rss(server->pid());
  const long baseline = rss.WaitBelow(kRssRecoveredKiB, std::chrono::seconds(15));
  rss.ResetPeak();
  v1::ListArtefactsRequest big_page;
  big_page.set_page_size(1000);
  {
    std::vector<std::unique_ptr<SilentCaller>> silent;
    for (int i = 0; i < 40; ++i) {
      silent.push_back(
          std::make_unique<SilentCaller>(PortOf(server->address()), big_page));
    }
    // Meanwhile another caller is served, promptly.
    auto other = v1::Lineage::NewStub(Channel(server->address(), 99));
    double slowest_ms = 0;
    for (int i = 0; i < 20; ++i) {
      const auto start = Clock::now();
      v1::ListArtefactsRequest small;
      small.set_page_size(5);
      v1::ListArtefactsResponse page;
      const auto status = other->ListArtefacts(Context(15).get(), small, &page);
      slowest_ms = std::max(
          slowest_ms,
          std::chrono::duration<double, std::milli>(Clock::now() - start).count());
      EXPECT_TRUE(status.ok()) << status.error_message();
      EXPECT_EQ(page.artefacts_size(), 5);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    std::printf("silent readers: slowest other call %.0f ms\n", slowest_ms);
    // It queues behind the 40 pages (one each, 4 MiB); unbounded, it waited
    // over 10 s.
    EXPECT_LT(slowest_ms, 5000);
  }  // the silent callers hang up
  const long peak = rss.peak_kib();
  const long after = rss.WaitBelow(kRssRecoveredKiB, std::chrono::seconds(15));
  std::printf("silent readers: rss baseline %ld MiB, peak %ld MiB, after %ld MiB\n",
              baseline / 1024, peak / 1024, after / 1024);
  EXPECT_LT(peak, kRssCeilingKiB) << "peak RSS " << peak / 1024 << " MiB";
  EXPECT_LT(after, kRssRecoveredKiB) << "RSS after the load " << after / 1024 << " MiB";
}

// --- Pages cut by bytes -------------------------------------------------------

// Every page fits the budget; the token continues exactly where the cut
// happened: all artefacts, each once, oldest first.
TEST(ResponseBudget, PagesAreCutByBytesAndContinueExactly) {
  auto server = StartRmtcd({"--max-response-bytes", std::to_string(1 * kMiB)});
  ASSERT_NE(server, nullptr);
  auto stub = v1::Lineage::NewStub(Channel(server->address()));
  std::vector<std::string> registered;
  for (int b = 0; b < 2; ++b) {
    v1::RegisterArtefactsResponse response;
    ASSERT_TRUE(stub->RegisterArtefacts(Context().get(),
                                        Batch("cut" + std::to_string(b), 60), &response)
                    .ok());
    for (const auto& r : response.artefacts()) registered.push_back(r.artefact().id());
  }
  v1::ListArtefactsRequest request;
  request.set_page_size(1000);
  std::vector<std::string> listed;
  int pages = 0;
  for (;;) {
    v1::ListArtefactsResponse page;
    const auto status = stub->ListArtefacts(Context().get(), request, &page);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ++pages;
    EXPECT_LE(page.ByteSizeLong(), static_cast<std::size_t>(kMiB));
    for (const auto& a : page.artefacts()) listed.push_back(a.id());
    if (page.next_page_token().empty()) break;
    EXPECT_GT(page.artefacts_size(), 1);  // cut by bytes, not one by one
    request.set_page_token(page.next_page_token());
  }
  // Each once: the artefacts of one batch share a time, and list by id.
  std::sort(registered.begin(), registered.end());
  std::sort(listed.begin(), listed.end());
  EXPECT_EQ(listed, registered);
  EXPECT_GE(pages, 8);  // 120 x ~60 KiB in pages of at most 1 MiB
}

// A page always holds at least one item, so that paging moves on: an item
// larger than the budget comes back alone.
TEST(ResponseBudget, AnItemLargerThanTheBudgetComesBackAlone) {
  auto server = StartRmtcd({"--max-response-bytes", "32768"});
  ASSERT_NE(server, nullptr);
  auto stub = v1::Lineage::NewStub(Channel(server->address()));
  ASSERT_TRUE(Register(*stub, Batch("alone", 3)).ok());
  v1::ListArtefactsRequest request;
  std::vector<int> sizes;
  for (;;) {
    v1::ListArtefactsResponse page;
    ASSERT_TRUE(stub->ListArtefacts(Context().get(), request, &page).ok());
    sizes.push_back(page.artefacts_size());
    if (page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
  EXPECT_EQ(sizes, (std::vector<int>{1, 1, 1}));
}

}  // namespace
}  // namespace rmtc

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  rmtc::testing::TestToken();
  return RUN_ALL_TESTS();
}
