// The rights store on a real PostgreSQL that the harness starts (a
// throwaway embedded cluster) and removes: the licence registry, the
// append-only records and their order, the upstream subgraph of an
// evaluation and where it is cut, and impact lists with their counts and
// keyset pages.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "lineage/licensing.h"
#include "lineage/provenance_graph.h"
#include "records/licence_terms.h"
#include "store/connection_pool.h"
#include "store/pg_lineage_store.h"
#include "store/pg_rights_store.h"
#include "support/test_cluster.h"

namespace rmtc {
namespace {

using records::ConsentKey;
using records::ConsentValue;
using records::Kind;
using records::Relation;
using records::Timestamp;
using records::Uuid;
using Target = store::ImpactQuery::Target;

testing::TestCluster* cluster = nullptr;

class ClusterEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { cluster = new testing::TestCluster(); }
  void TearDown() override {
    delete cluster;
    cluster = nullptr;
  }
};

Timestamp Day(int y, unsigned m, unsigned d) {
  return std::chrono::sys_days(std::chrono::year_month_day(
      std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)));
}

Timestamp Now() {
  return std::chrono::time_point_cast<std::chrono::microseconds>(
      std::chrono::system_clock::now());
}

// An item of a write whose sources are earlier items of the same write.
struct Item {
  Kind kind;
  std::string name;
  std::vector<std::pair<Relation, int>> sources = {};
  std::string attributes = "";
};

class RightsStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = cluster->CreateDatabase();
    pool_ = std::make_unique<store::ConnectionPool>(
        url_, 4, store::PgLineageStore::PrepareStatements);
    lineage_ = std::make_unique<store::PgLineageStore>(*pool_);
    rights_ = std::make_unique<store::PgRightsStore>(*pool_);
  }

  int Count(const std::string& table) {
    return std::stoi(testing::TestCluster::Query(url_, "SELECT count(*) FROM " + table));
  }

  // Writes `items` in one write; returns their ids in order.
  std::vector<Uuid> Write(const std::vector<Item>& items) {
    lineage::RegisterCommand command;
    for (const auto& item : items) {
      records::NewArtefact a;
      a.kind = item.kind;
      a.name = item.name;
      a.attributes = item.attributes;
      for (const auto& [relation, index] : item.sources) {
        a.sources.push_back({relation, "", index});
      }
      command.artefacts.push_back(std::move(a));
    }
    lineage::ProvenanceGraph graph(*lineage_);
    auto result = graph.Register(command);
    EXPECT_TRUE(result.ok()) << result.status();
    std::vector<Uuid> ids;
    if (!result.ok()) return ids;
    for (const auto& a : result->artefacts) ids.push_back(a.id);
    return ids;
  }

  Uuid One(Kind kind, const std::string& name) { return Write({{kind, name}}).at(0); }

  void Attach(const Uuid& on, const std::string& expression,
              std::vector<std::string> licence_ids, Timestamp at = Day(2025, 1, 1)) {
    auto attached =
        rights_->Attach({on, expression, std::move(licence_ids), "", at, "test"}, {});
    EXPECT_TRUE(attached.ok()) << attached.status();
  }

  void Consent(const Uuid& on, const std::string& party) {
    records::ConsentRecord record;
    record.artefact = on;
    record.party = party;
    record.values[static_cast<int>(ConsentKey::kAiTraining)] = ConsentValue::kNotAllowed;
    auto recorded = rights_->RecordConsent(record, {});
    EXPECT_TRUE(recorded.ok()) << recorded.status();
  }

  std::string url_;
  std::unique_ptr<store::ConnectionPool> pool_;
  std::unique_ptr<store::PgLineageStore> lineage_;
  std::unique_ptr<store::PgRightsStore> rights_;
};

// ---- The registry ------------------------------------------------------------

records::Licence StudioLicence() {
  records::Licence l;
  l.id = "LicenseRef-Studio-Plates-1";
  l.name = "Studio plates";
  l.url = "https://studio.example/licences/plates-1";
  l.text_sha256 = std::string(64, 'e');
  l.terms = *records::TermsFromJson(
      "terms", R"({"field_of_use": "non-commercial", "attribution": true,
                   "use_restrictions": ["no \"deepfakes\"", "a, b"], "training": "allowed"})");
  l.valid_from = Day(2026, 1, 1) + std::chrono::microseconds(7);
  l.valid_until = Day(2027, 1, 1);
  l.licensor = "Plate Co";
  l.licensee = "Studio";
  l.jurisdictions = {"NZ", "a \"quoted\", one"};
  l.notes = "signed 2025-12-20";
  return l;
}

TEST_F(RightsStoreTest, AddLicenceIsRepeatableAndNeverEdits) {
  const int seeded = Count("licence");
  const auto before = Now();
  auto added = rights_->AddLicence(StudioLicence(), "legal@studio");
  ASSERT_TRUE(added.ok()) << added.status();
  const auto expected = StudioLicence();
  EXPECT_EQ(added->id, expected.id);
  EXPECT_EQ(added->name, expected.name);
  EXPECT_EQ(added->url, expected.url);
  EXPECT_EQ(added->text_sha256, expected.text_sha256);
  EXPECT_EQ(records::TermsToJson(added->terms), records::TermsToJson(expected.terms));
  EXPECT_EQ(added->terms.use_restrictions, expected.terms.use_restrictions);
  EXPECT_EQ(added->valid_from, expected.valid_from);  // to the microsecond
  EXPECT_EQ(added->valid_until, expected.valid_until);
  EXPECT_EQ(added->licensor, "Plate Co");
  EXPECT_EQ(added->licensee, "Studio");
  EXPECT_EQ(added->jurisdictions, expected.jurisdictions);
  EXPECT_EQ(added->notes, expected.notes);
  EXPECT_FALSE(added->revoked_at.has_value());
  EXPECT_LT(std::chrono::abs(added->created_at - before), std::chrono::minutes(5));
  EXPECT_EQ(Count("licence"), seeded + 1);
  EXPECT_EQ(
      testing::TestCluster::Query(
          url_, "SELECT created_by FROM licence WHERE id = 'LicenseRef-Studio-Plates-1'"),
      "legal@studio");

  // The same content again: the stored licence, nothing written.
  auto again = rights_->AddLicence(StudioLicence(), "someone else");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->created_at, added->created_at);
  // Notes are not content: the stored ones stay.
  auto noted = StudioLicence();
  noted.notes = "other notes";
  EXPECT_EQ(rights_->AddLicence(noted, "")->notes, "signed 2025-12-20");
  EXPECT_EQ(Count("licence"), seeded + 1);

  const std::string message =
      "id: licence LicenseRef-Studio-Plates-1 already exists with other terms; licences "
      "are "
      "not edited: add the new terms under a new id (e.g. LicenseRef-Studio-Plates-1-v2)";
  auto terms = StudioLicence();
  terms.terms.no_derivatives = true;
  auto edited = rights_->AddLicence(terms, "");
  EXPECT_EQ(edited.status().code(), absl::StatusCode::kAlreadyExists) << edited.status();
  EXPECT_EQ(std::string(edited.status().message()), message);
  auto places = StudioLicence();
  places.jurisdictions = {"NZ"};
  EXPECT_EQ(rights_->AddLicence(places, "").status().code(),
            absl::StatusCode::kAlreadyExists);
  auto until = StudioLicence();
  until.valid_until.reset();
  EXPECT_EQ(rights_->AddLicence(until, "").status().code(),
            absl::StatusCode::kAlreadyExists);
  auto seeded_mit = StudioLicence();
  seeded_mit.id = "MIT";
  auto mit = rights_->AddLicence(seeded_mit, "");
  EXPECT_EQ(
      std::string(mit.status().message()),
      "id: licence MIT already exists with other terms; licences are not edited: add "
      "the new terms under a new id (e.g. LicenseRef-MIT-v2)");
  EXPECT_EQ(Count("licence"), seeded + 1);
  EXPECT_EQ(testing::TestCluster::Query(url_,
                                        "SELECT terms->>'no_derivatives' FROM licence "
                                        "WHERE id = 'LicenseRef-Studio-Plates-1'"),
            "false");
}

