#include "store/pg_lineage_store.h"

#include <openssl/evp.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <set>
#include <tuple>
#include <utility>

#include "common/status_macros.h"
#include "common/strings.h"
#include "store/audit_trail.h"
#include "store/rights_sql.h"
#include "store/sql.h"
#include "store/transaction_runner.h"
#include "store/write_requests.h"
#include "vocabulary/hex.h"

namespace rmtc::store {

using records::Artefact;
using records::Kind;
using records::Uuid;

namespace {

// Prepared statements: the hot paths, planned once per connection.
constexpr char kKindsOfStmt[] = "kinds_of";
constexpr char kGetStmt[] = "get_artefact";
constexpr char kGetManyStmt[] = "get_artefacts";
constexpr char kTraceUpStmt[] = "trace_upstream";
constexpr char kTraceDownStmt[] = "trace_downstream";
constexpr char kMatchDigestsStmt[] = "match_digests";
constexpr char kMatchExternalIdsStmt[] = "match_external_ids";
constexpr char kMatchItemKeysStmt[] = "match_item_keys";

}  // namespace

void PgLineageStore::PrepareStatements(pqxx::connection& c) {
  // After five runs PostgreSQL may switch a prepared statement to a generic
  // plan; for the recursive trace that plan is several times slower (it
  // cannot see how small the walk is). Plan each run with its values; the
  // statements stay prepared, so parsing is still done once.
  c.set_variable("plan_cache_mode", "force_custom_plan");
  // rmtcd's statements touch few rows through indexes, but a write's audit
  // digests (thousands of index lookups in one statement) are estimated
  // dear enough for JIT: compiling cost 130 ms of a 470 ms statement on a
  // batch of 5,000 and saved nothing. No statement of rmtcd gains from it.
  c.set_variable("jit", "off");
  c.prepare(kKindsOfStmt, sql::kKindsOf);
  c.prepare(kGetStmt, sql::kGetArtefact);
  c.prepare(kGetManyStmt, sql::kGetArtefacts);
  c.prepare(kTraceUpStmt, sql::kTraceUpstream);
  c.prepare(kTraceDownStmt, sql::kTraceDownstream);
  c.prepare(kMatchDigestsStmt, sql::kMatchDigests);
  c.prepare(kMatchExternalIdsStmt, sql::kMatchExternalIds);
  c.prepare(kMatchItemKeysStmt, sql::kMatchItemKeys);
  // The rights store shares the pool; its hot statement is declared here too.
  c.prepare(rights_sql::kRightsGraphStmt, rights_sql::kRightsGraph);
}

namespace {

// A PostgreSQL array literal: {"a","b"} with quotes and backslashes escaped.
template <typename Range, typename Fn>
std::string ArrayLiteral(const Range& items, Fn&& to_text) {
  std::string out = "{";
  bool first = true;
  for (const auto& item : items) {
    if (!first) out.push_back(',');
    first = false;
    out.push_back('"');
    for (char c : to_text(item)) {
      if (c == '"' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
    out.push_back('"');
  }
  out.push_back('}');
  return out;
}

std::string IdArray(const std::vector<Uuid>& ids) {
  return ArrayLiteral(ids, [](const Uuid& id) { return id.ToString(); });
}

std::string HexOf(const std::string& bytes) { return vocabulary::HexEncode(bytes); }

Uuid ReadUuid(const pqxx::field& field) {
  // PostgreSQL only ever prints canonical UUIDs.
  return *Uuid::Parse(field.c_str());
}

records::Timestamp ReadMicros(const pqxx::field& field) {
  return records::Timestamp(std::chrono::microseconds(field.as<std::int64_t>()));
}

// Reads the columns of RMTC_ARTEFACT_SUMMARY_COLUMNS starting at `first`,
// and those of RMTC_ARTEFACT_COLUMNS when `full`.
Artefact ReadArtefact(const pqxx::row& row, bool full) {
  Artefact a;
  a.id = ReadUuid(row[0]);
  a.kind = StoredKind(row[1].c_str(), ArtefactRow(row[0].c_str()));
  a.name = row[2].c_str();
  a.version = row[3].c_str();
  a.uri = row[4].c_str();
  a.sha256 = row[5].c_str();
  a.facility = row[6].c_str();
  a.created_at = ReadMicros(row[7]);
  a.created_by = row[8].c_str();
  if (full) {
    a.attributes = row[9].c_str();
    for (const auto& pair : nlohmann::json::parse(row[10].c_str())) {
      a.external_ids.push_back({pair[0].get<std::string>(), pair[1].get<std::string>()});
    }
  } else {
    a.attributes.clear();
  }
  return a;
}

std::vector<Artefact> ReadArtefacts(const pqxx::result& rows) {
  std::vector<Artefact> out;
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back(ReadArtefact(row, true));
  return out;
}

// Fetches `ids` and returns them in the order given (ids may repeat).
std::vector<Artefact> FetchInOrder(pqxx::transaction_base& tx,
                                   const std::vector<Uuid>& ids) {
  std::unordered_map<Uuid, Artefact> by_id;
  for (auto& a : ReadArtefacts(tx.exec_prepared(kGetManyStmt, IdArray(ids)))) {
    by_id.emplace(a.id, std::move(a));
  }
  std::vector<Artefact> out;
  out.reserve(ids.size());
  for (const Uuid& id : ids) out.push_back(by_id.at(id));
  return out;
}

// The answer to a repeated request id: the first result, from its claim.
records::WriteResult Replay(pqxx::transaction_base& tx, const FirstAnswer& first) {
  records::WriteResult result{.artefacts = {}, .existed = {}, .replayed = true};
  std::vector<Uuid> ids;
  for (std::string_view id : StrSplit(first.result_ids, ',')) {
    if (!id.empty()) ids.push_back(*Uuid::Parse(id));
  }
  for (std::string_view flag : StrSplit(first.existed, ',')) {
    if (!flag.empty()) result.existed.push_back(flag == "true" || flag == "t");
  }
  result.artefacts = FetchInOrder(tx, ids);
  return result;
}

// The stored artefacts with these (kind, sha256) pairs.
std::map<std::pair<std::string, Kind>, Uuid> StoredDigests(
    pqxx::transaction_base& tx, const records::WriteBatch& batch) {
  std::map<std::pair<std::string, Kind>, Uuid> known;
  std::vector<std::string> digests, kinds;
  for (const auto& item : batch.items) {
    if (item.sha256.empty()) continue;
    digests.push_back(item.sha256);
    kinds.emplace_back(records::KindName(item.kind));
  }
  if (digests.empty()) return known;
  auto identity = [](const std::string& s) -> const std::string& { return s; };
  for (const auto& row :
       tx.exec_prepared(kMatchDigestsStmt, ArrayLiteral(digests, identity),
                        ArrayLiteral(kinds, identity))) {
    known.emplace(
        std::pair(std::string(row[0].c_str()), *records::KindFromName(row[1].c_str())),
        ReadUuid(row[2]));
  }
  return known;
}

// What an item key names: an artefact and the digest of the content that
// first came with the key. `label` is the item of this batch that gave it,
// empty for a stored key.
struct KeyBinding {
  Uuid id;
  std::string digest;  // SHA-256, lowercase hex
  std::string label;
};

std::map<std::string, KeyBinding> StoredKeys(pqxx::transaction_base& tx,
                                             const records::WriteBatch& batch) {
  std::map<std::string, KeyBinding> keys;
  std::vector<std::string> wanted;
  for (const auto& item : batch.items) {
    if (!item.item_key.empty()) wanted.push_back(item.item_key);
  }
  if (wanted.empty()) return keys;
  auto identity = [](const std::string& s) -> const std::string& { return s; };
  for (const auto& row :
       tx.exec_prepared(kMatchItemKeysStmt, ArrayLiteral(wanted, identity))) {
    keys.emplace(row[0].c_str(), KeyBinding{ReadUuid(row[1]), row[2].c_str(), ""});
  }
  return keys;
}

// SHA-256 (lowercase hex) of what makes an item the same item again under
// its key: its fields, its attributes as a JSON value (key order and
// spacing do not count), its external ids and edges as sets, each source as
// the id it resolves to. `ids` holds the final ids of the earlier items of
// the batch, so a batch_index and the id it stands for give the same digest.
std::string ContentDigest(const records::PlannedArtefact& item,
                          const std::vector<Uuid>& ids) {
  nlohmann::json attributes = nlohmann::json::parse(item.attributes, nullptr, false);
  // Attributes were checked before, so the fallback is never taken.
  if (attributes.is_discarded()) attributes = item.attributes;
  std::set<std::pair<std::string, std::string>> external_ids, sources;
  for (const auto& ext : item.external_ids) external_ids.emplace(ext.system, ext.id);
  for (const auto& source : item.sources) {
    const Uuid& id = std::holds_alternative<Uuid>(source.source)
                         ? std::get<Uuid>(source.source)
                         : ids[std::get<std::size_t>(source.source)];
    sources.emplace(records::RelationName(source.relation), id.ToString());
  }
  const nlohmann::json content = {std::string(records::KindName(item.kind)),
                                  item.name,
                                  item.version,
                                  item.uri,
                                  item.sha256,
                                  item.facility,
                                  attributes,
                                  external_ids,
                                  sources};
  const std::string text =
      content.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr);
  return HexOf(std::string(reinterpret_cast<const char*>(digest), length));
}

absl::Status KeyClash(const records::PlannedArtefact& item, const KeyBinding& bound) {
  return absl::AlreadyExistsError(
      bound.label.empty()
          ? StrCat(item.label, ".item_key: '", item.item_key, "' already names artefact ",
                   bound.id.ToString(),
                   ", registered with other content; use a new key for a new artefact")
          : StrCat(item.label, ".item_key: '", item.item_key, "' is also given at ",
                   bound.label, " with other content"));
}

// An item key this write binds.
struct NewKey {
  std::string key;
  Uuid id;
  std::string digest;  // SHA-256, lowercase hex
};

// Decides, for every item in order, the id it ends up with: the artefact
// its item key names (ALREADY_EXISTS if the key came with other content),
// else a stored artefact or an earlier item with the same (kind, sha256),
// else its own new id. Sets `existed` unless it is new. In order, so
// every source already has its final id when an item's digest is taken.
// Fills `new_keys` with the keys this write binds.
absl::Status ResolveIdentities(pqxx::transaction_base& tx,
                               const records::WriteBatch& batch, std::vector<Uuid>& ids,
                               std::vector<bool>& existed,
                               std::vector<NewKey>& new_keys) {
  auto known = StoredDigests(tx, batch);
  auto keys = StoredKeys(tx, batch);
  for (std::size_t i = 0; i < batch.items.size(); ++i) {
    const auto& item = batch.items[i];
    ids[i] = item.id;
    std::string digest;
    if (!item.item_key.empty()) {
      digest = ContentDigest(item, ids);
      if (auto bound = keys.find(item.item_key); bound != keys.end()) {
        if (bound->second.digest != digest) return KeyClash(item, bound->second);
        ids[i] = bound->second.id;
        existed[i] = true;
        continue;
      }
    }
    if (!item.sha256.empty()) {
      auto [it, fresh] = known.emplace(std::pair(item.sha256, item.kind), item.id);
      if (!fresh) {
        ids[i] = it->second;
        existed[i] = true;
      }
    }
    if (!item.item_key.empty()) {
      keys.emplace(item.item_key, KeyBinding{ids[i], digest, item.label});
      new_keys.push_back({item.item_key, ids[i], std::move(digest)});
    }
  }
  return absl::OkStatus();
}

// ALREADY_EXISTS if an external id of a new item names a stored artefact.
absl::Status CheckExternalIdsFree(pqxx::transaction_base& tx,
                                  const records::WriteBatch& batch,
                                  const std::vector<bool>& existed) {
  std::vector<std::string> systems, values;
  std::map<std::pair<std::string, std::string>, std::string> path_of;
  for (std::size_t i = 0; i < batch.items.size(); ++i) {
    if (existed[i]) continue;
    const auto& ext = batch.items[i].external_ids;
    for (std::size_t k = 0; k < ext.size(); ++k) {
      systems.push_back(ext[k].system);
      values.push_back(ext[k].id);
      path_of[{ext[k].system, ext[k].id}] =
          StrCat(batch.items[i].label, ".external_ids[", k, "]");
    }
  }
  if (systems.empty()) return absl::OkStatus();
  auto identity = [](const std::string& s) -> const std::string& { return s; };
  const auto taken =
      tx.exec_prepared(kMatchExternalIdsStmt, ArrayLiteral(systems, identity),
                       ArrayLiteral(values, identity));
  if (taken.empty()) return absl::OkStatus();
  const auto& row = taken[0];
  return absl::AlreadyExistsError(StrCat(path_of[{row[0].c_str(), row[1].c_str()}], ": ",
                                         row[0].c_str(), ":", row[1].c_str(),
                                         " already names artefact ", row[2].c_str()));
}

// The edges of the new items, each once, with batch references resolved.
std::vector<std::tuple<std::string, std::string, std::string>> NewEdgeRows(
    const records::WriteBatch& batch, const std::vector<Uuid>& ids,
    const std::vector<bool>& existed) {
  std::vector<std::tuple<std::string, std::string, std::string>> rows;
  for (std::size_t i = 0; i < batch.items.size(); ++i) {
    if (existed[i]) continue;
    std::set<std::pair<Uuid, records::Relation>> seen;
    for (const auto& source : batch.items[i].sources) {
      const Uuid source_id = std::holds_alternative<Uuid>(source.source)
                                 ? std::get<Uuid>(source.source)
                                 : ids[std::get<std::size_t>(source.source)];
      if (!seen.emplace(source_id, source.relation).second) continue;
      rows.emplace_back(ids[i].ToString(), source_id.ToString(),
                        std::string(records::RelationName(source.relation)));
    }
  }
  return rows;
}

// COPY is the fastest way into PostgreSQL; nothing is read back from it.
void CopyNewRows(pqxx::transaction_base& tx, const records::WriteBatch& batch,
                 const std::vector<Uuid>& ids, const std::vector<bool>& existed) {
  const auto& items = batch.items;
  if (std::find(existed.begin(), existed.end(), false) == existed.end()) return;
  {
    pqxx::stream_to artefacts(
        tx, "artefact",
        std::vector<std::string>{"id", "kind", "name", "version", "uri", "sha256",
                                 "facility", "created_by", "attributes"});
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (existed[i]) continue;
      const auto& it = items[i];
      const std::string id = ids[i].ToString();
      const std::string sha = it.sha256.empty() ? "" : "\\x" + it.sha256;
      artefacts << std::make_tuple(
          id.c_str(), records::KindName(it.kind).data(), it.name.c_str(),
          it.version.c_str(), it.uri.c_str(), it.sha256.empty() ? nullptr : sha.c_str(),
          it.facility.c_str(), batch.created_by.c_str(), it.attributes.c_str());
    }
    artefacts.complete();
  }
  const auto edge_rows = NewEdgeRows(batch, ids, existed);
  if (!edge_rows.empty()) {
    pqxx::stream_to edges(
        tx, "edge", std::vector<std::string>{"derived_id", "source_id", "relation"});
    for (const auto& row : edge_rows) edges << row;
    edges.complete();
  }
  std::vector<std::tuple<std::string, std::string, std::string>> external_rows;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (existed[i]) continue;
    for (const auto& ext : items[i].external_ids) {
      external_rows.emplace_back(ext.system, ext.id, ids[i].ToString());
    }
  }
  if (!external_rows.empty()) {
    pqxx::stream_to external(tx, "external_id",
                             std::vector<std::string>{"system", "value", "artefact_id"});
    for (const auto& row : external_rows) external << row;
    external.complete();
  }
}

// After the artefacts, which the keys reference. A racing writer that bound
// one of these keys first makes this a unique violation: the runner retries,
// and the retry finds the key.
void CopyItemKeys(pqxx::transaction_base& tx, const std::vector<NewKey>& new_keys) {
  if (new_keys.empty()) return;
  pqxx::stream_to keys(tx, "item_key",
                       std::vector<std::string>{"key", "artefact_id", "digest"});
  for (const auto& key : new_keys) {
    keys << std::make_tuple(key.key, key.id.ToString(), "\\x" + key.digest);
  }
  keys.complete();
}

// The answer to a write, one artefact per item. New items are answered
// from memory, exactly as stored (the same transaction time, the same text),
// except where the database normalises what it stores: attributes (jsonb
// reorders keys) and external ids (ordered by the database's collation);
// those, and items that already existed, are read back, so this answer, a
// replay and a later Get agree. A bulk import of plain artefacts reads
// nothing back.
std::vector<Artefact> Answer(pqxx::transaction_base& tx, const records::WriteBatch& batch,
                             const std::vector<Uuid>& ids,
                             const std::vector<bool>& existed) {
  std::vector<Uuid> read_back;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto& item = batch.items[i];
    if (existed[i] || item.attributes != "{}" || !item.external_ids.empty()) {
      read_back.push_back(ids[i]);
    }
  }
  std::unordered_map<Uuid, Artefact> stored;
  if (!read_back.empty()) {
    for (auto& a : ReadArtefacts(tx.exec_prepared(kGetManyStmt, IdArray(read_back)))) {
      stored.emplace(a.id, std::move(a));
    }
  }
  std::optional<records::Timestamp> now;
  std::vector<Artefact> out;
  out.reserve(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (auto it = stored.find(ids[i]); it != stored.end()) {
      out.push_back(it->second);
      continue;
    }
    if (!now) {
      now = records::Timestamp(
          std::chrono::microseconds(tx.exec(sql::kNow)[0][0].as<std::int64_t>()));
    }
    const auto& item = batch.items[i];
    out.push_back({.id = ids[i],
                   .kind = item.kind,
                   .name = item.name,
                   .version = item.version,
                   .uri = item.uri,
                   .sha256 = item.sha256,
                   .facility = item.facility,
                   .created_at = *now,
                   .created_by = batch.created_by,
                   .attributes = "{}",
                   .external_ids = {}});
  }
  return out;
}

