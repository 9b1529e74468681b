// Eight clients mixing calls for 30 seconds (registrations, training runs,
// inferences, licence attachments, traces, use checks, licensing chains,
// replays and unknown ids): every answer is the expected one, and rmtcd's
// resident memory levels off.
//
// The memory verdict. VmRSS is sampled once a second. The first third of the
// run is warm-up (thread stacks, malloc arenas, gRPC and libpq buffers grow
// to their working size), so it is not judged. The peak of the last third
// may exceed the peak of the middle third by at most 4 MiB, or 5 % of the
// warm-up peak if that is more (for builds with a larger footprint; not 5 %
// of a later peak, which a leak inflates). Peaks, not single samples, so
// that where one sample lands in an allocation cycle does not matter. A
// healthy rmtcd stays flat to the KiB here once warm (27 MiB in a Debug
// build); a leak of 2 KiB per call, injected on purpose, grew the peak by
// about 5 MiB over the last ten seconds at 500 calls a second.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <stop_token>
#include <thread>

#include "faults/fault_support.h"
#include "rmtc/v1/licensing.grpc.pb.h"
#include "rmtc/v1/lineage.grpc.pb.h"
#include "support/process.h"
#include "support/test_cluster.h"

namespace rmtc::faults {
namespace {

using testing::RmtcdProcess;
using testing::TestCluster;

constexpr char kRmtcd[] = RMTCD_PATH;
constexpr int kClients = 8;

// RMTC_SOAK_SECONDS sets another length by hand (at least 9 s); ctest runs 30 s.
std::chrono::seconds RunLength() {
  const char* text = std::getenv("RMTC_SOAK_SECONDS");
  const int seconds = text ? std::atoi(text) : 0;
  return std::chrono::seconds(seconds >= 9 ? seconds : 30);
}

// Everything the clients saw that they should not have.
class Findings {
 public:
  void Add(std::string what) {
    std::lock_guard lock(mu_);
    if (findings_.size() < 50) findings_.push_back(std::move(what));
    ++count_;
  }
  std::string Text() const {
    std::lock_guard lock(mu_);
    std::string out;
    for (const auto& f : findings_) out += "  " + f + "\n";
    if (count_ > static_cast<int>(findings_.size())) {
      out += "  ... " + std::to_string(count_ - static_cast<int>(findings_.size())) +
             " more\n";
    }
    return out;
  }
  int Count() const {
    std::lock_guard lock(mu_);
    return count_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<std::string> findings_;
  int count_ = 0;
};

struct Tally {
  std::atomic<int> iterations{0};
  std::atomic<int> artefacts_written{0};
};

// One studio tool, over and over: plates and their dataset, a licence on
// two plates, a training run on the dataset, an inference with the weights
// on a plate, then a trace of an output and use checks of a licensed plate
// and of the output. Every fourth round
// also replays a write, reads a licensing chain and asks for an unknown id.
class StudioClient {
 public:
  StudioClient(int client, const std::string& address, CallLog& log, Findings& findings,
               Tally& tally)
      : client_(client),
        channel_(OpenChannel(address)),
        lineage_(v1::Lineage::NewStub(channel_)),
        licensing_(v1::Licensing::NewStub(channel_)),
        log_(log),
        findings_(findings),
        tally_(tally),
        random_(static_cast<unsigned>(client)) {}

  void Run(std::stop_token stop) {
    for (int round = 0; !stop.stop_requested(); ++round) {
      if (!Round(round)) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      ++tally_.iterations;
    }
  }

 private:
  // Calls `rpc`, logs it, and reports any code but `expected`.
  template <typename Call>
  bool Expect(const std::string& method, const std::string& prefix, Call rpc,
              grpc::StatusCode expected = grpc::StatusCode::OK) {
    auto context = DeadlineIn(std::chrono::seconds(60));
    const auto started = Clock::now();
    const grpc::Status status = rpc(context.get());
    log_.Add(
        {method, status.error_code(), status.error_message(), started, Clock::now()});
    if (status.error_code() != expected) {
      findings_.Add(prefix + ": " + method + " answered " +
                    CodeName(status.error_code()) + " (expected " + CodeName(expected) +
                    "): " + status.error_message());
      return false;
    }
    return true;
  }