TEST_F(RightsStoreTest, GetListRevokeAndExisting) {
  ASSERT_TRUE(rights_->AddLicence(StudioLicence(), "").ok());
  EXPECT_FALSE(rights_->GetLicence("LicenseRef-Nope")->has_value());
  auto mit = rights_->GetLicence("MIT");
  ASSERT_TRUE(mit.ok() && mit->has_value());
  EXPECT_EQ((*mit)->terms.field_of_use, records::FieldOfUse::kCommercial);

  // Pages by id, each after the last of the one before.
  std::vector<std::string> all;
  std::string after;
  for (int pages = 0; pages < 20; ++pages) {
    auto page = rights_->ListLicences(after, 5);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& l : *page) all.push_back(l.id);
    if (page->size() < 5u) break;
    after = page->back().id;
  }
  EXPECT_EQ(static_cast<int>(all.size()), Count("licence"));
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), all.size());
  EXPECT_NE(std::find(all.begin(), all.end(), "LicenseRef-Studio-Plates-1"), all.end());

  EXPECT_FALSE(
      rights_->RevokeLicence("LicenseRef-Nope", Day(2026, 1, 1), {})->has_value());
  auto revoked = rights_->RevokeLicence("MIT", Day(2026, 6, 1), {});
  ASSERT_TRUE(revoked.ok() && revoked->has_value());
  EXPECT_EQ((*revoked)->revoked_at, Day(2026, 6, 1));
  EXPECT_EQ((*rights_->RevokeLicence("MIT", Day(2026, 9, 1), {}))->revoked_at,
            Day(2026, 6, 1));
  EXPECT_EQ((*rights_->RevokeLicence("MIT", Day(2026, 3, 1), {}))->revoked_at,
            Day(2026, 3, 1));
  EXPECT_EQ((*rights_->GetLicence("MIT"))->revoked_at, Day(2026, 3, 1));

  auto existing = rights_->ExistingLicences({"MIT", "LicenseRef-Nope", "CC-BY-NC-4.0",
                                             "LicenseRef-Studio-Plates-1", "a \"b\", c"});
  ASSERT_TRUE(existing.ok()) << existing.status();
  EXPECT_EQ(*existing,
            (std::set<std::string>{"CC-BY-NC-4.0", "LicenseRef-Studio-Plates-1", "MIT"}));
}

// ---- Clearances ------------------------------------------------------------------

records::Clearance PlateClearance(const Uuid& plate, const Uuid& comp) {
  records::Clearance c;
  c.id = Uuid::NewV7();
  c.party = "Ngaio Artist";
  c.evidence = "sha256:" + std::string(64, 'c');
  c.valid_from = Day(2026, 1, 1) + std::chrono::microseconds(3);
  c.valid_until = Day(2027, 1, 1);
  c.artefact = plate;
  c.downstream = comp;
  c.facility = "wellington";
  c.project = "sh010";
  c.uses = {records::IntendedUse::kClientDelivery, records::IntendedUse::kPublicRelease};
  c.rules = {"field-of-use", "consent"};
  c.licence_id = "CC-BY-NC-4.0";
  c.rights_holder = "Ngaio \"N\" Artist, Ltd";
  c.note = "bought 2025-12-20";
  c.created_by = "legal@studio";
  return c;
}

