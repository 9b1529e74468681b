// The licensing domain service without a database: Licensing over a fake
// lineage store and a fake rights store. Input checks and their exact
// errors, refusals that write nothing, what reaches the evaluator (the
// moment, the policy, a cut-short subgraph), impact paging, and checks of a
// node not yet written.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "common/strings.h"
#include "lineage/licensing.h"
#include "records/licence_terms.h"
#include "support/fake_lineage_store.h"
#include "support/fake_rights_store.h"

namespace rmtc::lineage {
namespace {

using records::ConsentKey;
using records::ConsentValue;
using records::IntendedUse;
using records::Kind;
using records::Policy;
using records::Relation;
using records::Timestamp;
using records::Uuid;
using records::Verdict;
using Target = store::ImpactQuery::Target;

Timestamp Day(int y, unsigned m, unsigned d) {
  return std::chrono::sys_days(std::chrono::year_month_day(
      std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)));
}

Timestamp Now() {
  return std::chrono::time_point_cast<std::chrono::microseconds>(
      std::chrono::system_clock::now());
}

const records::Reason* FindRule(const UseCheck& check, const std::string& rule) {
  for (const auto& r : check.reasons) {
    if (r.rule == rule) return &r;
  }
  return nullptr;
}

class LicensingServiceTest : public ::testing::Test {
 protected:
  LicensingServiceTest() {
    // The registry is seeded behind Licensing's back: no write calls.
    Seed("MIT",
         R"({"field_of_use": "commercial", "notice": true, "training": "allowed"})");
    Seed("Apache-2.0",
         R"({"field_of_use": "commercial", "notice": true, "training": "allowed"})");
    Seed("CC0-1.0", R"({"field_of_use": "commercial", "training": "allowed",
                        "results_unrestricted": true})");
    Seed("CC-BY-NC-4.0", R"({"field_of_use": "non-commercial", "attribution": true,
                             "training": "allowed"})");
  }

  void Seed(const std::string& id, const std::string& terms) {
    records::Licence l;
    l.id = id;
    l.name = id;
    l.terms = *records::TermsFromJson("terms", terms);
    rights_.licences[id] = l;
  }

  // What the rights store holds, to show that a refusal changed nothing.
  struct Contents {
    int write_calls;
    std::size_t licences, attachments, elections, consents;
    bool operator==(const Contents&) const = default;
  };
  Contents Held() const {
    return {rights_.write_calls, rights_.licences.size(), rights_.attachments.size(),
            rights_.elections.size(), rights_.consents.size()};
  }
  // From here on, refusals must leave the store as it is now.
  void Settle() { settled_ = Held(); }

  // Expects `status` to be `code` with exactly `message`, and that the
  // request neither reached a writing method of the store nor changed it.
  void ExpectRefused(const absl::Status& status, absl::StatusCode code,
                     const std::string& message) {
    EXPECT_EQ(status.code(), code) << status;
    EXPECT_EQ(std::string(status.message()), message);
    EXPECT_TRUE(Held() == settled_) << "a refused request reached the store";
  }

  // An artefact with `expression` attached (in force from `from`).
  Uuid Licensed(Kind kind, const std::string& name, const std::string& expression,
                std::optional<Timestamp> from = Day(2025, 1, 1)) {
    const Uuid id = lineage_.Add(kind, name);
    auto attached = licensing_.AttachLicence(id.ToString(), expression, "", "test", from);
    EXPECT_TRUE(attached.ok()) << attached.status();
    return id;
  }

  // data <-trained_on- run <-produced_by- weights; returns the weights.
  Uuid TrainOn(const Uuid& data, const std::string& prefix = "") {
    const Uuid run = lineage_.Add(Kind::kRun, prefix + "run");
    lineage_.Link(run, Relation::kTrainedOn, data);
    const Uuid weights = lineage_.Add(Kind::kWeights, prefix + "weights");
    lineage_.Link(weights, Relation::kProducedBy, run);
    return weights;
  }

  // Every page of an impact list, `page_size` at a time, in order.
  std::vector<store::ImpactNode> AllPages(ImpactRequest request, int* pages = nullptr) {
    std::vector<store::ImpactNode> nodes;
    int n = 0;
    do {
      auto answer = licensing_.Impact(request);
      EXPECT_TRUE(answer.ok()) << answer.status();
      if (!answer.ok() || ++n > 100) break;
      nodes.insert(nodes.end(), answer->page.nodes.begin(), answer->page.nodes.end());
      request.page_token = answer->next_page_token;
    } while (!request.page_token.empty());
    if (pages) *pages = n;
    return nodes;
  }

  testing::FakeLineageStore lineage_;
  testing::FakeRightsStore rights_{lineage_};
  Contents settled_{0, 4, 0, 0, 0};  // the seeded registry
  Licensing licensing_{lineage_, rights_, Policy::kStrict, /*enforce_checks=*/false};
};

// ---- The registry ------------------------------------------------------------

TEST_F(LicensingServiceTest, AddLicenceRefusesBadInputAndWritesNothing) {
  records::Licence bad;
  bad.id = "LicenseRef-Has Space";
  bad.name = "x";
  ExpectRefused(
      licensing_.AddLicence(bad, "").status(), absl::StatusCode::kInvalidArgument,
      "licence.id: 'LicenseRef-Has Space' is not a licence id: use an SPDX id or "
      "LicenseRef- followed by letters, digits, '.' and '-'");
  bad.id = "";
  ExpectRefused(licensing_.AddLicence(bad, "").status(),
                absl::StatusCode::kInvalidArgument,
                "licence.id: is required and must not be empty");
  bad.id = "LicenseRef-Studio-1";
  bad.name = "";
  ExpectRefused(licensing_.AddLicence(bad, "").status(),
                absl::StatusCode::kInvalidArgument,
                "licence.name: is required and must not be empty");
  bad.name = "Studio licence";
  bad.text_sha256 = "abc";
  ExpectRefused(licensing_.AddLicence(bad, "").status(),
                absl::StatusCode::kInvalidArgument,
                "licence.text_sha256: 'abc' is not 64 hex digits (3 characters given)");
  bad.text_sha256 = "";
  bad.valid_from = Day(2027, 1, 1);
  bad.valid_until = Day(2026, 1, 1);
  ExpectRefused(licensing_.AddLicence(bad, "").status(),
                absl::StatusCode::kInvalidArgument,
                "licence.valid_until: must be later than valid_from");
  bad.valid_until = bad.valid_from;
  ExpectRefused(licensing_.AddLicence(bad, "").status(),
                absl::StatusCode::kInvalidArgument,
                "licence.valid_until: must be later than valid_from");
  bad.valid_until.reset();
  bad.terms.use_restrictions = {"no weapons", ""};
  ExpectRefused(licensing_.AddLicence(bad, "").status(),
                absl::StatusCode::kInvalidArgument,
                "licence.terms.use_restrictions[1]: is required and must not be empty");
  bad.terms.use_restrictions = std::vector<std::string>(101, "r");
  ExpectRefused(licensing_.AddLicence(bad, "").status(),
                absl::StatusCode::kInvalidArgument,
                "licence.terms.use_restrictions: has 101 items; the limit is 100");
  bad.terms.use_restrictions.clear();
  bad.jurisdictions = {"NZ", ""};
  ExpectRefused(licensing_.AddLicence(bad, "").status(),
                absl::StatusCode::kInvalidArgument,
                "licence.jurisdictions[1]: is required and must not be empty");
  for (const char* place : {"New Zealand", "nz", "NZL", "N1"}) {
    bad.jurisdictions = {"AU", place};
    ExpectRefused(licensing_.AddLicence(bad, "").status(),
                  absl::StatusCode::kInvalidArgument,
                  std::string("licence.jurisdictions[1]: '") + place +
                      "' is not an ISO 3166 alpha-2 country code (two capital letters, "
                      "e.g. NZ)");
  }
  bad.jurisdictions = {"AU", "NZ"};
  EXPECT_TRUE(licensing_.AddLicence(bad, "").ok());
}

