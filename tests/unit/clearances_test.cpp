// Which clearance lifts a reason (lineage/clearances.*): the scope along the
// term's path, the checked artefact's facility and project, the uses, the
// rules, licence and rights holder, and the validity window.
#include "lineage/clearances.h"

#include <gtest/gtest.h>

namespace rmtc::lineage {
namespace {

using records::IntendedUse;
using records::Kind;
using records::Timestamp;
using records::Uuid;

Timestamp Day(int days) {
  return Timestamp(std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::days(20000 + days)));
}

// plate (CC-BY-NC-4.0, credit Ngaio) <- comp <- delivery, checked at
// "delivery" (facility "wellington", project "sh010").
class ClearancesTest : public ::testing::Test {
 protected:
  ClearancesTest() {
    plate_ = Node(Kind::kAsset, "plate");
    comp_ = Node(Kind::kAsset, "comp");
    delivery_ = Node(Kind::kAsset, "delivery");
    graph_.nodes[delivery_].facility = "wellington";
    graph_.nodes[delivery_].project = "sh010";
    graph_.nodes[plate_].attachments.push_back(
        {plate_, "CC-BY-NC-4.0", {"CC-BY-NC-4.0"}, "Ngaio Artist", Day(0), ""});
    records::Licence nc;
    nc.id = "CC-BY-NC-4.0";
    nc.licensor = "Creative Commons licensor";
    graph_.licences[nc.id] = nc;
    path_ = {delivery_, comp_, plate_};
  }

  Uuid Node(Kind kind, const std::string& name) {
    const Uuid id = Uuid::NewV7();
    graph_.nodes[id] = {.id = id, .kind = kind, .name = name};
    return id;
  }

  // A clearance of the plate's field of use for every use.
  records::Clearance& Add() {
    records::Clearance c;
    c.id = Uuid::NewV7();
    c.party = "Ngaio Artist";
    c.evidence = "sha256:0f1e";
    c.artefact = plate_;
    c.rules = {"field-of-use"};
    c.created_at = Day(graph_.clearances.size());
    graph_.clearances.push_back(c);
    return graph_.clearances.back();
  }

  const records::Clearance* Lifting(IntendedUse use = IntendedUse::kClientDelivery,
                                    LiftedReason reason = kFieldOfUse,
                                    Timestamp at = Day(100)) {
    clearances_.emplace(graph_, at);
    return clearances_->Lifting(reason, path_, use);
  }

