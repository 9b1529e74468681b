// Fuzzes request validation in the lineage domain without a database:
// ProvenanceGraph::Register over an in-memory store.
//
// Input: records separated by 0x1E. The first is the write context, its
// fields separated by 0x1F: request_id, created_by, request_digest. Every
// other record is one artefact, fields separated by 0x1F:
//   kind, name, version, uri, sha256, facility, attributes, external_ids,
//   sources
// kind: empty for none, a kind name, or any other text for the kind its
// bytes hash to. external_ids: entries separated by 0x1D, each
// "system=id". sources: entries separated by 0x1D, each
// "relation>id#batch_index" (either part may be left out; "@3" as the id
// stands for the stored artefact of kind 3); relation as kind.
//
// Invariants:
// - a refusal is INVALID_ARGUMENT, NOT_FOUND or FAILED_PRECONDITION and
//   never reaches the store's Write;
// - an acceptance reaches Write exactly once, with one item per artefact in
//   order, each with a name of 1..512 bytes of well-formed UTF-8 without
//   controls, a lowercase digest or none, attributes that are a JSON
//   object, the sources it was given (batch indices pointing back, ids the
//   store holds) and a fresh id.
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "fuzz_support.h"
#include "lineage/provenance_graph.h"
#include "lineage/validation.h"
#include "support/fake_lineage_store.h"

namespace {

using rmtc::records::Kind;
using rmtc::records::Relation;
using rmtc::records::Uuid;
namespace records = rmtc::records;

constexpr char kRecordSeparator = '\x1e';
constexpr char kFieldSeparator = '\x1f';
constexpr char kEntrySeparator = '\x1d';

// The stored artefact of each kind: 00000000-0000-7000-8000-00000000000K.
Uuid StoredId(int kind) {
  std::array<std::uint8_t, 16> bytes{};
  bytes[6] = 0x70;
  bytes[8] = 0x80;
  bytes[15] = static_cast<std::uint8_t>(kind);
  return Uuid(bytes);
}

using MemoryStore = rmtc::testing::FakeLineageStore;

// The store holds one artefact of each kind, at StoredId(kind).
void HoldOneOfEachKind(MemoryStore& store) {
  for (int k = 1; k <= records::kKindCount; ++k)
    store.Hold(StoredId(k), static_cast<Kind>(k));
}

unsigned ByteSum(std::string_view text) {
  unsigned sum = 0;
  for (unsigned char c : text) sum += c;
  return sum;
}

std::optional<Kind> KindField(std::string_view field) {
  if (field.empty()) return std::nullopt;
  if (auto kind = records::KindFromName(field)) return kind;
  return static_cast<Kind>(1 + ByteSum(field) % records::kKindCount);
}

std::optional<Relation> RelationField(std::string_view field) {
  if (field.empty()) return std::nullopt;
  if (auto relation = records::RelationFromName(field)) return relation;
  return static_cast<Relation>(1 + ByteSum(field) % records::kRelationCount);
}

std::string Field(const std::vector<std::string_view>& fields, std::size_t i) {
  return i < fields.size() ? std::string(fields[i]) : std::string();
}

records::SourceRef ParseSource(std::string_view entry) {
  records::SourceRef source;
  std::string_view ref = entry;
  if (const auto arrow = entry.find('>'); arrow != std::string_view::npos) {
    source.relation = RelationField(entry.substr(0, arrow));
    ref = entry.substr(arrow + 1);
  }
  std::string_view id = ref;
  if (const auto hash = ref.find('#'); hash != std::string_view::npos) {
    id = ref.substr(0, hash);
    const std::string_view index = ref.substr(hash + 1);
    std::int64_t value = 0;
    std::from_chars(index.data(), index.data() + index.size(), value);
    source.batch_index = value;
  }
  if (id.size() == 2 && id[0] == '@' && id[1] >= '1' && id[1] <= '6') {
    source.id = StoredId(id[1] - '0').ToString();
  } else {
    source.id = std::string(id);
  }
  return source;
}

records::NewArtefact ParseArtefact(std::string_view record) {
  const auto fields = rmtc::fuzz::Split(record, kFieldSeparator);
  records::NewArtefact a;
  a.kind = KindField(fields[0]);
  a.name = Field(fields, 1);
  a.version = Field(fields, 2);
  a.uri = Field(fields, 3);
  a.sha256 = Field(fields, 4);
  a.facility = Field(fields, 5);
  a.attributes = Field(fields, 6);
  if (fields.size() > 7 && !fields[7].empty()) {
    for (std::string_view entry : rmtc::fuzz::Split(fields[7], kEntrySeparator)) {
      const auto equals = entry.find('=');
      if (equals == std::string_view::npos) {
        a.external_ids.push_back({std::string(entry), ""});
      } else {
        a.external_ids.push_back({std::string(entry.substr(0, equals)),
                                  std::string(entry.substr(equals + 1))});
      }
    }
  }
  if (fields.size() > 8 && !fields[8].empty()) {
    for (std::string_view entry : rmtc::fuzz::Split(fields[8], kEntrySeparator)) {
      a.sources.push_back(ParseSource(entry));
    }
  }
  return a;
}

bool IsLowerHex(std::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool HasControl(std::string_view text) {
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) return true;
  }
  return false;
}