TEST_F(RightsStoreTest, ClearancesAreAddedListedAndRevokedWithoutChange) {
  const auto ids = Write({{Kind::kAsset, "plate"},
                          {Kind::kAsset, "comp", {{Relation::kDerivedFrom, 0}}},
                          {Kind::kAsset, "other"}});
  const Uuid plate = ids[0], comp = ids[1], other = ids[2];
  const auto before = Now();
  const auto expected = PlateClearance(plate, comp);
  auto added = rights_->AddClearance(expected, {});
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_EQ(added->id, expected.id);
  EXPECT_EQ(added->party, expected.party);
  EXPECT_EQ(added->evidence, expected.evidence);
  EXPECT_EQ(added->valid_from, expected.valid_from);  // to the microsecond
  EXPECT_EQ(added->valid_until, expected.valid_until);
  EXPECT_EQ(added->artefact, plate);
  EXPECT_EQ(added->downstream, comp);
  EXPECT_EQ(added->facility, "wellington");
  EXPECT_EQ(added->project, "sh010");
  EXPECT_EQ(added->uses, expected.uses);
  EXPECT_EQ(added->rules, expected.rules);
  EXPECT_EQ(added->licence_id, "CC-BY-NC-4.0");
  EXPECT_EQ(added->rights_holder, expected.rights_holder);
  EXPECT_EQ(added->note, expected.note);
  EXPECT_EQ(added->created_by, "legal@studio");
  EXPECT_FALSE(added->revoked_at.has_value());
  EXPECT_LT(std::chrono::abs(added->created_at - before), std::chrono::minutes(5));

  auto open = PlateClearance(other, comp);
  open.downstream.reset();
  open.valid_from.reset();
  open.valid_until.reset();
  open.uses.clear();
  open.party = "Tane Painter";
  ASSERT_TRUE(rights_->AddClearance(open, {}).ok());
  auto got = rights_->GetClearance(open.id);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_FALSE((*got)->downstream.has_value());
  EXPECT_FALSE((*got)->valid_from.has_value());
  EXPECT_TRUE((*got)->uses.empty());
  EXPECT_FALSE(rights_->GetClearance(Uuid::NewV7())->has_value());

  // Listing: by the cleared or the downstream artefact, by party, by id.
  auto list = [&](std::optional<Uuid> artefact, std::string party) {
    std::vector<Uuid> out;
    auto page = rights_->ListClearances({.artefact = artefact, .party = party});
    EXPECT_TRUE(page.ok()) << page.status();
    if (page.ok()) {
      for (const auto& c : *page) out.push_back(c.id);
    }
    return out;
  };
  EXPECT_EQ(list(plate, ""), std::vector<Uuid>{expected.id});
  EXPECT_EQ(list(comp, "").size(), 1u);
  EXPECT_EQ(list(other, ""), std::vector<Uuid>{open.id});
  EXPECT_EQ(list(std::nullopt, "Tane Painter"), std::vector<Uuid>{open.id});
  EXPECT_EQ(list(std::nullopt, "").size(), 2u);
  auto after = rights_->ListClearances({.after = std::min(expected.id, open.id)});
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ(after->front().id, std::max(expected.id, open.id));

  // Revocations are appended; the earliest counts; the clearance row stays.
  EXPECT_FALSE(rights_->RevokeClearance(Uuid::NewV7(), Day(2026, 1, 1), "")->has_value());
  EXPECT_EQ(
      (*rights_->RevokeClearance(expected.id, Day(2026, 6, 1), "legal"))->revoked_at,
      Day(2026, 6, 1));
  EXPECT_EQ(
      (*rights_->RevokeClearance(expected.id, Day(2026, 9, 1), "legal"))->revoked_at,
      Day(2026, 6, 1));
  EXPECT_EQ(
      (*rights_->RevokeClearance(expected.id, Day(2026, 3, 1), "legal"))->revoked_at,
      Day(2026, 3, 1));
  EXPECT_EQ(Count("clearance_revocation"), 3);
  EXPECT_EQ(Count("clearance"), 2);
  EXPECT_EQ((*rights_->GetClearance(expected.id))->party, "Ngaio Artist");

  // Evaluation reads the clearances of artefacts on the subgraph, and the
  // checked artefact's facility and project.
  const Uuid scoped =
      Write({{Kind::kAsset, "delivery", {}, R"({"project": "sh010"})"}})[0];
  auto graph = rights_->Upstream({comp, scoped}, 100);
  ASSERT_TRUE(graph.ok()) << graph.status();
  ASSERT_EQ(graph->clearances.size(), 1u);
  EXPECT_EQ(graph->clearances[0].id, expected.id);
  EXPECT_EQ(graph->clearances[0].revoked_at, Day(2026, 3, 1));
  EXPECT_EQ(graph->clearances[0].uses, expected.uses);
  EXPECT_EQ(graph->nodes.at(scoped).project, "sh010");
  EXPECT_EQ(graph->nodes.at(comp).project, "");
}

TEST_F(RightsStoreTest, ABadClearanceWritesNothing) {
  const auto ids = Write({{Kind::kAsset, "plate"}, {Kind::kAsset, "unrelated"}});
  // The store refuses what the database refuses ...
  auto dangling = PlateClearance(ids[0], Uuid::NewV7());
  EXPECT_FALSE(rights_->AddClearance(dangling, {}).ok());
  auto empty = PlateClearance(ids[0], ids[0]);
  empty.rules.clear();
  EXPECT_FALSE(rights_->AddClearance(empty, {}).ok());
  EXPECT_EQ(Count("clearance"), 0);
  // ... and the domain, over this store, refuses first, writing nothing.
  lineage::Licensing licensing(*lineage_, *rights_, records::Policy::kStrict, false);
  auto bad = PlateClearance(ids[0], ids[1]);
  auto refused = licensing.AddClearance(bad, "legal");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition)
      << refused.status();
  bad.downstream.reset();
  bad.rules = {"field-of-use", "fieldofuse"};
  EXPECT_EQ(licensing.AddClearance(bad, "legal").status().code(),
            absl::StatusCode::kInvalidArgument);
  bad.rules = {"field-of-use"};
  bad.licence_id = "LicenseRef-Nope";
  EXPECT_EQ(licensing.AddClearance(bad, "legal").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Count("clearance"), 0);
  EXPECT_EQ(Count("clearance_revocation"), 0);
  bad.licence_id = "";
  ASSERT_TRUE(licensing.AddClearance(bad, "legal").ok());
  EXPECT_EQ(Count("clearance"), 1);
}

// ---- Records: appended, with their times, in order ----------------------------