// The audit entry of a write: its new artefacts and the item keys it bound.
AuditWrite AuditOf(const records::WriteBatch& batch, const std::vector<Uuid>& ids,
                   const std::vector<bool>& existed,
                   const std::vector<NewKey>& new_keys) {
  AuditWrite write{.request_id = batch.request_id};
  std::set<Uuid> spoken_of;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (existed[i]) continue;
    write.refs.push_back(StrCat("artefact:", ids[i].ToString()));
    if (spoken_of.insert(ids[i]).second) write.artefact_ids.push_back(ids[i]);
  }
  for (const auto& key : new_keys) {
    write.refs.push_back(StrCat("item_key:", key.key));
    if (spoken_of.insert(key.id).second) write.artefact_ids.push_back(key.id);
  }
  return write;
}

std::string RelationArray(const std::vector<records::Relation>& relations) {
  return ArrayLiteral(relations, [](records::Relation r) {
    return std::string(records::RelationName(r));
  });
}

// "id:relation,id:relation" as the trace query lists edges into a node.
void ReadEdgesInto(const Uuid& node, const pqxx::field& field, bool upstream,
                   std::vector<records::Edge>& edges) {
  if (field.is_null()) return;
  for (std::string_view item : StrSplit(field.c_str(), ',')) {
    const auto colon = item.find(':');
    const Uuid other = *Uuid::Parse(item.substr(0, colon));
    const Uuid& derived = upstream ? other : node;
    const Uuid& source = upstream ? node : other;
    const auto relation = StoredRelation(item.substr(colon + 1), [&] {
      return StrCat("edge ", derived.ToString(), " -> ", source.ToString());
    });
    edges.push_back({derived, source, relation});
  }
}

}  // namespace

