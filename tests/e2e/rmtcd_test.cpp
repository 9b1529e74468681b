// End to end: the real rmtcd binary, its embedded PostgreSQL, real gRPC.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <thread>

#include "grpc/health/v1/health.grpc.pb.h"
#include "rmtc/v1/licensing.grpc.pb.h"
#include "rmtc/v1/lineage.grpc.pb.h"
#include "store/migrator.h"
#include "support/process.h"
#include "support/shared_rmtcd.h"
#include "support/test_cluster.h"

namespace rmtc {
namespace {

using testing::RmtcdProcess;
using testing::TempDir;
using testing::TestCluster;

constexpr char kRmtcd[] = RMTCD_PATH;

std::shared_ptr<grpc::Channel> Channel(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(256 * 1024 * 1024);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

std::unique_ptr<v1::Lineage::Stub> Connect(const std::string& address) {
  return v1::Lineage::NewStub(Channel(address));
}

// A call's context, with the admin token every test rmtcd accepts.
std::unique_ptr<grpc::ClientContext> Context(int seconds = 30) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
  context->AddMetadata("authorization", "Bearer " + testing::TestToken());
  return context;
}

std::string Digest(char c) { return std::string(64, c); }

testing::Finished RunRmtcd(std::vector<std::string> args) {
  args.insert(args.begin(), kRmtcd);
  return testing::Run(args);
}

v1::NewArtefact Item(v1::Kind kind, const std::string& name,
                     const std::string& sha = "") {
  v1::NewArtefact a;
  a.set_kind(kind);
  a.set_name(name);
  a.set_sha256(sha);
  return a;
}

int HealthOf(const std::string& address, const std::string& service) {
  auto stub = grpc::health::v1::Health::NewStub(Channel(address));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  grpc::health::v1::HealthCheckResponse response;
  auto context = Context(5);
  if (!stub->Check(context.get(), request, &response).ok()) return -1;
  return response.status();
}

// Waits until the server reports `status` (health follows the database).
bool WaitForHealth(const std::string& address, int status, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (HealthOf(address, "") == status) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

class RmtcdTest : public ::testing::Test {
 protected:
  void SetUp() override { stub_ = Connect(testing::SharedRmtcd::Get().address()); }

  // How many artefacts the shared server holds: every refusal must leave
  // this unchanged.
  int CountAll() {
    int count = 0;
    v1::ListArtefactsRequest request;
    request.set_page_size(1000);
    for (;;) {
      v1::ListArtefactsResponse response;
      auto context = Context();
      auto status = stub_->ListArtefacts(context.get(), request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) return -1;
      count += response.artefacts_size();
      if (response.next_page_token().empty()) return count;
      request.set_page_token(response.next_page_token());
    }
  }

  grpc::Status Register(const v1::RegisterArtefactsRequest& request,
                        v1::RegisterArtefactsResponse* response = nullptr) {
    v1::RegisterArtefactsResponse ignored;
    auto context = Context();
    return stub_->RegisterArtefacts(context.get(), request,
                                    response ? response : &ignored);
  }

  std::string AddOne(v1::Kind kind, const std::string& name) {
    v1::RegisterArtefactsRequest request;
    *request.add_artefacts() = Item(kind, name);
    v1::RegisterArtefactsResponse response;
    auto status = Register(request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.artefacts(0).artefact().id();
  }

  // The call is refused with `code` and `message`, and nothing is stored.
  void ExpectRefused(const v1::RegisterArtefactsRequest& request, grpc::StatusCode code,
                     const std::string& message) {
    const int before = CountAll();
    auto status = Register(request);
    EXPECT_EQ(status.error_code(), code) << status.error_message();
    EXPECT_EQ(status.error_message(), message);
    EXPECT_EQ(CountAll(), before) << "a refused write stored something";
  }

  std::unique_ptr<v1::Lineage::Stub> stub_;
};

TEST_F(RmtcdTest, ServesHealthAndReflection) {
  EXPECT_TRUE(
      WaitForHealth(testing::SharedRmtcd::Get().address(), 1, std::chrono::seconds(10)));
  EXPECT_EQ(HealthOf(testing::SharedRmtcd::Get().address(), "rmtc.v1.Lineage"), 1);
  EXPECT_EQ(HealthOf(testing::SharedRmtcd::Get().address(), "rmtc.v1.Licensing"), 1);
  EXPECT_EQ(HealthOf(testing::SharedRmtcd::Get().address(), "rmtc.v1.Nothing"), -1);

  // grpc.reflection.v1alpha ServerReflectionInfo, list_services: a raw
  // bidirectional call, so the test needs no reflection stubs.
  grpc::GenericStub generic(Channel(testing::SharedRmtcd::Get().address()));
  grpc::CompletionQueue cq;
  auto context = Context(10);
  auto call = generic.PrepareCall(
      context.get(), "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
      &cq);
  void* tag = nullptr;
  bool ok = false;
  call->StartCall(reinterpret_cast<void*>(1));
  ASSERT_TRUE(cq.Next(&tag, &ok) && ok);
  const std::string list_services("\x3a\x00", 2);  // field 7, empty string
  grpc::Slice slice(list_services);
  grpc::ByteBuffer request(&slice, 1);
  call->Write(request, reinterpret_cast<void*>(2));
  ASSERT_TRUE(cq.Next(&tag, &ok) && ok);
  grpc::ByteBuffer response;
  call->Read(&response, reinterpret_cast<void*>(3));
  ASSERT_TRUE(cq.Next(&tag, &ok) && ok);
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(response.Dump(&slices).ok());
  std::string bytes;
  for (const auto& s : slices)
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  EXPECT_NE(bytes.find("rmtc.v1.Lineage"), std::string::npos);
  EXPECT_NE(bytes.find("rmtc.v1.Licensing"), std::string::npos);
  EXPECT_NE(bytes.find("grpc.health.v1.Health"), std::string::npos);
  context->TryCancel();
  grpc::Status finish;
  call->Finish(&finish, reinterpret_cast<void*>(4));
  cq.Next(&tag, &ok);
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
}

TEST_F(RmtcdTest, RegisterRecordAndTraceOverTheWire) {
  v1::RegisterArtefactsRequest request;
  request.set_created_by("td@rongotai");
  *request.add_artefacts() = Item(v1::KIND_ASSET, "plate_0010.exr", Digest('1'));
  auto dataset = Item(v1::KIND_DATASET, "wellington-plates");
  auto* member = dataset.add_sources();
  member->set_relation(v1::RELATION_CONTAINS);
  member->set_batch_index(0);
  dataset.set_attributes(R"({"licence": "studio-internal"})");
  auto* ext = dataset.add_external_ids();
  ext->set_system("shotgrid");
  ext->set_id("e2e-dataset-1");
  *request.add_artefacts() = dataset;
  v1::RegisterArtefactsResponse registered;
  auto status = Register(request, &registered);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(registered.artefacts_size(), 2);
  const std::string dataset_id = registered.artefacts(1).artefact().id();
  EXPECT_EQ(registered.artefacts(1).artefact().created_by(), "td@rongotai");
  EXPECT_GT(registered.artefacts(1).artefact().created_at().seconds(), 0);

  v1::RecordTrainingRunRequest run;
  run.mutable_run()->set_name("lora-ft-7");
  run.add_trained_on(dataset_id);
  auto* weights = run.add_weights();
  weights->set_name("lora-ft-7.safetensors");
  weights->set_sha256(Digest('2'));
  v1::RecordTrainingRunResponse recorded;
  auto context = Context();
  status = stub_->RecordTrainingRun(context.get(), run, &recorded);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(recorded.run().artefact().kind(), v1::KIND_RUN);
  ASSERT_EQ(recorded.weights_size(), 1);
  EXPECT_EQ(recorded.weights(0).artefact().kind(), v1::KIND_WEIGHTS);

  v1::RecordInferenceRequest inference;
  inference.mutable_inference()->set_name("nuke: sh010 comp");
  inference.add_uses(recorded.weights(0).artefact().id());
  inference.add_inputs(registered.artefacts(0).artefact().id());
  inference.add_outputs()->set_name("sh010_comp_v001.exr");
  v1::RecordInferenceResponse inferred;
  context = Context();
  status = stub_->RecordInference(context.get(), inference, &inferred);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(inferred.outputs_size(), 1);
  EXPECT_EQ(inferred.outputs(0).artefact().kind(), v1::KIND_ASSET);

  v1::TraceRequest trace;
  trace.set_id(inferred.outputs(0).artefact().id());
  v1::TraceResponse traced;
  context = Context();
  status = stub_->Trace(context.get(), trace, &traced);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(traced.partial());
  ASSERT_EQ(traced.nodes_size(), 6);
  EXPECT_EQ(traced.nodes(0).depth(), 0);
  EXPECT_EQ(traced.nodes(5).artefact().id(), dataset_id);
  EXPECT_EQ(traced.nodes(5).depth(), 4);
  EXPECT_EQ(traced.edges_size(),
            6);  // output_of, uses, input, produced_by, trained_on, contains

  v1::FindArtefactsRequest find;
  find.mutable_external_id()->set_system("shotgrid");
  find.mutable_external_id()->set_id("e2e-dataset-1");
  v1::FindArtefactsResponse found;
  context = Context();
  ASSERT_TRUE(stub_->FindArtefacts(context.get(), find, &found).ok());
  ASSERT_EQ(found.artefacts_size(), 1);
  EXPECT_EQ(found.artefacts(0).id(), dataset_id);
  EXPECT_EQ(found.artefacts(0).attributes(), R"({"licence": "studio-internal"})");
}

TEST_F(RmtcdTest, RepeatsAreIdempotent) {
  v1::RegisterArtefactsRequest request;
  request.set_request_id("e2e-import-batch-1");
  *request.add_artefacts() = Item(v1::KIND_ASSET, "a", Digest('3'));
  *request.add_artefacts() = Item(v1::KIND_ASSET, "b");
  v1::RegisterArtefactsResponse first, second;
  ASSERT_TRUE(Register(request, &first).ok());
  const int count = CountAll();
  ASSERT_TRUE(Register(request, &second).ok());
  EXPECT_EQ(first.SerializeAsString(), second.SerializeAsString());
  EXPECT_EQ(CountAll(), count);

  // The same content without a request id: the stored artefact comes back.
  v1::RegisterArtefactsRequest same_digest;
  *same_digest.add_artefacts() = Item(v1::KIND_ASSET, "a, again", Digest('3'));
  v1::RegisterArtefactsResponse third;
  ASSERT_TRUE(Register(same_digest, &third).ok());
  EXPECT_TRUE(third.artefacts(0).existed());
  EXPECT_EQ(third.artefacts(0).artefact().id(), first.artefacts(0).artefact().id());
  EXPECT_EQ(CountAll(), count);

  request.mutable_artefacts(1)->set_name("changed");
  ExpectRefused(request, grpc::StatusCode::ALREADY_EXISTS,
                "request_id: 'e2e-import-batch-1' was already used for a different "
                "RegisterArtefacts request; use a new id for a new request");
}

TEST_F(RmtcdTest, BadInputIsRefusedPreciselyAndWritesNothing) {
  const std::string dataset = AddOne(v1::KIND_DATASET, "d");
  const auto fine = Item(v1::KIND_ASSET, "fine");
  auto batch = [&](v1::NewArtefact item) {
    v1::RegisterArtefactsRequest request;
    *request.add_artefacts() = fine;
    *request.add_artefacts() = std::move(item);
    return request;
  };

  ExpectRefused(batch(Item(static_cast<v1::Kind>(99), "x")),
                grpc::StatusCode::INVALID_ARGUMENT, "artefacts[1].kind: unknown kind 99");
  auto unknown_relation = Item(v1::KIND_ASSET, "x");
  unknown_relation.add_sources()->set_relation(static_cast<v1::Relation>(42));
  ExpectRefused(batch(unknown_relation), grpc::StatusCode::INVALID_ARGUMENT,
                "artefacts[1].sources[0].relation: unknown relation 42");
  auto bad_id = Item(v1::KIND_ASSET, "x");
  auto* source = bad_id.add_sources();
  source->set_relation(v1::RELATION_DERIVED_FROM);
  source->set_id("12345");
  ExpectRefused(
      batch(bad_id), grpc::StatusCode::INVALID_ARGUMENT,
      "artefacts[1].sources[0].id: '12345' is not a UUID (8-4-4-4-12 hex digits)");
  auto missing = bad_id;
  missing.mutable_sources(0)->set_id("0190c4d2-7b1e-7c3a-9f00-123456789abc");
  ExpectRefused(
      batch(missing), grpc::StatusCode::NOT_FOUND,
      "artefacts[1].sources[0].id: no artefact 0190c4d2-7b1e-7c3a-9f00-123456789abc");
  auto not_allowed = bad_id;
  not_allowed.mutable_sources(0)->set_id(dataset);
  ExpectRefused(
      batch(not_allowed), grpc::StatusCode::FAILED_PRECONDITION,
      "artefacts[1].sources[0]: derived_from joins a dataset, asset or model to "
      "one of the same kind, not from an asset to a dataset");
  ExpectRefused(batch(Item(v1::KIND_ASSET, "x", "not-a-digest")),
                grpc::StatusCode::INVALID_ARGUMENT,
                "artefacts[1].sha256: 'not-a-digest' is not 64 hex digits (12 characters "
                "given)");
  ExpectRefused(batch(Item(v1::KIND_ASSET, "")), grpc::StatusCode::INVALID_ARGUMENT,
                "artefacts[1].name: is required and must not be empty");
  ExpectRefused(batch(Item(v1::KIND_ASSET, std::string(513, 'n'))),
                grpc::StatusCode::INVALID_ARGUMENT,
                "artefacts[1].name: is 513 bytes; the limit is 512");
  // Protobuf refuses to parse invalid UTF-8; rmtcd still says where it is.
  ExpectRefused(batch(Item(v1::KIND_ASSET, "plate_caf\xE9.exr")),
                grpc::StatusCode::INVALID_ARGUMENT,
                "artefacts[1].name: is not valid UTF-8");
  auto not_object = Item(v1::KIND_ASSET, "x");
  not_object.set_attributes("[1, 2, 3]");
  ExpectRefused(batch(not_object), grpc::StatusCode::INVALID_ARGUMENT,
                "artefacts[1].attributes: must be a JSON object, not array");
  auto too_big = Item(v1::KIND_ASSET, "x");
  too_big.set_attributes(R"({"blob": ")" + std::string(70000, 'x') + "\"}");
  ExpectRefused(batch(too_big), grpc::StatusCode::INVALID_ARGUMENT,
                "artefacts[1].attributes: is 70012 bytes; the limit is 65536");

  v1::RegisterArtefactsRequest huge;
  for (int i = 0; i < 10001; ++i) *huge.add_artefacts() = fine;
  ExpectRefused(huge, grpc::StatusCode::INVALID_ARGUMENT,
                "artefacts: 10001 items is over the limit of 10000 per request");

  auto tagged = Item(v1::KIND_ASSET, "tagged");
  auto* ext = tagged.add_external_ids();
  ext->set_system("ftrack");
  ext->set_id("e2e-taken");
  v1::RegisterArtefactsRequest first;
  *first.add_artefacts() = tagged;
  v1::RegisterArtefactsResponse owner;
  ASSERT_TRUE(Register(first, &owner).ok());
  tagged.set_name("another");
  ExpectRefused(batch(tagged), grpc::StatusCode::ALREADY_EXISTS,
                "artefacts[1].external_ids[0]: ftrack:e2e-taken already names artefact " +
                    owner.artefacts(0).artefact().id());
}

TEST_F(RmtcdTest, ReadsRefuseBadIdsAndLimits) {
  const std::string id = AddOne(v1::KIND_ASSET, "t");
  v1::GetArtefactRequest get;
  get.set_id("not-a-uuid");
  v1::Artefact artefact;
  auto context = Context();
  auto status = stub_->GetArtefact(context.get(), get, &artefact);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "id: 'not-a-uuid' is not a UUID (8-4-4-4-12 hex digits)");
  get.set_id("0190c4d2-7b1e-7c3a-9f00-123456789abc");
  context = Context();
  status = stub_->GetArtefact(context.get(), get, &artefact);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(),
            "id: no artefact 0190c4d2-7b1e-7c3a-9f00-123456789abc");

