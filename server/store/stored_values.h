// Reading enum values back from stored rows. Several rmtcd versions may
// share one database during an upgrade, so a row may hold a value a newer
// rmtcd added (ALTER TYPE ... ADD VALUE) that this one has no name for.
// Such a row is never guessed at: the readers throw UnreadableRow, which
// the transaction runner answers as INTERNAL naming the row.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "common/strings.h"
#include "records/artefact.h"
#include "records/licensing.h"

namespace rmtc::store {

class UnreadableRow : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// `row()` names the row, "artefact 0193...", "edge 0193... -> 0193...",
// "consent 42": called only on failure, so hot readers build no text.
template <typename RowName>
[[noreturn]] void ThrowUnreadable(RowName&& row, std::string_view column,
                                  std::string_view value) {
  throw UnreadableRow(StrCat(row(), ": ", column, " '", value,
                             "' is not a value this rmtcd knows (written by a newer "
                             "rmtcd? upgrade this one)"));
}

template <typename RowName>
records::Kind StoredKind(std::string_view text, RowName&& row) {
  const auto kind = records::KindFromName(text);
  if (!kind) ThrowUnreadable(row, "kind", text);
  return *kind;
}

template <typename RowName>
records::Relation StoredRelation(std::string_view text, RowName&& row) {
  const auto relation = records::RelationFromName(text);
  if (!relation) ThrowUnreadable(row, "relation", text);
  return *relation;
}

// '' (NULL: the record does not speak to the key) is nullopt.
template <typename RowName>
std::optional<records::ConsentValue> StoredConsentValue(std::string_view text,
                                                        std::string_view column,
                                                        RowName&& row) {
  if (text.empty()) return std::nullopt;
  const auto value = records::ConsentValueFromName(text);
  if (!value) ThrowUnreadable(row, column, text);
  return value;
}

// The name of an artefact row from its id column.
inline auto ArtefactRow(const char* id) {
  return [id] { return StrCat("artefact ", id); };
}

}  // namespace rmtc::store
