// Who may do what, end to end: the real rmtcd with --auth required, tokens
// made through rmtc.v1.Access, every RPC called with every role, no token
// and a bad token. An allowed call may still fail on its content (NOT_FOUND,
// FAILED_PRECONDITION): what it must never get is UNAUTHENTICATED or
// PERMISSION_DENIED. A refused write leaves every table as it was.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <thread>

#include "rmtc/v1/access.grpc.pb.h"
#include "rmtc/v1/audit.grpc.pb.h"
#include "rmtc/v1/licensing.grpc.pb.h"
#include "rmtc/v1/lineage.grpc.pb.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace rmtc {
namespace {

using testing::RmtcdProcess;
using testing::TempDir;

constexpr char kRmtcd[] = RMTCD_PATH;

// Who calls: a token's secret, "" for none.
class Stubs {
 public:
  explicit Stubs(const std::string& address)
      : channel_(grpc::CreateChannel(address, grpc::InsecureChannelCredentials())),
        lineage(v1::Lineage::NewStub(channel_)),
        licensing(v1::Licensing::NewStub(channel_)),
        access(v1::Access::NewStub(channel_)),
        audit(v1::Audit::NewStub(channel_)) {}

  static std::unique_ptr<grpc::ClientContext> As(const std::string& secret) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    if (!secret.empty()) context->AddMetadata("authorization", "Bearer " + secret);
    return context;
  }

 private:
  std::shared_ptr<grpc::Channel> channel_;

 public:
  std::unique_ptr<v1::Lineage::Stub> lineage;
  std::unique_ptr<v1::Licensing::Stub> licensing;
  std::unique_ptr<v1::Access::Stub> access;
  std::unique_ptr<v1::Audit::Stub> audit;
};

v1::NewArtefact Item(v1::Kind kind, const std::string& name,
                     const std::string& facility = "") {
  v1::NewArtefact a;
  a.set_kind(kind);
  a.set_name(name);
  a.set_facility(facility);
  return a;
}