TEST_F(RightsStoreTest, AttachmentsElectionsAndConsentsKeepTheirHistoryInOrder) {
  const Uuid model = One(Kind::kModel, "dual model");
  const Uuid other = One(Kind::kModel, "other model");
  const auto before = Now();
  auto now = rights_->Attach({model,
                              "MIT OR CC-BY-NC-4.0",
                              {"MIT", "CC-BY-NC-4.0"},
                              "Ngaio",
                              Timestamp{},
                              "td@studio"},
                             {});
  ASSERT_TRUE(now.ok()) << now.status();
  EXPECT_GE(now->attached_at, before - std::chrono::seconds(5));  // no time given: now
  EXPECT_LT(now->attached_at - before, std::chrono::minutes(5));
  // Recorded later but in force earlier; then two at the same moment.
  Attach(model, "Apache-2.0", {"Apache-2.0"}, Day(2024, 5, 1));
  Attach(model, "CC0-1.0", {"CC0-1.0"}, Day(2025, 1, 1));
  Attach(model, "MIT", {"MIT"}, Day(2025, 1, 1));
  Attach(other, "MIT", {"MIT"});
  auto attachments = rights_->Attachments(model);
  ASSERT_TRUE(attachments.ok()) << attachments.status();
  std::vector<std::string> order;
  for (const auto& a : *attachments) order.push_back(a.expression);
  EXPECT_EQ(order, (std::vector<std::string>{"Apache-2.0", "CC0-1.0", "MIT",
                                             "MIT OR CC-BY-NC-4.0"}));
  EXPECT_EQ(attachments->at(3).licence_ids,
            (std::vector<std::string>{"MIT", "CC-BY-NC-4.0"}));
  EXPECT_EQ(attachments->at(3).attribution, "Ngaio");
  EXPECT_EQ(attachments->at(3).attached_by, "td@studio");
  EXPECT_EQ(attachments->at(3).attached_at, now->attached_at);
  EXPECT_EQ(attachments->at(0).attached_at, Day(2024, 5, 1));
  EXPECT_EQ(Count("licence_attachment"), 5);

  // The store times an election; a given time is not read.
  auto elected = rights_->Elect({model, "MIT", Day(2020, 1, 1), "legal@studio"}, {});
  ASSERT_TRUE(elected.ok()) << elected.status();
  EXPECT_GE(elected->elected_at, before - std::chrono::seconds(5));
  EXPECT_EQ(elected->licence_id, "MIT");
  ASSERT_TRUE(rights_->Elect({model, "CC-BY-NC-4.0", {}, "legal@studio"}, {}).ok());
  EXPECT_EQ(Count("licence_election"), 2);

  // Consents: recorded out of order, read by effective time; keys not
  // given stay unspoken.
  records::ConsentRecord later;
  later.artefact = model;
  later.party = "Aroha Painter";
  later.values[static_cast<int>(ConsentKey::kAiTraining)] = ConsentValue::kNotAllowed;
  later.values[static_cast<int>(ConsentKey::kDataMining)] = ConsentValue::kConstrained;
  later.effective_at = Day(2026, 6, 1);
  later.recorded_by = "rights@studio";
  later.note = "email of 2026-05-30";
  auto recorded = rights_->RecordConsent(later, {});
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_EQ(recorded->effective_at, Day(2026, 6, 1));
  EXPECT_GE(recorded->recorded_at, before - std::chrono::seconds(5));
  records::ConsentRecord earlier = later;
  earlier.values[static_cast<int>(ConsentKey::kAiTraining)] = ConsentValue::kAllowed;
  earlier.values[static_cast<int>(ConsentKey::kDataMining)].reset();
  earlier.effective_at = Day(2026, 1, 1);
  earlier.note = "contract";
  ASSERT_TRUE(rights_->RecordConsent(earlier, {}).ok());
  records::ConsentRecord current = earlier;
  current.effective_at = Timestamp{};  // from now
  current.note = "today";
  auto today = rights_->RecordConsent(current, {});
  ASSERT_TRUE(today.ok());
  EXPECT_EQ(today->effective_at, today->recorded_at);
  current.artefact = other;
  ASSERT_TRUE(rights_->RecordConsent(current, {}).ok());

  auto history = rights_->ConsentHistory(model);
  ASSERT_TRUE(history.ok()) << history.status();
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ(history->at(0).note, "contract");
  EXPECT_EQ(history->at(1).note, "email of 2026-05-30");
  EXPECT_EQ(history->at(2).note, "today");
  const auto& h = history->at(1);
  EXPECT_EQ(h.artefact, model);
  EXPECT_EQ(h.party, "Aroha Painter");
  EXPECT_EQ(h.recorded_by, "rights@studio");
  EXPECT_EQ(h.effective_at, Day(2026, 6, 1));
  EXPECT_EQ(h.recorded_at, recorded->recorded_at);
  EXPECT_EQ(h.values[static_cast<int>(ConsentKey::kAiTraining)],
            ConsentValue::kNotAllowed);
  EXPECT_EQ(h.values[static_cast<int>(ConsentKey::kDataMining)],
            ConsentValue::kConstrained);
  EXPECT_FALSE(h.values[static_cast<int>(ConsentKey::kAiGenerativeTraining)].has_value());
  EXPECT_FALSE(h.values[static_cast<int>(ConsentKey::kAiInference)].has_value());
  EXPECT_FALSE(
      history->at(0).values[static_cast<int>(ConsentKey::kDataMining)].has_value());
  EXPECT_EQ(Count("consent"), 4);
}

// ---- Request ids: a repeat gets the first answer, never a second record -------

records::RequestKey Key(const std::string& id, const std::string& method,
                        const std::string& digest = "digest-1") {
  return {id, method, digest};
}

std::string Reused(const std::string& id, const std::string& method) {
  return "request_id: '" + id + "' was already used for a different " + method +
         " request; use a new id for a new request";
}