TEST_F(LicensingServiceTest, AddLicenceIsRepeatableButNeverEdits) {
  records::Licence licence;
  licence.id = "LicenseRef-Studio-1";
  licence.name = "Studio licence";
  licence.text_sha256 = std::string(64, 'A');
  licence.terms.field_of_use = records::FieldOfUse::kNonCommercial;
  licence.revoked_at = Day(2026, 1, 1);  // revocation is its own call
  auto added = licensing_.AddLicence(licence, "legal@studio");
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_EQ(added->text_sha256, std::string(64, 'a'));  // normalised before the store
  EXPECT_FALSE(added->revoked_at.has_value());
  ASSERT_EQ(rights_.licences.count("LicenseRef-Studio-1"), 1u);
  EXPECT_FALSE(rights_.licences.at("LicenseRef-Studio-1").revoked_at.has_value());

  auto again = licensing_.AddLicence(licence, "someone else");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->created_at, added->created_at);  // the stored one

  licence.terms.field_of_use = records::FieldOfUse::kCommercial;
  auto edited = licensing_.AddLicence(licence, "");
  EXPECT_EQ(edited.status().code(), absl::StatusCode::kAlreadyExists) << edited.status();
  EXPECT_EQ(rights_.licences.at("LicenseRef-Studio-1").terms.field_of_use,
            records::FieldOfUse::kNonCommercial);
}

TEST_F(LicensingServiceTest, GetRevokeAndListLicences) {
  ExpectRefused(licensing_.GetLicence("No-Such-Licence").status(),
                absl::StatusCode::kNotFound, "id: no licence No-Such-Licence");
  ExpectRefused(
      licensing_.GetLicence("bad id").status(), absl::StatusCode::kInvalidArgument,
      "id: 'bad id' is not a licence id: use an SPDX id or LicenseRef- followed by "
      "letters, digits, '.' and '-'");
  EXPECT_EQ(licensing_.GetLicence("MIT")->name, "MIT");

  auto unknown = licensing_.RevokeLicence("No-Such-Licence", Day(2026, 1, 1));
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);
  auto revoked = licensing_.RevokeLicence("MIT", Day(2026, 6, 1));
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  EXPECT_EQ(revoked->revoked_at, Day(2026, 6, 1));
  // An earlier revocation stands; a later one changes nothing.
  EXPECT_EQ(licensing_.RevokeLicence("MIT", Day(2026, 9, 1))->revoked_at,
            Day(2026, 6, 1));
  EXPECT_EQ(licensing_.RevokeLicence("MIT", Day(2026, 3, 1))->revoked_at,
            Day(2026, 3, 1));
  const auto before = Now();
  EXPECT_GE(*licensing_.RevokeLicence("CC0-1.0", std::nullopt)->revoked_at, before);

  // Pages of two concatenate to the registry, by id.
  std::vector<std::string> ids;
  std::string token;
  int pages = 0;
  do {
    auto page = licensing_.ListLicences(2, token);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& l : page->first) ids.push_back(l.id);
    token = page->second;
  } while (!token.empty() && ++pages < 10);
  EXPECT_EQ(ids,
            (std::vector<std::string>{"Apache-2.0", "CC-BY-NC-4.0", "CC0-1.0", "MIT"}));
  EXPECT_EQ(pages, 1);  // the second page is the last: no token after it
  EXPECT_EQ(licensing_.ListLicences(0, "")->first.size(), 4u);
  EXPECT_EQ(licensing_.ListLicences(-1, "").status().code(),
            absl::StatusCode::kInvalidArgument);
  auto garbage = licensing_.ListLicences(2, "not a token!");
  EXPECT_EQ(garbage.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(garbage.status().message()).rfind("page_token: ", 0), 0u)
      << garbage.status();
}

// ---- Attachments, elections, consents -----------------------------------------

TEST_F(LicensingServiceTest, AttachRefusesBadInputWithThePositionAndWritesNothing) {
  const Uuid asset = lineage_.Add(Kind::kAsset, "plate");
  const std::string id = asset.ToString();
  ExpectRefused(licensing_.AttachLicence("not-a-uuid", "MIT", "", "").status(),
                absl::StatusCode::kInvalidArgument,
                "artefact_id: 'not-a-uuid' is not a UUID (8-4-4-4-12 hex digits)");
  const std::string unknown = Uuid::NewV7().ToString();
  ExpectRefused(licensing_.AttachLicence(unknown, "MIT", "", "").status(),
                absl::StatusCode::kNotFound, "artefact_id: no artefact " + unknown);
  ExpectRefused(
      licensing_.AttachLicence(id, "(MIT OR Apache-2.0", "", "").status(),
      absl::StatusCode::kInvalidArgument,
      "expression: expected ')' to close the '(' at position 1, found 'the end' at "
      "position 19");
  ExpectRefused(
      licensing_.AttachLicence(id, "MIT AND CC-BY-9.9", "", "").status(),
      absl::StatusCode::kInvalidArgument,
      "expression: unknown licence 'CC-BY-9.9' (add it with rmtc license add, or "
      "check the SPDX id) at position 9");
  ExpectRefused(licensing_.AttachLicence(id, "MIT or Apache-2.0", "", "").status(),
                absl::StatusCode::kInvalidArgument,
                "expression: operators are upper case: 'OR', not 'or' at position 5");
  ExpectRefused(licensing_.AttachLicence(id, "", "", "").status(),
                absl::StatusCode::kInvalidArgument, "expression: is empty");
  ExpectRefused(licensing_.AttachLicence(id, "MIT\xff", "", "").status(),
                absl::StatusCode::kInvalidArgument, "expression: is not valid UTF-8");
  ExpectRefused(licensing_.AttachLicence(id, "MIT", std::string(513, 'a'), "").status(),
                absl::StatusCode::kInvalidArgument,
                "attribution: is 513 bytes; the limit is 512");
  EXPECT_TRUE(licensing_.Attachments(id)->empty());
}