  auto trace = [&](int depth, int nodes) {
    v1::TraceRequest request;
    request.set_id(id);
    request.set_max_depth(depth);
    request.set_max_nodes(nodes);
    v1::TraceResponse response;
    auto ctx = Context();
    return stub_->Trace(ctx.get(), request, &response);
  };
  EXPECT_EQ(trace(100001, 0).error_message(),
            "max_depth: 100001 is out of range (1..100000, or 0 for no limit)");
  EXPECT_EQ(trace(-3, 0).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(trace(0, -1).error_message(),
            "max_nodes: -1 is out of range (1..100000, or 0 for 1000)");
  EXPECT_TRUE(trace(1, 1).ok());

  v1::ListArtefactsRequest list;
  list.set_page_size(5000);
  v1::ListArtefactsResponse listed;
  context = Context();
  EXPECT_EQ(stub_->ListArtefacts(context.get(), list, &listed).error_message(),
            "page_size: 5000 is out of range (1..1000, or 0 for 100)");
}

// Timestamps outside google.protobuf.Timestamp's range are refused by name,
// before anything reaches the database, and write nothing.
TEST_F(RmtcdTest, TimestampsOutOfRangeAreRefusedByName) {
  v1::ListArtefactsRequest list;
  list.mutable_created_after()->set_seconds(1'000'000'000'000'000);
  v1::ListArtefactsResponse listed;
  auto context = Context();
  auto status = stub_->ListArtefacts(context.get(), list, &listed);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "created_after: seconds 1000000000000000 is outside 0001-01-01..9999-12-31");
  list.clear_created_after();
  list.mutable_created_before()->set_nanos(-1);
  context = Context();
  EXPECT_EQ(stub_->ListArtefacts(context.get(), list, &listed).error_message(),
            "created_before: nanos -1 is outside 0..999999999");

  const std::string asset = AddOne(v1::KIND_ASSET, "consented plate");
  auto licensing = v1::Licensing::NewStub(Channel(testing::SharedRmtcd::Get().address()));
  v1::SetConsentRequest consent;
  consent.set_artefact_id(asset);
  consent.set_party("An Artist");
  consent.set_ai_training(v1::CONSENT_VALUE_NOT_ALLOWED);
  consent.mutable_effective_at()->set_seconds(-70'000'000'000);  // before year 1
  v1::ConsentRecord record;
  context = Context();
  status = licensing->SetConsent(context.get(), consent, &record);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "effective_at: seconds -70000000000 is outside 0001-01-01..9999-12-31");
  v1::ConsentHistoryRequest history_request;
  history_request.set_artefact_id(asset);
  v1::ConsentHistoryResponse history;
  context = Context();
  ASSERT_TRUE(
      licensing->GetConsentHistory(context.get(), history_request, &history).ok());
  EXPECT_EQ(history.records_size(), 0) << "a refused consent was stored";

  v1::AddLicenceRequest add;
  add.mutable_licence()->set_id("LicenseRef-E2E-Far-Future");
  add.mutable_licence()->set_name("far future");
  add.mutable_licence()->mutable_valid_until()->set_seconds(253'402'300'800);
  v1::Licence licence;
  context = Context();
  status = licensing->AddLicence(context.get(), add, &licence);
  EXPECT_EQ(
      status.error_message(),
      "licence.valid_until: seconds 253402300800 is outside 0001-01-01..9999-12-31");
  v1::GetLicenceRequest get;
  get.set_id("LicenseRef-E2E-Far-Future");
  context = Context();
  EXPECT_EQ(licensing->GetLicence(context.get(), get, &licence).error_code(),
            grpc::StatusCode::NOT_FOUND);
  // The last second of 9999 is accepted.
  add.mutable_licence()->mutable_valid_until()->set_seconds(253'402'300'799);
  context = Context();
  EXPECT_TRUE(licensing->AddLicence(context.get(), add, &licence).ok());
}

// Input that would be stored changed, or that makes a name print as another
// name, is refused by field, and nothing is written.
TEST_F(RmtcdTest, TextThatWouldBeChangedOrMisleadIsRefused) {
  const auto fine = Item(v1::KIND_ASSET, "fine");
  auto batch = [&](v1::NewArtefact item) {
    v1::RegisterArtefactsRequest request;
    *request.add_artefacts() = fine;
    *request.add_artefacts() = std::move(item);
    return request;
  };
  // The JSON parser stopped at the NUL: {"a":"b"} was stored, the rest lost.
  auto smuggled = Item(v1::KIND_ASSET, "x");
  smuggled.set_attributes(std::string("{\"a\":\"b\"}\0{\"admin\":true}", 24));
  ExpectRefused(
      batch(smuggled), grpc::StatusCode::INVALID_ARGUMENT,
      "artefacts[1].attributes: holds a NUL byte at offset 9 (JSON text has none; "
      "all after it would be lost)");
  ExpectRefused(batch(Item(v1::KIND_ASSET,
                           "plate\xC2\x85"
                           "0010.exr")),
                grpc::StatusCode::INVALID_ARGUMENT,
                "artefacts[1].name: holds a C1 control character (U+0085 at offset 5)");
  // Prints as "sh010_comp_vexe.100" in a report.
  ExpectRefused(
      batch(Item(v1::KIND_ASSET,
                 "sh010_comp_v\xE2\x80\xAE"
                 "001.exe")),
      grpc::StatusCode::INVALID_ARGUMENT,
      "artefacts[1].name: holds a bidirectional control character (U+202E at offset "
      "12), which can make the text print as other text");
  auto isolate = Item(v1::KIND_ASSET, "x");
  isolate.set_facility("\xE2\x81\xA6wellington");
  ExpectRefused(
      batch(isolate), grpc::StatusCode::INVALID_ARGUMENT,
      "artefacts[1].facility: holds a bidirectional control character (U+2066 at "
      "offset 0), which can make the text print as other text");

  // The same rule for every text field, here a consent's party.
  const std::string asset = AddOne(v1::KIND_ASSET, "consent target");
  auto licensing = v1::Licensing::NewStub(Channel(testing::SharedRmtcd::Get().address()));
  v1::SetConsentRequest consent;
  consent.set_artefact_id(asset);
  consent.set_party(
      "Ngaio \xE2\x80\xAE"
      "tsitrA");
  consent.set_ai_training(v1::CONSENT_VALUE_ALLOWED);
  v1::ConsentRecord record;
  auto context = Context();
  auto status = licensing->SetConsent(context.get(), consent, &record);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(
      status.error_message(),
      "party: holds a bidirectional control character (U+202E at offset 6), which can "
      "make the text print as other text");
  v1::ConsentHistoryRequest history_request;
  history_request.set_artefact_id(asset);
  v1::ConsentHistoryResponse history;
  context = Context();
  ASSERT_TRUE(
      licensing->GetConsentHistory(context.get(), history_request, &history).ok());
  EXPECT_EQ(history.records_size(), 0) << "a refused consent was stored";
}

// The last moment of 9999 is stored as that moment (to the microsecond),
// not rounded into the year 10000 on its way into PostgreSQL.
TEST_F(RmtcdTest, TheLastMicrosecondOf9999StaysIn9999) {
  const std::string asset = AddOne(v1::KIND_ASSET, "far future");
  auto licensing = v1::Licensing::NewStub(Channel(testing::SharedRmtcd::Get().address()));
  v1::SetConsentRequest consent;
  consent.set_artefact_id(asset);
  consent.set_party("An Artist");
  consent.set_ai_training(v1::CONSENT_VALUE_ALLOWED);
  consent.mutable_effective_at()->set_seconds(253'402'300'799);  // 9999-12-31T23:59:59
  consent.mutable_effective_at()->set_nanos(999'999'999);
  v1::ConsentRecord record;
  auto context = Context();
  ASSERT_TRUE(licensing->SetConsent(context.get(), consent, &record).ok());
  EXPECT_EQ(record.effective_at().seconds(), 253'402'300'799);
  EXPECT_EQ(record.effective_at().nanos(), 999'999'000);
  v1::ConsentHistoryRequest history_request;
  history_request.set_artefact_id(asset);
  v1::ConsentHistoryResponse history;
  context = Context();
  ASSERT_TRUE(
      licensing->GetConsentHistory(context.get(), history_request, &history).ok());
  ASSERT_EQ(history.records_size(), 1);
  EXPECT_EQ(history.records(0).effective_at().seconds(), 253'402'300'799);
  EXPECT_EQ(history.records(0).effective_at().nanos(), 999'999'000);

  v1::AddLicenceRequest add;
  add.mutable_licence()->set_id("LicenseRef-E2E-Last-Microsecond");
  add.mutable_licence()->set_name("until the end");
  add.mutable_licence()->mutable_valid_until()->set_seconds(253'402'300'799);
  add.mutable_licence()->mutable_valid_until()->set_nanos(999'999'999);
  v1::Licence licence;
  context = Context();
  ASSERT_TRUE(licensing->AddLicence(context.get(), add, &licence).ok());
  EXPECT_EQ(licence.valid_until().seconds(), 253'402'300'799);
  EXPECT_EQ(licence.valid_until().nanos(), 999'999'000);
}

// Every single-bit change of a real page token is refused by name: a
// token never resumes a listing somewhere else.
TEST_F(RmtcdTest, EveryBitFlipOfAPageTokenIsRefused) {
  const std::string facility = "e2e-tokens-" + std::to_string(::getpid());
  v1::RegisterArtefactsRequest three;
  for (const char* name : {"a", "b", "c"}) {
    auto item = Item(v1::KIND_ASSET, name);
    item.set_facility(facility);
    *three.add_artefacts() = item;
  }
  three.mutable_artefacts(1)->add_sources()->set_batch_index(0);
  three.mutable_artefacts(1)->mutable_sources(0)->set_relation(v1::RELATION_DERIVED_FROM);
  three.mutable_artefacts(2)->add_sources()->set_batch_index(1);
  three.mutable_artefacts(2)->mutable_sources(0)->set_relation(v1::RELATION_DERIVED_FROM);
  v1::RegisterArtefactsResponse stored;
  ASSERT_TRUE(Register(three, &stored).ok());
  const std::string first = stored.artefacts(0).artefact().id();
  const std::string last = stored.artefacts(2).artefact().id();
  auto licensing = v1::Licensing::NewStub(Channel(testing::SharedRmtcd::Get().address()));

  v1::ListArtefactsRequest list;
  list.set_facility(facility);
  list.set_page_size(1);
  v1::TraceRequest trace;
  trace.set_id(last);
  trace.set_max_nodes(1);
  v1::ImpactRequest impact;
  impact.set_artefact_id(first);
  impact.set_page_size(1);
  v1::ListLicencesRequest licences;
  licences.set_page_size(1);
  // Each call with `token`: its status and the next page's token.
  using Call = std::function<std::pair<grpc::Status, std::string>(const std::string&)>;
  auto paged = [](auto& request, auto method) -> Call {
    return [&request, method](const std::string& token) {
      request.set_page_token(token);
      auto context = Context();
      return method(context.get(), request);
    };
  };
  const std::vector<std::pair<std::string, Call>> calls = {
      {"list", paged(list,
                     [&](grpc::ClientContext* c, const v1::ListArtefactsRequest& r) {
                       v1::ListArtefactsResponse out;
                       auto status = stub_->ListArtefacts(c, r, &out);
                       return std::pair(status, out.next_page_token());
                     })},
      {"trace", paged(trace,
                      [&](grpc::ClientContext* c, const v1::TraceRequest& r) {
                        v1::TraceResponse out;
                        auto status = stub_->Trace(c, r, &out);
                        return std::pair(status, out.next_page_token());
                      })},
      {"impact", paged(impact,
                       [&](grpc::ClientContext* c, const v1::ImpactRequest& r) {
                         v1::ImpactResponse out;
                         auto status = licensing->GetImpact(c, r, &out);
                         return std::pair(status, out.next_page_token());
                       })},
      {"licences",
       paged(licences, [&](grpc::ClientContext* c, const v1::ListLicencesRequest& r) {
         v1::ListLicencesResponse out;
         auto status = licensing->ListLicences(c, r, &out);
         return std::pair(status, out.next_page_token());
       })}};
  for (const auto& [what, call] : calls) {
    const auto [page_one, token] = call("");
    ASSERT_TRUE(page_one.ok()) << what << ": " << page_one.error_message();
    ASSERT_FALSE(token.empty()) << what;
    EXPECT_TRUE(call(token).first.ok()) << what << ": the real token";
    int refused = 0;
    for (std::size_t bit = 0; bit < token.size() * 8; ++bit) {
      std::string flipped = token;
      flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1 << (bit % 8)));
      const grpc::Status status = call(flipped).first;
      EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
          << what << " bit " << bit;
      EXPECT_EQ(status.error_message().rfind("page_token: ", 0), 0u)
          << what << " bit " << bit << ": " << status.error_message();
      refused += status.error_code() == grpc::StatusCode::INVALID_ARGUMENT;
    }
    EXPECT_EQ(refused, static_cast<int>(token.size() * 8)) << what;
  }
}

// Everything below starts rmtcd processes of its own.

TEST(RmtcdLifecycle, SecondStartReusesTheDataAndAKillIsRecovered) {
  TempDir dir;
  const std::vector<std::string> args = {"--data-dir",   (dir.path() / "d").string(),
                                         "--log-format", "json",
                                         "--log-level",  "debug"};
  std::string error;
  auto first = RmtcdProcess::Start(kRmtcd, args, &error);
  ASSERT_NE(first, nullptr) << error;
  v1::RegisterArtefactsRequest request;
  *request.add_artefacts() = Item(v1::KIND_DATASET, "survives restarts");
  v1::RegisterArtefactsResponse response;
  auto context = Context();
  ASSERT_TRUE(Connect(first->address())
                  ->RegisterArtefacts(context.get(), request, &response)
                  .ok());
  const std::string id = response.artefacts(0).artefact().id();
  EXPECT_EQ(first->Stop(SIGTERM), 0);

  // Every log line is one JSON document; the RPC was logged at debug.
  bool saw_rpc = false;
  std::istringstream lines(first->output());
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("rmtcd listening on")) continue;  // the stdout line
    auto parsed = nlohmann::json::parse(line, nullptr, false);
    ASSERT_FALSE(parsed.is_discarded()) << line;
    saw_rpc |= parsed["msg"].get<std::string>().starts_with("rpc RegisterArtefacts OK");
  }
  EXPECT_TRUE(saw_rpc) << first->output();

  auto second = RmtcdProcess::Start(kRmtcd, args, &error);
  ASSERT_NE(second, nullptr) << error;
  v1::GetArtefactRequest get;
  get.set_id(id);
  v1::Artefact artefact;
  context = Context();
  ASSERT_TRUE(
      Connect(second->address())->GetArtefact(context.get(), get, &artefact).ok());
  EXPECT_EQ(artefact.name(), "survives restarts");
  EXPECT_EQ(second->output().find("creating the embedded PostgreSQL cluster"),
            std::string::npos);

  // kill -9: the embedded PostgreSQL is told to stop, and the next start
  // finds every acknowledged record.
  EXPECT_EQ(second->Stop(SIGKILL), -SIGKILL);
  auto third = RmtcdProcess::Start(kRmtcd, args, &error);
  ASSERT_NE(third, nullptr) << error;
  context = Context();
  ASSERT_TRUE(Connect(third->address())->GetArtefact(context.get(), get, &artefact).ok());
  EXPECT_EQ(third->Stop(SIGINT), 0);
}

TEST(RmtcdLifecycle, StopsWhenItsEmbeddedPostgresDies) {
  TempDir dir;
  std::string error;
  auto server =
      RmtcdProcess::Start(kRmtcd, {"--data-dir", (dir.path() / "d").string()}, &error);
  ASSERT_NE(server, nullptr) << error;
  std::ifstream pid_file(dir.path() / "d" / "postgres" / "postmaster.pid");
  pid_t postgres = 0;
  ASSERT_TRUE(pid_file >> postgres);
  ASSERT_EQ(kill(postgres, SIGKILL), 0);
  // rmtcd notices within a few seconds and ends with exit code 1.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline &&
         server->output().find("stopped unexpectedly") == std::string::npos) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_NE(server->output().find("the embedded PostgreSQL stopped unexpectedly"),
            std::string::npos)
      << server->output();
  EXPECT_EQ(server->Stop(SIGTERM), 1) << server->output();
}

TEST(RmtcdLifecycle, TwoRmtcdOnOneFreshDatabaseBothComeUp) {
  TestCluster cluster;
  const std::string url = cluster.CreateDatabase(/*migrated=*/false);
  // Launched together from this thread (a child dies with the thread that
  // started it), then awaited.
  auto a = RmtcdProcess::Launch(kRmtcd, {"--database-url", url});
  auto b = RmtcdProcess::Launch(kRmtcd, {"--database-url", url});
  std::string error_a, error_b;
  ASSERT_TRUE(a && a->WaitUntilListening(&error_a)) << error_a;
  ASSERT_TRUE(b && b->WaitUntilListening(&error_b)) << error_b;
  EXPECT_TRUE(WaitForHealth(a->address(), 1, std::chrono::seconds(10))) << a->output();
  EXPECT_TRUE(WaitForHealth(b->address(), 1, std::chrono::seconds(10))) << b->output();
  v1::RegisterArtefactsRequest request;
  *request.add_artefacts() = Item(v1::KIND_MODEL, "from a");
  v1::RegisterArtefactsResponse response;
  auto context = Context();
  ASSERT_TRUE(
      Connect(a->address())->RegisterArtefacts(context.get(), request, &response).ok());
  v1::GetArtefactRequest get;
  get.set_id(response.artefacts(0).artefact().id());
  v1::Artefact artefact;
  context = Context();
  ASSERT_TRUE(Connect(b->address())->GetArtefact(context.get(), get, &artefact).ok());
  EXPECT_EQ(TestCluster::Query(url, "SELECT count(*) FROM schema_version"),
            std::to_string(store::BuiltinMigrations().size()));
}

TEST(RmtcdLifecycle, RefusesADatabaseWithANewerSchema) {
  TestCluster cluster;
  const std::string url = cluster.CreateDatabase();
  TestCluster::Query(
      url, "INSERT INTO schema_version (version, name) VALUES (7000, 'future')");
  auto run = RunRmtcd({"--database-url", url, "--listen", "127.0.0.1:0"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE((run.out + run.err)
                .find("the database schema is at version 7000, newer than this rmtcd"),
            std::string::npos)
      << (run.out + run.err);
}

TEST(RmtcdLifecycle, DatabaseOutageAnswersUnavailableThenRecovers) {
  TestCluster cluster;
  const std::string url = cluster.CreateDatabase();
  std::string error;
  auto server = RmtcdProcess::Start(kRmtcd, {"--database-url", url}, &error);
  ASSERT_NE(server, nullptr) << error;
  auto stub = Connect(server->address());
  v1::RegisterArtefactsRequest request;
  *request.add_artefacts() = Item(v1::KIND_ASSET, "before the outage");
  v1::RegisterArtefactsResponse response;
  auto context = Context();
  ASSERT_TRUE(stub->RegisterArtefacts(context.get(), request, &response).ok());

  cluster.Stop();
  v1::GetArtefactRequest get;
  get.set_id(response.artefacts(0).artefact().id());
  v1::Artefact artefact;
  context = Context();
  auto status = stub->GetArtefact(context.get(), get, &artefact);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  context = Context();
  status = stub->RegisterArtefacts(context.get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_TRUE(WaitForHealth(server->address(), 2, std::chrono::seconds(15)));

  cluster.Start();
  context = Context();
  status = stub->GetArtefact(context.get(), get, &artefact);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(WaitForHealth(server->address(), 1, std::chrono::seconds(15)));
  EXPECT_EQ(TestCluster::Query(url, "SELECT count(*) FROM artefact"), "1");
}

TEST(RmtcdCommandLine, HelpTeachesAndBadUsageFails) {
  auto help = RunRmtcd({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* needle :
       {"--listen", "--data-dir", "--database-url", "--log-level", "--log-format",
        "RMTC_DATABASE_URL", "/var/lib/rmtc", "port 0"}) {
    EXPECT_NE((help.out + help.err).find(needle), std::string::npos) << needle;
  }
  auto bad = RunRmtcd({"--log-format", "xml"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE((bad.out + bad.err).find("--log-format"), std::string::npos)
      << (bad.out + bad.err);
}

TEST(RmtcdCommandLine, ProbeReportsHealth) {
  auto serving = RunRmtcd({"--probe", "--listen", testing::SharedRmtcd::Get().address()});
  EXPECT_EQ(serving.exit_code, 0) << (serving.out + serving.err);
  auto nobody = RunRmtcd({"--probe", "--listen", "127.0.0.1:1"});
  EXPECT_EQ(nobody.exit_code, 1);
}

TEST(RmtcdCommandLine, ASecondServerCannotTakeATakenAddress) {
  TempDir dir;
  auto run = RunRmtcd({"--data-dir", (dir.path() / "d").string(), "--listen",
                       testing::SharedRmtcd::Get().address()});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE((run.out + run.err)
                .find("cannot listen on " + testing::SharedRmtcd::Get().address()),
            std::string::npos)
      << run.out + run.err;
}

TEST(RmtcdCommandLine, RootDataDirMustBeReachableByPostgres) {
  if (geteuid() != 0) GTEST_SKIP() << "only root hands the cluster to 'postgres'";
  TempDir dir;
  const auto closed = dir.path() / "closed";
  std::filesystem::create_directories(closed);
  std::filesystem::permissions(closed, std::filesystem::perms::owner_all);
  auto run = RunRmtcd({"--data-dir", (closed / "data").string()});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE((run.out + run.err).find("cannot reach"), std::string::npos)
      << (run.out + run.err);
}

}  // namespace
}  // namespace rmtc

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new rmtc::testing::SharedRmtcd(RMTCD_PATH));
  return RUN_ALL_TESTS();
}
