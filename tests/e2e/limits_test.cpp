// What one caller may hold, end to end through the real rmtcd: request ids
// are each principal's own and expire; a principal's calls at once are
// bounded, and past the bound only that principal is refused. rmtcd runs
// on a database of the harness, so that the test can see and hold rows.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <future>
#include <pqxx/pqxx>
#include <thread>

#include "rmtc/v1/access.grpc.pb.h"
#include "rmtc/v1/lineage.grpc.pb.h"
#include "support/process.h"
#include "support/test_cluster.h"

namespace rmtc {
namespace {

using testing::RmtcdProcess;
using testing::TestCluster;

constexpr char kRmtcd[] = RMTCD_PATH;

std::unique_ptr<grpc::ClientContext> As(const std::string& secret) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  context->AddMetadata("authorization", "Bearer " + secret);
  return context;
}

bool WaitUntil(const std::function<bool()>& done, std::chrono::seconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

class Limits : public ::testing::Test {
 protected:
  void Start(std::vector<std::string> flags) {
    url_ = cluster_.CreateDatabase();
    flags.insert(flags.begin(), {"--database-url", url_});
    std::string error;
    rmtcd_ = RmtcdProcess::Start(kRmtcd, flags, &error);
    ASSERT_NE(rmtcd_, nullptr) << error;
    channel_ = grpc::CreateChannel(rmtcd_->address(), grpc::InsecureChannelCredentials());
    lineage_ = v1::Lineage::NewStub(channel_);
    access_ = v1::Access::NewStub(channel_);
  }

  std::string Token(const std::string& name) {
    v1::CreateTokenRequest request;
    request.set_name(name);
    request.set_role(v1::ROLE_RECORDER);
    v1::CreateTokenResponse response;
    const auto status =
        access_->CreateToken(As(testing::TestToken()).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.secret();
  }

  struct Answer {
    grpc::Status status;
    std::string id;  // the artefact's
  };
  Answer Register(const std::string& secret, const std::string& request_id,
                  const std::string& name) {
    v1::RegisterArtefactsRequest request;
    request.set_request_id(request_id);
    auto* item = request.add_artefacts();
    item->set_kind(v1::KIND_ASSET);
    item->set_name(name);
    v1::RegisterArtefactsResponse response;
    Answer answer;
    answer.status = lineage_->RegisterArtefacts(As(secret).get(), request, &response);
    if (response.artefacts_size()) answer.id = response.artefacts(0).artefact().id();
    return answer;
  }

  std::string Query(const std::string& sql) { return TestCluster::Query(url_, sql); }

  TestCluster cluster_;
  std::string url_;
  std::unique_ptr<RmtcdProcess> rmtcd_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::Lineage::Stub> lineage_;
  std::unique_ptr<v1::Access::Stub> access_;
};

TEST_F(Limits, RequestIdsAreEachPrincipalsOwnAndExpire) {
  Start({"--request-id-days", "30", "--request-id-sweep-seconds", "1"});
  const std::string houdini = Token("houdini-ingest");
  const std::string nuke = Token("nuke-farm");

  // The same id from two principals: two requests, both written.
  const auto first = Register(houdini, "ingest-2026-11-26", "plate");
  const auto other = Register(nuke, "ingest-2026-11-26", "plate");
  ASSERT_TRUE(first.status.ok()) << first.status.error_message();
  ASSERT_TRUE(other.status.ok()) << other.status.error_message();
  EXPECT_NE(first.id, other.id) << "nuke-farm got houdini-ingest's answer";
  // The same principal again: the first answer, nothing new written.
  const auto repeat = Register(houdini, "ingest-2026-11-26", "plate");
  ASSERT_TRUE(repeat.status.ok()) << repeat.status.error_message();
  EXPECT_EQ(repeat.id, first.id);
  EXPECT_EQ(Query("SELECT count(*) FROM artefact WHERE name = 'plate'"), "2");
  const auto changed = Register(houdini, "ingest-2026-11-26", "another plate");
  EXPECT_EQ(changed.status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(changed.status.error_message(),
            "request_id: 'ingest-2026-11-26' was already used for a different "
            "RegisterArtefacts request; use a new id for a new request");
  EXPECT_EQ(Query("SELECT count(*) FROM artefact WHERE name = 'another plate'"), "0");

  // Thirty-one days later (backdated), the sweep forgets houdini's claim
  // and only that one: the id then makes a new request.
  Query(
      "UPDATE write_request SET created_at = now() - interval '31 days' WHERE "
      "principal = 'houdini-ingest' RETURNING 1");
  ASSERT_TRUE(WaitUntil(
      [&] {
        return Query(
                   "SELECT count(*) FROM write_request WHERE principal = "
                   "'houdini-ingest'") == "0";
      },
      std::chrono::seconds(20)))
      << "the expired claim was not swept: " << rmtcd_->output();
  EXPECT_EQ(Query("SELECT count(*) FROM write_request WHERE principal = 'nuke-farm'"),
            "1");
  const auto after = Register(houdini, "ingest-2026-11-26", "another plate");
  ASSERT_TRUE(after.status.ok()) << after.status.error_message();
  EXPECT_NE(after.id, first.id);
  EXPECT_EQ(Query("SELECT count(*) FROM artefact WHERE name = 'another plate'"), "1");
  const auto nuke_again = Register(nuke, "ingest-2026-11-26", "plate");
  EXPECT_EQ(nuke_again.id, other.id) << "an unexpired claim was forgotten";
}

TEST_F(Limits, APrincipalPastItsCallLimitIsRefusedWhileOthersAreServed) {
  Start({"--database-pool", "4", "--max-calls-per-principal", "2"});
  const std::string flood = Token("flood");
  const std::string calm = Token("calm");
  // Two of flood's writes held in their transactions: each waits on a claim
  // of its request id that the test inserted and has not committed.
  pqxx::connection holder(url_);
  auto claims = std::make_unique<pqxx::work>(holder);
  for (const char* id : {"held-1", "held-2"}) {
    claims->exec_params0(
        "INSERT INTO write_request (principal, request_id, method, digest)"
        " VALUES ('flood', $1, 'RegisterArtefacts', '\\x00')",
        std::string(id));
  }
  auto held_1 =
      std::async(std::launch::async, [&] { return Register(flood, "held-1", "a"); });
  auto held_2 =
      std::async(std::launch::async, [&] { return Register(flood, "held-2", "b"); });
  ASSERT_TRUE(WaitUntil(
      [&] {
        return Query(
                   "SELECT count(*) FROM pg_stat_activity WHERE datname ="
                   " current_database() AND wait_event_type = 'Lock'") == "2";
      },
      std::chrono::seconds(30)))
      << "flood's writes did not reach their transactions";

  // A third call of flood's: refused at once, naming the limit.
  v1::ListArtefactsResponse listed;
  auto refused = lineage_->ListArtefacts(As(flood).get(), {}, &listed);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(refused.error_message(),
            "this caller already has 2 calls running or waiting, as many as one "
            "principal may (rmtcd --max-calls-per-principal 2); retry when one has "
            "finished");
  EXPECT_EQ(refused.error_message().find(flood), std::string::npos);
  // Meanwhile another principal reads and writes.
  auto served = lineage_->ListArtefacts(As(calm).get(), {}, &listed);
  EXPECT_TRUE(served.ok()) << served.error_message();
  const auto calm_write = Register(calm, "calm-1", "c");
  EXPECT_TRUE(calm_write.status.ok()) << calm_write.status.error_message();

  // The claims given up, flood's writes go through, and its count is back.
  claims->abort();
  const auto one = held_1.get();
  const auto two = held_2.get();
  EXPECT_TRUE(one.status.ok()) << one.status.error_message();
  EXPECT_TRUE(two.status.ok()) << two.status.error_message();
  auto again = lineage_->ListArtefacts(As(flood).get(), {}, &listed);
  EXPECT_TRUE(again.ok()) << again.error_message();
  EXPECT_EQ(rmtcd_->output().find(flood), std::string::npos) << "a token in the log";
  EXPECT_NE(rmtcd_->output().find("--max-calls-per-principal 2"), std::string::npos)
      << "the refusal is not logged";
}

}  // namespace
}  // namespace rmtc
