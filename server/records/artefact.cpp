#include "records/artefact.h"

#include "vocabulary/names.h"

namespace rmtc::records {
using vocabulary::kKindNames;
using vocabulary::kRelationNames;
static_assert(kKindNames.size() == kKindCount && kRelationNames.size() == kRelationCount);

std::string_view KindName(Kind kind) {
  return vocabulary::NameAt(kKindNames, static_cast<long>(kind) - 1);
}

std::string_view RelationName(Relation relation) {
  return vocabulary::NameAt(kRelationNames, static_cast<long>(relation) - 1);
}

std::optional<Kind> KindFromName(std::string_view name) {
  const auto i = vocabulary::IndexOfName(kKindNames, name);
  if (!i) return std::nullopt;
  return static_cast<Kind>(*i + 1);
}

std::optional<Relation> RelationFromName(std::string_view name) {
  const auto i = vocabulary::IndexOfName(kRelationNames, name);
  if (!i) return std::nullopt;
  return static_cast<Relation>(*i + 1);
}

}  // namespace rmtc::records
