// The audit log end to end (issue 10 §3): the real rmtcd on a database the
// test can reach, writes made through the rmtc CLI, rows then changed and
// deleted with psql behind rmtcd's back, and `rmtc audit verify` expected
// to name the entry and the row each change breaks.
#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "support/process.h"
#include "support/test_cluster.h"

namespace rmtc {
namespace {

using nlohmann::json;
using testing::RmtcdProcess;
using testing::TestCluster;

constexpr char kRmtcd[] = RMTCD_PATH;
constexpr char kRmtc[] = RMTC_PATH;
constexpr char kPsql[] = "/usr/bin/psql";

TestCluster& Cluster() {
  static auto* cluster = new TestCluster();
  return *cluster;
}

class AuditE2e : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = Cluster().CreateDatabase(/*migrated=*/false);
    std::string error;
    rmtcd_ = RmtcdProcess::Start(kRmtcd, {"--database-url", url_}, &error);
    ASSERT_NE(rmtcd_, nullptr) << error;
  }

  // `rmtc --json ARGS`; the parsed output, and the exit code in `exit_code`.
  json Rmtc(std::vector<std::string> args, int* exit_code = nullptr,
            const std::string& token = "") {
    std::vector<std::string> argv = {kRmtc, "--address", rmtcd_->address(), "--json"};
    if (!token.empty()) argv.insert(argv.end(), {"--token", token});
    argv.insert(argv.end(), args.begin(), args.end());
    auto run = testing::Run(argv);
    if (exit_code != nullptr) {
      *exit_code = run.exit_code;
    } else {
      EXPECT_EQ(run.exit_code, 0) << args[0] << ": " << run.err;
    }
    auto doc = json::parse(run.out, nullptr, false);
    EXPECT_FALSE(doc.is_discarded()) << run.out << run.err;
    return doc;
  }

  std::string Register(const std::string& name, std::vector<std::string> more = {}) {
    std::vector<std::string> args = {"register", "dataset", "--name", name};
    args.insert(args.end(), more.begin(), more.end());
    return Rmtc(args)["id"].get<std::string>();
  }

  // Runs SQL with psql, as someone with database access would.
  void Psql(const std::string& sql) {
    auto run = testing::Run({kPsql, url_, "-v", "ON_ERROR_STOP=1", "-qc", sql});
    ASSERT_EQ(run.exit_code, 0) << sql << ": " << run.err;
  }

  json Verify(std::vector<std::string> more = {}, int* exit_code = nullptr) {
    std::vector<std::string> args = {"audit", "verify"};
    args.insert(args.end(), more.begin(), more.end());
    int code = 0;
    auto doc = Rmtc(args, &code);
    if (exit_code != nullptr) *exit_code = code;
    return doc;
  }

  // The findings of a verification that must fail (exit 8).
  json Findings(std::vector<std::string> more = {}) {
    int code = 0;
    auto doc = Verify(std::move(more), &code);
    EXPECT_EQ(code, 8) << doc.dump();
    EXPECT_FALSE(doc["intact"].get<bool>());
    return doc["findings"];
  }

  json Entries(std::vector<std::string> more = {}) {
    std::vector<std::string> args = {"audit", "ls", "--limit", "1000"};
    args.insert(args.end(), more.begin(), more.end());
    return Rmtc(args)["entries"];
  }

  std::string url_;
  std::unique_ptr<RmtcdProcess> rmtcd_;
};

bool Names(const json& findings, const std::string& problem, long long seq,
           const std::string& row) {
  for (const auto& f : findings) {
    if (f["problem"] == problem && f["seq"] == seq && f["row"] == row) return true;
  }
  return false;
}