TEST_F(RightsStoreTest, ARepeatedRequestIdAppendsOnceAndAnswersTheSame) {
  const Uuid model = One(Kind::kModel, "repeated model");
  // No time given: each call that wrote would stamp its own "now".
  const records::LicenceAttachment attachment{
      model, "MIT OR Apache-2.0", {"MIT", "Apache-2.0"}, "Ngaio", Timestamp{}, "td"};
  auto first = rights_->Attach(attachment, Key("att-1", "AttachLicence"));
  ASSERT_TRUE(first.ok()) << first.status();
  auto again = rights_->Attach(attachment, Key("att-1", "AttachLicence"));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->attached_at, first->attached_at);
  EXPECT_EQ(again->expression, first->expression);
  EXPECT_EQ(again->licence_ids, first->licence_ids);
  EXPECT_EQ(again->attribution, "Ngaio");
  EXPECT_EQ(again->attached_by, "td");
  EXPECT_EQ(again->artefact, model);
  EXPECT_EQ(Count("licence_attachment"), 1);

  auto elected = rights_->Elect({model, "MIT", {}, "legal"}, Key("el-1", "ElectLicence"));
  ASSERT_TRUE(elected.ok()) << elected.status();
  auto elected_again =
      rights_->Elect({model, "MIT", {}, "legal"}, Key("el-1", "ElectLicence"));
  ASSERT_TRUE(elected_again.ok()) << elected_again.status();
  EXPECT_EQ(elected_again->elected_at, elected->elected_at);
  EXPECT_EQ(elected_again->licence_id, "MIT");
  EXPECT_EQ(elected_again->elected_by, "legal");
  EXPECT_EQ(elected_again->artefact, model);
  EXPECT_EQ(Count("licence_election"), 1);

  records::ConsentRecord consent;
  consent.artefact = model;
  consent.party = "Aroha Painter";
  consent.values[static_cast<int>(ConsentKey::kAiTraining)] = ConsentValue::kNotAllowed;
  consent.values[static_cast<int>(ConsentKey::kDataMining)] = ConsentValue::kConstrained;
  consent.recorded_by = "rights";
  consent.note = "email";
  auto recorded = rights_->RecordConsent(consent, Key("co-1", "SetConsent"));
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  auto recorded_again = rights_->RecordConsent(consent, Key("co-1", "SetConsent"));
  ASSERT_TRUE(recorded_again.ok()) << recorded_again.status();
  EXPECT_EQ(recorded_again->effective_at, recorded->effective_at);
  EXPECT_EQ(recorded_again->recorded_at, recorded->recorded_at);
  EXPECT_EQ(recorded_again->party, "Aroha Painter");
  EXPECT_EQ(recorded_again->recorded_by, "rights");
  EXPECT_EQ(recorded_again->note, "email");
  for (int k = 0; k < records::kConsentKeyCount; ++k) {
    EXPECT_EQ(recorded_again->values[k], recorded->values[k]) << k;
  }
  EXPECT_EQ(Count("consent"), 1);
  EXPECT_EQ(rights_->ConsentHistory(model)->size(), 1u);

  // A revocation's repeat records nothing over what came since.
  auto revoked =
      rights_->RevokeLicence("MIT", Day(2026, 6, 1), Key("rv-1", "RevokeLicence"));
  ASSERT_TRUE(revoked.ok() && revoked->has_value()) << revoked.status();
  auto revoked_again =
      rights_->RevokeLicence("MIT", Day(2026, 6, 1), Key("rv-1", "RevokeLicence"));
  ASSERT_TRUE(revoked_again.ok() && revoked_again->has_value());
  EXPECT_EQ((*revoked_again)->revoked_at, Day(2026, 6, 1));
  // An unknown licence does not use up its id.
  EXPECT_FALSE(rights_
                   ->RevokeLicence("LicenseRef-Nope", Day(2026, 1, 1),
                                   Key("rv-2", "RevokeLicence"))
                   ->has_value());
  EXPECT_EQ(Count("write_request"), 4);
  // The ids are the lineage writes' ids too.
  EXPECT_TRUE(*lineage_->RequestSeen("att-1"));
  EXPECT_FALSE(*lineage_->RequestSeen("rv-2"));
}

TEST_F(RightsStoreTest, ARequestIdReusedForAnotherRequestIsRefusedAndWritesNothing) {
  const Uuid model = One(Kind::kModel, "reused model");
  const records::LicenceAttachment attachment{
      model, "MIT OR Apache-2.0", {"MIT", "Apache-2.0"}, "", Day(2025, 1, 1), "td"};
  ASSERT_TRUE(rights_->Attach(attachment, Key("att-1", "AttachLicence")).ok());
  ASSERT_TRUE(rights_->Elect({model, "MIT", {}, ""}, Key("el-1", "ElectLicence")).ok());
  records::ConsentRecord consent;
  consent.artefact = model;
  consent.party = "Aroha Painter";
  consent.values[static_cast<int>(ConsentKey::kAiTraining)] = ConsentValue::kAllowed;
  ASSERT_TRUE(rights_->RecordConsent(consent, Key("co-1", "SetConsent")).ok());
  ASSERT_TRUE(
      rights_->RevokeLicence("MIT", Day(2026, 6, 1), Key("rv-1", "RevokeLicence")).ok());

  auto expect_refused = [](const absl::Status& status, const std::string& message) {
    EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists) << status;
    EXPECT_EQ(std::string(status.message()), message);
  };
  // Another digest (other content), and another method, for each id.
  expect_refused(
      rights_->Attach(attachment, Key("att-1", "AttachLicence", "digest-2")).status(),
      Reused("att-1", "AttachLicence"));
  expect_refused(rights_->Attach(attachment, Key("el-1", "AttachLicence")).status(),
                 Reused("el-1", "ElectLicence"));
  expect_refused(
      rights_
          ->Elect({model, "Apache-2.0", {}, ""}, Key("el-1", "ElectLicence", "digest-2"))
          .status(),
      Reused("el-1", "ElectLicence"));
  expect_refused(
      rights_->Elect({model, "MIT", {}, ""}, Key("co-1", "ElectLicence")).status(),
      Reused("co-1", "SetConsent"));
  expect_refused(
      rights_->RecordConsent(consent, Key("co-1", "SetConsent", "digest-2")).status(),
      Reused("co-1", "SetConsent"));
  expect_refused(rights_->RecordConsent(consent, Key("att-1", "SetConsent")).status(),
                 Reused("att-1", "AttachLicence"));
  expect_refused(rights_
                     ->RevokeLicence("MIT", Day(2026, 3, 1),
                                     Key("rv-1", "RevokeLicence", "digest-2"))
                     .status(),
                 Reused("rv-1", "RevokeLicence"));
  expect_refused(
      rights_->RevokeLicence("MIT", Day(2026, 3, 1), Key("att-1", "RevokeLicence"))
          .status(),
      Reused("att-1", "AttachLicence"));

  EXPECT_EQ(Count("licence_attachment"), 1);
  EXPECT_EQ(Count("licence_election"), 1);
  EXPECT_EQ(Count("consent"), 1);
  EXPECT_EQ(Count("write_request"), 4);
  EXPECT_EQ((*rights_->GetLicence("MIT"))->revoked_at, Day(2026, 6, 1));
}

// A clearance under a request id: a repeat (even with a new uuid, as a
// retried call gets from the domain) returns the first clearance; the id
// with another request is refused and records nothing.
TEST_F(RightsStoreTest, ARepeatedClearanceRequestRecordsOnce) {
  const auto ids = Write({{Kind::kAsset, "clear plate"},
                          {Kind::kAsset, "clear comp", {{Relation::kDerivedFrom, 0}}}});
  const auto first = PlateClearance(ids[0], ids[1]);
  auto added = rights_->AddClearance(first, Key("cl-1", "AddClearance"));
  ASSERT_TRUE(added.ok()) << added.status();
  auto retry = PlateClearance(ids[0], ids[1]);  // a new id, as a retry gets
  ASSERT_NE(retry.id, first.id);
  auto again = rights_->AddClearance(retry, Key("cl-1", "AddClearance"));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->id, first.id);
  EXPECT_EQ(again->created_at, added->created_at);
  EXPECT_EQ(Count("clearance"), 1);
  auto other = rights_->AddClearance(PlateClearance(ids[0], ids[1]),
                                     Key("cl-1", "AddClearance", "digest-2"));
  EXPECT_EQ(other.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(std::string(other.status().message()), Reused("cl-1", "AddClearance"));
  EXPECT_EQ(Count("clearance"), 1);
}

