#include "records/artefact.h"

#include <array>

namespace rmtc::records {
namespace {

constexpr std::array<std::string_view, kKindCount> kKindNames = {
    "dataset", "model", "weights", "run", "inference", "asset"};

constexpr std::array<std::string_view, kRelationCount> kRelationNames = {
    "derived_from", "contains",  "trained_on", "evaluated_on",
    "base",         "produced_by", "uses",     "input",
    "output_of",    "variant_of",  "supersedes"};

}  // namespace

std::string_view KindName(Kind kind) {
  return kKindNames[static_cast<std::size_t>(kind) - 1];
}

std::string_view RelationName(Relation relation) {
  return kRelationNames[static_cast<std::size_t>(relation) - 1];
}

std::optional<Kind> KindFromName(std::string_view name) {
  for (std::size_t i = 0; i < kKindNames.size(); ++i) {
    if (kKindNames[i] == name) return static_cast<Kind>(i + 1);
  }
  return std::nullopt;
}

std::optional<Relation> RelationFromName(std::string_view name) {
  for (std::size_t i = 0; i < kRelationNames.size(); ++i) {
    if (kRelationNames[i] == name) return static_cast<Relation>(i + 1);
  }
  return std::nullopt;
}

}  // namespace rmtc::records