void CheckAccepted(const rmtc::lineage::RegisterCommand& command,
                   const MemoryStore& store, const records::WriteResult& result,
                   const std::string& input) {
  RMTC_FUZZ_CHECK(store.writes.size() == 1,
                  std::to_string(store.writes.size()) + " writes for " + input);
  const auto& batch = store.writes.front();
  RMTC_FUZZ_CHECK(batch.method == "RegisterArtefacts", batch.method);
  RMTC_FUZZ_CHECK(batch.request_id == command.context.request_id, input);
  RMTC_FUZZ_CHECK(batch.created_by == command.context.created_by, input);
  RMTC_FUZZ_CHECK(batch.items.size() == command.artefacts.size(), input);
  RMTC_FUZZ_CHECK(result.artefacts.size() == batch.items.size(), input);
  std::set<Uuid> ids;
  for (std::size_t i = 0; i < batch.items.size(); ++i) {
    const auto& item = batch.items[i];
    const auto& spec = command.artefacts[i];
    const std::string where = "item " + std::to_string(i) + " of " + input;
    RMTC_FUZZ_CHECK(item.label == "artefacts[" + std::to_string(i) + "]", item.label);
    RMTC_FUZZ_CHECK(
        !item.name.empty() && item.name.size() <= rmtc::lineage::kMaxNameBytes, where);
    RMTC_FUZZ_CHECK(rmtc::fuzz::ReferenceIsUtf8(item.name), "name not UTF-8: " + where);
    RMTC_FUZZ_CHECK(!HasControl(item.name), "control character in name: " + where);
    RMTC_FUZZ_CHECK(item.name == spec.name, where);
    RMTC_FUZZ_CHECK(!spec.kind || item.kind == *spec.kind, where);
    RMTC_FUZZ_CHECK(
        item.sha256.empty() || (item.sha256.size() == 64 && IsLowerHex(item.sha256)),
        where);
    RMTC_FUZZ_CHECK(item.sha256 == rmtc::fuzz::Lowercase(spec.sha256), where);
    const auto attributes = nlohmann::json::parse(item.attributes, nullptr, false);
    RMTC_FUZZ_CHECK(attributes.is_object(), "attributes not an object: " + where);
    RMTC_FUZZ_CHECK(item.external_ids == spec.external_ids, where);
    for (const auto& ext : item.external_ids) {
      RMTC_FUZZ_CHECK(!ext.system.empty() && !ext.id.empty(), where);
    }
    RMTC_FUZZ_CHECK(item.sources.size() == spec.sources.size(), where);
    for (std::size_t s = 0; s < item.sources.size(); ++s) {
      const auto& source = item.sources[s];
      RMTC_FUZZ_CHECK(
          spec.sources[s].relation && source.relation == *spec.sources[s].relation,
          where);
      if (const auto* index = std::get_if<std::size_t>(&source.source)) {
        RMTC_FUZZ_CHECK(*index < i, "batch index not earlier: " + where);
      } else {
        RMTC_FUZZ_CHECK(store.Holds(std::get<Uuid>(source.source)),
                        "source id not in the store: " + where);
      }
    }
    RMTC_FUZZ_CHECK(!item.id.IsNil() && !store.Holds(item.id), where);
    RMTC_FUZZ_CHECK(ids.insert(item.id).second, "repeated id: " + where);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = rmtc::fuzz::AsText(data, size);
  const auto parts = rmtc::fuzz::Split(text, kRecordSeparator);
  rmtc::lineage::RegisterCommand command;
  const auto context = rmtc::fuzz::Split(parts[0], kFieldSeparator);
  command.context.request_id = Field(context, 0);
  command.context.created_by = Field(context, 1);
  command.context.request_digest = Field(context, 2);
  for (std::size_t i = 1; i < parts.size(); ++i) {
    command.artefacts.push_back(ParseArtefact(parts[i]));
  }

  MemoryStore store;
  HoldOneOfEachKind(store);
  rmtc::lineage::ProvenanceGraph graph(store);
  auto result = graph.Register(command);
  const std::string input = rmtc::fuzz::Printable(text);
  if (!result.ok()) {
    const auto code = result.status().code();
    RMTC_FUZZ_CHECK(code == absl::StatusCode::kInvalidArgument ||
                        code == absl::StatusCode::kNotFound ||
                        code == absl::StatusCode::kFailedPrecondition,
                    rmtc::fuzz::Describe(result.status()) + " for " + input);
    RMTC_FUZZ_CHECK(store.writes.empty(), "a refused request reached the store: " +
                                              rmtc::fuzz::Describe(result.status()) +
                                              " for " + input);
    return 0;
  }
  CheckAccepted(command, store, *result, input);
  return 0;
}