PgLineageStore::PgLineageStore(ConnectionPool& pool) : pool_(pool) {}

PgLineageStore::PgLineageStore(const std::string& url, int pool_size)
    : owned_pool_(std::make_unique<ConnectionPool>(url, pool_size, PrepareStatements)),
      pool_(*owned_pool_) {}

absl::StatusOr<std::unordered_map<Uuid, Kind>> PgLineageStore::KindsOf(
    const std::vector<Uuid>& ids) {
  return RunReadOnly<std::unordered_map<Uuid, Kind>>(
      pool_, "KindsOf", [&](pqxx::transaction_base& tx) {
        std::unordered_map<Uuid, Kind> kinds;
        for (const auto& row : tx.exec_prepared(kKindsOfStmt, IdArray(ids))) {
          kinds.emplace(ReadUuid(row[0]),
                        StoredKind(row[1].c_str(), ArtefactRow(row[0].c_str())));
        }
        return kinds;
      });
}

absl::StatusOr<records::WriteResult> PgLineageStore::Write(
    const records::WriteBatch& batch) {
  return RunReadWrite<records::WriteResult>(
      pool_, "Write",
      [&](pqxx::transaction_base& tx) -> absl::StatusOr<records::WriteResult> {
        if (!batch.request_id.empty()) {
          RMTC_ASSIGN_OR_RETURN(
              auto first,
              ClaimRequest(tx, {batch.request_id, batch.method, batch.request_digest}));
          if (first) return Replay(tx, *first);
        }
        const std::size_t n = batch.items.size();
        std::vector<Uuid> ids(n);
        std::vector<bool> existed(n, false);
        std::vector<NewKey> new_keys;
        RMTC_RETURN_IF_ERROR(ResolveIdentities(tx, batch, ids, existed, new_keys));
        RMTC_RETURN_IF_ERROR(CheckExternalIdsFree(tx, batch, existed));
        CopyNewRows(tx, batch, ids, existed);
        CopyItemKeys(tx, new_keys);
        AppendAudit(tx, AuditOf(batch, ids, existed, new_keys));
        if (!batch.request_id.empty()) {
          tx.exec_params0(
              sql::kFinishRequest, batch.request_id, IdArray(ids),
              ArrayLiteral(existed,
                           [](bool b) { return std::string(b ? "true" : "false"); }),
              RequestOwner());
        }
        return records::WriteResult{.artefacts = Answer(tx, batch, ids, existed),
                                    .existed = existed,
                                    .replayed = false};
      });
}