TEST_F(AuditE2e, EveryAcceptedWriteAppendsOneEntryNamingWhoWhatAndTheRowsWritten) {
  const auto first = Entries();
  ASSERT_EQ(first.size(), 2u) << first.dump();  // the log's start, the test token
  EXPECT_EQ(first[0]["method"], "StartAuditLog");
  EXPECT_EQ(first[0]["principal"], "rmtcd");
  EXPECT_GT(first[0]["row_count"].get<int>(), 10) << "the licence registry";
  EXPECT_EQ(first[1]["method"], "CreateToken");
  EXPECT_EQ(first[1]["principal"], "rmtcd --bootstrap-token-file");

  const std::string plate =
      Register("sh010-plates", {"--request-id", "ingest-1", "--facility", "wlg"});
  Rmtc({"license", "attach", plate, "CC-BY-NC-4.0", "--attribution", "Ngaio"});
  Rmtc({"consent", "set", plate, "--party", "Ngaio", "--ai-training", "not-allowed"});
  Rmtc({"token", "create", "--name", "farm", "--role", "recorder"});
  // A repeat of the first write writes nothing, so appends nothing.
  Register("sh010-plates", {"--request-id", "ingest-1", "--facility", "wlg"});
  // A refused write appends nothing either.
  int code = 0;
  Rmtc({"license", "attach", plate, "CC-BY-9.9"}, &code);
  EXPECT_EQ(code, 3);

  const auto all = Entries({"--rows"});
  ASSERT_EQ(all.size(), 6u) << all.dump(2);
  const auto& reg = all[2];
  EXPECT_EQ(reg["seq"], 3);
  EXPECT_EQ(reg["method"], "RegisterArtefacts");
  EXPECT_EQ(reg["principal"], Rmtc({"whoami"})["principal"]);
  EXPECT_EQ(reg["request_id"], "ingest-1");
  EXPECT_EQ(reg["request_sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(reg["artefact_ids"], json::array({plate}));
  ASSERT_EQ(reg["rows"].size(), 1u);
  EXPECT_EQ(reg["rows"][0]["ref"], "artefact:" + plate);
  EXPECT_EQ(reg["prev_hash"], all[1]["hash"]);
  EXPECT_EQ(all[3]["method"], "AttachLicence");
  EXPECT_EQ(all[3]["rows"][0]["ref"].get<std::string>().rfind("attachment:", 0), 0u);
  EXPECT_EQ(all[4]["method"], "SetConsent");
  EXPECT_EQ(all[5]["method"], "CreateToken");
  EXPECT_EQ(all[5]["rows"][0]["ref"].get<std::string>().rfind("token:", 0), 0u);

  // Filters: by artefact, by principal.
  EXPECT_EQ(Entries({"--artefact", plate}).size(), 3u);
  EXPECT_EQ(Entries({"--principal", "rmtcd"}).size(), 1u);

  int verified = -1;
  const auto doc = Verify({}, &verified);
  EXPECT_EQ(verified, 0) << doc.dump(2);
  EXPECT_TRUE(doc["intact"].get<bool>());
  EXPECT_EQ(doc["entries_checked"], 6);
  EXPECT_EQ(doc["head"]["seq"], 6);
  EXPECT_EQ(doc["head"]["hash"], all[5]["hash"]);
}

TEST_F(AuditE2e, VerifyNamesEachRowChangedOrDeletedInPsqlWithTheEntryThatWroteIt) {
  const std::string source = Register("plates");
  const std::string derived = Register("denoised", {"--from", source});
  Rmtc({"license", "attach", source, "CC-BY-NC-4.0", "--attribution", "Ngaio"});
  Rmtc({"consent", "set", source, "--party", "Ngaio", "--ai-training", "allowed"});
  const auto entries = Entries();
  const long long source_seq = entries[2]["seq"];
  const long long derived_seq = entries[3]["seq"];
  const long long attach_seq = entries[4]["seq"];
  const long long consent_seq = entries[5]["seq"];
  int code = -1;
  Verify({}, &code);
  ASSERT_EQ(code, 0);

  // An artefact's name, an edge's relation, an attachment's licence, a
  // consent deleted, a seeded licence's terms.
  Psql("UPDATE artefact SET name = 'renamed' WHERE id = '" + source + "'");
  Psql("UPDATE edge SET relation = 'variant_of' WHERE derived_id = '" + derived + "'");
  Psql(
      "UPDATE licence_attachment SET expression = 'CC-BY-4.0',"
      " licence_ids = '{CC-BY-4.0}'");
  Psql("DELETE FROM consent");
  Psql("UPDATE licence SET terms = terms - 'field_of_use' WHERE id = 'CC-BY-NC-4.0'");

  const auto findings = Findings();
  EXPECT_TRUE(Names(findings, "row changed", source_seq, "artefact:" + source))
      << findings.dump(2);
  EXPECT_TRUE(Names(findings, "row changed", derived_seq, "artefact:" + derived))
      << findings.dump(2);
  bool attachment = false, consent = false, licence = false;
  for (const auto& f : findings) {
    const std::string row = f["row"];
    attachment |= f["seq"] == attach_seq && row.rfind("attachment:", 0) == 0 &&
                  f["problem"] == "row changed";
    consent |= f["seq"] == consent_seq && row.rfind("consent:", 0) == 0 &&
               f["problem"] == "row deleted";
    licence |= f["seq"] == 1 && row == "licence:CC-BY-NC-4.0";
    EXPECT_NE(f["method"], "") << f.dump();
  }
  EXPECT_TRUE(attachment) << findings.dump(2);
  EXPECT_TRUE(consent) << findings.dump(2);
  EXPECT_TRUE(licence) << findings.dump(2);
  EXPECT_EQ(findings.size(), 5u) << findings.dump(2);
}

TEST_F(AuditE2e, VerifyFindsEntriesEditedRemovedOrRewrittenAndTheLogCut) {
  for (int i = 0; i < 4; ++i) Register("take " + std::to_string(i));
  // A checkpoint kept elsewhere before anything happens.
  const auto head = Rmtc({"audit", "head"});
  const long long last = head["seq"];
  ASSERT_EQ(last, 6);
  const std::string checkpoint =
      std::to_string(last) + ":" + head["hash"].get<std::string>();

  // An entry's principal edited: its hash no longer follows from it.
  const std::string admin = Rmtc({"whoami"})["principal"];
  Psql("UPDATE audit_entry SET principal = 'someone-else' WHERE seq = 3");
  auto findings = Findings();
  EXPECT_TRUE(Names(findings, "entry changed", 3, "")) << findings.dump(2);
  Psql("UPDATE audit_entry SET principal = '" + admin + "' WHERE seq = 3");
  int code = -1;
  Verify({}, &code);
  EXPECT_EQ(code, 0) << "restored";

  // An entry deleted from the middle: a gap, and the next one's link.
  Psql("DELETE FROM audit_entry WHERE seq = 4");
  findings = Findings();
  EXPECT_TRUE(Names(findings, "entries missing", 5, "")) << findings.dump(2);
  EXPECT_TRUE(Names(findings, "chain broken", 5, "")) << findings.dump(2);
  // The rows it wrote are now rows no entry wrote.
  findings = Findings({"--unaudited"});
  bool unaudited = false;
  for (const auto& f : findings) {
    unaudited |= f["problem"] == "row without entry" &&
                 f["row"].get<std::string>().rfind("artefact:", 0) == 0;
  }
  EXPECT_TRUE(unaudited) << findings.dump(2);

  // The log cut and the head rewritten to match: only a checkpoint shows it.
  Psql(
      "DELETE FROM audit_entry WHERE seq >= 5;"
      " UPDATE audit_head SET seq = 3, hash = (SELECT hash FROM audit_entry WHERE seq = "
      "3)");
  findings = Findings({"--checkpoint", checkpoint});
  EXPECT_TRUE(Names(findings, "checkpoint mismatch", last, "")) << findings.dump(2);
}

TEST_F(AuditE2e, ConcurrentWritersOnTwoReplicasMakeOneChainWithNoGapOrFork) {
  std::string error;
  auto second = RmtcdProcess::Start(kRmtcd, {"--database-url", url_}, &error);
  ASSERT_NE(second, nullptr) << error;
  constexpr int kWriters = 16;
  std::vector<std::thread> writers;
  std::atomic<int> failed{0};
  for (int i = 0; i < kWriters; ++i) {
    const std::string address = i % 2 ? second->address() : rmtcd_->address();
    writers.emplace_back([&, i, address] {
      auto run = testing::Run({kRmtc, "--address", address, "register", "asset", "--name",
                               "frame " + std::to_string(i), "--facility", "wlg"});
      if (run.exit_code != 0) ++failed;
    });
  }
  for (auto& w : writers) w.join();
  ASSERT_EQ(failed, 0);
  const auto entries = Entries();
  ASSERT_EQ(entries.size(), 2u + kWriters);
  for (std::size_t i = 1; i < entries.size(); ++i) {
    EXPECT_EQ(entries[i]["seq"], static_cast<int>(i) + 1);
    EXPECT_EQ(entries[i]["prev_hash"], entries[i - 1]["hash"]) << "seq " << i + 1;
  }
  int code = -1;
  const auto doc = Verify({}, &code);
  EXPECT_EQ(code, 0) << doc.dump(2);
}

TEST_F(AuditE2e, RmtcdLogsTheHeadAsACheckpointAtStart) {
  const auto head = Rmtc({"audit", "head"});
  const std::string line = "audit checkpoint " + std::to_string(head["seq"].get<int>()) +
                           ":" + head["hash"].get<std::string>();
  for (int i = 0; i < 50 && rmtcd_->output().find(line) == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_NE(rmtcd_->output().find(line), std::string::npos) << rmtcd_->output();
}

TEST_F(AuditE2e, BadArgumentsAreRefusedPreciselyAndOnlyAdminsMayRead) {
  int code = 0;
  auto doc = Verify({"--checkpoint", "six:abc"}, &code);
  EXPECT_EQ(code, 1);
  EXPECT_NE(doc.dump().find("is not a checkpoint (SEQ:HASH"), std::string::npos)
      << doc.dump();
  doc = Verify({"--checkpoint", "6:abc"}, &code);
  EXPECT_EQ(code, 3);
  EXPECT_NE(doc.dump().find("checkpoints[0]: must be a seq"), std::string::npos)
      << doc.dump();
  doc = Rmtc({"audit", "ls", "--artefact", "not-a-uuid"}, &code);
  EXPECT_EQ(code, 3);
  EXPECT_NE(doc.dump().find("artefact_id"), std::string::npos) << doc.dump();

  const std::string reader =
      Rmtc({"token", "create", "--name", "viewer", "--role", "rights"})["secret"];
  doc = Rmtc({"audit", "ls"}, &code, reader);
  EXPECT_NE(code, 0);
  EXPECT_NE(doc.dump().find("needs the admin role"), std::string::npos) << doc.dump();
}

}  // namespace
}  // namespace rmtc
