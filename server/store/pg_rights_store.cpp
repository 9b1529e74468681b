#include "store/pg_rights_store.h"

#include <array>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "common/status_macros.h"
#include "common/strings.h"
#include "records/licence_terms.h"
#include "store/audit_trail.h"
#include "store/rights_sql.h"
#include "store/sql.h"
#include "store/sql_arrays.h"
#include "store/transaction_runner.h"
#include "store/write_requests.h"

namespace rmtc::store {

using records::Timestamp;
using records::Uuid;

namespace {

std::string Micros(const std::optional<Timestamp>& t) {
  return t ? StrCat(t->time_since_epoch().count()) : std::string();
}

std::optional<Timestamp> FromMicros(const char* text) {
  if (text == nullptr || *text == '\0') return std::nullopt;
  return Timestamp(std::chrono::microseconds(std::stoll(text)));
}

std::vector<std::string> Words(const char* text) {
  std::vector<std::string> out;
  for (auto word : StrSplit(text, ' ')) {
    if (!word.empty()) out.emplace_back(word);
  }
  return out;
}

// A text[] column read as to_json(...)::text.
std::vector<std::string> JsonStrings(const char* json) {
  std::vector<std::string> out;
  for (const auto& j : nlohmann::json::parse(json)) out.push_back(j.get<std::string>());
  return out;
}

// The stored terms were checked on the way in; a row that no longer parses
// (a term a newer rmtcd added, a hand edit) is never read as other terms.
records::LicenceTerms StoredTerms(const char* json, const char* licence_id) {
  auto terms = records::TermsFromJson("terms", json);
  if (!terms.ok()) {
    throw UnreadableRow(StrCat("licence ", licence_id, ": ", MessageOf(terms.status()),
                               " (written by a newer rmtcd? upgrade this one)"));
  }
  return *std::move(terms);
}

records::Licence ReadLicence(const pqxx::row& row) {
  records::Licence l;
  l.id = row[0].c_str();
  l.name = row[1].c_str();
  l.url = row[2].c_str();
  l.text_sha256 = row[3].c_str();
  l.terms = StoredTerms(row[4].c_str(), row[0].c_str());
  l.valid_from = FromMicros(row[5].c_str());
  l.valid_until = FromMicros(row[6].c_str());
  l.licensor = row[7].c_str();
  l.licensee = row[8].c_str();
  l.jurisdictions = JsonStrings(row[9].c_str());
  l.revoked_at = FromMicros(row[10].c_str());
  l.notes = row[11].c_str();
  l.created_at = *FromMicros(row[12].c_str());
  return l;
}

// The consent keys of a row, from its columns `first`..`first + 3`.
void ReadConsentValues(const pqxx::row& row, int first, const char* seq,
                       records::ConsentRecord& c) {
  for (int k = 0; k < records::kConsentKeyCount; ++k) {
    c.values[k] =
        StoredConsentValue(row[first + k].c_str(),
                           records::ConsentKeyName(static_cast<records::ConsentKey>(k)),
                           [&] { return StrCat("consent ", seq); });
  }
}

std::string ConsentValueText(const std::optional<records::ConsentValue>& value) {
  static constexpr std::array<const char*, 3> kEnumLabels = {"allowed", "notAllowed",
                                                             "constrained"};
  return value ? kEnumLabels.at(static_cast<std::size_t>(*value)) : std::string();
}

// A clearance row as RMTC_CLEARANCE_JSON writes it. Its uses were checked
// on the way in; one this rmtcd has no name for is never guessed at.
records::Clearance ReadClearance(const char* json_text) {
  const auto j = nlohmann::json::parse(json_text);
  auto text = [&](const char* key) { return j.at(key).get<std::string>(); };
  records::Clearance c;
  const std::string id = text("id");
  c.id = *Uuid::Parse(id);
  c.party = text("party");
  c.evidence = text("evidence");
  c.valid_from = FromMicros(text("valid_from").c_str());
  c.valid_until = FromMicros(text("valid_until").c_str());
  c.artefact = *Uuid::Parse(text("artefact_id"));
  if (const std::string d = text("downstream_id"); !d.empty())
    c.downstream = Uuid::Parse(d);
  c.facility = text("facility");
  c.project = text("project");
  for (const auto& use : j.at("uses")) {
    const auto name = use.get<std::string>();
    const auto parsed = records::IntendedUseFromName(name);
    if (!parsed) ThrowUnreadable([&] { return StrCat("clearance ", id); }, "uses", name);
    c.uses.push_back(*parsed);
  }
  for (const auto& rule : j.at("rules")) c.rules.push_back(rule.get<std::string>());
  c.licence_id = text("licence_id");
  c.rights_holder = text("rights_holder");
  c.note = text("note");
  c.revoked_at = FromMicros(text("revoked_at").c_str());
  c.created_at = *FromMicros(text("created_at").c_str());
  c.created_by = text("created_by");
  return c;
}

std::vector<std::string> UseNames(const std::vector<records::IntendedUse>& uses) {
  std::vector<std::string> out;
  for (const auto use : uses) out.emplace_back(records::IntendedUseName(use));
  return out;
}

bool SameLicence(const records::Licence& a, const records::Licence& b) {
  return a.name == b.name && a.url == b.url && a.text_sha256 == b.text_sha256 &&
         records::TermsToJson(a.terms) == records::TermsToJson(b.terms) &&
         a.valid_from == b.valid_from && a.valid_until == b.valid_until &&
         a.licensor == b.licensor && a.licensee == b.licensee &&
         a.jurisdictions == b.jurisdictions;
}

records::LicenceAttachment ReadAttachment(const pqxx::row& row, const Uuid& artefact) {
  return {artefact,
          row[0].c_str(),
          Words(row[1].c_str()),
          row[2].c_str(),
          *FromMicros(row[4].c_str()),
          row[3].c_str()};
}

records::ConsentRecord ReadConsent(const pqxx::row& row, const Uuid& artefact) {
  records::ConsentRecord c;
  c.artefact = artefact;
  c.party = row[0].c_str();
  ReadConsentValues(row, 1, row[9].c_str(), c);
  c.effective_at = *FromMicros(row[5].c_str());
  c.recorded_at = *FromMicros(row[6].c_str());
  c.recorded_by = row[7].c_str();
  c.note = row[8].c_str();
  return c;
}

// An appending write under its request id, inside its transaction: with an
// id, claims it, or answers a repeat with the record the first call
// appended (`read_back(seq)`). `append()` writes and returns the record and
// its seq.
// `ref_kind` names the table in the audit entry ("consent" for
// consent:<seq>); `artefact` is the artefact the record is on.
template <typename Record, typename Append, typename ReadBack>
absl::StatusOr<Record> AppendOnce(pqxx::transaction_base& tx,
                                  const records::RequestKey& request,
                                  std::string_view ref_kind, const Uuid& artefact,
                                  Append&& append, ReadBack&& read_back) {
  if (!request.id.empty()) {
    RMTC_ASSIGN_OR_RETURN(auto first, ClaimRequest(tx, request));
    if (first) {
      if (!first->result_seq) {
        return absl::InternalError(StrCat("request_id: '", request.id,
                                          "' was claimed without naming its record"));
      }
      return read_back(*first->result_seq);
    }
  }
  auto [record, seq] = append();
  if (!request.id.empty()) FinishRecordRequest(tx, request.id, seq);
  AppendAudit(tx, {.request_id = request.id,
                   .artefact_ids = {artefact},
                   .refs = {StrCat(ref_kind, ":", seq)}});
  return record;
}

}  // namespace

absl::StatusOr<records::Licence> PgRightsStore::AddLicence(
    const records::Licence& licence, const std::string& created_by) {
  return RunReadWrite<records::Licence>(
      pool_, "AddLicence",
      [&](pqxx::transaction_base& tx) -> absl::StatusOr<records::Licence> {
        const auto inserted = tx.exec_params(
            rights_sql::kInsertLicence, licence.id, licence.name, licence.url,
            licence.text_sha256, records::TermsToJson(licence.terms),
            Micros(licence.valid_from), Micros(licence.valid_until), licence.licensor,
            licence.licensee, nlohmann::json(licence.jurisdictions).dump(), licence.notes,
            created_by);
        const auto stored =
            ReadLicence(tx.exec_params1(rights_sql::kGetLicence, licence.id));
        if (!inserted.empty()) {
          AppendAudit(tx, {.refs = {StrCat("licence:", licence.id)}});
        }
        if (inserted.empty() && !SameLicence(stored, licence)) {
          return absl::AlreadyExistsError(StrCat(
              "id: licence ", licence.id,
              " already exists with other terms; licences are not edited: add the new "
              "terms under a new id (e.g. ",
              licence.id.rfind("LicenseRef-", 0) == 0 ? "" : "LicenseRef-", licence.id,
              "-v2)"));
        }
        return stored;
      });
}

absl::StatusOr<std::optional<records::Licence>> PgRightsStore::GetLicence(
    const std::string& id) {
  return RunReadOnly<std::optional<records::Licence>>(
      pool_, "GetLicence",
      [&](pqxx::transaction_base& tx) -> std::optional<records::Licence> {
        const auto rows = tx.exec_params(rights_sql::kGetLicence, id);
        if (rows.empty()) return std::nullopt;
        return ReadLicence(rows[0]);
      });
}

absl::StatusOr<std::vector<records::Licence>> PgRightsStore::ListLicences(
    const std::string& after, int limit) {
  return RunReadOnly<std::vector<records::Licence>>(
      pool_, "ListLicences", [&](pqxx::transaction_base& tx) {
        std::vector<records::Licence> out;
        for (const auto& row : tx.exec_params(rights_sql::kListLicences, after, limit)) {
          out.push_back(ReadLicence(row));
        }
        return out;
      });
}

namespace {

// The first column of every row of `sql` run with `limit`.
absl::StatusOr<std::vector<std::string>> FirstColumn(ConnectionPool& pool,
                                                     std::string_view what,
                                                     const char* sql, int limit) {
  return RunReadOnly<std::vector<std::string>>(
      pool, what, [&](pqxx::transaction_base& tx) {
        std::vector<std::string> out;
        for (const auto& row : tx.exec_params(sql, limit))
          out.emplace_back(row[0].c_str());
        return out;
      });
}

}  // namespace

absl::StatusOr<std::vector<std::string>> PgRightsStore::LicenceIds(int limit) {
  return FirstColumn(pool_, "LicenceIds", rights_sql::kLicenceIds, limit);
}

absl::StatusOr<std::vector<std::string>> PgRightsStore::Parties(int limit) {
  return FirstColumn(pool_, "Parties", rights_sql::kParties, limit);
}

absl::StatusOr<std::optional<records::Licence>> PgRightsStore::RevokeLicence(
    const std::string& id, Timestamp at, const records::RequestKey& request) {
  return RunReadWrite<std::optional<records::Licence>>(
      pool_, "RevokeLicence",
      [&](pqxx::transaction_base& tx) -> absl::StatusOr<std::optional<records::Licence>> {
        // Licences are never deleted: one missing now stays missing, and an
        // id sent with it is not used up.
        if (tx.exec_params(rights_sql::kGetLicence, id).empty()) return std::nullopt;
        bool repeat = false;
        if (!request.id.empty()) {
          RMTC_ASSIGN_OR_RETURN(auto first, ClaimRequest(tx, request));
          repeat = first.has_value();
        }
        if (!repeat) {
          tx.exec_params(rights_sql::kRevokeLicence, id, Micros(at));
          AppendAudit(tx, {.request_id = request.id,
                           .refs = {StrCat("licence_revoked:", Micros(at), ":", id)}});
        }
        return ReadLicence(tx.exec_params1(rights_sql::kGetLicence, id));
      });
}

absl::StatusOr<std::set<std::string>> PgRightsStore::ExistingLicences(
    const std::vector<std::string>& ids) {
  return RunReadOnly<std::set<std::string>>(
      pool_, "ExistingLicences", [&](pqxx::transaction_base& tx) {
        std::set<std::string> out;
        for (const auto& row :
             tx.exec_params(rights_sql::kExistingLicences, TextArrayLiteral(ids))) {
          out.insert(row[0].c_str());
        }
        return out;
      });
}

absl::StatusOr<records::LicenceAttachment> PgRightsStore::Attach(
    const records::LicenceAttachment& attachment, const records::RequestKey& request) {
  return RunReadWrite<records::LicenceAttachment>(
      pool_, "Attach", [&](pqxx::transaction_base& tx) {
        return AppendOnce<records::LicenceAttachment>(
            tx, request, "attachment", attachment.artefact,
            [&] {
              const auto row = tx.exec_params1(
                  rights_sql::kInsertAttachment, attachment.artefact.ToString(),
                  attachment.expression, TextArrayLiteral(attachment.licence_ids),
                  attachment.attribution, attachment.attached_by,
                  attachment.attached_at == Timestamp{} ? std::string()
                                                        : Micros(attachment.attached_at));
              records::LicenceAttachment stored = attachment;
              stored.attached_at = *FromMicros(row[0].c_str());
              return std::pair(stored, row[1].as<std::int64_t>());
            },
            [&](std::int64_t seq) {
              const auto row = tx.exec_params1(rights_sql::kAttachmentBySeq, seq);
              return ReadAttachment(row, *Uuid::Parse(row[5].c_str()));
            });
      });
}

absl::StatusOr<std::vector<records::LicenceAttachment>> PgRightsStore::Attachments(
    const Uuid& artefact) {
  return RunReadOnly<std::vector<records::LicenceAttachment>>(
      pool_, "Attachments", [&](pqxx::transaction_base& tx) {
        std::vector<records::LicenceAttachment> out;
        for (const auto& row :
             tx.exec_params(rights_sql::kAttachments, artefact.ToString())) {
          out.push_back(ReadAttachment(row, artefact));
        }
        return out;
      });
}

absl::StatusOr<records::LicenceElection> PgRightsStore::Elect(
    const records::LicenceElection& election, const records::RequestKey& request) {
  return RunReadWrite<records::LicenceElection>(
      pool_, "Elect", [&](pqxx::transaction_base& tx) {
        return AppendOnce<records::LicenceElection>(
            tx, request, "election", election.artefact,
            [&] {
              const auto row = tx.exec_params1(rights_sql::kInsertElection,
                                               election.artefact.ToString(),
                                               election.licence_id, election.elected_by);
              records::LicenceElection stored = election;
              stored.elected_at = *FromMicros(row[0].c_str());
              return std::pair(stored, row[1].as<std::int64_t>());
            },
            [&](std::int64_t seq) {
              const auto row = tx.exec_params1(rights_sql::kElectionBySeq, seq);
              return records::LicenceElection{*Uuid::Parse(row[0].c_str()),
                                              row[1].c_str(), *FromMicros(row[2].c_str()),
                                              row[3].c_str()};
            });
      });
}

absl::StatusOr<records::ConsentRecord> PgRightsStore::RecordConsent(
    const records::ConsentRecord& consent, const records::RequestKey& request) {
  return RunReadWrite<records::ConsentRecord>(
      pool_, "RecordConsent", [&](pqxx::transaction_base& tx) {
        return AppendOnce<records::ConsentRecord>(
            tx, request, "consent", consent.artefact,
            [&] {
              const auto row = tx.exec_params1(
                  rights_sql::kInsertConsent, consent.artefact.ToString(), consent.party,
                  ConsentValueText(consent.values[0]),
                  ConsentValueText(consent.values[1]),
                  ConsentValueText(consent.values[2]),
                  ConsentValueText(consent.values[3]),
                  consent.effective_at == Timestamp{} ? std::string()
                                                      : Micros(consent.effective_at),
                  consent.recorded_by, consent.note);
              records::ConsentRecord stored = consent;
              stored.effective_at = *FromMicros(row[0].c_str());
              stored.recorded_at = *FromMicros(row[1].c_str());
              return std::pair(stored, row[2].as<std::int64_t>());
            },
            [&](std::int64_t seq) {
              const auto row = tx.exec_params1(rights_sql::kConsentBySeq, seq);
              return ReadConsent(row, *Uuid::Parse(row[10].c_str()));
            });
      });
}

absl::StatusOr<std::vector<records::ConsentRecord>> PgRightsStore::ConsentHistory(
    const Uuid& artefact) {
  return RunReadOnly<std::vector<records::ConsentRecord>>(
      pool_, "ConsentHistory", [&](pqxx::transaction_base& tx) {
        std::vector<records::ConsentRecord> out;
        for (const auto& row :
             tx.exec_params(rights_sql::kConsentHistory, artefact.ToString())) {
          out.push_back(ReadConsent(row, artefact));
        }
        return out;
      });
}

absl::StatusOr<records::Clearance> PgRightsStore::AddClearance(
    const records::Clearance& c, const records::RequestKey& request) {
  return RunReadWrite<records::Clearance>(
      pool_, "AddClearance",
      [&](pqxx::transaction_base& tx) -> absl::StatusOr<records::Clearance> {
        // A clearance has a uuid, not a seq: its claim names it as a
        // lineage write's claim names its artefacts.
        if (!request.id.empty()) {
          RMTC_ASSIGN_OR_RETURN(auto first, ClaimRequest(tx, request));
          if (first) {
            return ReadClearance(
                tx.exec_params1(rights_sql::kGetClearance, first->result_ids)[0].c_str());
          }
        }
        tx.exec_params0(
            rights_sql::kInsertClearance, c.id.ToString(), c.party, c.evidence,
            Micros(c.valid_from), Micros(c.valid_until), c.artefact.ToString(),
            c.downstream ? c.downstream->ToString() : std::string(), c.facility,
            c.project, TextArrayLiteral(UseNames(c.uses)), TextArrayLiteral(c.rules),
            c.licence_id, c.rights_holder, c.note, c.created_by);
        if (!request.id.empty()) {
          tx.exec_params0(sql::kFinishRequest, request.id, "{" + c.id.ToString() + "}",
                          "{false}", RequestOwner());
        }
        AuditWrite audit{.request_id = request.id,
                         .artefact_ids = {c.artefact},
                         .refs = {StrCat("clearance:", c.id.ToString())}};
        if (c.downstream) audit.artefact_ids.push_back(*c.downstream);
        AppendAudit(tx, audit);
        return ReadClearance(
            tx.exec_params1(rights_sql::kGetClearance, c.id.ToString())[0].c_str());
      });
}

absl::StatusOr<std::optional<records::Clearance>> PgRightsStore::GetClearance(
    const Uuid& id) {
  return RunReadOnly<std::optional<records::Clearance>>(
      pool_, "GetClearance",
      [&](pqxx::transaction_base& tx) -> std::optional<records::Clearance> {
        const auto rows = tx.exec_params(rights_sql::kGetClearance, id.ToString());
        if (rows.empty()) return std::nullopt;
        return ReadClearance(rows[0][0].c_str());
      });
}

absl::StatusOr<std::vector<records::Clearance>> PgRightsStore::ListClearances(
    const ClearanceQuery& query) {
  return RunReadOnly<std::vector<records::Clearance>>(
      pool_, "ListClearances", [&](pqxx::transaction_base& tx) {
        std::vector<records::Clearance> out;
        for (const auto& row : tx.exec_params(
                 rights_sql::kListClearances, query.after.value_or(Uuid()).ToString(),
                 query.artefact ? query.artefact->ToString() : std::string(), query.party,
                 query.limit)) {
          out.push_back(ReadClearance(row[0].c_str()));
        }
        return out;
      });
}

absl::StatusOr<std::optional<records::Clearance>> PgRightsStore::RevokeClearance(
    const Uuid& id, Timestamp at, const std::string& by) {
  return RunReadWrite<std::optional<records::Clearance>>(
      pool_, "RevokeClearance",
      [&](pqxx::transaction_base& tx) -> std::optional<records::Clearance> {
        const auto appended =
            tx.exec_params(rights_sql::kRevokeClearance, id.ToString(), Micros(at), by);
        const auto rows = tx.exec_params(rights_sql::kGetClearance, id.ToString());
        if (rows.empty()) return std::nullopt;
        auto clearance = ReadClearance(rows[0][0].c_str());
        AuditWrite audit{
            .artefact_ids = {clearance.artefact},
            .refs = {StrCat("clearance_revocation:", appended[0][0].c_str())}};
        if (clearance.downstream) audit.artefact_ids.push_back(*clearance.downstream);
        AppendAudit(tx, audit);
        return clearance;
      });
}

absl::StatusOr<records::RightsGraph> PgRightsStore::Upstream(
    const std::vector<Uuid>& roots, int max_nodes) {
  std::vector<std::string> ids;
  for (const auto& id : roots) ids.push_back(id.ToString());
  return RunReadOnly<records::RightsGraph>(
      pool_, "Upstream", [&](pqxx::transaction_base& tx) {
        records::RightsGraph graph;
        const auto rows = tx.exec_prepared(rights_sql::kRightsGraphStmt,
                                           TextArrayLiteral(ids), max_nodes);
        auto node = [&](const pqxx::field& f) -> records::RightsNode& {
          return graph.nodes[*Uuid::Parse(f.c_str())];
        };
        for (const auto& row : rows) {
          switch (row[0].c_str()[0]) {
            case 'n': {
              auto& n = node(row[1]);
              n.id = *Uuid::Parse(row[1].c_str());
              n.kind = StoredKind(row[2].c_str(), ArtefactRow(row[1].c_str()));
              n.name = row[3].c_str();
              n.generative = std::string_view(row[4].c_str()) == "true";
              n.facility = row[5].c_str();
              n.project = row[6].c_str();
              n.created_at = *FromMicros(row[7].c_str());
              break;
            }
            case 'e':
              graph.edges.push_back(
                  {*Uuid::Parse(row[1].c_str()), *Uuid::Parse(row[2].c_str()),
                   StoredRelation(row[3].c_str(), [&] {
                     return StrCat("edge ", row[1].c_str(), " -> ", row[2].c_str());
                   })});
              break;
            case 'a':
              node(row[1]).attachments.push_back(
                  {*Uuid::Parse(row[1].c_str()), row[2].c_str(), Words(row[3].c_str()),
                   row[4].c_str(), *FromMicros(row[9].c_str()), row[5].c_str()});
              break;
            case 'x':
              node(row[1]).elections.push_back(
                  {*Uuid::Parse(row[1].c_str()), row[2].c_str(),
                   *FromMicros(row[9].c_str()), row[3].c_str()});
              break;
            case 'c': {
              records::ConsentRecord c;
              c.artefact = *Uuid::Parse(row[1].c_str());
              c.party = row[2].c_str();
              ReadConsentValues(row, 3, row[10].c_str(), c);
              c.recorded_by = row[7].c_str();
              c.note = row[8].c_str();
              c.effective_at = *FromMicros(row[9].c_str());
              node(row[1]).consents.push_back(std::move(c));
              break;
            }
            case 'l': {
              records::Licence l;
              l.id = row[1].c_str();
              l.name = row[2].c_str();
              l.terms = StoredTerms(row[3].c_str(), row[1].c_str());
              l.valid_from = FromMicros(row[4].c_str());
              l.valid_until = FromMicros(row[5].c_str());
              l.revoked_at = FromMicros(row[6].c_str());
              l.licensor = row[7].c_str();
              l.licensee = row[8].c_str();
              l.jurisdictions = JsonStrings(row[9].c_str());
              graph.licences[l.id] = std::move(l);
              break;
            }
            case 'k':
              graph.clearances.push_back(ReadClearance(row[2].c_str()));
              break;
            case 't':
              graph.truncated = true;
              break;
          }
        }
        // Records of a node cut off by the limit come without the node.
        std::erase_if(graph.nodes,
                      [](const auto& entry) { return entry.second.id.IsNil(); });
        return graph;
      });
}

absl::StatusOr<ImpactPage> PgRightsStore::Impact(const ImpactQuery& query) {
  const char* sql =
      query.target == ImpactQuery::Target::kLicence ? rights_sql::kImpactOfLicence
      : query.target == ImpactQuery::Target::kParty ? rights_sql::kImpactOfParty
                                                    : rights_sql::kImpactOfArtefact;
  const std::string target =
      query.target == ImpactQuery::Target::kLicence ? query.licence_id
      : query.target == ImpactQuery::Target::kParty ? query.party
                                                    : query.artefact.ToString();
  const std::string after = query.after.value_or(Uuid()).ToString();
  return RunReadOnly<ImpactPage>(pool_, "Impact", [&](pqxx::transaction_base& tx) {
    ImpactPage page;
    for (const auto& row :
         tx.exec_params(sql, target, query.through_evaluation, after, query.limit)) {
      if (row[0].c_str()[0] == 'k') {
        const auto kind = StoredKind(row[1].c_str(), ArtefactRow(row[3].c_str()));
        page.counts[kind] = std::stoll(row[2].c_str());
        continue;
      }
      ImpactNode node;
      node.artefact.id = *Uuid::Parse(row[1].c_str());
      node.artefact.kind = StoredKind(row[2].c_str(), ArtefactRow(row[1].c_str()));
      node.artefact.name = row[3].c_str();
      node.artefact.version = row[4].c_str();
      node.artefact.uri = row[5].c_str();
      node.direct = std::string_view(row[6].c_str()) == "true";
      node.artefact.created_at = *FromMicros(row[7].c_str());
      node.artefact.facility = row[8].c_str();
      node.artefact.attributes.clear();
      page.nodes.push_back(std::move(node));
    }
    return page;
  });
}

}  // namespace rmtc::store