absl::StatusOr<bool> PgLineageStore::RequestSeen(const std::string& request_id) {
  return RunReadOnly<bool>(pool_, "RequestSeen", [&](pqxx::transaction_base& tx) {
    return !tx.exec_params(sql::kRequestSeen, request_id, RequestOwner()).empty();
  });
}

absl::StatusOr<std::optional<Artefact>> PgLineageStore::Get(const Uuid& id) {
  return RunReadOnly<std::optional<Artefact>>(
      pool_, "Get", [&](pqxx::transaction_base& tx) -> std::optional<Artefact> {
        const auto rows = tx.exec_prepared(kGetStmt, id.ToString());
        if (rows.empty()) return std::nullopt;
        return ReadArtefact(rows[0], true);
      });
}

absl::StatusOr<std::vector<Artefact>> PgLineageStore::FindBySha256(
    const std::string& sha256, std::optional<Kind> kind) {
  std::vector<Kind> kinds;
  if (kind) kinds.push_back(*kind);
  const std::string kind_array =
      ArrayLiteral(kinds, [](Kind k) { return std::string(records::KindName(k)); });
  return RunReadOnly<std::vector<Artefact>>(
      pool_, "FindBySha256", [&](pqxx::transaction_base& tx) {
        return ReadArtefacts(tx.exec_params(sql::kFindBySha256, sha256, kind_array));
      });
}