TEST_F(LicensingServiceTest, AttachStoresTheExpressionFromItsTime) {
  const Uuid asset = lineage_.Add(Kind::kAsset, "plate");
  const auto before = Now();
  auto now = licensing_.AttachLicence(asset.ToString(), "MIT OR CC-BY-NC-4.0", "Ngaio",
                                      "td@studio");
  ASSERT_TRUE(now.ok()) << now.status();
  EXPECT_EQ(now->artefact, asset);
  EXPECT_EQ(now->licence_ids, (std::vector<std::string>{"MIT", "CC-BY-NC-4.0"}));
  EXPECT_EQ(now->attribution, "Ngaio");
  EXPECT_EQ(now->attached_by, "td@studio");
  EXPECT_GE(now->attached_at, before);  // no time given: from now
  auto late = licensing_.AttachLicence(asset.ToString(), "Apache-2.0", "", "legal",
                                       Day(2024, 5, 1));
  ASSERT_TRUE(late.ok()) << late.status();
  EXPECT_EQ(late->attached_at, Day(2024, 5, 1));
  auto listed = licensing_.Attachments(asset.ToString());
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ(listed->at(0).expression, "Apache-2.0");  // oldest first
  EXPECT_EQ(listed->at(1).expression, "MIT OR CC-BY-NC-4.0");
}

TEST_F(LicensingServiceTest, ElectRefusesWhatDecidesNothingAndWritesNothing) {
  const Uuid bare = lineage_.Add(Kind::kModel, "bare");
  const Uuid single = Licensed(Kind::kModel, "single", "MIT");
  const Uuid dual = Licensed(Kind::kModel, "dual", "MIT OR CC-BY-NC-4.0");
  const Uuid common = Licensed(Kind::kModel, "common", "MIT AND (Apache-2.0 OR CC0-1.0)");
  Settle();
  const std::string unknown = Uuid::NewV7().ToString();
  ExpectRefused(licensing_.ElectLicence(unknown, "MIT", "").status(),
                absl::StatusCode::kNotFound, "artefact_id: no artefact " + unknown);
  ExpectRefused(licensing_.ElectLicence(dual.ToString(), "M I T", "").status(),
                absl::StatusCode::kInvalidArgument,
                "licence_id: 'M I T' is not a licence id: use an SPDX id or LicenseRef- "
                "followed by letters, digits, '.' and '-'");
  ExpectRefused(licensing_.ElectLicence(bare.ToString(), "MIT", "").status(),
                absl::StatusCode::kFailedPrecondition,
                "artefact_id: " + bare.ToString() + " has no licence to elect from");
  ExpectRefused(licensing_.ElectLicence(single.ToString(), "MIT", "").status(),
                absl::StatusCode::kFailedPrecondition,
                "artefact_id: its licence MIT offers no choice to elect from");
  ExpectRefused(
      licensing_.ElectLicence(dual.ToString(), "Apache-2.0", "").status(),
      absl::StatusCode::kFailedPrecondition,
      "licence_id: Apache-2.0 is not one of the alternatives of MIT OR CC-BY-NC-4.0");
  ExpectRefused(
      licensing_.ElectLicence(common.ToString(), "MIT", "").status(),
      absl::StatusCode::kFailedPrecondition,
      "licence_id: MIT is in every alternative of MIT AND (Apache-2.0 OR CC0-1.0), "
      "so electing it decides nothing; elect a licence that tells them apart");

  const auto before = Now();
  auto elected = licensing_.ElectLicence(dual.ToString(), "CC-BY-NC-4.0", "legal@studio");
  ASSERT_TRUE(elected.ok()) << elected.status();
  ASSERT_EQ(rights_.elections.size(), 1u);
  EXPECT_EQ(rights_.elections[0].artefact, dual);
  EXPECT_EQ(rights_.elections[0].licence_id, "CC-BY-NC-4.0");
  EXPECT_EQ(rights_.elections[0].elected_by, "legal@studio");
  EXPECT_GE(elected->elected_at, before);
}

// An election is made now, so it chooses among the alternatives of the
// expression in force now; one recorded to start later is not yet the
// artefact's licence (and an election made before it never applies to it).
TEST_F(LicensingServiceTest, ElectChoosesAmongTheExpressionInForceNow) {
  const Uuid model = Licensed(Kind::kModel, "dual", "MIT OR CC-BY-NC-4.0");
  const Timestamp next_year = Now() + std::chrono::days(365);
  ASSERT_TRUE(
      licensing_.AttachLicence(model.ToString(), "Apache-2.0", "", "", next_year).ok());
  auto elected = licensing_.ElectLicence(model.ToString(), "MIT", "");
  ASSERT_TRUE(elected.ok()) << elected.status();
  EXPECT_EQ(licensing_
                .Check(model.ToString(), IntendedUse::kCommercialProduction, std::nullopt,
                       std::nullopt)
                ->check.verdict,
            Verdict::kAllowed);

  const Uuid later = lineage_.Add(Kind::kModel, "licensed next year");
  ASSERT_TRUE(
      licensing_.AttachLicence(later.ToString(), "MIT OR Apache-2.0", "", "", next_year)
          .ok());
  Settle();
  ExpectRefused(licensing_.ElectLicence(later.ToString(), "MIT", "").status(),
                absl::StatusCode::kFailedPrecondition,
                "artefact_id: " + later.ToString() + " has no licence to elect from");
}

TEST_F(LicensingServiceTest, ConsentNeedsAPartyAndAKeyAndKeepsItsHistory) {
  const Uuid art = lineage_.Add(Kind::kAsset, "concept art");
  Settle();
  records::ConsentRecord record;
  record.values[static_cast<int>(ConsentKey::kAiTraining)] = ConsentValue::kAllowed;
  ExpectRefused(licensing_.SetConsent(art.ToString(), record).status(),
                absl::StatusCode::kInvalidArgument,
                "party: is required and must not be empty");
  record.party = "Aroha Painter";
  const std::string unknown = Uuid::NewV7().ToString();
  ExpectRefused(licensing_.SetConsent(unknown, record).status(),
                absl::StatusCode::kNotFound, "artefact_id: no artefact " + unknown);
  ExpectRefused(licensing_.SetConsent("", record).status(),
                absl::StatusCode::kInvalidArgument,
                "artefact_id: is required and must not be empty");
  records::ConsentRecord no_keys;
  no_keys.party = "Aroha Painter";
  ExpectRefused(licensing_.SetConsent(art.ToString(), no_keys).status(),
                absl::StatusCode::kInvalidArgument,
                "consent: give at least one of ai_training, ai_generative_training, "
                "data_mining, ai_inference");
  record.party = std::string(257, 'p');
  ExpectRefused(licensing_.SetConsent(art.ToString(), record).status(),
                absl::StatusCode::kInvalidArgument,
                "party: is 257 bytes; the limit is 256");
  EXPECT_TRUE(licensing_.ConsentHistory(art.ToString())->empty());

  // Recorded out of order, read back by effective time.
  record.party = "Aroha Painter";
  record.values[static_cast<int>(ConsentKey::kAiTraining)] = ConsentValue::kNotAllowed;
  record.effective_at = Day(2026, 6, 1);
  record.note = "email of 2026-05-30";
  ASSERT_TRUE(licensing_.SetConsent(art.ToString(), record).ok());
  record.values[static_cast<int>(ConsentKey::kAiTraining)] = ConsentValue::kAllowed;
  record.effective_at = Day(2026, 1, 1);
  record.note = "contract";
  ASSERT_TRUE(licensing_.SetConsent(art.ToString(), record).ok());
  auto history = licensing_.ConsentHistory(art.ToString());
  ASSERT_TRUE(history.ok()) << history.status();
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ(history->at(0).note, "contract");
  EXPECT_EQ(history->at(0).effective_at, Day(2026, 1, 1));
  EXPECT_EQ(history->at(1).note, "email of 2026-05-30");
  EXPECT_EQ(history->at(1).values[static_cast<int>(ConsentKey::kAiTraining)],
            ConsentValue::kNotAllowed);
  EXPECT_EQ(history->at(1).artefact, art);
}