  bool Round(int round) {
    const std::string prefix =
        "soak-c" + std::to_string(client_) + "-r" + std::to_string(round);
    const bool non_commercial = round % 2 == 1;

    v1::RegisterArtefactsRequest plates;
    plates.set_request_id(prefix + "-plates");
    plates.set_created_by("soak");
    for (int i = 0; i < 3; ++i) {
      auto* plate = plates.add_artefacts();
      plate->set_kind(v1::KIND_ASSET);
      plate->set_name(prefix + "-plate" + std::to_string(i) + ".exr");
      plate->set_attributes(R"({"frame": )" + std::to_string(1001 + i) + "}");
    }
    auto* dataset = plates.add_artefacts();
    dataset->set_kind(v1::KIND_DATASET);
    dataset->set_name(prefix + "-plates");
    for (int i = 0; i < 3; ++i) {
      auto* member = dataset->add_sources();
      member->set_relation(v1::RELATION_CONTAINS);
      member->set_batch_index(i);
    }
    v1::RegisterArtefactsResponse registered;
    if (!Expect("RegisterArtefacts", prefix, [&](grpc::ClientContext* c) {
          return lineage_->RegisterArtefacts(c, plates, &registered);
        })) {
      return false;
    }
    tally_.artefacts_written += registered.artefacts_size();
    const std::string plate0 = registered.artefacts(0).artefact().id();
    const std::string plate1 = registered.artefacts(1).artefact().id();
    const std::string plates_id = registered.artefacts(3).artefact().id();

    for (const auto& plate : {plate0, plate1}) {
      v1::AttachLicenceRequest attach;
      attach.set_artefact_id(plate);
      attach.set_expression(non_commercial ? "CC-BY-NC-4.0" : "CC-BY-4.0");
      attach.set_attribution("Artist " + std::to_string(client_));
      v1::LicenceAttachment attached;
      if (!Expect("AttachLicence", prefix, [&](grpc::ClientContext* c) {
            return licensing_->AttachLicence(c, attach, &attached);
          })) {
        return false;
      }
    }

    v1::RecordTrainingRunRequest run;
    run.set_request_id(prefix + "-run");
    run.mutable_run()->set_name(prefix + "-lora");
    run.mutable_run()->set_attributes(R"({"steps": 4000})");
    run.add_trained_on(plates_id);
    run.add_weights()->set_name(prefix + "-lora.safetensors");
    v1::RecordTrainingRunResponse recorded;
    if (!Expect("RecordTrainingRun", prefix, [&](grpc::ClientContext* c) {
          return lineage_->RecordTrainingRun(c, run, &recorded);
        })) {
      return false;
    }
    tally_.artefacts_written += 1 + recorded.weights_size();

    v1::RecordInferenceRequest inference;
    inference.set_request_id(prefix + "-comp");
    inference.mutable_inference()->set_name(prefix + ": comp");
    inference.add_uses(recorded.weights(0).artefact().id());
    inference.add_inputs(plate1);
    inference.add_outputs()->set_name(prefix + "-comp_v001.exr");
    inference.add_outputs()->set_name(prefix + "-comp_v002.exr");
    if (round % 3 == 0) {
      inference.mutable_check()->set_use(v1::INTENDED_USE_INTERNAL_RESEARCH);
    }
    v1::RecordInferenceResponse inferred;
    if (!Expect("RecordInference", prefix, [&](grpc::ClientContext* c) {
          return lineage_->RecordInference(c, inference, &inferred);
        })) {
      return false;
    }
    tally_.artefacts_written += 1 + inferred.outputs_size();
    const std::string output = inferred.outputs(0).artefact().id();

    // output <- inference <- {weights <- run <- dataset <- 3 plates, plate1}
    v1::TraceRequest trace;
    trace.set_id(output);
    v1::TraceResponse traced;
    if (Expect("Trace", prefix, [&](grpc::ClientContext* c) {
          return lineage_->Trace(c, trace, &traced);
        })) {
      if (traced.nodes_size() != 8 || traced.partial()) {
        findings_.Add(prefix + ": Trace found " + std::to_string(traced.nodes_size()) +
                      " nodes, not 8");
      }
    }

    // The licensed plate itself: CC-BY allows commercial production (with
    // credit), CC-BY-NC does not.
    v1::CheckUseRequest plate_check;
    plate_check.set_artefact_id(plate0);
    plate_check.set_use(v1::INTENDED_USE_COMMERCIAL_PRODUCTION);
    v1::UseCheck plate_verdict;
    if (Expect("CheckUse", prefix, [&](grpc::ClientContext* c) {
          return licensing_->CheckUse(c, plate_check, &plate_verdict);
        })) {
      const auto expected = non_commercial ? v1::VERDICT_DENIED : v1::VERDICT_ALLOWED;
      if (plate_verdict.verdict() != expected) {
        findings_.Add(prefix + ": CheckUse of the plate answered verdict " +
                      std::to_string(plate_verdict.verdict()) + ", not " +
                      std::to_string(expected));
      }
    }

    v1::CheckUseRequest check;
    check.set_artefact_id(output);
    check.set_use(v1::INTENDED_USE_CLIENT_DELIVERY);
    v1::UseCheck verdict;
    if (Expect("CheckUse", prefix, [&](grpc::ClientContext* c) {
          return licensing_->CheckUse(c, check, &verdict);
        })) {
      // A non-commercial plate is an input of the inference: never delivered.
      if (non_commercial ? verdict.verdict() != v1::VERDICT_DENIED
                         : verdict.verdict() == v1::VERDICT_UNSPECIFIED) {
        findings_.Add(prefix + ": CheckUse answered verdict " +
                      std::to_string(verdict.verdict()));
      }
    }

    if (round % 4 == 0) {
      v1::RegisterArtefactsResponse again;
      if (Expect("RegisterArtefacts(replay)", prefix,
                 [&](grpc::ClientContext* c) {
                   return lineage_->RegisterArtefacts(c, plates, &again);
                 }) &&
          again.SerializeAsString() != registered.SerializeAsString()) {
        findings_.Add(prefix + ": a replay answered something else");
      }
      v1::GetLicensingChainRequest chain;
      chain.set_artefact_id(output);
      v1::LicensingChain chained;
      Expect("GetLicensingChain", prefix, [&](grpc::ClientContext* c) {
        return licensing_->GetLicensingChain(c, chain, &chained);
      });
      // An id nobody registered: NOT_FOUND is the right answer.
      v1::GetArtefactRequest get;
      get.set_id(RandomUuid());
      v1::Artefact artefact;
      Expect(
          "GetArtefact(unknown)", prefix,
          [&](grpc::ClientContext* c) {
            return lineage_->GetArtefact(c, get, &artefact);
          },
          grpc::StatusCode::NOT_FOUND);
    }
    return true;
  }