TEST_F(RightsStoreTest, ConcurrentRepeatsOfOneLicensingRequestAppendOnce) {
  const Uuid model = One(Kind::kModel, "raced model");
  constexpr int kWriters = 6;
  std::vector<std::thread> threads;
  std::vector<Timestamp> attached(kWriters), recorded(kWriters);
  for (int t = 0; t < kWriters; ++t) {
    threads.emplace_back([&, t] {
      auto a = rights_->Attach({model, "MIT", {"MIT"}, "", Timestamp{}, ""},
                               Key("raced-attach", "AttachLicence"));
      ASSERT_TRUE(a.ok()) << a.status();
      attached[t] = a->attached_at;
      records::ConsentRecord consent;
      consent.artefact = model;
      consent.party = "Aroha Painter";
      consent.values[static_cast<int>(ConsentKey::kAiTraining)] = ConsentValue::kAllowed;
      auto c = rights_->RecordConsent(consent, Key("raced-consent", "SetConsent"));
      ASSERT_TRUE(c.ok()) << c.status();
      recorded[t] = c->recorded_at;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(Count("licence_attachment"), 1);
  EXPECT_EQ(Count("consent"), 1);
  EXPECT_EQ(Count("write_request"), 2);
  for (int t = 0; t < kWriters; ++t) {
    EXPECT_EQ(attached[t], attached[0]);
    EXPECT_EQ(recorded[t], recorded[0]);
  }
}

// ---- Upstream: what an evaluation reads ----------------------------------------

TEST_F(RightsStoreTest, UpstreamIsExactlyTheSubgraphWithItsRecords) {
  // art and dual in a set that trains a generative run, which makes
  // weights; a second set holds dual too (a diamond); unrelated stays out.
  const auto ids = Write(
      {{Kind::kAsset, "art"},
       {Kind::kAsset, "dual"},
       {Kind::kDataset, "set", {{Relation::kContains, 0}, {Relation::kContains, 1}}},
       {Kind::kDataset, "other set", {{Relation::kContains, 1}}},
       {Kind::kRun,
        "run",
        {{Relation::kTrainedOn, 2}, {Relation::kTrainedOn, 3}},
        R"({"generative": true})"},
       {Kind::kWeights, "weights", {{Relation::kProducedBy, 4}}},
       {Kind::kAsset, "unrelated"},
       {Kind::kDataset, "downstream", {{Relation::kContains, 0}}}});
  ASSERT_EQ(ids.size(), 8u);
  const Uuid art = ids[0], dual = ids[1], set = ids[2], other_set = ids[3], run = ids[4],
             weights = ids[5], unrelated = ids[6], downstream = ids[7];
  Attach(art, "CC-BY-4.0", {"CC-BY-4.0"});
  Attach(dual, "MIT OR Apache-2.0", {"MIT", "Apache-2.0"});
  ASSERT_TRUE(rights_->Elect({dual, "MIT", {}, "legal"}, {}).ok());
  Consent(art, "Aroha Painter");
  Attach(unrelated, "CC0-1.0", {"CC0-1.0"});
  Consent(unrelated, "Someone Else");

  auto graph = rights_->Upstream({weights}, 100);
  ASSERT_TRUE(graph.ok()) << graph.status();
  EXPECT_FALSE(graph->truncated);
  std::set<Uuid> nodes;
  for (const auto& [id, node] : graph->nodes) {
    nodes.insert(id);
    EXPECT_EQ(node.id, id);
  }
  EXPECT_EQ(nodes, (std::set<Uuid>{weights, run, set, other_set, art, dual}));
  std::vector<records::Edge> edges = graph->edges;
  auto by_ends = [](const records::Edge& a, const records::Edge& b) {
    return std::tie(a.derived, a.source) < std::tie(b.derived, b.source);
  };
  std::sort(edges.begin(), edges.end(), by_ends);
  std::vector<records::Edge> expected = {
      {weights, run, Relation::kProducedBy},  {run, set, Relation::kTrainedOn},
      {run, other_set, Relation::kTrainedOn}, {set, art, Relation::kContains},
      {set, dual, Relation::kContains},       {other_set, dual, Relation::kContains}};
  std::sort(expected.begin(), expected.end(), by_ends);
  EXPECT_EQ(edges, expected);
  std::set<std::string> licences;
  for (const auto& [id, licence] : graph->licences) {
    licences.insert(id);
    EXPECT_EQ(licence.id, id);
  }
  EXPECT_EQ(licences, (std::set<std::string>{"Apache-2.0", "CC-BY-4.0", "MIT"}));
  EXPECT_TRUE(graph->licences.at("CC-BY-4.0").terms.attribution);

  const auto& r = graph->nodes.at(run);
  EXPECT_EQ(r.kind, Kind::kRun);
  EXPECT_EQ(r.name, "run");
  EXPECT_TRUE(r.generative);
  EXPECT_FALSE(graph->nodes.at(weights).generative);
  const auto& a = graph->nodes.at(art);
  ASSERT_EQ(a.attachments.size(), 1u);
  EXPECT_EQ(a.attachments[0].expression, "CC-BY-4.0");
  EXPECT_EQ(a.attachments[0].attached_at, Day(2025, 1, 1));
  ASSERT_EQ(a.consents.size(), 1u);
  EXPECT_EQ(a.consents[0].party, "Aroha Painter");
  EXPECT_EQ(a.consents[0].values[static_cast<int>(ConsentKey::kAiTraining)],
            ConsentValue::kNotAllowed);
  EXPECT_TRUE(a.elections.empty());
  const auto& d = graph->nodes.at(dual);
  ASSERT_EQ(d.attachments.size(), 1u);
  EXPECT_EQ(d.attachments[0].licence_ids,
            (std::vector<std::string>{"MIT", "Apache-2.0"}));
  ASSERT_EQ(d.elections.size(), 1u);
  EXPECT_EQ(d.elections[0].licence_id, "MIT");
  EXPECT_TRUE(d.consents.empty());
  EXPECT_TRUE(graph->nodes.at(set).attachments.empty());

  // Several roots; a root's downstream is not upstream.
  auto two = rights_->Upstream({art, unrelated}, 100);
  ASSERT_TRUE(two.ok()) << two.status();
  EXPECT_EQ(two->nodes.size(), 2u);
  EXPECT_TRUE(two->nodes.count(art) && two->nodes.count(unrelated));
  EXPECT_TRUE(two->edges.empty());
  EXPECT_EQ(two->nodes.at(unrelated).consents.at(0).party, "Someone Else");
  EXPECT_FALSE(two->nodes.count(downstream));
  // An unknown root is not a node.
  auto unknown = rights_->Upstream({Uuid::NewV7()}, 100);
  ASSERT_TRUE(unknown.ok());
  EXPECT_TRUE(unknown->nodes.empty());
}

// What the time and grant rules read: when each artefact was recorded, and
// whom and where its licences were granted to (and survives_expiry, which
// travels in the terms JSON).
TEST_F(RightsStoreTest, UpstreamReadsRecordingTimesAndWhomLicencesGrant) {
  records::Licence l;
  l.id = "LicenseRef-Granted";
  l.name = "Granted elsewhere";
  l.terms.survives_expiry = records::SurvivesExpiry::kDerivativesMadeDuringTerm;
  l.licensee = "Other Co";
  l.jurisdictions = {"AU", "US"};
  ASSERT_TRUE(rights_->AddLicence(l, "legal").ok());
  const auto before = Now();
  const auto ids = Write({{Kind::kAsset, "granted plate"}});
  const auto after = Now();
  ASSERT_EQ(ids.size(), 1u);
  Attach(ids[0], "LicenseRef-Granted", {"LicenseRef-Granted"});
  auto graph = rights_->Upstream({ids[0]}, 10);
  ASSERT_TRUE(graph.ok()) << graph.status();
  const auto& node = graph->nodes.at(ids[0]);
  EXPECT_GE(node.created_at, before - std::chrono::seconds(5));  // the database's clock
  EXPECT_LE(node.created_at, after + std::chrono::seconds(5));
  const auto& read = graph->licences.at("LicenseRef-Granted");
  EXPECT_EQ(read.licensee, "Other Co");
  EXPECT_EQ(read.jurisdictions, (std::vector<std::string>{"AU", "US"}));
  EXPECT_EQ(read.terms.survives_expiry,
            records::SurvivesExpiry::kDerivativesMadeDuringTerm);
}

TEST_F(RightsStoreTest, UpstreamStopsAtMaxNodesAndSaysSo) {
  // A chain of ten assets, each derived from the one before.
  std::vector<Item> items = {{Kind::kAsset, "a0"}};
  for (int i = 1; i < 10; ++i) {
    items.push_back(
        {Kind::kAsset, "a" + std::to_string(i), {{Relation::kDerivedFrom, i - 1}}});
  }
  const auto ids = Write(items);
  ASSERT_EQ(ids.size(), 10u);
  for (const auto& id : ids) Attach(id, "MIT", {"MIT"});
  const Uuid top = ids.back();

  auto whole = rights_->Upstream({top}, 10);
  ASSERT_TRUE(whole.ok()) << whole.status();
  EXPECT_FALSE(whole->truncated);
  EXPECT_EQ(whole->nodes.size(), 10u);
  EXPECT_EQ(whole->edges.size(), 9u);

  for (int max : {1, 4, 9}) {
    auto cut = rights_->Upstream({top}, max);
    ASSERT_TRUE(cut.ok()) << cut.status();
    EXPECT_TRUE(cut->truncated) << "max_nodes " << max;
    EXPECT_LE(static_cast<int>(cut->nodes.size()), max) << "max_nodes " << max;
    EXPECT_GE(static_cast<int>(cut->nodes.size()), 1);
    EXPECT_TRUE(cut->nodes.count(top)) << "the root is read first";
    for (const auto& [id, node] : cut->nodes) {
      EXPECT_EQ(node.id, id);
      EXPECT_EQ(node.attachments.size(), 1u);
    }
  }
}

// ---- Impact ------------------------------------------------------------------

class ImpactStoreTest : public RightsStoreTest {
 protected:
  // Two MIT assets in a set that trains five runs (each with weights) and
  // evaluates a sixth; the artist spoke about one of them. Around them,
  // assets whose MIT attachment is not in force now.
  void SetUp() override {
    RightsStoreTest::SetUp();
    std::vector<Item> items = {
        {Kind::kAsset, "art"},
        {Kind::kAsset, "art 2"},
        {Kind::kDataset, "set", {{Relation::kContains, 0}, {Relation::kContains, 1}}}};
    for (int i = 0; i < 5; ++i) {
      const int run = static_cast<int>(items.size());
      items.push_back(
          {Kind::kRun, "run " + std::to_string(i), {{Relation::kTrainedOn, 2}}});
      items.push_back(
          {Kind::kWeights, "w " + std::to_string(i), {{Relation::kProducedBy, run}}});
    }
    const int eval = static_cast<int>(items.size());
    items.push_back({Kind::kRun, "eval run", {{Relation::kEvaluatedOn, 2}}});
    items.push_back({Kind::kWeights, "eval w", {{Relation::kProducedBy, eval}}});
    items.push_back({Kind::kAsset, "relicensed"});
    items.push_back({Kind::kAsset, "licensed next year"});
    items.push_back({Kind::kAsset, "dual"});
    items.push_back({Kind::kAsset, "unrelated"});
    ids_ = Write(items);
    ASSERT_EQ(ids_.size(), 19u);
    art_ = ids_[0];
    art2_ = ids_[1];
    set_ = ids_[2];
    eval_ = ids_[13];
    eval_weights_ = ids_[14];
    relicensed_ = ids_[15];
    next_year_ = ids_[16];
    dual_ = ids_[17];
    Attach(art_, "MIT", {"MIT"});
    Attach(art2_, "MIT", {"MIT"});
    Attach(relicensed_, "MIT", {"MIT"}, Day(2024, 1, 1));
    Attach(relicensed_, "CC0-1.0", {"CC0-1.0"}, Day(2025, 1, 1));
    Attach(next_year_, "CC0-1.0", {"CC0-1.0"}, Day(2024, 1, 1));
    Attach(next_year_, "MIT", {"MIT"}, Now() + std::chrono::days(365));
    Attach(dual_, "Apache-2.0 OR MIT", {"Apache-2.0", "MIT"});
    Consent(art_, "Aroha Painter");
    Consent(art_, "Aroha Painter");  // twice: still one root
  }

  // Every page of `query`, `size` at a time, following the keyset.
  std::vector<store::ImpactPage> Pages(store::ImpactQuery query, int size) {
    std::vector<store::ImpactPage> pages;
    query.limit = size;
    while (pages.size() < 100) {
      auto page = rights_->Impact(query);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      pages.push_back(*page);
      if (static_cast<int>(page->nodes.size()) < size) break;
      query.after = page->nodes.back().artefact.id;
    }
    return pages;
  }

  static std::set<Uuid> Ids(const store::ImpactPage& page) {
    std::set<Uuid> ids;
    for (const auto& n : page.nodes) ids.insert(n.artefact.id);
    return ids;
  }

  std::set<Uuid> Range(int from, int to) const {  // ids_[from..to)
    return std::set<Uuid>(ids_.begin() + from, ids_.begin() + to);
  }

  std::vector<Uuid> ids_;
  Uuid art_, art2_, set_, eval_, eval_weights_, relicensed_, next_year_, dual_;
};

TEST_F(ImpactStoreTest, ALicenceReachesWhereItIsInForceNowAndStopsAtEvaluation) {
  auto page = rights_->Impact(
      {.target = Target::kLicence, .licence_id = "MIT", .through_evaluation = false});
  ASSERT_TRUE(page.ok()) << page.status();
  std::set<Uuid> expected =
      Range(0, 13);  // the two assets, the set, five runs and weights
  expected.insert(dual_);
  // The run evaluated on the set is judged by its licence; its weights not.
  expected.insert(eval_);
  EXPECT_EQ(Ids(*page), expected);
  EXPECT_EQ(
      page->counts,
      (std::map<Kind, std::int64_t>{
          {Kind::kAsset, 3}, {Kind::kDataset, 1}, {Kind::kRun, 6}, {Kind::kWeights, 5}}));
  for (const auto& n : page->nodes) {
    const bool root =
        n.artefact.id == art_ || n.artefact.id == art2_ || n.artefact.id == dual_;
    EXPECT_EQ(n.direct, root) << n.artefact.name;
  }
  EXPECT_TRUE(std::is_sorted(
      page->nodes.begin(), page->nodes.end(),
      [](const auto& a, const auto& b) { return a.artefact.id < b.artefact.id; }));
  const auto& first = page->nodes.front();
  EXPECT_FALSE(first.artefact.name.empty());
  EXPECT_LT(std::chrono::abs(first.artefact.created_at - Now()), std::chrono::minutes(5));

  // Followed through evaluated_on, the evaluation run's weights too.
  auto through = rights_->Impact({.target = Target::kLicence, .licence_id = "MIT"});
  ASSERT_TRUE(through.ok());
  expected.insert(eval_weights_);
  EXPECT_EQ(Ids(*through), expected);
  EXPECT_EQ(through->counts.at(Kind::kRun), 6);

  auto none = rights_->Impact({.target = Target::kLicence, .licence_id = "CC-BY-NC-4.0"});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->nodes.empty());
  EXPECT_TRUE(none->counts.empty());
  auto cc0 = rights_->Impact({.target = Target::kLicence, .licence_id = "CC0-1.0"});
  EXPECT_EQ(Ids(*cc0), (std::set<Uuid>{relicensed_, next_year_}));
}

TEST_F(ImpactStoreTest, APartyAndAnArtefactReachDownstream) {
  auto party = rights_->Impact({.target = Target::kParty, .party = "Aroha Painter"});
  ASSERT_TRUE(party.ok()) << party.status();
  std::set<Uuid> expected = Range(2, 15);  // the set and all below it
  expected.insert(art_);
  EXPECT_EQ(Ids(*party), expected);
  EXPECT_EQ(
      party->counts,
      (std::map<Kind, std::int64_t>{
          {Kind::kAsset, 1}, {Kind::kDataset, 1}, {Kind::kRun, 6}, {Kind::kWeights, 6}}));
  int direct = 0;
  for (const auto& n : party->nodes) direct += n.direct;
  EXPECT_EQ(direct, 1);
  auto skipping = rights_->Impact(
      {.target = Target::kParty, .party = "Aroha Painter", .through_evaluation = false});
  ASSERT_TRUE(skipping.ok());
  EXPECT_EQ(skipping->counts.at(Kind::kRun), 6);  // reached, not gone past
  EXPECT_TRUE(Ids(*skipping).count(eval_));
  EXPECT_FALSE(Ids(*skipping).count(eval_weights_));
  EXPECT_TRUE(
      rights_->Impact({.target = Target::kParty, .party = "Nobody"})->nodes.empty());

  auto set = rights_->Impact({.target = Target::kArtefact, .artefact = set_});
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(Ids(*set), Range(2, 15));
  EXPECT_EQ(set->counts.at(Kind::kDataset), 1);
  EXPECT_FALSE(set->counts.count(Kind::kAsset));
  for (const auto& n : set->nodes) EXPECT_EQ(n.direct, n.artefact.id == set_);
  auto unknown =
      rights_->Impact({.target = Target::kArtefact, .artefact = Uuid::NewV7()});
  ASSERT_TRUE(unknown.ok());
  EXPECT_TRUE(unknown->nodes.empty());
}

TEST_F(ImpactStoreTest, PagesConcatenateToTheWholeImpact) {
  const std::vector<store::ImpactQuery> queries = {
      {.target = Target::kLicence, .licence_id = "MIT", .through_evaluation = false},
      {.target = Target::kParty, .party = "Aroha Painter"},
      {.target = Target::kArtefact, .artefact = set_}};
  for (const auto& query : queries) {
    auto whole = rights_->Impact(query);
    ASSERT_TRUE(whole.ok()) << whole.status();
    std::vector<Uuid> expected;
    for (const auto& n : whole->nodes) expected.push_back(n.artefact.id);
    ASSERT_GE(expected.size(), 13u);
    for (int size : {1, 2, 3, 7, 13, 14, 100}) {
      std::vector<Uuid> concatenated;
      const auto pages = Pages(query, size);
      for (const auto& page : pages) {
        EXPECT_LE(static_cast<int>(page.nodes.size()), size);
        EXPECT_EQ(page.counts, whole->counts) << "every page counts the whole impact";
        for (const auto& n : page.nodes) concatenated.push_back(n.artefact.id);
      }
      // Same ids, same order: no duplicates, no gaps.
      EXPECT_EQ(concatenated, expected) << "page size " << size;
      EXPECT_EQ(pages.size(), expected.size() / size + 1) << "page size " << size;
    }
  }
}

}  // namespace
}  // namespace rmtc

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new rmtc::ClusterEnvironment);
  return RUN_ALL_TESTS();
}