// ---- Request ids ---------------------------------------------------------------

TEST_F(LicensingServiceTest, WritesCheckTheirRequestIdFirstAndClaimItUnderTheirMethod) {
  const Uuid dual = Licensed(Kind::kModel, "dual", "MIT OR Apache-2.0");
  Settle();
  const records::RequestKey too_long{std::string(129, 'r'), "", "digest"};
  const std::string message = "request_id: is 129 bytes; the limit is 128";
  // Before anything else: the artefact id here is no UUID either.
  ExpectRefused(
      licensing_.AttachLicence("not-a-uuid", "MIT", "", "", {}, too_long).status(),
      absl::StatusCode::kInvalidArgument, message);
  ExpectRefused(licensing_.ElectLicence("not-a-uuid", "MIT", "", too_long).status(),
                absl::StatusCode::kInvalidArgument, message);
  ExpectRefused(licensing_.SetConsent("not-a-uuid", {}, too_long).status(),
                absl::StatusCode::kInvalidArgument, message);
  ExpectRefused(licensing_.RevokeLicence("M I T", {}, too_long).status(),
                absl::StatusCode::kInvalidArgument, message);
  ExpectRefused(
      licensing_
          .AttachLicence(dual.ToString(), "MIT", "", "", {}, {"bad\nid", "", "digest"})
          .status(),
      absl::StatusCode::kInvalidArgument,
      "request_id: holds a control character (byte 10 at offset 3)");

  // Each write names its method in the claim; a repeat appends nothing.
  auto first = licensing_.AttachLicence(dual.ToString(), "MIT OR Apache-2.0", "", "", {},
                                        {"u-attach", "", "d"});
  ASSERT_TRUE(first.ok()) << first.status();
  auto again = licensing_.AttachLicence(dual.ToString(), "MIT OR Apache-2.0", "", "", {},
                                        {"u-attach", "", "d"});
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->attached_at, first->attached_at);
  EXPECT_EQ(rights_.attachments.size(), 2u);  // Licensed's and this one
  ASSERT_TRUE(
      licensing_.ElectLicence(dual.ToString(), "MIT", "", {"u-elect", "", "d"}).ok());
  records::ConsentRecord consent;
  consent.party = "Aroha Painter";
  consent.values[static_cast<int>(ConsentKey::kAiTraining)] = ConsentValue::kAllowed;
  ASSERT_TRUE(
      licensing_.SetConsent(dual.ToString(), consent, {"u-consent", "", "d"}).ok());
  ASSERT_TRUE(licensing_.RevokeLicence("CC0-1.0", {}, {"u-revoke", "", "d"}).ok());
  EXPECT_EQ(rights_.requests.at("u-attach").method, "AttachLicence");
  EXPECT_EQ(rights_.requests.at("u-elect").method, "ElectLicence");
  EXPECT_EQ(rights_.requests.at("u-consent").method, "SetConsent");
  EXPECT_EQ(rights_.requests.at("u-revoke").method, "RevokeLicence");
  auto reused = licensing_.SetConsent(dual.ToString(), consent, {"u-attach", "", "d"});
  EXPECT_EQ(reused.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(rights_.consents.size(), 1u);
}

// ---- Chains and checks: what reaches the evaluator ----------------------------

// ---- Clearances -------------------------------------------------------------

TEST_F(LicensingServiceTest, AddClearanceRefusesBadInputAndWritesNothing) {
  const Uuid plate = Licensed(Kind::kAsset, "plate", "CC-BY-NC-4.0");
  const Uuid other = lineage_.Add(Kind::kAsset, "unrelated");
  Settle();
  const auto invalid = absl::StatusCode::kInvalidArgument;
  records::Clearance c;
  c.party = "Ngaio Artist";
  c.evidence = "contract SH-2026-014";
  c.artefact = plate;
  c.rules = {"field-of-use"};
  auto refused = [&](const records::Clearance& bad, absl::StatusCode code,
                     const std::string& message) {
    ExpectRefused(licensing_.AddClearance(bad, "test").status(), code, message);
  };
  auto bad = c;
  bad.party = "";
  refused(bad, invalid, "clearance.party: is required and must not be empty");
  bad = c;
  bad.evidence = "";
  refused(bad, invalid, "clearance.evidence: is required and must not be empty");
  bad = c;
  bad.rules = {};
  refused(bad, invalid,
          "clearance.rules: give at least one rule it lifts (field-of-use, "
          "no-derivatives, share-alike-conflict, purpose-limit, naming, attribution, "
          "training, no-training-on-outputs, consent, training-not-allowed, "
          "training-unknown, licence-not-in-force, no-licence, licence-unreadable, "
          "licence-ended, consent-withdrawn, licensee, jurisdiction)");
  bad.rules = {"field-of-use", "non-commercial"};
  refused(bad, invalid,
          "clearance.rules[1]: 'non-commercial' is not a rule a clearance lifts "
          "(field-of-use, no-derivatives, share-alike-conflict, purpose-limit, naming, "
          "attribution, training, no-training-on-outputs, consent, "
          "training-not-allowed, training-unknown, licence-not-in-force, no-licence, "
          "licence-unreadable, licence-ended, consent-withdrawn, licensee, "
          "jurisdiction)");
  bad.rules = {"field-of-use", "field-of-use"};
  refused(bad, invalid, "clearance.rules[1]: 'field-of-use' is given twice");
  bad = c;
  bad.uses = {IntendedUse::kClientDelivery, IntendedUse::kClientDelivery};
  refused(bad, invalid, "clearance.uses[1]: 'client-delivery' is given twice");
  bad = c;
  bad.valid_from = Day(2027, 1, 1);
  bad.valid_until = Day(2026, 1, 1);
  refused(bad, invalid, "clearance.valid_until: must be later than valid_from");
  bad = c;
  bad.licence_id = "CC-BY-NC-4";
  refused(bad, absl::StatusCode::kNotFound,
          "clearance.licence_id: no licence CC-BY-NC-4; did you mean 'CC-BY-NC-4.0'?");
  bad = c;
  bad.artefact = Uuid::NewV7();
  refused(bad, absl::StatusCode::kNotFound,
          "clearance.artefact_id: no artefact " + bad.artefact.ToString());
  bad = c;
  bad.downstream = Uuid::NewV7();
  refused(bad, absl::StatusCode::kNotFound,
          "clearance.downstream_id: no artefact " + bad.downstream->ToString());
  bad.downstream = other;
  refused(bad, absl::StatusCode::kFailedPrecondition,
          "clearance.downstream_id: " + other.ToString() +
              " is not built from clearance.artefact_id " + plate.ToString() +
              ", so the clearance would lift nothing; give an artefact downstream of it");

  // A good one is stored under a new id, and lifts the term from then on.
  c.uses = {IntendedUse::kCommercialProduction};
  auto added = licensing_.AddClearance(c, "legal");
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_FALSE(added->id.IsNil());
  EXPECT_EQ(added->created_by, "legal");
  auto check = licensing_.Check(plate.ToString(), IntendedUse::kCommercialProduction,
                                std::nullopt, std::nullopt);
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_EQ(check->check.verdict, Verdict::kAllowed);
  ASSERT_EQ(check->check.cleared.size(), 1u);
  EXPECT_EQ(check->check.cleared[0].clearance->id, added->id);
}