absl::StatusOr<std::vector<Artefact>> PgLineageStore::FindByExternalId(
    const records::ExternalId& external_id) {
  return RunReadOnly<std::vector<Artefact>>(
      pool_, "FindByExternalId", [&](pqxx::transaction_base& tx) {
        return ReadArtefacts(
            tx.exec_params(sql::kFindByExternalId, external_id.system, external_id.id));
      });
}

absl::StatusOr<std::vector<Artefact>> PgLineageStore::List(
    const records::ListQuery& query) {
  std::vector<Kind> kinds;
  if (query.kind) kinds.push_back(*query.kind);
  const std::string kind_array =
      ArrayLiteral(kinds, [](Kind k) { return std::string(records::KindName(k)); });
  std::string pattern;
  if (!query.name_contains.empty()) {
    pattern = "%";
    for (char c : query.name_contains) {
      if (c == '%' || c == '_' || c == '\\') pattern.push_back('\\');
      pattern.push_back(c);
    }
    pattern.push_back('%');
  }
  const auto micros = [](const std::optional<records::Timestamp>& t) {
    return t ? t->time_since_epoch().count() : std::int64_t{0};
  };
  const bool keyset = query.after.has_value();
  const std::int64_t after_micros =
      keyset ? query.after->created_at.time_since_epoch().count() : 0;
  const std::string after_id = keyset ? query.after->id.ToString() : Uuid().ToString();
  // Unnamed statements are planned with their values, so the optional
  // filters fold away and the matching index is used.
  return RunReadOnly<std::vector<Artefact>>(
      pool_, "List", [&](pqxx::transaction_base& tx) {
        return ReadArtefacts(
            tx.exec_params(sql::kListArtefacts, kind_array, pattern, query.facility,
                           query.created_after.has_value(), micros(query.created_after),
                           query.created_before.has_value(), micros(query.created_before),
                           keyset, after_micros, after_id, query.limit));
      });
}

