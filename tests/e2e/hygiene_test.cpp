// End to end, issue 10 §4: what one caller must not be able to do to the
// service. Secrets stay out of logs, a request cannot forge a log line, the
// unix socket is the owner's, and an abandoned call does not keep its
// query running. The real rmtcd, a real PostgreSQL, real gRPC.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "grpc/health/v1/health.grpc.pb.h"
#include "rmtc/v1/lineage.grpc.pb.h"
#include "support/process.h"
#include "support/test_cluster.h"

namespace rmtc {
namespace {

using testing::RmtcdProcess;
using testing::TempDir;
using testing::TestCluster;
using Clock = std::chrono::steady_clock;

constexpr char kRmtcd[] = RMTCD_PATH;

std::unique_ptr<v1::Lineage::Stub> Connect(const std::string& address) {
  return v1::Lineage::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
}

// One cluster for the whole program: starting PostgreSQL takes seconds.
TestCluster& Cluster() {
  static TestCluster* cluster = new TestCluster;
  return *cluster;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// --- Logs -----------------------------------------------------------------

// An id that, written raw, would end the line and start a forged one.
constexpr char kForgery[] =
    "x\n2026-12-04T10:00:00.000 critical forged: audit disabled\r\x1b[2K";

// Asks for the forged id (INVALID_ARGUMENT, logged as a warning quoting it)
// and returns everything rmtcd logged.
std::string LogOfForgedRequest(const std::string& format) {
  std::string error;
  auto server = RmtcdProcess::Start(
      kRmtcd, {"--database-url", Cluster().CreateDatabase(), "--log-format", format},
      &error);
  EXPECT_NE(server, nullptr) << error;
  if (!server) return "";
  v1::GetArtefactRequest request;
  request.set_id(kForgery);
  v1::Artefact artefact;
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + testing::TestToken());
  const auto status =
      Connect(server->address())->GetArtefact(&context, request, &artefact);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(server->Stop(), 0);
  return server->output();
}

TEST(LogHygiene, TextLogEscapesControlCharactersFromRequests) {
  const std::string log = LogOfForgedRequest("text");
  const std::regex line_start(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3} )");
  int quoting = 0;
  for (const auto& line : Lines(log)) {
    if (line.starts_with("rmtcd listening on")) continue;  // the stdout line
    EXPECT_TRUE(std::regex_search(line, line_start)) << "a line of its own: " << line;
    EXPECT_FALSE(line.starts_with("2026-12-04T10:00:00.000")) << line;
    EXPECT_EQ(line.find('\r'), std::string::npos) << line;
    EXPECT_EQ(line.find('\x1b'), std::string::npos) << line;
    if (line.find("critical forged") != std::string::npos) {
      ++quoting;
      EXPECT_NE(
          line.find(
              R"('x\n2026-12-04T10:00:00.000 critical forged: audit disabled\r\x1b[2K')"),
          std::string::npos)
          << line;
      EXPECT_NE(line.find(" warning "), std::string::npos) << line;
    }
  }
  EXPECT_EQ(quoting, 1) << log;
}

TEST(LogHygiene, JsonLogKeepsEachRecordOnOneLine) {
  const std::string log = LogOfForgedRequest("json");
  int quoting = 0;
  for (const auto& line : Lines(log)) {
    if (line.starts_with("rmtcd listening on")) continue;
    const auto record = nlohmann::json::parse(line, nullptr, false);
    ASSERT_FALSE(record.is_discarded()) << "not one JSON record: " << line;
    const std::string msg = record["msg"];
    if (msg.find("critical forged") != std::string::npos) {
      ++quoting;
      EXPECT_EQ(record["level"], "warning");
      EXPECT_NE(msg.find(kForgery), std::string::npos) << msg;
    }
  }
  EXPECT_EQ(quoting, 1) << log;
}

// --- The database password ---------------------------------------------------

// rmtcd with `args` against a database it cannot use: it must fail to
// start, say why, and show none of `secrets`.
void ExpectStartFailsWithout(std::vector<std::string> args,
                             const std::vector<std::string>& secrets,
                             const std::string& reason) {
  args.insert(args.begin(), kRmtcd);
  args.insert(args.end(), {"--listen", "127.0.0.1:0", "--connect-timeout", "0"});
  const auto run = testing::Run(args);
  const std::string output = run.out + run.err;
  EXPECT_EQ(run.exit_code, 1) << output;
  EXPECT_NE(output.find(reason), std::string::npos) << output;
  for (const auto& secret : secrets) {
    EXPECT_EQ(output.find(secret), std::string::npos) << secret << " leaked: " << output;
  }
}

TEST(PasswordHygiene, LibpqParseErrorDoesNotQuoteThePassword) {
  // libpq: invalid percent-encoded token: "S3cret%zzPW"
  ExpectStartFailsWithout(
      {"--database-url", "postgresql://rmtc:S3cret%zzPW@127.0.0.1:1/rmtc"},
      {"S3cret", "zzPW"}, "invalid percent-encoded token: \"***\"");
}

TEST(PasswordHygiene, AnAtSignInThePasswordIsRefusedWithoutShowingIt) {
  // Before: "rmtc:***@ss:S3cretPW@127.0.0.1", and libpq looked up the host
  // "ss:S3cretPW@127.0.0.1".
  ExpectStartFailsWithout(
      {"--database-url", "postgresql://rmtc:pa@ss:S3cretPW@127.0.0.1:1/rmtc"},
      {"S3cret", "pa@ss", "ss:S"}, "write it as %40");
}

TEST(PasswordHygiene, QuotedKeywordPasswordIsMaskedWhole) {
  // Before: "password=***PWh'" (a pattern stopped at the escaped quote).
  ExpectStartFailsWithout(
      {"--database-url",
       R"(host=127.0.0.1 port=1 user=rmtc password='S3cret\' PWh' dbname=rmtc)"},
      {"S3cret", "PWh"}, "using the database at");
}

TEST(PasswordHygiene, PercentEncodedPasswordIsMaskedInBothSpellings) {
  ExpectStartFailsWithout(
      {"--database-url", "postgresql://rmtc:S3cret%40PWx@127.0.0.1:1/rmtc"},
      {"S3cret", "PWx"}, "postgresql://rmtc:***@127.0.0.1:1/rmtc");
}

TEST(PasswordHygiene, PasswordFileKeepsThePasswordOffTheCommandLine) {
  TempDir dir;
  const auto file = (dir.path() / "db_password").string();
  std::ofstream(file) << "S3cretFromFile\n";
  ExpectStartFailsWithout({"--database-url", "postgresql://rmtc@127.0.0.1:1/rmtc",
                           "--database-password-file", file},
                          {"S3cretFromFile", "S3cret"}, "cannot reach the database");
  // Given twice: refused before any connection.
  ExpectStartFailsWithout({"--database-url", "postgresql://rmtc:other@127.0.0.1:1/rmtc",
                           "--database-password-file", file},
                          {"S3cretFromFile", "other@"}, "already holds a password");
  ExpectStartFailsWithout({"--database-url", "postgresql://rmtc@127.0.0.1:1/rmtc",
                           "--database-password-file", (dir.path() / "none").string()},
                          {}, "cannot read it");
}

TEST(PasswordHygiene, PasswordFileConnects) {
  // The test cluster trusts every local user, so this shows the password
  // is passed in a form libpq accepts (a broken string would not connect).
  TempDir dir;
  const auto file = (dir.path() / "db_password").string();
  std::ofstream(file) << "it's a \\ tricky one%zz\n";
  std::string error;
  auto server = RmtcdProcess::Start(
      kRmtcd,
      {"--database-url", Cluster().CreateDatabase(), "--database-password-file", file},
      &error);
  ASSERT_NE(server, nullptr) << error;
  EXPECT_EQ(server->Stop(), 0);
  EXPECT_EQ(server->output().find("tricky"), std::string::npos) << server->output();
}

// --- The unix socket -----------------------------------------------------------

TEST(SocketHygiene, UnixSocketIsOwnerOnlyUnderUmask000) {
  TempDir dir;
  const auto path = (dir.path() / "rmtcd.sock").string();
  const mode_t old_mask = umask(0);
  std::string error;
  auto server = RmtcdProcess::Start(
      kRmtcd, {"--database-url", Cluster().CreateDatabase(), "--listen", "unix:" + path},
      &error);
  umask(old_mask);
  ASSERT_NE(server, nullptr) << error;
  struct stat info {};
  ASSERT_EQ(stat(path.c_str(), &info), 0);
  EXPECT_TRUE(S_ISSOCK(info.st_mode));
  EXPECT_EQ(info.st_mode & 0777, 0700u);
  EXPECT_EQ(server->Stop(), 0);
}

// --- Abandoned queries ---------------------------------------------------------

// The id of asset `i` of the slow graph.
std::string AssetId(int i) {
  char id[40];
  std::snprintf(id, sizeof id, "00000000-0000-7000-8000-%012x", i);
  return id;
}

// A database whose upstream trace from asset 0 takes long: a chain of
// assets where each contains the next kSkips, so every asset is reached at
// many depths and the walk has millions of (asset, depth) rows to sort out.
constexpr int kAssets = 3000;
constexpr int kSkips = 8;
std::string SlowGraphDatabase() {
  const std::string url = Cluster().CreateDatabase();
  const std::string id =
      "('00000000-0000-7000-8000-' || lpad(to_hex(%s), 12, '0'))::uuid";
  auto with = [&](const std::string& arg) {
    std::string out = id;
    out.replace(out.find("%s"), 2, arg);
    return out;
  };
  TestCluster::Query(url, "INSERT INTO artefact (id, kind, name) SELECT " + with("g") +
                              ", 'asset', 'asset ' || g FROM generate_series(0, " +
                              std::to_string(kAssets) + ") g");
  TestCluster::Query(
      url, "INSERT INTO edge (derived_id, source_id, relation) SELECT " + with("g") +
               ", " + with("g + k") + ", 'contains' FROM generate_series(0, " +
               std::to_string(kAssets) + ") g, generate_series(1, " +
               std::to_string(kSkips) + ") k WHERE g + k <= " + std::to_string(kAssets));
  TestCluster::Query(url, "ANALYZE");
  return url;
}

int RunningWalks(const std::string& url) {
  return std::stoi(TestCluster::Query(
      url,
      "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
      "AND query LIKE '%WITH RECURSIVE walk%' AND pid <> pg_backend_pid()"));
}

// Waits up to `limit` for no walk to be running; how long it took.
std::chrono::milliseconds WaitForNoWalk(const std::string& url,
                                        std::chrono::milliseconds limit) {
  const auto start = Clock::now();
  while (RunningWalks(url) > 0 && Clock::now() - start < limit) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

bool WaitForWalk(const std::string& url) {
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (RunningWalks(url) == 0) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

v1::TraceRequest SlowTrace() {
  v1::TraceRequest request;
  request.set_id(AssetId(0));
  request.set_direction(v1::DIRECTION_UPSTREAM);
  return request;
}

class AbandonedQueries : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { url_ = new std::string(SlowGraphDatabase()); }
  void Start(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--database-url", *url_};
    args.insert(args.end(), extra.begin(), extra.end());
    std::string error;
    server_ = RmtcdProcess::Start(kRmtcd, args, &error);
    ASSERT_NE(server_, nullptr) << error;
    stub_ = Connect(server_->address());
  }
  static std::string* url_;
  std::unique_ptr<RmtcdProcess> server_;
  std::unique_ptr<v1::Lineage::Stub> stub_;
};
std::string* AbandonedQueries::url_ = nullptr;

TEST_F(AbandonedQueries, TheSlowTraceIsSlow) {
  // The premise of the tests below: unbounded, this trace runs for longer
  // than they wait (a 2 s deadline and 1.5 s more), so a walk gone within
  // that time was stopped, not finished.
  Start({"--max-statement-seconds", "6"});
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + testing::TestToken());
  v1::TraceResponse response;
  const auto start = Clock::now();
  const auto status = stub_->Trace(&context, SlowTrace(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
      << status.error_message();
  EXPECT_GE(Clock::now() - start, std::chrono::milliseconds(5900));
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(8)) << "--max-statement-seconds";
  EXPECT_LT(WaitForNoWalk(*url_, std::chrono::seconds(2)), std::chrono::seconds(2));
  EXPECT_EQ(server_->Stop(), 0);
}

TEST_F(AbandonedQueries, AnExpiredTraceStopsItsQuery) {
  Start();
  constexpr int kCalls = 4;
  std::vector<std::future<grpc::Status>> calls;
  for (int i = 0; i < kCalls; ++i) {
    calls.push_back(std::async(std::launch::async, [&] {
      grpc::ClientContext context;
      context.AddMetadata("authorization", "Bearer " + testing::TestToken());
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
      v1::TraceResponse response;
      return stub_->Trace(&context, SlowTrace(), &response);
    }));
  }
  for (auto& call : calls) {
    EXPECT_EQ(call.get().error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  }
  EXPECT_LT(WaitForNoWalk(*url_, std::chrono::seconds(5)),
            std::chrono::milliseconds(1500))
      << "the walks of calls that ended keep running";
  // The pool is free again: a quick call is answered at once.
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + testing::TestToken());
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  v1::GetArtefactRequest get;
  get.set_id(AssetId(1));
  v1::Artefact artefact;
  EXPECT_TRUE(stub_->GetArtefact(&context, get, &artefact).ok());
  EXPECT_EQ(server_->Stop(), 0);
}

TEST_F(AbandonedQueries, ACancelledTraceStopsItsQuery) {
  Start();
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + testing::TestToken());
  auto call = std::async(std::launch::async, [&] {
    v1::TraceResponse response;
    return stub_->Trace(&context, SlowTrace(), &response);
  });
  ASSERT_TRUE(WaitForWalk(*url_));
  context.TryCancel();
  EXPECT_EQ(call.get().error_code(), grpc::StatusCode::CANCELLED);
  EXPECT_LT(WaitForNoWalk(*url_, std::chrono::seconds(5)),
            std::chrono::milliseconds(1500))
      << "the walk of a cancelled call keeps running";
  EXPECT_EQ(server_->Stop(), 0);
}

TEST_F(AbandonedQueries, SigtermStopsWithinTheGraceWhileAQueryRuns) {
  Start();  // with --shutdown-grace 1
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + testing::TestToken());
  auto call = std::async(std::launch::async, [&] {
    v1::TraceResponse response;
    return stub_->Trace(&context, SlowTrace(), &response);
  });
  ASSERT_TRUE(WaitForWalk(*url_));
  const auto start = Clock::now();
  EXPECT_EQ(server_->Stop(SIGTERM), 0) << server_->output();
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(4)) << "grace is 1 s";
  EXPECT_FALSE(call.get().ok());
  EXPECT_LT(WaitForNoWalk(*url_, std::chrono::seconds(5)),
            std::chrono::milliseconds(1500));
}