class AccessE2e : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    rmtcd_ = RmtcdProcess::Start(kRmtcd, {"--data-dir", (dir_.path() / "data").string()},
                                 &error);
    ASSERT_NE(rmtcd_, nullptr) << error;
    stubs_ = std::make_unique<Stubs>(rmtcd_->address());
    admin_ = testing::TestToken();
    for (const auto& [name, role] :
         std::vector<std::pair<std::string, v1::Role>>{{"reader", v1::ROLE_READER},
                                                       {"recorder", v1::ROLE_RECORDER},
                                                       {"rights", v1::ROLE_RIGHTS},
                                                       {"admin", v1::ROLE_ADMIN}}) {
      tokens_[role] = Create(name, role);
    }
    // Fixtures the writes name: a dataset, a licence, a clearance.
    dataset_ = Register("plates", "wlg");
    v1::AddLicenceRequest licence;
    licence.mutable_licence()->set_id("LicenseRef-Access-Test");
    licence.mutable_licence()->set_name("Access test licence");
    licence.mutable_licence()->mutable_terms()->set_field_of_use(
        v1::FIELD_OF_USE_COMMERCIAL);
    v1::Licence added;
    ASSERT_TRUE(
        stubs_->licensing->AddLicence(Stubs::As(admin_).get(), licence, &added).ok());
    v1::AddClearanceRequest clearance;
    auto* c = clearance.mutable_clearance();
    c->set_party("Ngaio");
    c->set_evidence("contract 1");
    c->set_artefact_id(dataset_);
    c->add_rules("field-of-use");
    v1::Clearance cleared;
    ASSERT_TRUE(
        stubs_->licensing->AddClearance(Stubs::As(admin_).get(), clearance, &cleared)
            .ok());
    clearance_ = cleared.id();
  }

  std::string Create(const std::string& name, v1::Role role,
                     const std::string& facility = "") {
    v1::CreateTokenRequest request;
    request.set_name(name);
    request.set_role(role);
    request.set_facility(facility);
    v1::CreateTokenResponse response;
    const auto status =
        stubs_->access->CreateToken(Stubs::As(admin_).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.secret();
  }

  std::string Register(const std::string& name, const std::string& facility) {
    v1::RegisterArtefactsRequest request;
    *request.add_artefacts() = Item(v1::KIND_DATASET, name, facility);
    v1::RegisterArtefactsResponse response;
    const auto status =
        stubs_->lineage->RegisterArtefacts(Stubs::As(admin_).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.artefacts_size() ? response.artefacts(0).artefact().id() : "";
  }

  // Everything a write could have changed, read as admin.
  std::string Snapshot() {
    std::string out;
    v1::ListArtefactsResponse artefacts;
    stubs_->lineage->ListArtefacts(Stubs::As(admin_).get(), {}, &artefacts);
    out += artefacts.ShortDebugString();
    v1::ListLicencesResponse licences;
    stubs_->licensing->ListLicences(Stubs::As(admin_).get(), {}, &licences);
    out += licences.ShortDebugString();
    v1::ListAttachmentsRequest attachments_of;
    attachments_of.set_artefact_id(dataset_);
    v1::ListAttachmentsResponse attachments;
    stubs_->licensing->ListAttachments(Stubs::As(admin_).get(), attachments_of,
                                       &attachments);
    out += attachments.ShortDebugString();
    v1::ConsentHistoryRequest consents_of;
    consents_of.set_artefact_id(dataset_);
    v1::ConsentHistoryResponse consents;
    stubs_->licensing->GetConsentHistory(Stubs::As(admin_).get(), consents_of, &consents);
    out += consents.ShortDebugString();
    v1::ListClearancesResponse clearances;
    stubs_->licensing->ListClearances(Stubs::As(admin_).get(), {}, &clearances);
    out += clearances.ShortDebugString();
    v1::ListTokensResponse tokens;
    stubs_->access->ListTokens(Stubs::As(admin_).get(), {}, &tokens);
    out += tokens.ShortDebugString();
    // A refused write appends no audit entry either.
    v1::AuditHead head;
    stubs_->audit->GetAuditHead(Stubs::As(admin_).get(), {}, &head);
    out += head.ShortDebugString();
    return out;
  }

  using Call = std::function<grpc::Status(const std::string& secret)>;

  // Every RPC of every service, with a request that would do its work.
  std::map<std::string, std::pair<v1::Role, Call>> Calls() {
    auto& s = *stubs_;
    std::map<std::string, std::pair<v1::Role, Call>> calls;
    auto add = [&](const std::string& name, v1::Role role, Call call) {
      calls[name] = {role, std::move(call)};
    };
    add("GetArtefact", v1::ROLE_READER, [&, id = dataset_](const std::string& t) {
      v1::GetArtefactRequest r;
      r.set_id(id);
      v1::Artefact out;
      return s.lineage->GetArtefact(Stubs::As(t).get(), r, &out);
    });
    add("FindArtefacts", v1::ROLE_READER, [&](const std::string& t) {
      v1::FindArtefactsRequest r;
      r.set_sha256(std::string(64, 'a'));
      v1::FindArtefactsResponse out;
      return s.lineage->FindArtefacts(Stubs::As(t).get(), r, &out);
    });
    add("ListArtefacts", v1::ROLE_READER, [&](const std::string& t) {
      v1::ListArtefactsResponse out;
      return s.lineage->ListArtefacts(Stubs::As(t).get(), {}, &out);
    });
    add("Trace", v1::ROLE_READER, [&, id = dataset_](const std::string& t) {
      v1::TraceRequest r;
      r.set_id(id);
      v1::TraceResponse out;
      return s.lineage->Trace(Stubs::As(t).get(), r, &out);
    });
    add("RegisterArtefacts", v1::ROLE_RECORDER, [&](const std::string& t) {
      v1::RegisterArtefactsRequest r;
      *r.add_artefacts() = Item(v1::KIND_DATASET, "more plates");
      v1::RegisterArtefactsResponse out;
      return s.lineage->RegisterArtefacts(Stubs::As(t).get(), r, &out);
    });
    add("RecordTrainingRun", v1::ROLE_RECORDER, [&, id = dataset_](const std::string& t) {
      v1::RecordTrainingRunRequest r;
      *r.mutable_run() = Item(v1::KIND_RUN, "run");
      r.add_trained_on(id);
      *r.add_weights() = Item(v1::KIND_WEIGHTS, "weights");
      v1::RecordTrainingRunResponse out;
      return s.lineage->RecordTrainingRun(Stubs::As(t).get(), r, &out);
    });
    add("RecordInference", v1::ROLE_RECORDER, [&, id = dataset_](const std::string& t) {
      v1::RecordInferenceRequest r;
      *r.mutable_inference() = Item(v1::KIND_INFERENCE, "inference");
      r.add_uses(id);  // not weights: refused on content when allowed
      *r.add_outputs() = Item(v1::KIND_ASSET, "frame");
      v1::RecordInferenceResponse out;
      return s.lineage->RecordInference(Stubs::As(t).get(), r, &out);
    });
    add("AddLicence", v1::ROLE_RIGHTS, [&](const std::string& t) {
      v1::AddLicenceRequest r;
      r.mutable_licence()->set_id("LicenseRef-Another");
      r.mutable_licence()->set_name("Another");
      r.mutable_licence()->mutable_terms()->set_field_of_use(v1::FIELD_OF_USE_COMMERCIAL);
      v1::Licence out;
      return s.licensing->AddLicence(Stubs::As(t).get(), r, &out);
    });
    add("GetLicence", v1::ROLE_READER, [&](const std::string& t) {
      v1::GetLicenceRequest r;
      r.set_id("LicenseRef-Access-Test");
      v1::Licence out;
      return s.licensing->GetLicence(Stubs::As(t).get(), r, &out);
    });
    add("ListLicences", v1::ROLE_READER, [&](const std::string& t) {
      v1::ListLicencesResponse out;
      return s.licensing->ListLicences(Stubs::As(t).get(), {}, &out);
    });
    add("RevokeLicence", v1::ROLE_RIGHTS, [&](const std::string& t) {
      v1::RevokeLicenceRequest r;
      r.set_id("LicenseRef-Access-Test");
      v1::Licence out;
      return s.licensing->RevokeLicence(Stubs::As(t).get(), r, &out);
    });
    add("AttachLicence", v1::ROLE_RIGHTS, [&, id = dataset_](const std::string& t) {
      v1::AttachLicenceRequest r;
      r.set_artefact_id(id);
      r.set_expression("LicenseRef-Access-Test");
      v1::LicenceAttachment out;
      return s.licensing->AttachLicence(Stubs::As(t).get(), r, &out);
    });
    add("ListAttachments", v1::ROLE_READER, [&, id = dataset_](const std::string& t) {
      v1::ListAttachmentsRequest r;
      r.set_artefact_id(id);
      v1::ListAttachmentsResponse out;
      return s.licensing->ListAttachments(Stubs::As(t).get(), r, &out);
    });
    add("ElectLicence", v1::ROLE_RIGHTS, [&, id = dataset_](const std::string& t) {
      v1::ElectLicenceRequest r;
      r.set_artefact_id(id);
      r.set_licence_id("LicenseRef-Access-Test");
      v1::LicenceElection out;
      return s.licensing->ElectLicence(Stubs::As(t).get(), r, &out);
    });
    add("SetConsent", v1::ROLE_RIGHTS, [&, id = dataset_](const std::string& t) {
      v1::SetConsentRequest r;
      r.set_artefact_id(id);
      r.set_party("Ngaio");
      r.set_ai_training(v1::CONSENT_VALUE_NOT_ALLOWED);
      v1::ConsentRecord out;
      return s.licensing->SetConsent(Stubs::As(t).get(), r, &out);
    });
    add("GetConsentHistory", v1::ROLE_READER, [&, id = dataset_](const std::string& t) {
      v1::ConsentHistoryRequest r;
      r.set_artefact_id(id);
      v1::ConsentHistoryResponse out;
      return s.licensing->GetConsentHistory(Stubs::As(t).get(), r, &out);
    });
    add("GetLicensingChain", v1::ROLE_READER, [&, id = dataset_](const std::string& t) {
      v1::GetLicensingChainRequest r;
      r.set_artefact_id(id);
      v1::LicensingChain out;
      return s.licensing->GetLicensingChain(Stubs::As(t).get(), r, &out);
    });
    add("CheckUse", v1::ROLE_READER, [&, id = dataset_](const std::string& t) {
      v1::CheckUseRequest r;
      r.set_artefact_id(id);
      r.set_use(v1::INTENDED_USE_CLIENT_DELIVERY);
      v1::UseCheck out;
      return s.licensing->CheckUse(Stubs::As(t).get(), r, &out);
    });
    add("GetImpact", v1::ROLE_READER, [&, id = dataset_](const std::string& t) {
      v1::ImpactRequest r;
      r.set_artefact_id(id);
      v1::ImpactResponse out;
      return s.licensing->GetImpact(Stubs::As(t).get(), r, &out);
    });
    add("AddClearance", v1::ROLE_RIGHTS, [&, id = dataset_](const std::string& t) {
      v1::AddClearanceRequest r;
      r.mutable_clearance()->set_party("Ngaio");
      r.mutable_clearance()->set_evidence("contract 2");
      r.mutable_clearance()->set_artefact_id(id);
      r.mutable_clearance()->add_rules("consent");
      v1::Clearance out;
      return s.licensing->AddClearance(Stubs::As(t).get(), r, &out);
    });
    add("GetClearance", v1::ROLE_READER, [&, id = clearance_](const std::string& t) {
      v1::GetClearanceRequest r;
      r.set_id(id);
      v1::Clearance out;
      return s.licensing->GetClearance(Stubs::As(t).get(), r, &out);
    });
    add("ListClearances", v1::ROLE_READER, [&](const std::string& t) {
      v1::ListClearancesResponse out;
      return s.licensing->ListClearances(Stubs::As(t).get(), {}, &out);
    });
    add("RevokeClearance", v1::ROLE_RIGHTS, [&, id = clearance_](const std::string& t) {
      v1::RevokeClearanceRequest r;
      r.set_id(id);
      v1::Clearance out;
      return s.licensing->RevokeClearance(Stubs::As(t).get(), r, &out);
    });
    add("CreateToken", v1::ROLE_ADMIN, [&](const std::string& t) {
      v1::CreateTokenRequest r;
      r.set_name("made-in-the-table");
      r.set_role(v1::ROLE_READER);
      v1::CreateTokenResponse out;
      return s.access->CreateToken(Stubs::As(t).get(), r, &out);
    });
    add("ListTokens", v1::ROLE_ADMIN, [&](const std::string& t) {
      v1::ListTokensResponse out;
      return s.access->ListTokens(Stubs::As(t).get(), {}, &out);
    });
    add("RevokeToken", v1::ROLE_ADMIN, [&](const std::string& t) {
      v1::RevokeTokenRequest r;
      r.set_name("nobody");
      v1::AccessToken out;
      return s.access->RevokeToken(Stubs::As(t).get(), r, &out);
    });
    add("WhoAmI", v1::ROLE_READER, [&](const std::string& t) {
      v1::WhoAmIResponse out;
      return s.access->WhoAmI(Stubs::As(t).get(), {}, &out);
    });
    add("ListAuditEntries", v1::ROLE_ADMIN, [&](const std::string& t) {
      v1::ListAuditEntriesResponse out;
      return s.audit->ListAuditEntries(Stubs::As(t).get(), {}, &out);
    });
    add("GetAuditHead", v1::ROLE_ADMIN, [&](const std::string& t) {
      v1::AuditHead out;
      return s.audit->GetAuditHead(Stubs::As(t).get(), {}, &out);
    });
    add("VerifyAudit", v1::ROLE_ADMIN, [&](const std::string& t) {
      v1::VerifyAuditResponse out;
      return s.audit->VerifyAudit(Stubs::As(t).get(), {}, &out);
    });
    return calls;
  }

  TempDir dir_;
  std::unique_ptr<RmtcdProcess> rmtcd_;
  std::unique_ptr<Stubs> stubs_;
  std::string admin_;
  std::map<v1::Role, std::string> tokens_;
  std::string dataset_;
  std::string clearance_;
};

bool Refused(const grpc::Status& status) {
  return status.error_code() == grpc::StatusCode::UNAUTHENTICATED ||
         status.error_code() == grpc::StatusCode::PERMISSION_DENIED;
}

TEST_F(AccessE2e, TheTableCoversEveryRpcOfEveryService) {
  std::set<std::string> methods;
  for (const auto* service :
       {v1::TraceRequest::descriptor()->file()->FindServiceByName("Lineage"),
        v1::CheckUseRequest::descriptor()->file()->FindServiceByName("Licensing"),
        v1::WhoAmIRequest::descriptor()->file()->FindServiceByName("Access"),
        v1::VerifyAuditRequest::descriptor()->file()->FindServiceByName("Audit")}) {
    for (int i = 0; i < service->method_count(); ++i) {
      methods.insert(service->method(i)->name());
    }
  }
  std::set<std::string> tested;
  for (const auto& [name, call] : Calls()) tested.insert(name);
  EXPECT_EQ(methods, tested);
}

TEST_F(AccessE2e, WithoutAValidTokenEveryCallIsUnauthenticatedAndWritesNothing) {
  const std::string before = Snapshot();
  const std::string unknown = "rmtc_" + std::string(43, 'A');
  for (auto& [name, entry] : Calls()) {
    for (const std::string& secret :
         {std::string(), unknown, std::string("rmtc_short")}) {
      const auto status = entry.second(secret);
      EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
          << name << " with '" << secret << "': " << status.error_message();
      EXPECT_EQ(status.error_message().find(secret.empty() ? "\x01" : secret),
                std::string::npos)
          << "the token is in the message: " << status.error_message();
    }
  }
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(AccessE2e, EachRoleMayCallExactlyWhatTheTableSaysAndRefusalsWriteNothing) {
  auto calls = Calls();
  // Refusals first, from the lowest role up, so that the snapshot compares
  // against a service no allowed write has touched yet.
  const std::string before = Snapshot();
  for (const auto& [role, secret] : tokens_) {
    for (auto& [name, entry] : calls) {
      if (role >= entry.first) continue;
      const auto status = entry.second(secret);
      EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
          << name << " as " << v1::Role_Name(role) << ": " << status.error_message();
      const std::string needed = v1::Role_Name(entry.first).substr(5);  // ROLE_...
      std::string lower = needed;
      for (char& c : lower) c = static_cast<char>(std::tolower(c));
      EXPECT_NE(status.error_message().find("needs the " + lower + " role"),
                std::string::npos)
          << status.error_message();
    }
  }
  EXPECT_EQ(Snapshot(), before);
  for (const auto& [role, secret] : tokens_) {
    for (auto& [name, entry] : calls) {
      if (role < entry.first) continue;
      const auto status = entry.second(secret);
      EXPECT_FALSE(Refused(status))
          << name << " as " << v1::Role_Name(role) << ": " << status.error_message();
    }
  }
}

TEST_F(AccessE2e, AFacilityBoundTokenWritesOnlyItsFacility) {
  const std::string farm = Create("wlg-farm", v1::ROLE_RIGHTS, "wlg");
  const std::string elsewhere = Register("akl plates", "akl");
  const std::string before = Snapshot();
  v1::RegisterArtefactsRequest other;
  *other.add_artefacts() = Item(v1::KIND_DATASET, "x", "wlg");
  *other.add_artefacts() = Item(v1::KIND_DATASET, "y", "akl");
  v1::RegisterArtefactsResponse registered;
  auto status =
      stubs_->lineage->RegisterArtefacts(Stubs::As(farm).get(), other, &registered);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(),
            "artefacts[1].facility: 'wlg-farm' may write only facility 'wlg', not 'akl'");
  v1::AttachLicenceRequest attach;
  attach.set_artefact_id(elsewhere);
  attach.set_expression("LicenseRef-Access-Test");
  v1::LicenceAttachment attached;
  status = stubs_->licensing->AttachLicence(Stubs::As(farm).get(), attach, &attached);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  v1::AddLicenceRequest licence;
  licence.mutable_licence()->set_id("LicenseRef-Farm");
  licence.mutable_licence()->set_name("Farm");
  v1::Licence added;
  status = stubs_->licensing->AddLicence(Stubs::As(farm).get(), licence, &added);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Snapshot(), before);
  // Its own facility: allowed.
  attach.set_artefact_id(dataset_);
  status = stubs_->licensing->AttachLicence(Stubs::As(farm).get(), attach, &attached);
  EXPECT_TRUE(status.ok()) << status.error_message();
  other.mutable_artefacts()->RemoveLast();
  status = stubs_->lineage->RegisterArtefacts(Stubs::As(farm).get(), other, &registered);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(AccessE2e, RevokedAndExpiredTokensStopWorking) {
  const std::string viewer = Create("viewer", v1::ROLE_READER);
  v1::WhoAmIResponse me;
  ASSERT_TRUE(stubs_->access->WhoAmI(Stubs::As(viewer).get(), {}, &me).ok());
  EXPECT_EQ(me.principal(), "viewer");
  EXPECT_EQ(me.role(), v1::ROLE_READER);
  v1::RevokeTokenRequest revoke;
  revoke.set_name("viewer");
  v1::AccessToken revoked;
  ASSERT_TRUE(
      stubs_->access->RevokeToken(Stubs::As(admin_).get(), revoke, &revoked).ok());
  EXPECT_TRUE(revoked.has_revoked_at());
  auto status = stubs_->access->WhoAmI(Stubs::As(viewer).get(), {}, &me);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(status.error_message(), "the access token 'viewer' was revoked");

  v1::CreateTokenRequest brief;
  brief.set_name("brief");
  brief.set_role(v1::ROLE_READER);
  brief.mutable_expires_at()->set_seconds(
      std::chrono::duration_cast<std::chrono::seconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count() +
      2);
  v1::CreateTokenResponse made;
  ASSERT_TRUE(stubs_->access->CreateToken(Stubs::As(admin_).get(), brief, &made).ok());
  EXPECT_TRUE(stubs_->access->WhoAmI(Stubs::As(made.secret()).get(), {}, &me).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  status = stubs_->access->WhoAmI(Stubs::As(made.secret()).get(), {}, &me);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(status.error_message(), "the access token 'brief' has expired");
}

TEST_F(AccessE2e, ListedTokensNeverCarryTheirSecrets) {
  v1::ListTokensResponse tokens;
  ASSERT_TRUE(stubs_->access->ListTokens(Stubs::As(admin_).get(), {}, &tokens).ok());
  EXPECT_GE(tokens.tokens_size(), 5);
  const std::string listed = tokens.DebugString();
  for (const auto& [role, secret] : tokens_) {
    EXPECT_EQ(listed.find(secret), std::string::npos);
  }
  EXPECT_EQ(rmtcd_->output().find(admin_), std::string::npos) << "a token in the log";
}

testing::Finished RunRmtcd(std::vector<std::string> args) {
  args.insert(args.begin(), kRmtcd);
  return testing::Run(args);
}

TEST(AccessStart, APlaintextNetworkListenerIsRefusedWithoutInsecure) {
  const auto refused = RunRmtcd({"--listen", "0.0.0.0:0"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("rmtcd will not serve plaintext gRPC on 0.0.0.0:0"),
            std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("--tls-cert"), std::string::npos);
  EXPECT_NE(refused.err.find("--insecure"), std::string::npos);
  const auto open = RunRmtcd({"--listen", "0.0.0.0:0", "--auth", "open", "--insecure"});
  EXPECT_EQ(open.exit_code, 2);
  EXPECT_NE(open.err.find("--auth open is allowed only on loopback or a unix socket"),
            std::string::npos)
      << open.err;
}

TEST(AccessStart, TheFirstAdminComesFromRmtcdTokenCreate) {
  TempDir dir;
  const std::string data = (dir.path() / "data").string();
  const auto bad = RunRmtcd(
      {"token", "create", "--data-dir", data, "--name", "a b", "--role", "admin"});
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_NE(bad.err.find("name: may hold only letters"), std::string::npos) << bad.err;
  const auto made = RunRmtcd(
      {"token", "create", "--data-dir", data, "--name", "ops-admin", "--role", "admin"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  std::string secret = made.out;
  while (!secret.empty() && secret.back() == '\n') secret.pop_back();
  EXPECT_EQ(secret.size(), 48u) << secret;
  std::string error;
  auto rmtcd =
      RmtcdProcess::Start(kRmtcd, {"--data-dir", data, "--auth", "required"}, &error);
  ASSERT_NE(rmtcd, nullptr) << error;
  Stubs stubs(rmtcd->address());
  v1::WhoAmIResponse me;
  const auto status = stubs.access->WhoAmI(Stubs::As(secret).get(), {}, &me);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(me.principal(), "ops-admin");
  EXPECT_EQ(me.role(), v1::ROLE_ADMIN);
  EXPECT_EQ(me.auth(), "token");
  // While it runs, another is made through its socket.
  const auto second = RunRmtcd(
      {"token", "create", "--data-dir", data, "--name", "legal", "--role", "rights"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(rmtcd->output().find(secret), std::string::npos) << "a token in the log";
}

TEST(AccessStart, ABootstrapFileWithoutATokenStopsTheStart) {
  TempDir dir;
  const auto file = dir.path() / "admin-token";
  std::ofstream(file) << "not a token\n";
  const auto refused =
      RunRmtcd({"--data-dir", (dir.path() / "data").string(), "--listen", "127.0.0.1:0",
                "--auth", "required", "--bootstrap-token-file", file.string()});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("does not hold an RMTC token"), std::string::npos)
      << refused.err;
  EXPECT_EQ(refused.err.find("not a token"), std::string::npos)
      << "the file's content is in the message";
}

TEST(AccessStart, OpenModeSaysSoInItsFirstLogLine) {
  TempDir dir;
  std::string error;
  auto rmtcd = RmtcdProcess::Start(
      kRmtcd, {"--data-dir", (dir.path() / "data").string(), "--auth", "open"}, &error);
  ASSERT_NE(rmtcd, nullptr) << error;
  const std::string out = rmtcd->output();
  const auto first_log = out.find(" warn");
  const auto first_line_end = out.find('\n');
  ASSERT_NE(first_log, std::string::npos) << out;
  EXPECT_LT(first_log, first_line_end) << out;
  EXPECT_NE(out.substr(0, first_line_end).find("auth open"), std::string::npos) << out;
}

}  // namespace
}  // namespace rmtc