absl::StatusOr<records::TraceResult> PgLineageStore::Trace(
    const records::TraceQuery& query) {
  const bool upstream = query.direction == records::Direction::kUpstream;
  const records::TracePosition after =
      query.after.value_or(records::TracePosition{-1, Uuid()});
  return RunReadOnly<records::TraceResult>(
      pool_, "Trace", [&](pqxx::transaction_base& tx) {
        const auto rows = tx.exec_prepared(upstream ? kTraceUpStmt : kTraceDownStmt,
                                           query.root.ToString(), query.max_depth,
                                           RelationArray(query.relations), after.depth,
                                           after.id.ToString(), query.limit);
        records::TraceResult result;
        result.nodes.reserve(rows.size());
        for (const auto& row : rows) {
          records::TraceNode node{ReadArtefact(row, false), row[9].as<int>()};
          ReadEdgesInto(node.artefact.id, row[10], upstream, result.edges);
          result.nodes.push_back(std::move(node));
        }
        return result;
      });
}

absl::Status PgLineageStore::Ping() {
  auto pinged = RunReadOnly<bool>(
      pool_, "Ping",
      [&](pqxx::transaction_base& tx) {
        tx.exec(sql::kPing);
        return true;
      },
      std::chrono::seconds(1));
  return pinged.status();
}

}  // namespace rmtc::store
