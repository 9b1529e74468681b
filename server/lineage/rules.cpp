#include "lineage/rules.h"

#include <initializer_list>

namespace rmtc::lineage {

using records::Kind;
using records::Relation;

namespace {

bool OneOf(Kind kind, std::initializer_list<Kind> kinds) {
  for (Kind k : kinds) {
    if (k == kind) return true;
  }
  return false;
}

}  // namespace

bool RelationAllowed(Relation relation, Kind derived, Kind source) {
  switch (relation) {
    case Relation::kDerivedFrom:
      return derived == source &&
             OneOf(derived, {Kind::kDataset, Kind::kAsset, Kind::kModel});
    case Relation::kContains:
      return derived == Kind::kDataset && OneOf(source, {Kind::kAsset, Kind::kDataset});
    case Relation::kTrainedOn:
    case Relation::kEvaluatedOn:
      return derived == Kind::kRun && source == Kind::kDataset;
    case Relation::kBase:
      return derived == Kind::kRun && OneOf(source, {Kind::kWeights, Kind::kModel});
    case Relation::kProducedBy:
      return derived == Kind::kWeights && source == Kind::kRun;
    case Relation::kUses:
      return derived == Kind::kInference && source == Kind::kWeights;
    case Relation::kInput:
      return derived == Kind::kInference && OneOf(source, {Kind::kAsset, Kind::kDataset});
    case Relation::kOutputOf:
      return OneOf(derived, {Kind::kAsset, Kind::kDataset}) && source == Kind::kInference;
    case Relation::kVariantOf:
      return derived == Kind::kWeights && source == Kind::kWeights;
    case Relation::kSupersedes:
      return derived == source;
  }
  return false;
}

std::string DescribeRelationRule(Relation relation) {
  const std::string name(records::RelationName(relation));
  switch (relation) {
    case Relation::kDerivedFrom:
      return name + " joins a dataset, asset or model to one of the same kind";
    case Relation::kContains:
      return name + " goes from a dataset to an asset or dataset";
    case Relation::kTrainedOn:
    case Relation::kEvaluatedOn:
      return name + " goes from a run to a dataset";
    case Relation::kBase:
      return name + " goes from a run to weights or a model";
    case Relation::kProducedBy:
      return name + " goes from weights to a run";
    case Relation::kUses:
      return name + " goes from an inference to weights";
    case Relation::kInput:
      return name + " goes from an inference to an asset or dataset";
    case Relation::kOutputOf:
      return name + " goes from an asset or dataset to an inference";
    case Relation::kVariantOf:
      return name + " goes from weights to weights";
    case Relation::kSupersedes:
      return name + " joins two artefacts of the same kind";
  }
  return name;
}

}  // namespace rmtc::lineage