TEST_F(LicensingServiceTest, ClearancesAreListedFoundAndRevoked) {
  const Uuid plate = Licensed(Kind::kAsset, "plate", "CC-BY-NC-4.0");
  const Uuid comp = lineage_.Add(Kind::kAsset, "comp");
  lineage_.Link(comp, Relation::kDerivedFrom, plate);
  std::vector<Uuid> ids;
  for (const char* party : {"Ngaio Artist", "Tane Painter", "Ngaio Artist"}) {
    records::Clearance c;
    c.party = party;
    c.evidence = "https://legal.example/contracts/7";
    c.artefact = plate;
    c.downstream = comp;
    c.rules = {"field-of-use"};
    auto added = licensing_.AddClearance(c, "legal");
    ASSERT_TRUE(added.ok()) << added.status();
    ids.push_back(added->id);
  }
  // Pages by id.
  const Uuid first = std::min(ids[0], ids[2]), second = std::max(ids[0], ids[2]);
  auto by_party = licensing_.ListClearances("", "Ngaio Artist", 1, "");
  ASSERT_TRUE(by_party.ok()) << by_party.status();
  ASSERT_EQ(by_party->first.size(), 1u);
  EXPECT_EQ(by_party->first[0].id, first);
  auto next = licensing_.ListClearances("", "Ngaio Artist", 1, by_party->second);
  ASSERT_TRUE(next.ok()) << next.status();
  ASSERT_EQ(next->first.size(), 1u);
  EXPECT_EQ(next->first[0].id, second);
  EXPECT_TRUE(next->second.empty());
  // A token is for its own filters only.
  EXPECT_EQ(std::string(licensing_.ListClearances("", "Tane Painter", 1, by_party->second)
                            .status()
                            .message()),
            "page_token: is not a token from this clearance list");
  // By the downstream artefact too.
  auto by_comp = licensing_.ListClearances(comp.ToString(), "", 0, "");
  ASSERT_TRUE(by_comp.ok());
  EXPECT_EQ(by_comp->first.size(), 3u);
  EXPECT_EQ(
      licensing_.ListClearances(Uuid::NewV7().ToString(), "", 0, "").status().code(),
      absl::StatusCode::kNotFound);

  EXPECT_EQ(licensing_.GetClearance(ids[1].ToString())->party, "Tane Painter");
  EXPECT_EQ(std::string(licensing_.GetClearance("nope").status().message()),
            "id: 'nope' is not a UUID (8-4-4-4-12 hex digits)");
  EXPECT_EQ(licensing_.GetClearance(Uuid::NewV7().ToString()).status().code(),
            absl::StatusCode::kNotFound);

  // Revoked from a time on; revoking again later changes nothing, earlier does.
  auto revoked = licensing_.RevokeClearance(ids[0].ToString(), Day(2026, 6, 1), "legal");
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  EXPECT_EQ(revoked->revoked_at, Day(2026, 6, 1));
  EXPECT_EQ(
      licensing_.RevokeClearance(ids[0].ToString(), Day(2026, 7, 1), "legal")->revoked_at,
      Day(2026, 6, 1));
  EXPECT_EQ(
      licensing_.RevokeClearance(ids[0].ToString(), Day(2026, 5, 1), "legal")->revoked_at,
      Day(2026, 5, 1));
  EXPECT_EQ(licensing_.RevokeClearance(Uuid::NewV7().ToString(), std::nullopt, "legal")
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

TEST_F(LicensingServiceTest, ChainAndCheckReadTheMomentAsked) {
  const Uuid data =
      Licensed(Kind::kDataset, "nc plates", "CC-BY-NC-4.0", Day(2026, 3, 1));
  const std::string id = data.ToString();

  // Before the attachment is in force the dataset has no licence.
  auto before = licensing_.Check(id, IntendedUse::kCommercialProduction, Day(2026, 2, 1),
                                 std::nullopt);
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_EQ(before->as_of, Day(2026, 2, 1));
  EXPECT_EQ(before->use, IntendedUse::kCommercialProduction);
  EXPECT_EQ(before->check.verdict, Verdict::kReview);
  ASSERT_NE(FindRule(before->check, "no-licence"), nullptr);
  EXPECT_EQ(FindRule(before->check, "field-of-use"), nullptr);
  EXPECT_EQ(rights_.last_upstream_roots, std::vector<Uuid>{data});
  EXPECT_EQ(rights_.last_upstream_max_nodes, kMaxEvaluationNodes);

  auto after = licensing_.Check(id, IntendedUse::kCommercialProduction, Day(2026, 4, 1),
                                std::nullopt);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->check.verdict, Verdict::kDenied);
  const auto* why = FindRule(after->check, "field-of-use");
  ASSERT_NE(why, nullptr);
  EXPECT_EQ(why->licence_id, "CC-BY-NC-4.0");
  ASSERT_EQ(after->nodes.size(), 1u);
  EXPECT_EQ(after->nodes[0].id, data);
  EXPECT_EQ(after->nodes[0].name, "nc plates");
  EXPECT_EQ(after->nodes[0].kind, Kind::kDataset);

  auto chain_before = licensing_.Chain(id, Day(2026, 2, 1));
  ASSERT_TRUE(chain_before.ok()) << chain_before.status();
  EXPECT_EQ(chain_before->chain.field_of_use, records::FieldOfUse::kCommercial);
  EXPECT_TRUE(chain_before->chain.credits.empty());
  auto chain_after = licensing_.Chain(id, Day(2026, 4, 1));
  ASSERT_TRUE(chain_after.ok()) << chain_after.status();
  EXPECT_EQ(chain_after->as_of, Day(2026, 4, 1));
  EXPECT_EQ(chain_after->chain.field_of_use, records::FieldOfUse::kNonCommercial);

  // No moment given: now, which is after the attachment.
  const auto now = Now();
  auto current = licensing_.Chain(id, std::nullopt);
  ASSERT_TRUE(current.ok());
  EXPECT_GE(current->as_of, now);
  EXPECT_EQ(current->chain.field_of_use, records::FieldOfUse::kNonCommercial);
}

TEST_F(LicensingServiceTest, CheckTakesThePolicyAskedOrTheServers) {
  const Uuid data = Licensed(Kind::kDataset, "nc plates", "CC-BY-NC-4.0");
  const std::string weights = TrainOn(data).ToString();
  const auto use = IntendedUse::kCommercialProduction;
  // Through training the licence is a risk: strict denies, permissive asks.
  auto server = licensing_.Check(weights, use, std::nullopt, std::nullopt);
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ(server->policy, Policy::kStrict);
  EXPECT_EQ(server->check.verdict, Verdict::kDenied);
  ASSERT_NE(FindRule(server->check, "field-of-use"), nullptr);
  EXPECT_EQ(FindRule(server->check, "field-of-use")->path.size(),
            3u);  // weights, run, data
  EXPECT_EQ(server->nodes.size(), 3u);
  auto permissive = licensing_.Check(weights, use, std::nullopt, Policy::kPermissive);
  ASSERT_TRUE(permissive.ok());
  EXPECT_EQ(permissive->policy, Policy::kPermissive);
  EXPECT_EQ(permissive->check.verdict, Verdict::kReview);

  Licensing lenient(lineage_, rights_, Policy::kPermissive, false);
  EXPECT_EQ(lenient.Check(weights, use, std::nullopt, std::nullopt)->check.verdict,
            Verdict::kReview);
  EXPECT_EQ(lenient.Check(weights, use, std::nullopt, Policy::kStrict)->check.verdict,
            Verdict::kDenied);
}

TEST_F(LicensingServiceTest, ChainAndCheckAsOfBeforeTheArtefactWasRecordedAreNotFound) {
  const Uuid plate = Licensed(Kind::kAsset, "plate", "CC0-1.0");
  lineage_.RecordedAt(plate, Day(2026, 5, 1));
  const std::string id = plate.ToString();
  const std::string message = "artefact_id: " + id +
                              " was not recorded yet as of 2026-04-01T00:00:00.000000Z "
                              "(recorded 2026-05-01T00:00:00.000000Z)";
  auto check =
      licensing_.Check(id, IntendedUse::kInternalResearch, Day(2026, 4, 1), std::nullopt);
  EXPECT_EQ(check.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(std::string(check.status().message()), message);
  auto chain = licensing_.Chain(id, Day(2026, 4, 1));
  EXPECT_EQ(chain.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(std::string(chain.status().message()), message);
  // From the moment it was recorded on, it is judged.
  EXPECT_TRUE(licensing_.Chain(id, Day(2026, 5, 1)).ok());
  EXPECT_EQ(
      licensing_.Check(id, IntendedUse::kInternalResearch, Day(2026, 5, 2), std::nullopt)
          ->check.verdict,
      Verdict::kAllowed);
}

// created_at comes from the database's clock: one ahead of rmtcd's must not
// make what was just recorded "not recorded yet", nor hide a guardrail's
// sources.
TEST_F(LicensingServiceTest, NowIsNeverBeforeWhatWasJustRecorded) {
  const Uuid data = Licensed(Kind::kDataset, "nc plates", "CC-BY-NC-4.0");
  const Timestamp ahead = Now() + std::chrono::hours(1);
  lineage_.RecordedAt(data, ahead);
  auto check = licensing_.Check(data.ToString(), IntendedUse::kCommercialProduction,
                                std::nullopt, std::nullopt);
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_GE(check->as_of, ahead);
  EXPECT_EQ(check->check.verdict, Verdict::kDenied);
  auto planned = licensing_.CheckPlanned(
      {.kind = Kind::kRun, .name = "run", .sources = {{Relation::kTrainedOn, data}}},
      {.use = IntendedUse::kCommercialProduction});
  ASSERT_TRUE(planned.ok()) << planned.status();
  ASSERT_NE(FindRule(planned->check, "field-of-use"), nullptr);
}

TEST_F(LicensingServiceTest, CheckRefusesAJurisdictionThatIsNotACountryCode) {
  const Uuid plate = Licensed(Kind::kAsset, "plate", "CC0-1.0");
  Settle();
  for (const char* place : {"nz", "New Zealand", "NZL"}) {
    ExpectRefused(licensing_
                      .Check(plate.ToString(), IntendedUse::kInternalResearch,
                             std::nullopt, std::nullopt, place)
                      .status(),
                  absl::StatusCode::kInvalidArgument,
                  std::string("jurisdiction: '") + place +
                      "' is not an ISO 3166 alpha-2 country code (two capital letters, "
                      "e.g. NZ)");
  }
  auto nz = licensing_.Check(plate.ToString(), IntendedUse::kInternalResearch,
                             std::nullopt, std::nullopt, "NZ");
  ASSERT_TRUE(nz.ok()) << nz.status();
  EXPECT_EQ(nz->jurisdiction, "NZ");
  EXPECT_EQ(nz->check.verdict, Verdict::kAllowed);  // CC0 names no territory
}

TEST_F(LicensingServiceTest, TheDeploymentsStudioJudgesLicensees) {
  records::Licence elsewhere;
  elsewhere.id = "LicenseRef-Elsewhere";
  elsewhere.name = "Granted elsewhere";
  elsewhere.terms.field_of_use = records::FieldOfUse::kCommercial;
  elsewhere.terms.training = records::TrainingPermission::kAllowed;
  elsewhere.licensee = "Other Co";
  ASSERT_TRUE(licensing_.AddLicence(elsewhere, "").ok());
  const std::string plate = Licensed(Kind::kAsset, "plate", elsewhere.id).ToString();
  // This fixture's Licensing names no studio: licensees are not evaluated.
  EXPECT_EQ(
      licensing_.Check(plate, IntendedUse::kClientDelivery, std::nullopt, std::nullopt)
          ->check.verdict,
      Verdict::kAllowed);
  Licensing studio(lineage_, rights_,
                   records::EvaluationSettings{.studio = "Rongotai Studio"}, false);
  auto review =
      studio.Check(plate, IntendedUse::kClientDelivery, std::nullopt, std::nullopt);
  ASSERT_TRUE(review.ok()) << review.status();
  EXPECT_EQ(review->check.verdict, Verdict::kReview);
  ASSERT_NE(FindRule(review->check, "licensee"), nullptr);
  EXPECT_EQ(
      FindRule(review->check, "licensee")->message,
      "LicenseRef-Elsewhere was granted to Other Co, not Rongotai Studio; via asset "
      "'plate'");
}

TEST_F(LicensingServiceTest, ChainAndCheckRefuseUnknownAndBadIds) {
  const std::string unknown = Uuid::NewV7().ToString();
  auto chain = licensing_.Chain(unknown, std::nullopt);
  EXPECT_EQ(chain.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(std::string(chain.status().message()), "artefact_id: no artefact " + unknown);
  auto check =
      licensing_.Check("plate", IntendedUse::kTraining, std::nullopt, std::nullopt);
  EXPECT_EQ(check.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(check.status().message()),
            "artefact_id: 'plate' is not a UUID (8-4-4-4-12 hex digits)");
  EXPECT_EQ(rights_.write_calls, 0);
}

// An upstream subgraph past kMaxEvaluationNodes is cut: the answer asks for a
// person to look, even where everything read would allow the use.
TEST_F(LicensingServiceTest, ACutSubgraphIsReviewedAsTooLarge) {
  const Uuid small = Licensed(Kind::kAsset, "small", "CC0-1.0");
  const Uuid small_top = lineage_.Add(Kind::kAsset, "small top");
  lineage_.Link(small_top, Relation::kDerivedFrom, small);
  EXPECT_EQ(licensing_
                .Check(small_top.ToString(), IntendedUse::kPublicRelease, std::nullopt,
                       std::nullopt)
                ->check.verdict,
            Verdict::kAllowed);

  // A chain of kMaxEvaluationNodes + 1 assets, licensed at the bottom.
  Uuid source = Licensed(Kind::kAsset, "bottom", "CC0-1.0");
  for (int i = 0; i < kMaxEvaluationNodes; ++i) {
    const Uuid derived = lineage_.Add(Kind::kAsset, "a");
    lineage_.Link(derived, Relation::kDerivedFrom, source);
    source = derived;
  }
  const std::string top = source.ToString();
  auto check =
      licensing_.Check(top, IntendedUse::kPublicRelease, std::nullopt, std::nullopt);
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_EQ(check->check.verdict, Verdict::kReview);
  const auto* why = FindRule(check->check, "too-large");
  ASSERT_NE(why, nullptr);
  EXPECT_EQ(why->message, "the upstream subgraph is too large to evaluate whole");
  EXPECT_EQ(why->path, std::vector<Uuid>{source});
  auto chain = licensing_.Chain(top, std::nullopt);
  ASSERT_TRUE(chain.ok());
  ASSERT_FALSE(chain->chain.terms.empty());
  EXPECT_EQ(chain->chain.terms.back().kind, "finding");
  EXPECT_EQ(chain->chain.terms.back().effect, Verdict::kReview);
  EXPECT_EQ(chain->chain.terms.back().message,
            "the upstream subgraph is too large to evaluate whole");
}

// ---- Impact ------------------------------------------------------------------

class ImpactTest : public LicensingServiceTest {
 protected:
  // A licensed asset in a dataset that trains one run and evaluates
  // another; the artist spoke about the asset; a second asset elsewhere.
  ImpactTest() {
    asset_ = Licensed(Kind::kAsset, "art", "MIT");
    set_ = lineage_.Add(Kind::kDataset, "art set");
    lineage_.Link(set_, Relation::kContains, asset_);
    trained_ = lineage_.Add(Kind::kRun, "trained");
    lineage_.Link(trained_, Relation::kTrainedOn, set_);
    weights_ = lineage_.Add(Kind::kWeights, "weights");
    lineage_.Link(weights_, Relation::kProducedBy, trained_);
    evaluated_ = lineage_.Add(Kind::kRun, "evaluated");
    lineage_.Link(evaluated_, Relation::kEvaluatedOn, set_);
    eval_weights_ = lineage_.Add(Kind::kWeights, "evaluated weights");
    lineage_.Link(eval_weights_, Relation::kProducedBy, evaluated_);
    elsewhere_ = Licensed(Kind::kAsset, "elsewhere", "Apache-2.0");
    records::ConsentRecord consent;
    consent.party = "Aroha Painter";
    consent.values[static_cast<int>(ConsentKey::kDataMining)] = ConsentValue::kNotAllowed;
    EXPECT_TRUE(licensing_.SetConsent(asset_.ToString(), consent).ok());
  }

  static std::set<Uuid> Ids(const std::vector<store::ImpactNode>& nodes) {
    std::set<Uuid> ids;
    for (const auto& n : nodes) ids.insert(n.artefact.id);
    return ids;
  }

  Uuid asset_, set_, trained_, weights_, evaluated_, eval_weights_, elsewhere_;
};

// The run evaluated on the licensed set is listed (its verdict depends on
// the licence), its weights are not.
TEST_F(ImpactTest, ALicenceReachesDownstreamAndStopsAtEvaluation) {
  auto answer = licensing_.Impact({.target = Target::kLicence, .key = "MIT"});
  ASSERT_TRUE(answer.ok()) << answer.status();
  ASSERT_TRUE(rights_.last_impact.has_value());
  EXPECT_EQ(rights_.last_impact->licence_id, "MIT");
  EXPECT_FALSE(rights_.last_impact->through_evaluation);
  EXPECT_EQ(rights_.last_impact->limit, kDefaultImpactPage + 1);
  EXPECT_EQ(Ids(answer->page.nodes),
            (std::set<Uuid>{asset_, set_, trained_, weights_, evaluated_}));
  EXPECT_EQ(answer->total, 5);
  EXPECT_EQ(answer->page.counts.at(Kind::kRun), 2);
  EXPECT_TRUE(answer->next_page_token.empty());
  for (const auto& n : answer->page.nodes) {
    EXPECT_EQ(n.direct, n.artefact.id == asset_) << n.artefact.name;
  }
}

TEST_F(ImpactTest, APartyReachesThroughEvaluation) {
  auto answer = licensing_.Impact({.target = Target::kParty, .key = "Aroha Painter"});
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_TRUE(rights_.last_impact->through_evaluation);
  EXPECT_EQ(rights_.last_impact->party, "Aroha Painter");
  EXPECT_EQ(Ids(answer->page.nodes), (std::set<Uuid>{asset_, set_, trained_, weights_,
                                                     evaluated_, eval_weights_}));
  EXPECT_EQ(answer->total, 6);
  EXPECT_EQ(answer->page.counts.at(Kind::kRun), 2);
  EXPECT_EQ(answer->page.counts.at(Kind::kWeights), 2);

  auto artefact =
      licensing_.Impact({.target = Target::kArtefact, .key = set_.ToString()});
  ASSERT_TRUE(artefact.ok()) << artefact.status();
  EXPECT_EQ(rights_.last_impact->artefact, set_);
  EXPECT_EQ(Ids(artefact->page.nodes),
            (std::set<Uuid>{set_, trained_, weights_, evaluated_, eval_weights_}));
}

TEST_F(ImpactTest, PagesConcatenateToTheWholeList) {
  const auto whole =
      licensing_.Impact({.target = Target::kParty, .key = "Aroha Painter"});
  ASSERT_TRUE(whole.ok());
  for (int size : {1, 2, 4, 5, 6}) {
    int pages = 0;
    const auto nodes = AllPages(
        {.target = Target::kParty, .key = "Aroha Painter", .page_size = size}, &pages);
    std::vector<Uuid> ids;
    for (const auto& n : nodes) ids.push_back(n.artefact.id);
    std::vector<Uuid> expected;
    for (const auto& n : whole->page.nodes) expected.push_back(n.artefact.id);
    EXPECT_EQ(ids, expected) << "page size " << size;  // in order, no gaps, no repeats
    EXPECT_EQ(pages, (6 + size - 1) / size) << "page size " << size;
  }
  auto first = licensing_.Impact(
      {.target = Target::kParty, .key = "Aroha Painter", .page_size = 4});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->page.nodes.size(), 4u);
  EXPECT_EQ(first->total, 6);  // every page counts the whole list
  EXPECT_EQ(rights_.last_impact->limit, 5);
  ASSERT_FALSE(first->next_page_token.empty());
  auto second = licensing_.Impact({.target = Target::kParty,
                                   .key = "Aroha Painter",
                                   .page_size = 4,
                                   .page_token = first->next_page_token});
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->page.nodes.size(), 2u);
  EXPECT_EQ(second->total, 6);
  EXPECT_TRUE(second->next_page_token.empty());
  ASSERT_TRUE(rights_.last_impact->after.has_value());
  EXPECT_EQ(*rights_.last_impact->after, first->page.nodes.back().artefact.id);
}

TEST_F(ImpactTest, RefusesBadTokensSizesAndTargets) {
  const ImpactRequest party{
      .target = Target::kParty, .key = "Aroha Painter", .page_size = 2};
  auto first = licensing_.Impact(party);
  ASSERT_TRUE(first.ok());
  ASSERT_FALSE(first->next_page_token.empty());
  rights_.last_impact.reset();

  auto garbage = party;
  garbage.page_token = "garbage";
  auto refused = licensing_.Impact(garbage);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(refused.status().message()).rfind("page_token: ", 0), 0u)
      << refused.status();
  // A token continues only the list it came from.
  auto other = ImpactRequest{.target = Target::kArtefact,
                             .key = set_.ToString(),
                             .page_size = 2,
                             .page_token = first->next_page_token};
  EXPECT_EQ(licensing_.Impact(other).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(rights_.last_impact.has_value()) << "a refused request reached the store";

  for (int size : {-1, kMaxImpactPage + 1}) {
    auto bad =
        licensing_.Impact({.target = Target::kParty, .key = "x", .page_size = size});
    EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(std::string(bad.status().message()),
              StrCat("page_size: ", size, " is out of range (1..10000, or 0 for 1000)"));
  }
  auto licence =
      licensing_.Impact({.target = Target::kLicence, .key = "LicenseRef-Nope"});
  EXPECT_EQ(licence.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(std::string(licence.status().message()),
            "licence_id: no licence LicenseRef-Nope");
  const std::string unknown = Uuid::NewV7().ToString();
  auto artefact = licensing_.Impact({.target = Target::kArtefact, .key = unknown});
  EXPECT_EQ(artefact.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(std::string(artefact.status().message()),
            "artefact_id: no artefact " + unknown);
  auto nobody = licensing_.Impact({.target = Target::kParty, .key = ""});
  EXPECT_EQ(std::string(nobody.status().message()),
            "party: is required and must not be empty");
  EXPECT_FALSE(rights_.last_impact.has_value()) << "a refused request reached the store";
}

// ---- Guardrails -------------------------------------------------------------

// A guardrail judges the planned run with its facility and project, so a
// clearance for one project applies before the run is recorded.
TEST_F(LicensingServiceTest, CheckPlannedSeesTheProjectOfAClearance) {
  const Uuid data = Licensed(Kind::kDataset, "nc plates", "CC-BY-NC-4.0");
  records::Clearance c;
  c.party = "Ngaio Artist";
  c.evidence = "contract 9";
  c.artefact = data;
  c.project = "sh010";
  c.facility = "wellington";
  c.rules = {"field-of-use"};
  ASSERT_TRUE(licensing_.AddClearance(c, "legal").ok());
  PlannedNode run{.kind = Kind::kRun,
                  .name = "planned run",
                  .facility = "wellington",
                  .project = "sh010",
                  .sources = {{Relation::kTrainedOn, data}}};
  const Guardrail guardrail{.use = IntendedUse::kCommercialProduction};
  auto cleared = licensing_.CheckPlanned(run, guardrail);
  ASSERT_TRUE(cleared.ok()) << cleared.status();
  EXPECT_EQ(cleared->check.verdict, Verdict::kAllowed);
  EXPECT_EQ(cleared->check.cleared.size(), 1u);
  run.project = "sh020";
  EXPECT_EQ(licensing_.CheckPlanned(run, guardrail)->check.verdict, Verdict::kDenied);
}

TEST_F(LicensingServiceTest, CheckPlannedJudgesANodeNotYetWritten) {
  const Uuid data = Licensed(Kind::kDataset, "nc plates", "CC-BY-NC-4.0");
  const Uuid base = Licensed(Kind::kWeights, "base", "MIT");
  Settle();
  const PlannedNode run{
      .kind = Kind::kRun,
      .name = "planned run",
      .sources = {{Relation::kTrainedOn, data}, {Relation::kBase, base}}};
  auto commercial =
      licensing_.CheckPlanned(run, {.use = IntendedUse::kCommercialProduction});
  ASSERT_TRUE(commercial.ok()) << commercial.status();
  EXPECT_EQ(rights_.last_upstream_roots, (std::vector<Uuid>{data, base}));
  EXPECT_EQ(commercial->policy, Policy::kStrict);
  EXPECT_EQ(commercial->check.verdict, Verdict::kDenied);
  const auto* why = FindRule(commercial->check, "field-of-use");
  ASSERT_NE(why, nullptr);
  ASSERT_EQ(why->path.size(), 2u);
  EXPECT_EQ(why->path.back(), data);
  const Uuid planned = why->path.front();
  EXPECT_FALSE(lineage_.Holds(planned));
  bool named = false;
  for (const auto& n : commercial->nodes) {
    if (n.id == planned) named = n.name == "planned run" && n.kind == Kind::kRun;
  }
  EXPECT_TRUE(named) << "the planned node is not named in the answer";
  EXPECT_TRUE(lineage_.writes.empty());
  EXPECT_TRUE(Held() == settled_) << "a check wrote";

  auto research = licensing_.CheckPlanned(run, {.use = IntendedUse::kInternalResearch});
  EXPECT_EQ(research->check.verdict, Verdict::kAllowed);
  auto permissive = licensing_.CheckPlanned(
      run, {.use = IntendedUse::kCommercialProduction, .policy = Policy::kPermissive});
  EXPECT_EQ(permissive->policy, Policy::kPermissive);
  EXPECT_EQ(permissive->check.verdict, Verdict::kReview);

  EXPECT_FALSE(licensing_.Enforces({}));
  EXPECT_TRUE(licensing_.Enforces({.enforce = true}));
  Licensing enforcing(lineage_, rights_, Policy::kStrict, /*enforce_checks=*/true);
  EXPECT_TRUE(enforcing.Enforces({}));
}

}  // namespace
}  // namespace rmtc::lineage
