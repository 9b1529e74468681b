// Licensing chains through the real service: each case a small graph
// registered in a real rmtcd (embedded PostgreSQL) and judged over gRPC,
// through the public client library; and licensing writes repeated under
// one request id, by the caller or by the client's own retry of a lost
// answer (through a proxy that loses it).
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "rmtc/client.h"
#include "support/process.h"
#include "support/shared_rmtcd.h"
#include "support/temp_dir.h"

namespace rmtc {
namespace {

constexpr char kRmtcd[] = RMTCD_PATH;

Time Day(int year, int month, int day) {
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  return std::chrono::time_point_cast<std::chrono::microseconds>(
      std::chrono::system_clock::from_time_t(timegm(&tm)));
}

// Now plus `days`: artefacts are recorded now, so the moments asked about
// around their licences' terms lie ahead of the clock.
Time FromNow(int days) {
  return std::chrono::time_point_cast<std::chrono::microseconds>(
      std::chrono::system_clock::now() + std::chrono::hours(24 * days));
}

class LicensingE2e : public ::testing::Test {
 protected:
  void SetUp() override {
    auto connected = Client::Connect({.address = testing::SharedRmtcd::Get().address()});
    ASSERT_TRUE(connected.ok()) << connected.error().message;
    client_ = std::make_unique<Client>(*std::move(connected));
  }

  std::string Add(Kind kind, const std::string& name, const std::string& licence = "",
                  const std::string& attribution = "", std::vector<Source> sources = {}) {
    NewArtefact a{.kind = kind, .name = name, .sources = std::move(sources)};
    auto registered = client_->Register({a});
    EXPECT_TRUE(registered.ok()) << registered.error().message;
    const std::string id = registered->at(0).artefact.id;
    if (!licence.empty()) {
      // In force from long ago, so that checks "as of" past dates see it.
      auto attached = client_->AttachLicence(id, licence, attribution, Day(2020, 1, 1));
      EXPECT_TRUE(attached.ok()) << attached.error().message;
    }
    return id;
  }

  // Trains on `data` (and `base`), infers with the weights: {weights, output}.
  std::pair<std::string, std::string> TrainAndInfer(const std::string& data,
                                                    const std::string& base = "",
                                                    const std::string& tag = "") {
    TrainingRun run{.run = {.name = tag + " run"},
                    .trained_on = {data},
                    .weights = {{.name = tag + " weights"}}};
    if (!base.empty()) run.base = {base};
    auto recorded = client_->RecordTrainingRun(run);
    EXPECT_TRUE(recorded.ok()) << recorded.error().message;
    const std::string weights = recorded->weights.at(0).artefact.id;
    auto inferred = client_->RecordInference({.inference = {.name = tag + " inference"},
                                              .uses = {weights},
                                              .outputs = {{.name = tag + " output"}}});
    EXPECT_TRUE(inferred.ok()) << inferred.error().message;
    return {weights, inferred->outputs.at(0).artefact.id};
  }

  UseCheck Check(const std::string& id, IntendedUse use, std::optional<Time> as_of = {},
                 std::optional<Policy> policy = {}) {
    auto check = client_->CheckUse(id, use, as_of, policy);
    EXPECT_TRUE(check.ok()) << check.error().message;
    return check.ok() ? *check : UseCheck{};
  }

  static const Reason* Rule(const UseCheck& check, const std::string& rule) {
    for (const auto& r : check.reasons) {
      if (r.rule == rule) return &r;
    }
    return nullptr;
  }