  std::string RandomUuid() {
    static const char kHex[] = "0123456789abcdef";
    std::string id = "xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx";
    for (char& c : id) {
      if (c == 'x') c = kHex[std::uniform_int_distribution<int>(0, 15)(random_)];
    }
    return id;
  }

  const int client_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::Lineage::Stub> lineage_;
  std::unique_ptr<v1::Licensing::Stub> licensing_;
  CallLog& log_;
  Findings& findings_;
  Tally& tally_;
  std::mt19937 random_;
};

TEST(MixedLoad, NoUnexpectedErrorsAndMemoryLevelsOff) {
  TestCluster cluster;
  const std::string url = cluster.CreateDatabase();
  std::string error;
  auto server = RmtcdProcess::Start(kRmtcd, {"--database-url", url}, &error);
  ASSERT_NE(server, nullptr) << error;
  ASSERT_GT(ResidentKiB(server->pid()), 0);

  CallLog log;
  Findings findings;
  Tally tally;
  std::vector<std::int64_t> rss_kib;  // one a second
  const auto length = RunLength();
  const auto zero = Clock::now();
  {
    std::vector<std::unique_ptr<StudioClient>> tools;
    std::vector<std::jthread> clients;
    for (int c = 0; c < kClients; ++c) {
      tools.push_back(
          std::make_unique<StudioClient>(c, server->address(), log, findings, tally));
      clients.emplace_back(
          [tool = tools.back().get()](std::stop_token stop) { tool->Run(stop); });
    }
    for (auto next = zero + std::chrono::seconds(1); next <= zero + length;
         next += std::chrono::seconds(1)) {
      std::this_thread::sleep_until(next);
      rss_kib.push_back(ResidentKiB(server->pid()));
    }
    clients.clear();  // stop and join
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - zero).count();

  EXPECT_EQ(findings.Count(), 0) << findings.Text() << "calls: " << log.Summary();
  EXPECT_GE(tally.iterations, kClients * 3)
      << "too little work was done: " << log.Summary();
  // Every acknowledged write is stored once; nothing more.
  EXPECT_EQ(
      TestCluster::Query(url, "SELECT count(*) FROM artefact WHERE name LIKE 'soak-%'"),
      std::to_string(tally.artefacts_written));

  if (std::count(rss_kib.begin(), rss_kib.end(), -1) > 0) {
    const int code = server->Stop(SIGTERM);
    const std::string output = server->output();
    FAIL() << "rmtcd went away (exit " << code << "); the end of its output:\n"
           << output.substr(output.size() > 4000 ? output.size() - 4000 : 0);
  }
  const std::size_t n = rss_kib.size();
  ASSERT_GE(n, 9u);
  const auto peak = [&](std::size_t from, std::size_t to) {
    return *std::max_element(rss_kib.begin() + static_cast<std::ptrdiff_t>(from),
                             rss_kib.begin() + static_cast<std::ptrdiff_t>(to));
  };
  const std::int64_t warm = peak(0, n / 3);
  const std::int64_t middle = peak(n / 3, 2 * n / 3);
  const std::int64_t last = peak(2 * n / 3, n);
  const std::int64_t allowed = std::max<std::int64_t>(4 * 1024, warm / 20);
  std::string samples;
  for (auto kib : rss_kib) samples += std::to_string(kib / 1024) + " ";
  EXPECT_LE(last - middle, allowed)
      << "rmtcd's memory still grows: peak " << middle / 1024
      << " MiB in the middle third, " << last / 1024 << " MiB in the last ("
      << allowed / 1024 << " MiB allowed); VmRSS each second (MiB): " << samples;

  std::printf(
      "[ fault    ] %.0f s, %d rounds, %d calls (%.0f/s); VmRSS MiB each second: %s\n"
      "[ fault    ] peak of the middle third %.1f MiB, of the last %.1f MiB; calls: %s\n",
      seconds, tally.iterations.load(), static_cast<int>(log.Calls().size()),
      static_cast<double>(log.Calls().size()) / seconds, samples.c_str(),
      static_cast<double>(middle) / 1024, static_cast<double>(last) / 1024,
      log.Summary().c_str());
  EXPECT_EQ(server->Stop(SIGTERM), 0) << server->output();
}

}  // namespace
}  // namespace rmtc::faults
