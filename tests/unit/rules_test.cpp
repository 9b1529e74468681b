#include "lineage/rules.h"

#include <gtest/gtest.h>

namespace rmtc::lineage {
namespace {

using records::Kind;
using records::Relation;

constexpr Kind kAll[] = {Kind::kDataset, Kind::kModel,     Kind::kWeights,
                         Kind::kRun,     Kind::kInference, Kind::kAsset};

// The table in DESIGN.md, as the set of allowed (derived, source) pairs.
int CountAllowed(Relation relation) {
  int n = 0;
  for (Kind derived : kAll) {
    for (Kind source : kAll) n += RelationAllowed(relation, derived, source);
  }
  return n;
}

TEST(Rules, FollowTheDesignTable) {
  EXPECT_TRUE(RelationAllowed(Relation::kTrainedOn, Kind::kRun, Kind::kDataset));
  EXPECT_FALSE(RelationAllowed(Relation::kTrainedOn, Kind::kRun, Kind::kAsset));
  EXPECT_FALSE(RelationAllowed(Relation::kTrainedOn, Kind::kDataset, Kind::kRun));
  EXPECT_EQ(CountAllowed(Relation::kTrainedOn), 1);
  EXPECT_EQ(CountAllowed(Relation::kEvaluatedOn), 1);

  EXPECT_TRUE(RelationAllowed(Relation::kDerivedFrom, Kind::kAsset, Kind::kAsset));
  EXPECT_FALSE(RelationAllowed(Relation::kDerivedFrom, Kind::kAsset, Kind::kDataset));
  EXPECT_FALSE(RelationAllowed(Relation::kDerivedFrom, Kind::kWeights, Kind::kWeights));
  EXPECT_EQ(CountAllowed(Relation::kDerivedFrom), 3);

  EXPECT_TRUE(RelationAllowed(Relation::kContains, Kind::kDataset, Kind::kAsset));
  EXPECT_TRUE(RelationAllowed(Relation::kContains, Kind::kDataset, Kind::kDataset));
  EXPECT_EQ(CountAllowed(Relation::kContains), 2);

  EXPECT_TRUE(RelationAllowed(Relation::kBase, Kind::kRun, Kind::kWeights));
  EXPECT_TRUE(RelationAllowed(Relation::kBase, Kind::kRun, Kind::kModel));
  EXPECT_EQ(CountAllowed(Relation::kBase), 2);

  EXPECT_TRUE(RelationAllowed(Relation::kProducedBy, Kind::kWeights, Kind::kRun));
  EXPECT_EQ(CountAllowed(Relation::kProducedBy), 1);
  EXPECT_TRUE(RelationAllowed(Relation::kUses, Kind::kInference, Kind::kWeights));
  EXPECT_EQ(CountAllowed(Relation::kUses), 1);
  EXPECT_EQ(CountAllowed(Relation::kInput), 2);
  EXPECT_TRUE(RelationAllowed(Relation::kOutputOf, Kind::kAsset, Kind::kInference));
  EXPECT_TRUE(RelationAllowed(Relation::kOutputOf, Kind::kDataset, Kind::kInference));
  EXPECT_EQ(CountAllowed(Relation::kOutputOf), 2);
  EXPECT_EQ(CountAllowed(Relation::kVariantOf), 1);

  for (Kind k : kAll) EXPECT_TRUE(RelationAllowed(Relation::kSupersedes, k, k));
  EXPECT_EQ(CountAllowed(Relation::kSupersedes), 6);
}

TEST(Rules, DescribeEveryRelation) {
  EXPECT_EQ(DescribeRelationRule(Relation::kTrainedOn),
            "trained_on goes from a run to a dataset");
  for (int r = 1; r <= records::kRelationCount; ++r) {
    const auto relation = static_cast<Relation>(r);
    EXPECT_EQ(DescribeRelationRule(relation).rfind(records::RelationName(relation), 0),
              0u);
  }
}

TEST(Names, RoundTrip) {
  for (int k = 1; k <= records::kKindCount; ++k) {
    const auto kind = static_cast<Kind>(k);
    EXPECT_EQ(records::KindFromName(records::KindName(kind)), kind);
  }
  for (int r = 1; r <= records::kRelationCount; ++r) {
    const auto relation = static_cast<Relation>(r);
    EXPECT_EQ(records::RelationFromName(records::RelationName(relation)), relation);
  }
  EXPECT_FALSE(records::KindFromName("checkpoint").has_value());
  EXPECT_FALSE(records::RelationFromName("").has_value());
}

}  // namespace
}  // namespace rmtc::lineage