  static constexpr LiftedReason kFieldOfUse{"field-of-use", "CC-BY-NC-4.0", ""};
  records::RightsGraph graph_;
  Uuid plate_, comp_, delivery_;
  std::vector<Uuid> path_;
  std::optional<Clearances> clearances_;
};

TEST_F(ClearancesTest, CoversTermsThatCameThroughTheClearedArtefact) {
  const Uuid id = Add().id;
  ASSERT_NE(Lifting(), nullptr);
  EXPECT_EQ(Lifting()->id, id);
  graph_.clearances.back().artefact = comp_;  // the term came through comp too
  EXPECT_NE(Lifting(), nullptr);
  graph_.clearances.back().artefact = Node(Kind::kAsset, "elsewhere");
  EXPECT_EQ(Lifting(), nullptr);
  path_ = {};
  EXPECT_EQ(Lifting(), nullptr);
}

TEST_F(ClearancesTest, DownstreamMustBeOnThePathBelowTheClearedArtefact) {
  auto& c = Add();
  c.downstream = comp_;
  EXPECT_NE(Lifting(), nullptr);
  c.downstream = delivery_;  // the checked artefact itself
  EXPECT_NE(Lifting(), nullptr);
  c.downstream = Node(Kind::kAsset, "another comp");
  EXPECT_EQ(Lifting(), nullptr);
  // Above the cleared artefact is not downstream of it.
  c.artefact = comp_;
  c.downstream = plate_;
  EXPECT_EQ(Lifting(), nullptr);
}

TEST_F(ClearancesTest, FacilityProjectAndUsesNarrowIt) {
  auto& c = Add();
  c.facility = "wellington";
  c.project = "sh010";
  c.uses = {IntendedUse::kCommercialProduction, IntendedUse::kClientDelivery};
  EXPECT_NE(Lifting(IntendedUse::kClientDelivery), nullptr);
  EXPECT_EQ(Lifting(IntendedUse::kPublicRelease), nullptr);
  c.project = "sh020";
  EXPECT_EQ(Lifting(), nullptr);
  c.project = "";
  c.facility = "london";
  EXPECT_EQ(Lifting(), nullptr);
}

TEST_F(ClearancesTest, RuleLicenceAndRightsHolderMustMatch) {
  auto& c = Add();
  EXPECT_EQ(Lifting(IntendedUse::kClientDelivery, {"no-derivatives", "CC-BY-NC-4.0", ""}),
            nullptr);
  c.licence_id = "CC-BY-NC-4.0";
  EXPECT_NE(Lifting(), nullptr);
  EXPECT_EQ(Lifting(IntendedUse::kClientDelivery, {"field-of-use", "ASWF-1.0", ""}),
            nullptr);
  // The rights holder of a licence term is whom its attachment credits...
  c.rights_holder = "Ngaio Artist";
  EXPECT_NE(Lifting(), nullptr);
  c.rights_holder = "Tane Painter";
  EXPECT_EQ(Lifting(), nullptr);
  // ... or the licensor when the attachment credits nobody ...
  graph_.nodes[plate_].attachments[0].attribution = "";
  c.rights_holder = "Creative Commons licensor";
  EXPECT_NE(Lifting(), nullptr);
  // ... and of a consent, the consenting party.
  c.rules = {"consent"};
  c.licence_id = "";
  c.rights_holder = "Tane Painter";
  EXPECT_NE(Lifting(IntendedUse::kTraining, {"consent", "", "Tane Painter"}), nullptr);
  EXPECT_EQ(Lifting(IntendedUse::kTraining, {"consent", "", "Aroha Painter"}), nullptr);
}

TEST_F(ClearancesTest, InForceFromValidFromUntilValidUntilOrRevocation) {
  auto& c = Add();
  c.valid_from = Day(10);
  c.valid_until = Day(20);
  const auto use = IntendedUse::kClientDelivery;
  EXPECT_EQ(Lifting(use, kFieldOfUse, Day(9)), nullptr);
  EXPECT_NE(Lifting(use, kFieldOfUse, Day(10)), nullptr);
  EXPECT_EQ(Lifting(use, kFieldOfUse, Day(20)), nullptr);
  c.revoked_at = Day(15);
  EXPECT_NE(Lifting(use, kFieldOfUse, Day(14)), nullptr);
  EXPECT_EQ(Lifting(use, kFieldOfUse, Day(15)), nullptr);
}

TEST_F(ClearancesTest, TheFirstRecordedWinsAndChainsListEveryOne) {
  const Uuid first = Add().id;
  Add().uses = {IntendedUse::kPublicRelease};
  EXPECT_EQ(Lifting()->id, first);
  Clearances all(graph_, Day(100));
  EXPECT_EQ(all.Covering(kFieldOfUse, path_).size(), 2u);
}

TEST(RuleOfTerm, NamesTheRuleAUseCheckJudgesTheTermBy) {
  EXPECT_EQ(RuleOfTerm({.kind = TermKind::kFieldOfUse}), "field-of-use");
  EXPECT_EQ(RuleOfTerm({.kind = TermKind::kShareAlike}), "share-alike-conflict");
  EXPECT_EQ(RuleOfTerm({.kind = TermKind::kNamingPrefix}), "naming");
  EXPECT_EQ(RuleOfTerm({.kind = TermKind::kFinding, .rule = "licence-not-in-force"}),
            "licence-not-in-force");
  EXPECT_EQ(RuleOfTerm({.kind = TermKind::kNotice}), "");
}

}  // namespace
}  // namespace rmtc::lineage