// NOT_SERVING, SERVING, or -1 if the health service does not answer.
int Health(const std::string& address) {
  auto stub = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + testing::TestToken());
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(3));
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  if (!stub->Check(&context, request, &response).ok()) return -1;
  return response.status();
}

bool WaitForHealth(const std::string& address, int status, std::chrono::seconds limit) {
  const auto deadline = Clock::now() + limit;
  while (Health(address) != status) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return true;
}

TEST_F(AbandonedQueries, HealthSaysNotServingWhileThePoolStaysSaturated) {
  using grpc::health::v1::HealthCheckResponse;
  Start({"--database-pool", "1"});
  ASSERT_TRUE(WaitForHealth(server_->address(), HealthCheckResponse::SERVING,
                            std::chrono::seconds(10)));
  grpc::ClientContext context;  // no deadline: only --max-statement-seconds
  context.AddMetadata("authorization", "Bearer " + testing::TestToken());
  auto call = std::async(std::launch::async, [&] {
    v1::TraceResponse response;
    return stub_->Trace(&context, SlowTrace(), &response);
  });
  ASSERT_TRUE(WaitForWalk(*url_));
  EXPECT_EQ(Health(server_->address()), HealthCheckResponse::SERVING)
      << "one busy moment is not saturation";
  EXPECT_TRUE(WaitForHealth(server_->address(), HealthCheckResponse::NOT_SERVING,
                            std::chrono::seconds(25)));
  context.TryCancel();
  EXPECT_EQ(call.get().error_code(), grpc::StatusCode::CANCELLED);
  EXPECT_TRUE(WaitForHealth(server_->address(), HealthCheckResponse::SERVING,
                            std::chrono::seconds(10)));
  EXPECT_NE(server_->output().find("every database connection has been busy"),
            std::string::npos)
      << server_->output();
  EXPECT_EQ(server_->Stop(), 0);
}

}  // namespace
}  // namespace rmtc