  std::unique_ptr<Client> client_;
};

TEST_F(LicensingE2e, NonCommercialDataDeniesCommercialUseOfTheFineTuneOutputs) {
  const auto data = Add(Kind::kDataset, "e2e nc plates", "CC-BY-NC-4.0", "Ngaio Artist");
  const auto [weights, output] = TrainAndInfer(data, "", "nc");
  auto commercial = Check(output, IntendedUse::kCommercialProduction);
  EXPECT_EQ(commercial.verdict, Verdict::kDenied);
  const Reason* why = Rule(commercial, "field-of-use");
  ASSERT_NE(why, nullptr);
  EXPECT_EQ(why->licence_id, "CC-BY-NC-4.0");
  ASSERT_EQ(why->path.size(), 5u);
  EXPECT_EQ(why->path.front(), output);
  EXPECT_EQ(why->path.back(), data);
  std::set<std::string> named;
  for (const auto& n : commercial.nodes) named.insert(n.name);
  EXPECT_TRUE(named.count("e2e nc plates") && named.count("nc weights"));
  EXPECT_EQ(Check(output, IntendedUse::kInternalResearch).verdict, Verdict::kAllowed);
  EXPECT_EQ(Check(weights, IntendedUse::kClientDelivery).verdict, Verdict::kDenied);
  auto permissive =
      Check(output, IntendedUse::kCommercialProduction, {}, Policy::kPermissive);
  EXPECT_EQ(permissive.verdict, Verdict::kReview);
  EXPECT_EQ(permissive.policy, Policy::kPermissive);
}

TEST_F(LicensingE2e, CdlaPermissiveDataDoesNotRestrictTheTrainedModel) {
  const auto data = Add(Kind::kDataset, "e2e cdla data", "CDLA-Permissive-2.0");
  const auto [weights, output] = TrainAndInfer(data, "", "cdla");
  for (const auto& id : {weights, output}) {
    auto check = Check(id, IntendedUse::kPublicRelease);
    EXPECT_EQ(check.verdict, Verdict::kAllowed);
    EXPECT_TRUE(check.obligations.empty());
  }
  auto chain = client_->Chain(output);
  ASSERT_TRUE(chain.ok());
  EXPECT_EQ(chain->field_of_use, FieldOfUse::kCommercial);
  for (const auto& t : chain->terms) EXPECT_NE(t.licence_id, "CDLA-Permissive-2.0");
}

TEST_F(LicensingE2e, OpenRailUseRestrictionsReachFineTunesAndOutputs) {
  const auto base =
      Add(Kind::kWeights, "e2e sd base", "LicenseRef-CreativeML-OpenRAIL-M");
  const auto data =
      Add(Kind::kDataset, "e2e studio plates", "LicenseRef-RMTC-Studio-Internal");
  const auto [weights, output] = TrainAndInfer(data, base, "rail");
  for (const auto& id : {weights, output}) {
    auto chain = client_->Chain(id);
    ASSERT_TRUE(chain.ok()) << chain.error().message;
    int restrictions = 0;
    for (const auto& t : chain->terms) {
      if (t.kind == "use-restriction") {
        ++restrictions;
        EXPECT_EQ(t.path.back(), base);
      }
    }
    EXPECT_EQ(restrictions, 12) << id;
    auto delivery = Check(id, IntendedUse::kClientDelivery);
    EXPECT_EQ(delivery.verdict, Verdict::kAllowed);
    bool passed_on = false;
    for (const auto& o : delivery.obligations) {
      passed_on |= o.message.find("pass it on to recipients") != std::string::npos;
    }
    EXPECT_TRUE(passed_on);
  }
}

TEST_F(LicensingE2e, NoDerivativesAllowsInternalUseButNotClientDelivery) {
  const auto scan = Add(Kind::kAsset, "e2e nd scan", "CC-BY-ND-4.0", "Scan Studio");
  const auto cleaned = Add(Kind::kAsset, "e2e nd cleaned", "", "",
                           {Source::Stored(Relation::kDerivedFrom, scan)});
  EXPECT_EQ(Check(cleaned, IntendedUse::kInternalResearch).verdict, Verdict::kAllowed);
  auto delivery = Check(cleaned, IntendedUse::kClientDelivery);
  EXPECT_EQ(delivery.verdict, Verdict::kDenied);
  ASSERT_NE(Rule(delivery, "no-derivatives"), nullptr);
  EXPECT_EQ(Rule(delivery, "no-derivatives")->path,
            (std::vector<std::string>{cleaned, scan}));
}

TEST_F(LicensingE2e, WithdrawnConsentAndItsImpactExactly) {
  const std::string artist = "Aroha Painter (e2e)";
  const auto artwork = Add(Kind::kAsset, "e2e concept art", "CC-BY-4.0", artist);
  const auto other = Add(Kind::kAsset, "e2e other art", "CC-BY-4.0", "Someone Else");
  const auto set = Add(Kind::kDataset, "e2e art set", "", "",
                       {Source::Stored(Relation::kContains, artwork)});
  const auto other_set = Add(Kind::kDataset, "e2e other set", "", "",
                             {Source::Stored(Relation::kContains, other)});
  TrainingRun run{.run = {.name = "e2e consent run"},
                  .trained_on = {set},
                  .weights = {{.name = "e2e consent weights"}}};
  auto recorded = client_->RecordTrainingRun(run);
  ASSERT_TRUE(recorded.ok());
  auto inferred = client_->RecordInference(
      {.inference = {.name = "e2e consent inference"},
       .uses = {recorded->weights[0].artefact.id},
       .outputs = {{.name = "e2e consent out 1"}, {.name = "e2e consent out 2"}}});
  ASSERT_TRUE(inferred.ok());
  const auto [other_weights, other_output] = TrainAndInfer(other_set, "", "unaffected");
  const std::string output = inferred->outputs[0].artefact.id;

  auto granted = client_->SetConsent(artwork, {.party = artist,
                                               .ai_training = ConsentValue::kAllowed,
                                               .effective_at = Day(2026, 1, 1)});
  ASSERT_TRUE(granted.ok()) << granted.error().message;
  // Withdrawn ten days after the model was recorded: this rmtcd runs with
  // the default --consent-withdrawal deny.
  auto withdrawn = client_->SetConsent(artwork, {.party = artist,
                                                 .ai_training = ConsentValue::kNotAllowed,
                                                 .effective_at = FromNow(10),
                                                 .note = "email of 2026-05-30"});
  ASSERT_TRUE(withdrawn.ok());
  EXPECT_EQ(Check(output, IntendedUse::kInternalResearch, FromNow(1)).verdict,
            Verdict::kAllowed);
  auto after = Check(output, IntendedUse::kInternalResearch, FromNow(20));
  EXPECT_EQ(after.verdict, Verdict::kDenied);
  ASSERT_NE(Rule(after, "consent"), nullptr);
  EXPECT_EQ(Rule(after, "consent")->party, artist);
  EXPECT_EQ(Check(other_output, IntendedUse::kInternalResearch).verdict,
            Verdict::kAllowed);

  auto history = client_->ConsentHistory(artwork);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ(history->at(1).consent.note, "email of 2026-05-30");

  auto impact = client_->Impact({.party = artist});
  ASSERT_TRUE(impact.ok()) << impact.error().message;
  std::set<std::string> affected, direct;
  for (const auto& n : impact->nodes)
    (n.direct ? direct : affected).insert(n.artefact.id);
  EXPECT_EQ(direct, std::set<std::string>{artwork});
  EXPECT_EQ(affected, (std::set<std::string>{set, recorded->run.artefact.id,
                                             recorded->weights[0].artefact.id,
                                             inferred->inference.artefact.id, output,
                                             inferred->outputs[1].artefact.id}));
  EXPECT_EQ(impact->total, 7);
  EXPECT_EQ(impact->counts.at(Kind::kAsset), 3);  // the artwork and two outputs
  EXPECT_EQ(impact->counts.at(Kind::kRun), 1);

  // Paged, the same set.
  std::set<std::string> paged;
  std::string token;
  do {
    auto page = client_->Impact({.party = artist}, 3, token);
    ASSERT_TRUE(page.ok());
    for (const auto& n : page->nodes) paged.insert(n.artefact.id);
    token = page->next_page_token;
  } while (!token.empty());
  EXPECT_EQ(paged.size(), 7u);
}

TEST_F(LicensingE2e, ALicenceExpiredAtTheAsOfTimeGrantsNothing) {
  Licence vendor{.id = "LicenseRef-E2E-Stock",
                 .name = "Stock plates",
                 .terms = {.field_of_use = FieldOfUse::kCommercial,
                           .training = TrainingPermission::kAllowed},
                 .valid_from = FromNow(-300),
                 .valid_until = FromNow(30),
                 .licensor = "Plate Co"};
  auto added = client_->AddLicence(vendor);
  ASSERT_TRUE(added.ok()) << added.error().message;
  EXPECT_TRUE(client_->AddLicence(vendor).ok());  // repeatable
  const auto plate = Add(Kind::kAsset, "e2e stock plate", vendor.id);
  EXPECT_EQ(Check(plate, IntendedUse::kClientDelivery, FromNow(1)).verdict,
            Verdict::kAllowed);
  auto expired = Check(plate, IntendedUse::kClientDelivery, FromNow(60));
  EXPECT_EQ(expired.verdict, Verdict::kDenied);
  ASSERT_NE(Rule(expired, "licence-not-in-force"), nullptr);
  Licence next = vendor;
  next.id = "LicenseRef-E2E-Stock-Next";
  next.valid_from = FromNow(100);
  next.valid_until = FromNow(400);
  ASSERT_TRUE(client_->AddLicence(next).ok());
  const auto early = Add(Kind::kAsset, "e2e early plate", next.id);
  EXPECT_EQ(Check(early, IntendedUse::kClientDelivery).verdict, Verdict::kDenied);

  auto revoked = client_->RevokeLicence(vendor.id, FromNow(10));
  ASSERT_TRUE(revoked.ok());
  ASSERT_TRUE(revoked->revoked_at.has_value());
  EXPECT_EQ(Check(plate, IntendedUse::kClientDelivery, FromNow(5)).verdict,
            Verdict::kAllowed);
  EXPECT_EQ(Check(plate, IntendedUse::kClientDelivery, FromNow(20)).verdict,
            Verdict::kDenied);

  vendor.terms.no_derivatives = true;
  auto changed = client_->AddLicence(vendor);
  EXPECT_EQ(changed.error().code, ErrorCode::kAlreadyExists);
}

TEST_F(LicensingE2e, AnElectionDecidesAnOr) {
  const auto model = Add(Kind::kModel, "e2e dual model", "MIT OR CC-BY-NC-4.0");
  auto open = Check(model, IntendedUse::kCommercialProduction);
  EXPECT_EQ(open.verdict, Verdict::kReview);
  auto bad = client_->ElectLicence(model, "Apache-2.0");
  EXPECT_EQ(bad.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(
      bad.error().message,
      "licence_id: Apache-2.0 is not one of the alternatives of MIT OR CC-BY-NC-4.0");
  ASSERT_TRUE(client_->ElectLicence(model, "MIT").ok());
  EXPECT_EQ(Check(model, IntendedUse::kCommercialProduction).verdict, Verdict::kAllowed);
  ASSERT_TRUE(client_->ElectLicence(model, "CC-BY-NC-4.0").ok());
  EXPECT_EQ(Check(model, IntendedUse::kCommercialProduction).verdict, Verdict::kDenied);

  const auto single = Add(Kind::kModel, "e2e single model", "MIT");
  EXPECT_EQ(client_->ElectLicence(single, "MIT").error().code,
            ErrorCode::kFailedPrecondition);
  const auto common =
      Add(Kind::kModel, "e2e common model", "MIT AND (Apache-2.0 OR CC0-1.0)");
  auto nothing = client_->ElectLicence(common, "MIT");
  EXPECT_EQ(nothing.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(nothing.error().message.find("decides nothing"), std::string::npos);
  EXPECT_TRUE(client_->ElectLicence(common, "CC0-1.0").ok());
}

TEST_F(LicensingE2e, ASourceWithoutALicenceAsksForReview) {
  const auto found = Add(Kind::kDataset, "e2e found on a drive");
  const auto [weights, output] = TrainAndInfer(found, "", "unlicensed");
  auto check = Check(output, IntendedUse::kInternalResearch);
  EXPECT_EQ(check.verdict, Verdict::kReview);
  ASSERT_NE(Rule(check, "no-licence"), nullptr);
  EXPECT_EQ(Rule(check, "no-licence")->path.back(), found);
}

TEST_F(LicensingE2e, ADiamondKeepsThePathThatCarriesTheTerm) {
  const auto asset = Add(Kind::kAsset, "e2e diamond asset", "CC-BY-NC-4.0", "A. Artist");
  const auto train = Add(Kind::kDataset, "e2e diamond train", "", "",
                         {Source::Stored(Relation::kContains, asset)});
  const auto eval = Add(Kind::kDataset, "e2e diamond eval", "", "",
                        {Source::Stored(Relation::kContains, asset)});
  auto run = client_->RecordTrainingRun({.run = {.name = "e2e diamond run"},
                                         .trained_on = {train},
                                         .evaluated_on = {eval},
                                         .weights = {{.name = "e2e diamond weights"}}});
  ASSERT_TRUE(run.ok());
  auto check = Check(run->run.artefact.id, IntendedUse::kCommercialProduction);
  ASSERT_NE(Rule(check, "field-of-use"), nullptr);
  EXPECT_EQ(Rule(check, "field-of-use")->path,
            (std::vector<std::string>{run->run.artefact.id, train, asset}));
}

TEST_F(LicensingE2e, AChainFiftyDeepKeepsItsTerms) {
  std::string weights =
      Add(Kind::kWeights, "e2e llama base", "LicenseRef-Llama-3-Community");
  const auto data = Add(Kind::kDataset, "e2e dialogue", "CC0-1.0");
  for (int i = 1; i <= 50; ++i) {
    auto run = client_->RecordTrainingRun(
        {.run = {.name = "e2e ft " + std::to_string(i)},
         .trained_on = {data},
         .base = {weights},
         .weights = {
             {.name = i == 50 ? "studio tuned" : "Llama 3 e2e " + std::to_string(i)}}});
    ASSERT_TRUE(run.ok()) << run.error().message;
    weights = run->weights[0].artefact.id;
  }
  auto release = Check(weights, IntendedUse::kPublicRelease);
  EXPECT_EQ(release.verdict, Verdict::kReview);
  ASSERT_NE(Rule(release, "naming"), nullptr);
  EXPECT_EQ(Rule(release, "naming")->path.size(), 101u);
  EXPECT_EQ(release.credits,
            std::vector<std::string>{});  // the base names no one to credit
}

TEST_F(LicensingE2e, ShareAlikeFamiliesInConflict) {
  const auto a = Add(Kind::kAsset, "e2e sa asset", "CC-BY-SA-4.0", "SA Author");
  const auto b =
      Add(Kind::kAsset, "e2e cdla-sharing asset", "CDLA-Sharing-1.0", "Data Co");
  const auto mixed = Add(
      Kind::kDataset, "e2e mixed set", "", "",
      {Source::Stored(Relation::kContains, a), Source::Stored(Relation::kContains, b)});
  auto delivery = Check(mixed, IntendedUse::kClientDelivery);
  EXPECT_EQ(delivery.verdict, Verdict::kDenied);
  ASSERT_NE(Rule(delivery, "share-alike-conflict"), nullptr);
  EXPECT_EQ(Check(mixed, IntendedUse::kInternalResearch).verdict, Verdict::kAllowed);
}

TEST_F(LicensingE2e, GuardrailsCheckBeforeRecording) {
  const auto data = Add(Kind::kDataset, "e2e guarded data", "CC-BY-NC-4.0", "N. C.");
  TrainingRun run{
      .run = {.name = "e2e guarded run"},
      .trained_on = {data},
      .weights = {{.name = "e2e guarded weights"}},
      .check = Guardrail{.use = IntendedUse::kCommercialProduction, .enforce = true}};
  auto refused = client_->RecordTrainingRun(run);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(refused.error().message.find("check: DENIED for commercial-production"),
            std::string::npos)
      << refused.error().message;
  auto listed = client_->List({.name_contains = "e2e guarded run"});
  EXPECT_TRUE(listed->artefacts.empty()) << "a refused record was written";

  run.check->enforce = false;
  auto recorded = client_->RecordTrainingRun(run);
  ASSERT_TRUE(recorded.ok()) << recorded.error().message;
  ASSERT_TRUE(recorded->check.has_value());
  EXPECT_EQ(recorded->check->verdict, Verdict::kDenied);
  EXPECT_EQ(client_->List({.name_contains = "e2e guarded run"})->artefacts.size(), 1u);

  run.check = Guardrail{.use = IntendedUse::kInternalResearch, .enforce = true};
  run.run.name = "e2e guarded research run";
  auto research = client_->RecordTrainingRun(run);
  ASSERT_TRUE(research.ok());
  EXPECT_EQ(research->check->verdict, Verdict::kAllowed);

  // A repeat of a recorded request gets its first answer, even when the
  // verdict has turned to DENIED since (here: the artist withdrew consent).
  const auto art = Add(Kind::kAsset, "e2e guarded art", "CC-BY-4.0", "G. Artist");
  const auto art_set = Add(Kind::kDataset, "e2e guarded art set", "", "",
                           {Source::Stored(Relation::kContains, art)});
  TrainingRun repeatable{
      .run = {.name = "e2e repeatable run"},
      .trained_on = {art_set},
      .weights = {{.name = "e2e repeatable weights"}},
      .check = Guardrail{.use = IntendedUse::kInternalResearch, .enforce = true}};
  auto first = client_->RecordTrainingRun(repeatable, {"e2e-repeatable-run"});
  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_TRUE(client_
                  ->SetConsent(art, {.party = "G. Artist",
                                     .ai_training = ConsentValue::kNotAllowed,
                                     .effective_at = Day(2021, 1, 1)})
                  .ok());
  auto again = client_->RecordTrainingRun(repeatable, {"e2e-repeatable-run"});
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->run.artefact.id, first->run.artefact.id);
  // The repeat is answered, not refused, and its verdict is fresh.
  ASSERT_TRUE(again->check.has_value());
  EXPECT_EQ(again->check->verdict, Verdict::kDenied);
  repeatable.run.name = "e2e repeatable run, new request";
  auto fresh = client_->RecordTrainingRun(repeatable);
  EXPECT_EQ(fresh.error().code, ErrorCode::kFailedPrecondition);
}

TEST_F(LicensingE2e, BadInputIsRefusedPrecisely) {
  const auto asset = Add(Kind::kAsset, "e2e bad input asset");
  auto unknown = client_->AttachLicence(asset, "MIT AND CC-BY-9.9");
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(
      unknown.error().message,
      "expression: unknown licence 'CC-BY-9.9' (add it with rmtc license add, or check "
      "the SPDX id) at position 9; did you mean 'CC-BY-4.0'?");
  auto syntax = client_->AttachLicence(asset, "(MIT OR Apache-2.0");
  EXPECT_EQ(syntax.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(syntax.error().message.find("at position 19"), std::string::npos);
  EXPECT_TRUE(client_->ListAttachments(asset)->empty())
      << "a refused attachment was stored";
  EXPECT_EQ(
      client_->AttachLicence("0190c4d2-7b1e-7c3a-9f00-123456789abc", "MIT").error().code,
      ErrorCode::kNotFound);
  auto no_keys = client_->SetConsent(asset, {.party = "Someone"});
  EXPECT_EQ(no_keys.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(
      client_->SetConsent(asset, {.ai_training = ConsentValue::kAllowed}).error().message,
      "party: is required and must not be empty");
  EXPECT_TRUE(client_->ConsentHistory(asset)->empty());
  EXPECT_EQ(client_->GetLicence("No-Such-Licence").error().code, ErrorCode::kNotFound);
  auto bad_id = client_->AddLicence({.id = "LicenseRef-Has Space", .name = "x"});
  EXPECT_EQ(bad_id.error().code, ErrorCode::kInvalidArgument);
  auto backwards = client_->AddLicence({.id = "LicenseRef-E2E-Backwards",
                                        .name = "x",
                                        .valid_from = Day(2027, 1, 1),
                                        .valid_until = Day(2026, 1, 1)});
  EXPECT_EQ(backwards.error().message,
            "licence.valid_until: must be later than valid_from");
  EXPECT_EQ(client_->GetLicence("LicenseRef-E2E-Backwards").error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(client_->Impact({.licence_id = "LicenseRef-Nope"}).error().code,
            ErrorCode::kNotFound);
}

// ---- Request ids: a repeated licensing write appends nothing ----------------

std::string Reused(const std::string& id, const std::string& method) {
  return "request_id: '" + id + "' was already used for a different " + method +
         " request; use a new id for a new request";
}

TEST_F(LicensingE2e, ARepeatedRequestIdReturnsTheFirstRecordAndAppendsNothing) {
  const auto asset = Add(Kind::kAsset, "e2e repeated writes asset");
  // No time given: a second record would carry a later one.
  auto attached =
      client_->AttachLicence(asset, "MIT OR CC-BY-NC-4.0", "Ngaio", {}, {"e2e-attach-1"});
  ASSERT_TRUE(attached.ok()) << attached.error().message;
  auto again =
      client_->AttachLicence(asset, "MIT OR CC-BY-NC-4.0", "Ngaio", {}, {"e2e-attach-1"});
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->attached_at, attached->attached_at);
  EXPECT_EQ(again->expression, "MIT OR CC-BY-NC-4.0");
  EXPECT_EQ(client_->ListAttachments(asset)->size(), 1u);
  auto other = client_->AttachLicence(asset, "MIT", "Ngaio", {}, {"e2e-attach-1"});
  EXPECT_EQ(other.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(other.error().message, Reused("e2e-attach-1", "AttachLicence"));
  EXPECT_EQ(client_->ListAttachments(asset)->size(), 1u);

  const Consent consent{.party = "Aroha Painter",
                        .ai_training = ConsentValue::kNotAllowed,
                        .note = "email"};
  auto recorded = client_->SetConsent(asset, consent, {"e2e-consent-1"});
  ASSERT_TRUE(recorded.ok()) << recorded.error().message;
  auto recorded_again = client_->SetConsent(asset, consent, {"e2e-consent-1"});
  ASSERT_TRUE(recorded_again.ok()) << recorded_again.error().message;
  EXPECT_EQ(recorded_again->recorded_at, recorded->recorded_at);
  EXPECT_EQ(recorded_again->effective_at, recorded->effective_at);
  Consent changed = consent;
  changed.ai_training = ConsentValue::kAllowed;
  auto refused = client_->SetConsent(asset, changed, {"e2e-consent-1"});
  EXPECT_EQ(refused.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(refused.error().message, Reused("e2e-consent-1", "SetConsent"));
  // An id of another method is taken too.
  auto crossed = client_->SetConsent(asset, consent, {"e2e-attach-1"});
  EXPECT_EQ(crossed.error().message, Reused("e2e-attach-1", "AttachLicence"));
  auto history = client_->ConsentHistory(asset);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ(history->at(0).consent.ai_training, ConsentValue::kNotAllowed);

  ASSERT_TRUE(
      client_->AddLicence({.id = "LicenseRef-E2E-Repeated-Revoke", .name = "x"}).ok());
  auto revoked =
      client_->RevokeLicence("LicenseRef-E2E-Repeated-Revoke", {}, {"e2e-revoke-1"});
  ASSERT_TRUE(revoked.ok()) << revoked.error().message;
  auto revoked_again =
      client_->RevokeLicence("LicenseRef-E2E-Repeated-Revoke", {}, {"e2e-revoke-1"});
  ASSERT_TRUE(revoked_again.ok()) << revoked_again.error().message;
  EXPECT_EQ(revoked_again->revoked_at, revoked->revoked_at);
  EXPECT_EQ(client_
                ->RevokeLicence("LicenseRef-E2E-Repeated-Revoke", Day(2020, 1, 1),
                                {"e2e-revoke-1"})
                .error()
                .message,
            Reused("e2e-revoke-1", "RevokeLicence"));
  EXPECT_EQ(client_->GetLicence("LicenseRef-E2E-Repeated-Revoke")->revoked_at,
            revoked->revoked_at);
  auto too_long = client_->AttachLicence(asset, "MIT", "", {}, {std::string(129, 'r')});
  EXPECT_EQ(too_long.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(too_long.error().message, "request_id: is 129 bytes; the limit is 128");
  EXPECT_EQ(client_->ListAttachments(asset)->size(), 1u);
}

TEST_F(LicensingE2e, ARepeatedElectionGetsItsAnswerAfterTheLicenceChanged) {
  const auto model = Add(Kind::kModel, "e2e re-licensed model", "MIT OR CC-BY-NC-4.0");
  auto elected = client_->ElectLicence(model, "MIT", {"e2e-elect-1"});
  ASSERT_TRUE(elected.ok()) << elected.error().message;
  // The answer was lost; meanwhile the model was re-licensed without a choice.
  ASSERT_TRUE(client_->AttachLicence(model, "Apache-2.0").ok());
  auto again = client_->ElectLicence(model, "MIT", {"e2e-elect-1"});
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->elected_at, elected->elected_at);
  // A new request is judged on the licence in force now.
  EXPECT_EQ(client_->ElectLicence(model, "MIT", {"e2e-elect-2"}).error().code,
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(client_->ElectLicence(model, "CC-BY-NC-4.0", {"e2e-elect-1"}).error().message,
            Reused("e2e-elect-1", "ElectLicence"));
}

// A gRPC proxy in front of rmtcd that forwards every call and loses the
// first answer of each licensing write: rmtcd has stored the record, the
// caller gets UNAVAILABLE, as when a connection breaks after the commit.
class LossyProxy {
 public:
  explicit LossyProxy(const std::string& target)
      : upstream_(grpc::CreateChannel(target, grpc::InsecureChannelCredentials())),
        service_(*this) {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterCallbackGenericService(&service_);
    server_ = builder.BuildAndStart();
    address_ = "127.0.0.1:" + std::to_string(port);
  }
  ~LossyProxy() { server_->Shutdown(); }

  const std::string& address() const { return address_; }
  // How many times rmtcd was sent `method` ("/rmtc.v1.Licensing/SetConsent").
  int Sent(const std::string& method) {
    std::lock_guard lock(mutex_);
    return sent_[method];
  }

 private:
  static constexpr const char* kLossy[] = {
      "/rmtc.v1.Licensing/AttachLicence", "/rmtc.v1.Licensing/ElectLicence",
      "/rmtc.v1.Licensing/SetConsent", "/rmtc.v1.Licensing/RevokeLicence",
      "/rmtc.v1.Licensing/AddClearance"};

  // Counts the call; true if its answer is to be lost.
  bool Forwarded(const std::string& method) {
    std::lock_guard lock(mutex_);
    const bool lossy =
        std::find(std::begin(kLossy), std::end(kLossy), method) != std::end(kLossy);
    return ++sent_[method] == 1 && lossy;
  }

  class Forward final : public grpc::ServerGenericBidiReactor {
   public:
    Forward(LossyProxy& proxy, grpc::GenericCallbackServerContext* context)
        : proxy_(proxy), method_(context->method()) {
      upstream_context_.set_deadline(context->deadline());
      // The caller's access token goes on to rmtcd, as any proxy's would.
      for (const auto& [key, value] : context->client_metadata()) {
        if (key == "authorization") {
          upstream_context_.AddMetadata("authorization",
                                        std::string(value.data(), value.size()));
        }
      }
      StartRead(&request_);
    }
    void OnReadDone(bool ok) override {
      if (!ok) return Finish(grpc::Status(grpc::StatusCode::INTERNAL, "no request"));
      proxy_.upstream_.UnaryCall(
          &upstream_context_, method_, {}, &request_, &response_,
          [this](grpc::Status status) {
            if (status.ok() && proxy_.Forwarded(method_)) {
              return Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                         "the proxy lost rmtcd's answer"));
            }
            if (!status.ok()) return Finish(status);
            StartWriteAndFinish(&response_, {}, grpc::Status::OK);
          });
    }
    void OnDone() override { delete this; }

   private:
    LossyProxy& proxy_;
    const std::string method_;
    grpc::ClientContext upstream_context_;
    grpc::ByteBuffer request_, response_;
  };

  class Service final : public grpc::CallbackGenericService {
   public:
    explicit Service(LossyProxy& proxy) : proxy_(proxy) {}
    grpc::ServerGenericBidiReactor* CreateReactor(
        grpc::GenericCallbackServerContext* context) override {
      return new Forward(proxy_, context);
    }

   private:
    LossyProxy& proxy_;
  };

  grpc::GenericStub upstream_;
  Service service_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
  std::mutex mutex_;
  std::map<std::string, int> sent_;
};

TEST_F(LicensingE2e, ALostAnswerIsRetriedUnderOneRequestIdAndAppendsOnce) {
  const auto model = Add(Kind::kModel, "e2e lost answers model");
  ASSERT_TRUE(
      client_->AddLicence({.id = "LicenseRef-E2E-Lost-Answer", .name = "x"}).ok());
  LossyProxy proxy(testing::SharedRmtcd::Get().address());
  auto connected = Client::Connect(
      {.address = proxy.address(), .initial_backoff = std::chrono::milliseconds(10)});
  ASSERT_TRUE(connected.ok()) << connected.error().message;
  const Client& lossy = *connected;

  auto attached = lossy.AttachLicence(model, "MIT OR Apache-2.0");
  ASSERT_TRUE(attached.ok()) << attached.error().message;
  auto elected = lossy.ElectLicence(model, "MIT");
  ASSERT_TRUE(elected.ok()) << elected.error().message;
  auto recorded = lossy.SetConsent(
      model, {.party = "Aroha Painter", .ai_training = ConsentValue::kAllowed});
  ASSERT_TRUE(recorded.ok()) << recorded.error().message;
  auto revoked = lossy.RevokeLicence("LicenseRef-E2E-Lost-Answer");
  ASSERT_TRUE(revoked.ok()) << revoked.error().message;
  auto cleared = lossy.AddClearance({.party = "Aroha Painter",
                                     .evidence = "letter 7",
                                     .artefact_id = model,
                                     .rules = {"field-of-use"}});
  ASSERT_TRUE(cleared.ok()) << cleared.error().message;
  for (const char* method :
       {"AttachLicence", "ElectLicence", "SetConsent", "RevokeLicence", "AddClearance"}) {
    EXPECT_EQ(proxy.Sent(std::string("/rmtc.v1.Licensing/") + method), 2) << method;
  }

  // rmtcd stored each once, and the retry answered with that record.
  auto attachments = client_->ListAttachments(model);
  ASSERT_TRUE(attachments.ok());
  ASSERT_EQ(attachments->size(), 1u);
  EXPECT_EQ(attachments->at(0).attached_at, attached->attached_at);
  auto history = client_->ConsentHistory(model);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ(history->at(0).recorded_at, recorded->recorded_at);
  EXPECT_EQ(client_->GetLicence("LicenseRef-E2E-Lost-Answer")->revoked_at,
            revoked->revoked_at);
  auto clearances = client_->ListClearances({.artefact_id = model});
  ASSERT_TRUE(clearances.ok());
  ASSERT_EQ(clearances->clearances.size(), 1u);
  EXPECT_EQ(clearances->clearances[0].id, cleared->id);
  EXPECT_EQ(Check(model, IntendedUse::kCommercialProduction).verdict, Verdict::kAllowed);
}

// A commercial licence bought for NC plates, for one project's deliveries at
// one facility: through librmtc, the clearance lifts the field of use of
// that project's frames only, and is listed with its evidence.
TEST_F(LicensingE2e, AClearanceForOneProjectLiftsItsFramesOnly) {
  const auto data =
      Add(Kind::kDataset, "e2e cleared plates", "CC-BY-NC-4.0", "Mere Artist");
  TrainingRun run{.run = {.name = "e2e cleared run"},
                  .trained_on = {data},
                  .weights = {{.name = "e2e cleared weights"}}};
  auto recorded = client_->RecordTrainingRun(run);
  ASSERT_TRUE(recorded.ok()) << recorded.error().message;
  const std::string weights = recorded->weights.at(0).artefact.id;
  auto frames =
      client_->RecordInference({.inference = {.name = "e2e cleared inference"},
                                .uses = {weights},
                                .outputs = {{.name = "sh010 frame",
                                             .facility = "wellington",
                                             .attributes = R"({"project": "sh010"})"},
                                            {.name = "sh020 frame",
                                             .facility = "wellington",
                                             .attributes = R"({"project": "sh020"})"}}});
  ASSERT_TRUE(frames.ok()) << frames.error().message;
  const std::string sh010 = frames->outputs.at(0).artefact.id;
  const std::string sh020 = frames->outputs.at(1).artefact.id;
  const auto use = IntendedUse::kClientDelivery;
  ASSERT_EQ(Check(sh010, use).verdict, Verdict::kDenied);

  auto bad = client_->AddClearance({.party = "Mere Artist",
                                    .evidence = "contract 14",
                                    .artefact_id = data,
                                    .uses = {use, IntendedUse::kUnknown},
                                    .rules = {"field-of-use"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().message, "clearance.uses[1]: unknown value -1");
  auto listed = client_->ListClearances({.artefact_id = data});
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  EXPECT_TRUE(listed->clearances.empty());

  // The window opens just after the frames were recorded: a moment between
  // the two is one an answer can be about, before the clearance.
  const Time before = FromNow(0);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const Time from = FromNow(0);
  auto added = client_->AddClearance({.party = "Mere Artist",
                                      .evidence = "sha256:" + std::string(64, 'a'),
                                      .valid_from = from,
                                      .artefact_id = data,
                                      .facility = "wellington",
                                      .project = "sh010",
                                      .uses = {use},
                                      .rules = {"field-of-use"},
                                      .licence_id = "CC-BY-NC-4.0",
                                      .rights_holder = "Mere Artist"});
  ASSERT_TRUE(added.ok()) << added.error().message;
  EXPECT_FALSE(added->id.empty());
  EXPECT_EQ(added->uses, std::vector<IntendedUse>{use});

  auto cleared = Check(sh010, use);
  EXPECT_EQ(cleared.verdict, Verdict::kAllowed);
  ASSERT_EQ(cleared.cleared.size(), 1u);
  ASSERT_TRUE(cleared.cleared[0].clearance.has_value());
  EXPECT_EQ(cleared.cleared[0].clearance->id, added->id);
  EXPECT_EQ(cleared.cleared[0].clearance->evidence, added->evidence);
  EXPECT_EQ(cleared.cleared[0].effect, Verdict::kDenied);
  EXPECT_EQ(Check(sh020, use).verdict, Verdict::kDenied);
  EXPECT_EQ(Check(sh010, use, before).verdict, Verdict::kDenied);

  auto chain = client_->Chain(sh010);
  ASSERT_TRUE(chain.ok());
  bool named = false;
  for (const auto& t : chain->terms) {
    for (const auto& c : t.clearances) named = named || c.id == added->id;
  }
  EXPECT_TRUE(named);

  // A guardrail sees the planned run's facility and project.
  for (const char* project : {"sh010", "sh020"}) {
    auto guarded = client_->RecordTrainingRun(
        {.run = {.name = std::string("e2e cleared guarded run ") + project,
                 .facility = "wellington",
                 .attributes = std::string(R"({"project": ")") + project + "\"}"},
         .trained_on = {data},
         .weights = {{.name = "e2e cleared guarded weights"}},
         .check = Guardrail{.use = use, .enforce = true}});
    EXPECT_EQ(guarded.ok(), std::string(project) == "sh010")
        << project << ": " << (guarded.ok() ? "" : guarded.error().message);
  }

  // Revoked from tomorrow: allowed now, denied from then on.
  auto revoked = client_->RevokeClearance(added->id, FromNow(1));
  ASSERT_TRUE(revoked.ok()) << revoked.error().message;
  ASSERT_TRUE(revoked->revoked_at.has_value());
  EXPECT_EQ(Check(sh010, use, *revoked->revoked_at).verdict, Verdict::kDenied);
  EXPECT_EQ(Check(sh010, use, FromNow(2)).verdict, Verdict::kDenied);
  EXPECT_EQ(Check(sh010, use).verdict, Verdict::kAllowed);
  EXPECT_EQ(client_->GetClearance(added->id)->revoked_at, revoked->revoked_at);
}

TEST_F(LicensingE2e, WorkMadeDuringTheTermKeepsItsRightsWhereTheLicenceSaysSo) {
  Licence keeps{.id = "LicenseRef-E2E-Keeps",
                .name = "Vendor plates, rights survive",
                .terms = {.field_of_use = FieldOfUse::kCommercial,
                          .training = TrainingPermission::kAllowed,
                          .survives_expiry = SurvivesExpiry::kDerivativesMadeDuringTerm},
                .valid_until = FromNow(30)};
  Licence silent = keeps;
  silent.id = "LicenseRef-E2E-Silent";
  silent.terms.survives_expiry = SurvivesExpiry::kNone;
  Licence ended = keeps;
  ended.id = "LicenseRef-E2E-Ended";
  ended.valid_from = FromNow(-60);
  ended.valid_until = FromNow(-1);
  for (const auto& l : {keeps, silent, ended}) {
    auto added = client_->AddLicence(l);
    ASSERT_TRUE(added.ok()) << added.error().message;
  }
  EXPECT_EQ(client_->GetLicence(keeps.id)->terms.survives_expiry,
            SurvivesExpiry::kDerivativesMadeDuringTerm);
  EXPECT_EQ(client_->GetLicence(silent.id)->terms.survives_expiry, SurvivesExpiry::kNone);
  // Seeded licences have no end and read as none.
  EXPECT_EQ(client_->GetLicence("CC-BY-4.0")->terms.survives_expiry,
            SurvivesExpiry::kNone);

  // Models made now, during the term; asked about two months on.
  const auto kept = Add(Kind::kDataset, "e2e keeps plates", keeps.id);
  const auto [kept_weights, kept_output] = TrainAndInfer(kept, "", "keeps");
  auto allowed = Check(kept_output, IntendedUse::kClientDelivery, FromNow(60));
  EXPECT_EQ(allowed.verdict, Verdict::kAllowed);
  EXPECT_TRUE(allowed.reasons.empty());
  EXPECT_EQ(Check(kept, IntendedUse::kClientDelivery, FromNow(60)).verdict,
            Verdict::kDenied);  // the source itself grants nothing any more

  const auto quiet = Add(Kind::kDataset, "e2e silent plates", silent.id);
  const auto [quiet_weights, quiet_output] = TrainAndInfer(quiet, "", "silent");
  auto review = Check(quiet_output, IntendedUse::kClientDelivery, FromNow(60));
  EXPECT_EQ(review.verdict, Verdict::kReview);
  const Reason* why = Rule(review, "licence-ended");
  ASSERT_NE(why, nullptr);
  EXPECT_EQ(why->licence_id, silent.id);
  EXPECT_EQ(
      why->message.rfind("run 'silent run' was made while LicenseRef-E2E-Silent was "
                         "in force; it expired on ",
                         0),
      0u)
      << why->message;

  // Made after the licence ended: nothing to keep.
  const auto late = Add(Kind::kDataset, "e2e ended plates", ended.id);
  const auto [late_weights, late_output] = TrainAndInfer(late, "", "ended");
  auto denied = Check(late_output, IntendedUse::kClientDelivery);
  EXPECT_EQ(denied.verdict, Verdict::kDenied);
  ASSERT_NE(Rule(denied, "licence-not-in-force"), nullptr);

  // A value this rmtcd does not know is refused, and nothing is stored.
  Licence odd = keeps;
  odd.id = "LicenseRef-E2E-Odd";
  odd.terms.survives_expiry = SurvivesExpiry::kUnknown;
  auto refused = client_->AddLicence(odd);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(refused.error().message, "licence.terms.survives_expiry: unknown value -1");
  EXPECT_EQ(client_->GetLicence(odd.id).error().code, ErrorCode::kNotFound);
}

TEST_F(LicensingE2e, AnswersBeforeAnArtefactWasRecordedAreNotFound) {
  const auto plate = Add(Kind::kAsset, "e2e new plate", "CC0-1.0");
  auto check =
      client_->CheckUse(plate, IntendedUse::kInternalResearch, Day(2020, 6, 1), {});
  EXPECT_EQ(check.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(check.error().message.rfind("artefact_id: " + plate +
                                            " was not recorded yet as of "
                                            "2020-06-01T00:00:00.000000Z (recorded ",
                                        0),
            0u)
      << check.error().message;
  auto chain = client_->Chain(plate, Day(2020, 6, 1));
  EXPECT_EQ(chain.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(client_->Chain(plate).ok());
  EXPECT_EQ(Check(plate, IntendedUse::kClientDelivery).verdict, Verdict::kAllowed);
}

TEST_F(LicensingE2e, AUseOutsideTheLicencesTerritoriesIsDenied) {
  Licence regional{.id = "LicenseRef-E2E-AU-US",
                   .name = "Stock, Australia and the US",
                   .terms = {.field_of_use = FieldOfUse::kCommercial,
                             .training = TrainingPermission::kAllowed},
                   .licensee = "Someone Else Ltd",
                   .jurisdictions = {"AU", "US"}};
  ASSERT_TRUE(client_->AddLicence(regional).ok());
  const auto plate = Add(Kind::kAsset, "e2e regional plate", regional.id);
  auto nz = client_->CheckUse(plate, IntendedUse::kClientDelivery, {}, {}, "NZ");
  ASSERT_TRUE(nz.ok()) << nz.error().message;
  EXPECT_EQ(nz->verdict, Verdict::kDenied);
  EXPECT_EQ(nz->jurisdiction, "NZ");
  const Reason* why = Rule(*nz, "jurisdiction");
  ASSERT_NE(why, nullptr);
  EXPECT_EQ(
      why->message,
      "LicenseRef-E2E-AU-US applies only in AU, US: not NZ; via asset 'e2e regional "
      "plate'");
  EXPECT_EQ(client_->CheckUse(plate, IntendedUse::kClientDelivery, {}, {}, "AU")->verdict,
            Verdict::kAllowed);
  // No jurisdiction asked, and no --studio on this rmtcd: neither the
  // territories nor the licensee are evaluated.
  EXPECT_EQ(Check(plate, IntendedUse::kClientDelivery).verdict, Verdict::kAllowed);

  auto lower = client_->CheckUse(plate, IntendedUse::kClientDelivery, {}, {}, "nz");
  EXPECT_EQ(lower.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(lower.error().message,
            "jurisdiction: 'nz' is not an ISO 3166 alpha-2 country code (two capital "
            "letters, e.g. NZ)");
  Licence spelled = regional;
  spelled.id = "LicenseRef-E2E-Spelled";
  spelled.jurisdictions = {"AU", "New Zealand"};
  auto refused = client_->AddLicence(spelled);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(refused.error().message,
            "licence.jurisdictions[1]: 'New Zealand' is not an ISO 3166 alpha-2 country "
            "code (two capital letters, e.g. NZ)");
  EXPECT_EQ(client_->GetLicence(spelled.id).error().code, ErrorCode::kNotFound);
}

TEST_F(LicensingE2e, TheSeededRegistryIsThere) {
  std::set<std::string> ids;
  std::string token;
  do {
    auto page = client_->ListLicences(5, token);
    ASSERT_TRUE(page.ok());
    for (const auto& l : page->licences) ids.insert(l.id);
    token = page->next_page_token;
  } while (!token.empty());
  for (const char* id :
       {"CC0-1.0", "CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0", "CC-BY-ND-4.0",
        "CC-BY-NC-SA-4.0", "CC-BY-NC-ND-4.0", "Apache-2.0", "MIT", "BSD-3-Clause",
        "CDLA-Permissive-2.0", "CDLA-Sharing-1.0", "ASWF-Digital-Assets-1.0",
        "LicenseRef-CreativeML-OpenRAIL-M", "LicenseRef-BigScience-OpenRAIL-M",
        "LicenseRef-Llama-2-Community", "LicenseRef-Llama-3-Community",
        "LicenseRef-RMTC-Studio-Internal"}) {
    EXPECT_TRUE(ids.count(id)) << id;
  }
  auto cdla = client_->GetLicence("CDLA-Permissive-2.0");
  ASSERT_TRUE(cdla.ok());
  EXPECT_TRUE(cdla->terms.results_unrestricted);
}

}  // namespace
}  // namespace rmtc

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new rmtc::testing::SharedRmtcd(RMTCD_PATH));
  return RUN_ALL_TESTS();
}
