#include "lineage/licensing.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <unordered_set>

#include "common/status_macros.h"
#include "common/strings.h"
#include "lineage/provenance_graph.h"
#include "lineage/spdx.h"
#include "lineage/validation.h"
#include "vocabulary/names.h"
#include "vocabulary/time_text.h"

namespace rmtc::lineage {

using records::Timestamp;
using records::Uuid;

namespace {

constexpr std::size_t kMaxLicenceIdBytes = 128;
constexpr std::size_t kMaxPartyBytes = 256;
constexpr std::size_t kMaxTermItems = 100;
constexpr std::size_t kMaxTermTextBytes = 1024;

absl::Status Invalid(std::string_view path, std::string_view what) {
  return absl::InvalidArgumentError(StrCat(path, ": ", what));
}

Timestamp Now() {
  return std::chrono::time_point_cast<std::chrono::microseconds>(
      std::chrono::system_clock::now());
}

// Now, but never before anything in `graph` was recorded: the database's
// clock stamps created_at, and one a little ahead of this process's must not
// make what was just recorded "not yet recorded".
Timestamp NowFor(const records::RightsGraph& graph) {
  Timestamp now = Now();
  for (const auto& [id, node] : graph.nodes) now = std::max(now, node.created_at);
  return now;
}

// SPDX idstring: letters, digits, '.', '-' (and '+' in old ids).
absl::Status CheckLicenceId(std::string_view path, std::string_view id) {
  RMTC_RETURN_IF_ERROR(
      CheckText(path, id, {.max_bytes = kMaxLicenceIdBytes, .required = true}));
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' &&
        c != '+') {
      return Invalid(path, StrCat("'", id,
                                  "' is not a licence id: use an SPDX id or LicenseRef- "
                                  "followed by letters, digits, '.' and '-'"));
    }
  }
  return absl::OkStatus();
}

// Names the write and checks its request id (empty: none).
absl::Status PrepareRequest(std::string_view method, records::RequestKey& request) {
  request.method = std::string(method);
  return CheckText("request_id", request.id, {.max_bytes = kMaxRequestIdBytes});
}

absl::Status CheckTerms(const records::LicenceTerms& terms) {
  for (const auto& [field, items] :
       {std::pair<const char*, const std::vector<std::string>*>{
            "licence.terms.use_restrictions", &terms.use_restrictions},
        {"licence.terms.purpose_limit", &terms.purpose_limit}}) {
    if (items->size() > kMaxTermItems) {
      return Invalid(
          field, StrCat("has ", items->size(), " items; the limit is ", kMaxTermItems));
    }
    for (std::size_t i = 0; i < items->size(); ++i) {
      RMTC_RETURN_IF_ERROR(CheckText(StrCat(field, "[", i, "]"), (*items)[i],
                                     {.max_bytes = kMaxTermTextBytes, .required = true}));
    }
  }
  for (const auto& [field, text] :
       {std::pair<const char*, const std::string*>{"licence.terms.attribution_how",
                                                   &terms.attribution_how},
        {"licence.terms.share_alike", &terms.share_alike},
        {"licence.terms.naming_prefix", &terms.naming_prefix}}) {
    RMTC_RETURN_IF_ERROR(CheckText(field, *text, {.max_bytes = kMaxTermTextBytes}));
  }
  return absl::OkStatus();
}

// Impact tokens (PageTokenSeal's format): kind "i1", the last id, and the
// fingerprint of the target.
std::string ImpactFingerprint(const ImpactRequest& request) {
  return PageTokenSeal::Fingerprint(
      StrCat(static_cast<int>(request.target), "|", request.key));
}

// How many known names a failed lookup compares against, and suggests.
constexpr int kMaxSuggestionCandidates = 5'000;
constexpr std::size_t kMaxSuggestions = 3;

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Levenshtein distance between `a` and `b` if it is at most `limit`, else
// limit + 1 (the rows stop as soon as no cell is within the limit).
std::size_t EditDistance(std::string_view a, std::string_view b, std::size_t limit) {
  const std::size_t gap = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  if (gap > limit) return limit + 1;
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    std::size_t best = row[0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min(
          {above + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
      best = std::min(best, row[j]);
    }
    if (best > limit) return limit + 1;
  }
  return std::min(row[b.size()], limit + 1);
}

// The known names closest to `wanted`, best first, at most three: the same
// name in another case (then only it), else names that contain it or that
// it contains (any case), then names a few edits away.
std::vector<std::string> ClosestNames(std::string_view wanted,
                                      const std::vector<std::string>& known) {
  const std::string want = Lower(wanted);
  const std::size_t limit =
      std::max<std::size_t>(1, std::min<std::size_t>(want.size(), 30) / 4);
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const auto& name : known) {
    const std::string have = Lower(name);
    std::size_t score = 0;
    if (have == want) {
      score = 0;
    } else if (want.size() >= 3 &&
               (have.find(want) != std::string::npos ||
                (have.size() >= 3 && want.find(have) != std::string::npos))) {
      score = 1;
    } else if (const std::size_t d = EditDistance(want, have, limit); d <= limit) {
      score = 1 + d;
    } else {
      continue;
    }
    scored.emplace_back(score, name);
  }
  std::sort(scored.begin(), scored.end());
  // The same name in another case is the answer: nothing else is shown.
  const bool same_but_case = !scored.empty() && scored[0].first == 0;
  std::vector<std::string> out;
  for (const auto& [score, name] : scored) {
    if (out.size() == kMaxSuggestions || (same_but_case && score > 0)) break;
    out.push_back(name);
  }
  return out;
}

// "; did you mean 'A'?", "; did you mean 'A', 'B' or 'C'?", or "".
std::string DidYouMean(const std::vector<std::string>& names) {
  if (names.empty()) return "";
  std::string text = "; did you mean ";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) text += i + 1 == names.size() ? " or " : ", ";
    text += StrCat("'", names[i], "'");
  }
  return text + "?";
}

// Every artefact an answer names (on a path or a source tree), once each,
// so that clients can print names without asking again.
class NodesNamed {
 public:
  explicit NodesNamed(const records::RightsGraph& graph) : graph_(graph) {}
  void Add(const std::vector<Uuid>& ids) {
    for (const Uuid& id : ids) {
      if (!seen_.insert(id).second) continue;
      const auto it = graph_.nodes.find(id);
      if (it != graph_.nodes.end())
        nodes_.push_back({id, it->second.kind, it->second.name});
    }
  }
  template <typename WithSources>  // a Reason or a ChainTerm
  void Add(const std::vector<WithSources>& items) {
    for (const auto& item : items) {
      Add(item.path);
      Add(item.sources.steps);
    }
  }
  std::vector<PathNode> Take() { return std::move(nodes_); }

 private:
  const records::RightsGraph& graph_;
  std::unordered_set<Uuid> seen_;
  std::vector<PathNode> nodes_;
};

std::vector<PathNode> NodesOfCheck(const records::RightsGraph& graph,
                                   const UseCheck& check) {
  NodesNamed named(graph);
  named.Add(check.reasons);
  named.Add(check.obligations);
  named.Add(check.cleared);
  return named.Take();
}

}  // namespace

absl::Status Licensing::NoLicence(std::string_view path, const std::string& id) {
  auto ids = rights_.LicenceIds(kMaxSuggestionCandidates);
  const std::string hint = ids.ok() ? DidYouMean(ClosestNames(id, *ids)) : "";
  return absl::NotFoundError(StrCat(path, ": no licence ", id, hint));
}

absl::Status Licensing::NoParty(const std::string& party) {
  auto parties = rights_.Parties(kMaxSuggestionCandidates);
  const std::string hint = parties.ok() ? DidYouMean(ClosestNames(party, *parties)) : "";
  return absl::NotFoundError(
      StrCat("party: no party '", party, "' (no consent record names it)", hint));
}

absl::StatusOr<std::optional<std::string>> Licensing::FacilityOf(const std::string& id) {
  const auto uuid = Uuid::Parse(id);
  if (!uuid) return std::nullopt;
  RMTC_ASSIGN_OR_RETURN(auto artefact, lineage_.Get(*uuid));
  if (!artefact) return std::nullopt;
  return artefact->facility;
}

absl::StatusOr<Uuid> Licensing::ExistingArtefact(std::string_view path,
                                                 const std::string& id) {
  RMTC_ASSIGN_OR_RETURN(Uuid uuid, ParseId(path, id));
  RMTC_ASSIGN_OR_RETURN(auto kinds, lineage_.KindsOf({uuid}));
  if (kinds.empty()) return absl::NotFoundError(StrCat(path, ": no artefact ", id));
  return uuid;
}

absl::StatusOr<records::RightsGraph> Licensing::UpstreamOf(
    const std::vector<Uuid>& roots) {
  return rights_.Upstream(roots, kMaxEvaluationNodes);
}

absl::StatusOr<records::Licence> Licensing::AddLicence(records::Licence licence,
                                                       const std::string& created_by) {
  RMTC_RETURN_IF_ERROR(CheckLicenceId("licence.id", licence.id));
  RMTC_RETURN_IF_ERROR(CheckText("licence.name", licence.name,
                                 {.max_bytes = kMaxNameBytes, .required = true}));
  RMTC_RETURN_IF_ERROR(
      CheckText("licence.url", licence.url, {.max_bytes = kMaxUriBytes}));
  RMTC_ASSIGN_OR_RETURN(licence.text_sha256,
                        NormaliseSha256("licence.text_sha256", licence.text_sha256));
  RMTC_RETURN_IF_ERROR(
      CheckText("licence.licensor", licence.licensor, {.max_bytes = 512}));
  RMTC_RETURN_IF_ERROR(
      CheckText("licence.licensee", licence.licensee, {.max_bytes = 512}));
  RMTC_RETURN_IF_ERROR(CheckText("licence.notes", licence.notes, {.max_bytes = 4096}));
  for (std::size_t i = 0; i < licence.jurisdictions.size(); ++i) {
    const std::string path = StrCat("licence.jurisdictions[", i, "]");
    RMTC_RETURN_IF_ERROR(
        CheckText(path, licence.jurisdictions[i], {.max_bytes = 64, .required = true}));
    RMTC_RETURN_IF_ERROR(CheckCountryCode(path, licence.jurisdictions[i]));
  }
  if (licence.valid_from && licence.valid_until &&
      *licence.valid_until <= *licence.valid_from) {
    return Invalid("licence.valid_until", "must be later than valid_from");
  }
  RMTC_RETURN_IF_ERROR(CheckTerms(licence.terms));
  RMTC_RETURN_IF_ERROR(
      CheckText("created_by", created_by, {.max_bytes = kMaxCreatedByBytes}));
  licence.revoked_at.reset();  // revocation is its own call
  return rights_.AddLicence(licence, created_by);
}

absl::StatusOr<records::Licence> Licensing::GetLicence(const std::string& id) {
  RMTC_RETURN_IF_ERROR(CheckLicenceId("id", id));
  RMTC_ASSIGN_OR_RETURN(auto licence, rights_.GetLicence(id));
  if (!licence) return NoLicence("id", id);
  return *licence;
}

absl::StatusOr<std::pair<std::vector<records::Licence>, std::string>>
Licensing::ListLicences(int page_size, const std::string& page_token) {
  if (page_size < 0 || page_size > kMaxListPageSize) {
    return Invalid("page_size",
                   StrCat(page_size, " is out of range (1..", kMaxListPageSize,
                          ", or 0 for ", kDefaultListPageSize, ")"));
  }
  const int size = page_size == 0 ? kDefaultListPageSize : page_size;
  std::string after;
  if (!page_token.empty()) {
    // Licence-list tokens: kind "c1" and the last licence id (ids hold
    // letters, digits, '.' and '-', never '~'); the listing has no filters.
    const auto fields = seal_.Decode(page_token, "c1", 1, "");
    if (!fields) return Invalid("page_token", "is not a token from this licence list");
    after = (*fields)[0];
  }
  RMTC_ASSIGN_OR_RETURN(auto licences, rights_.ListLicences(after, size + 1));
  std::string next;
  const std::size_t kept =
      ItemsWithin(licences, size, page_bytes_,
                  [](const records::Licence& l) { return WireBytes(l); });
  if (kept < licences.size()) {
    licences.resize(kept);
    next = seal_.Encode("c1", {licences.back().id}, "");
  }
  return std::pair(std::move(licences), next);
}

absl::StatusOr<records::Licence> Licensing::RevokeLicence(const std::string& id,
                                                          std::optional<Timestamp> at,
                                                          records::RequestKey request) {
  RMTC_RETURN_IF_ERROR(PrepareRequest("RevokeLicence", request));
  RMTC_RETURN_IF_ERROR(CheckLicenceId("id", id));
  RMTC_ASSIGN_OR_RETURN(auto licence,
                        rights_.RevokeLicence(id, at.value_or(Now()), request));
  if (!licence) return NoLicence("id", id);
  return *licence;
}

absl::StatusOr<records::LicenceAttachment> Licensing::AttachLicence(
    const std::string& artefact_id, const std::string& expression,
    const std::string& attribution, const std::string& by, std::optional<Timestamp> from,
    records::RequestKey request) {
  RMTC_RETURN_IF_ERROR(PrepareRequest("AttachLicence", request));
  RMTC_ASSIGN_OR_RETURN(Uuid artefact, ExistingArtefact("artefact_id", artefact_id));
  RMTC_RETURN_IF_ERROR(CheckText("attribution", attribution, {.max_bytes = 512}));
  RMTC_RETURN_IF_ERROR(CheckText("created_by", by, {.max_bytes = kMaxCreatedByBytes}));
  if (!IsValidUtf8(expression)) return Invalid("expression", "is not valid UTF-8");
  // Syntax first (every id allowed), then the registry for the ids named,
  // then again to point at the first unknown one.
  RMTC_ASSIGN_OR_RETURN(
      auto shape,
      ParseLicenceExpression(expression, [](std::string_view) { return true; }));
  RMTC_ASSIGN_OR_RETURN(auto known, rights_.ExistingLicences(shape.licence_ids));
  auto parsed = ParseLicenceExpression(
      expression, [&](std::string_view id) { return known.count(std::string(id)) > 0; });
  if (!parsed.ok()) {
    // The first unknown id is the one the message names: suggest for it.
    for (const auto& id : shape.licence_ids) {
      if (known.count(id)) continue;
      auto ids = rights_.LicenceIds(kMaxSuggestionCandidates);
      if (!ids.ok()) break;
      return absl::Status(
          parsed.status().code(),
          StrCat(parsed.status().message(), DidYouMean(ClosestNames(id, *ids))));
    }
    return parsed.status();
  }
  return rights_.Attach({artefact, expression, parsed->licence_ids, attribution,
                         from.value_or(Timestamp{}), by},
                        request);
}

absl::StatusOr<records::LicenceElection> Licensing::ElectLicence(
    const std::string& artefact_id, const std::string& licence_id, const std::string& by,
    records::RequestKey request) {
  RMTC_RETURN_IF_ERROR(PrepareRequest("ElectLicence", request));
  RMTC_ASSIGN_OR_RETURN(Uuid artefact, ExistingArtefact("artefact_id", artefact_id));
  RMTC_RETURN_IF_ERROR(CheckLicenceId("licence_id", licence_id));
  RMTC_RETURN_IF_ERROR(CheckText("created_by", by, {.max_bytes = kMaxCreatedByBytes}));
  if (auto refused = CheckElection(artefact, artefact_id, licence_id); !refused.ok()) {
    // The licence in force may have changed since a first call that was
    // answered; its repeat still gets that answer (or ALREADY_EXISTS).
    bool seen = false;
    if (!request.id.empty() && absl::IsFailedPrecondition(refused)) {
      RMTC_ASSIGN_OR_RETURN(seen, lineage_.RequestSeen(request.id));
    }
    if (!seen) return refused;
  }
  return rights_.Elect({artefact, licence_id, {}, by}, request);
}

absl::Status Licensing::CheckElection(const Uuid& artefact,
                                      const std::string& artefact_id,
                                      const std::string& licence_id) {
  RMTC_ASSIGN_OR_RETURN(auto attachments, rights_.Attachments(artefact));
  // The attachment in force now (they come oldest first): an election made
  // now never applies to one that starts later (terms_in_force.cpp).
  const Timestamp now = Now();
  const auto in_force = std::find_if(attachments.rbegin(), attachments.rend(),
                                     [&](const auto& a) { return a.attached_at <= now; });
  if (in_force == attachments.rend()) {
    return absl::FailedPreconditionError(
        StrCat("artefact_id: ", artefact_id, " has no licence to elect from"));
  }
  const auto& current = *in_force;
  RMTC_ASSIGN_OR_RETURN(
      auto parsed, ParseLicenceExpression(current.expression, [](auto) { return true; }));
  if (!parsed.HasChoice()) {
    return absl::FailedPreconditionError(StrCat("artefact_id: its licence ",
                                                current.expression,
                                                " offers no choice to elect from"));
  }
  const auto& ids = parsed.licence_ids;
  if (std::find(ids.begin(), ids.end(), licence_id) == ids.end()) {
    return absl::FailedPreconditionError(StrCat("licence_id: ", licence_id,
                                                " is not one of the alternatives of ",
                                                current.expression));
  }
  if (std::all_of(
          parsed.alternatives.begin(), parsed.alternatives.end(),
          [&](const auto& alternative) { return alternative.count(licence_id) > 0; })) {
    return absl::FailedPreconditionError(StrCat(
        "licence_id: ", licence_id, " is in every alternative of ", current.expression,
        ", so electing it decides nothing; elect a licence that tells them apart"));
  }
  return absl::OkStatus();
}

absl::StatusOr<records::ConsentRecord> Licensing::SetConsent(
    const std::string& artefact_id, records::ConsentRecord record,
    records::RequestKey request) {
  RMTC_RETURN_IF_ERROR(PrepareRequest("SetConsent", request));
  RMTC_ASSIGN_OR_RETURN(record.artefact, ExistingArtefact("artefact_id", artefact_id));
  RMTC_RETURN_IF_ERROR(
      CheckText("party", record.party, {.max_bytes = kMaxPartyBytes, .required = true}));
  RMTC_RETURN_IF_ERROR(CheckText("note", record.note, {.max_bytes = 4096}));
  RMTC_RETURN_IF_ERROR(
      CheckText("created_by", record.recorded_by, {.max_bytes = kMaxCreatedByBytes}));
  if (std::none_of(std::begin(record.values), std::end(record.values),
                   [](const auto& v) { return v.has_value(); })) {
    return Invalid("consent",
                   "give at least one of ai_training, ai_generative_training, "
                   "data_mining, ai_inference");
  }
  return rights_.RecordConsent(record, request);
}

absl::StatusOr<std::vector<records::ConsentRecord>> Licensing::ConsentHistory(
    const std::string& artefact_id) {
  RMTC_ASSIGN_OR_RETURN(Uuid artefact, ExistingArtefact("artefact_id", artefact_id));
  return rights_.ConsentHistory(artefact);
}

absl::StatusOr<std::vector<records::LicenceAttachment>> Licensing::Attachments(
    const std::string& artefact_id) {
  RMTC_ASSIGN_OR_RETURN(Uuid artefact, ExistingArtefact("artefact_id", artefact_id));
  return rights_.Attachments(artefact);
}

absl::Status Licensing::CheckClearance(const records::Clearance& c) {
  RMTC_RETURN_IF_ERROR(CheckText("clearance.party", c.party,
                                 {.max_bytes = kMaxPartyBytes, .required = true}));
  RMTC_RETURN_IF_ERROR(CheckText("clearance.evidence", c.evidence,
                                 {.max_bytes = kMaxUriBytes, .required = true}));
  RMTC_RETURN_IF_ERROR(
      CheckText("clearance.facility", c.facility, {.max_bytes = kMaxFacilityBytes}));
  RMTC_RETURN_IF_ERROR(
      CheckText("clearance.project", c.project, {.max_bytes = kMaxNameBytes}));
  RMTC_RETURN_IF_ERROR(CheckText("clearance.rights_holder", c.rights_holder,
                                 {.max_bytes = kMaxPartyBytes}));
  RMTC_RETURN_IF_ERROR(CheckText("clearance.note", c.note, {.max_bytes = 4096}));
  for (std::size_t i = 0; i < c.uses.size(); ++i) {
    if (std::find(c.uses.begin(), c.uses.begin() + i, c.uses[i]) != c.uses.begin() + i) {
      return Invalid(
          StrCat("clearance.uses[", i, "]"),
          StrCat("'", records::IntendedUseName(c.uses[i]), "' is given twice"));
    }
  }
  if (c.rules.empty()) {
    return Invalid("clearance.rules",
                   StrCat("give at least one rule it lifts (",
                          StrJoin(vocabulary::kClearableRuleNames, ", ",
                                  [](std::string_view r) { return std::string(r); }),
                          ")"));
  }
  for (std::size_t i = 0; i < c.rules.size(); ++i) {
    const std::string path = StrCat("clearance.rules[", i, "]");
    RMTC_RETURN_IF_ERROR(
        CheckText(path, c.rules[i], {.max_bytes = 64, .required = true}));
    const auto& known = vocabulary::kClearableRuleNames;
    if (std::find(known.begin(), known.end(), c.rules[i]) == known.end()) {
      return Invalid(
          path,
          StrCat("'", c.rules[i], "' is not a rule a clearance lifts (",
                 StrJoin(known, ", ", [](std::string_view r) { return std::string(r); }),
                 ")"));
    }
    if (std::find(c.rules.begin(), c.rules.begin() + i, c.rules[i]) !=
        c.rules.begin() + i) {
      return Invalid(path, StrCat("'", c.rules[i], "' is given twice"));
    }
  }
  if (c.valid_from && c.valid_until && *c.valid_until <= *c.valid_from) {
    return Invalid("clearance.valid_until", "must be later than valid_from");
  }
  return absl::OkStatus();
}

absl::StatusOr<records::Clearance> Licensing::AddClearance(records::Clearance c,
                                                           const std::string& created_by,
                                                           records::RequestKey request) {
  RMTC_RETURN_IF_ERROR(PrepareRequest("AddClearance", request));
  RMTC_RETURN_IF_ERROR(CheckClearance(c));
  RMTC_RETURN_IF_ERROR(
      CheckText("created_by", created_by, {.max_bytes = kMaxCreatedByBytes}));
  if (!c.licence_id.empty()) {
    RMTC_RETURN_IF_ERROR(CheckLicenceId("clearance.licence_id", c.licence_id));
    RMTC_ASSIGN_OR_RETURN(auto known, rights_.ExistingLicences({c.licence_id}));
    if (!known.count(c.licence_id))
      return NoLicence("clearance.licence_id", c.licence_id);
  }
  // The artefacts last: the only checks that read the lineage.
  if (c.artefact.IsNil()) return Invalid("clearance.artefact_id", "is required");
  RMTC_RETURN_IF_ERROR(
      ExistingArtefact("clearance.artefact_id", c.artefact.ToString()).status());
  if (c.downstream) {
    RMTC_RETURN_IF_ERROR(
        ExistingArtefact("clearance.downstream_id", c.downstream->ToString()).status());
    RMTC_ASSIGN_OR_RETURN(auto upstream, UpstreamOf({*c.downstream}));
    if (!upstream.nodes.count(c.artefact)) {
      return absl::FailedPreconditionError(StrCat(
          "clearance.downstream_id: ", c.downstream->ToString(),
          " is not built from clearance.artefact_id ", c.artefact.ToString(),
          ", so the clearance would lift nothing; give an artefact downstream of it"));
    }
  }
  c.id = Uuid::NewV7();
  c.created_by = created_by;
  c.revoked_at.reset();  // revocation is its own call
  return rights_.AddClearance(c, request);
}

absl::StatusOr<records::Clearance> Licensing::GetClearance(const std::string& id) {
  RMTC_ASSIGN_OR_RETURN(Uuid uuid, ParseId("id", id));
  RMTC_ASSIGN_OR_RETURN(auto clearance, rights_.GetClearance(uuid));
  if (!clearance) return absl::NotFoundError(StrCat("id: no clearance ", id));
  return *clearance;
}

absl::StatusOr<std::pair<std::vector<records::Clearance>, std::string>>
Licensing::ListClearances(const std::string& artefact_id, const std::string& party,
                          int page_size, const std::string& page_token) {
  store::ClearanceQuery query{.party = party};
  if (!artefact_id.empty()) {
    RMTC_ASSIGN_OR_RETURN(query.artefact, ExistingArtefact("artefact_id", artefact_id));
  }
  RMTC_RETURN_IF_ERROR(CheckText("party", party, {.max_bytes = kMaxPartyBytes}));
  if (page_size < 0 || page_size > kMaxListPageSize) {
    return Invalid("page_size",
                   StrCat(page_size, " is out of range (1..", kMaxListPageSize,
                          ", or 0 for ", kDefaultListPageSize, ")"));
  }
  const int size = page_size == 0 ? kDefaultListPageSize : page_size;
  // Clearance-list tokens: kind "k1", the last id, and the filters' print.
  const std::string fingerprint =
      PageTokenSeal::Fingerprint(StrCat(artefact_id, "|", party));
  if (!page_token.empty()) {
    const auto fields = seal_.Decode(page_token, "k1", 1, fingerprint);
    const auto after = fields ? Uuid::Parse((*fields)[0]) : std::nullopt;
    if (!after) return Invalid("page_token", "is not a token from this clearance list");
    query.after = after;
  }
  query.limit = size + 1;
  RMTC_ASSIGN_OR_RETURN(auto clearances, rights_.ListClearances(query));
  std::string next;
  const std::size_t kept =
      ItemsWithin(clearances, size, page_bytes_,
                  [](const records::Clearance& c) { return WireBytes(c); });
  if (kept < clearances.size()) {
    clearances.resize(kept);
    next = seal_.Encode("k1", {clearances.back().id.ToString()}, fingerprint);
  }
  return std::pair(std::move(clearances), next);
}

absl::StatusOr<records::Clearance> Licensing::RevokeClearance(const std::string& id,
                                                              std::optional<Timestamp> at,
                                                              const std::string& by) {
  RMTC_ASSIGN_OR_RETURN(Uuid uuid, ParseId("id", id));
  RMTC_RETURN_IF_ERROR(CheckText("created_by", by, {.max_bytes = kMaxCreatedByBytes}));
  RMTC_ASSIGN_OR_RETURN(auto clearance,
                        rights_.RevokeClearance(uuid, at.value_or(Now()), by));
  if (!clearance) return absl::NotFoundError(StrCat("id: no clearance ", id));
  return *clearance;
}

absl::StatusOr<std::pair<Uuid, records::RightsGraph>> Licensing::RootedAt(
    const std::string& artefact_id, std::optional<Timestamp> asked, Timestamp& as_of) {
  RMTC_ASSIGN_OR_RETURN(Uuid root, ParseId("artefact_id", artefact_id));
  RMTC_ASSIGN_OR_RETURN(auto graph, UpstreamOf({root}));
  const auto it = graph.nodes.find(root);
  if (it == graph.nodes.end()) {
    return absl::NotFoundError(StrCat("artefact_id: no artefact ", artefact_id));
  }
  as_of = asked ? *asked : NowFor(graph);
  // An answer about a moment before the artefact existed would judge records
  // nobody could have consulted then.
  if (it->second.created_at > as_of) {
    return absl::NotFoundError(StrCat(
        "artefact_id: ", artefact_id, " was not recorded yet as of ",
        vocabulary::FormatRfc3339(as_of.time_since_epoch().count()), " (recorded ",
        vocabulary::FormatRfc3339(it->second.created_at.time_since_epoch().count()),
        ")"));
  }
  return std::pair(root, std::move(graph));
}

records::EvaluationSettings Licensing::SettingsFor(Timestamp as_of,
                                                   records::Policy policy) const {
  records::EvaluationSettings settings = defaults_;
  settings.as_of = as_of;
  settings.policy = policy;
  return settings;
}

absl::StatusOr<ChainAnswer> Licensing::Chain(const std::string& artefact_id,
                                             std::optional<Timestamp> as_of) {
  ChainAnswer answer;
  RMTC_ASSIGN_OR_RETURN(auto rooted, RootedAt(artefact_id, as_of, answer.as_of));
  auto& [root, graph] = rooted;
  answer.chain =
      LicensingEvaluator(graph, SettingsFor(answer.as_of, default_policy_)).Chain(root);
  NodesNamed named(graph);
  named.Add(answer.chain.terms);
  answer.nodes = named.Take();
  return answer;
}

absl::StatusOr<CheckAnswer> Licensing::Check(const std::string& artefact_id,
                                             records::IntendedUse use,
                                             std::optional<Timestamp> as_of,
                                             std::optional<records::Policy> policy,
                                             const std::string& jurisdiction) {
  if (!jurisdiction.empty()) {
    RMTC_RETURN_IF_ERROR(CheckCountryCode("jurisdiction", jurisdiction));
  }
  CheckAnswer answer{.policy = policy.value_or(default_policy_),
                     .use = use,
                     .jurisdiction = jurisdiction};
  RMTC_ASSIGN_OR_RETURN(auto rooted, RootedAt(artefact_id, as_of, answer.as_of));
  auto& [root, graph] = rooted;
  records::EvaluationSettings settings = SettingsFor(answer.as_of, answer.policy);
  settings.jurisdiction = jurisdiction;
  answer.check = LicensingEvaluator(graph, std::move(settings)).Check(root, use);
  answer.nodes = NodesOfCheck(graph, answer.check);
  return answer;
}

absl::StatusOr<CheckAnswer> Licensing::CheckPlanned(const PlannedNode& planned,
                                                    const Guardrail& guardrail) {
  std::vector<Uuid> sources;
  for (const auto& [relation, id] : planned.sources) sources.push_back(id);
  RMTC_ASSIGN_OR_RETURN(auto graph, UpstreamOf(sources));
  // The node that would be written, joined to its sources in memory.
  const Uuid id = Uuid::NewV7();
  const Timestamp now = NowFor(graph);
  graph.nodes[id] = {.id = id,
                     .kind = planned.kind,
                     .name = planned.name,
                     .generative = planned.generative,
                     .facility = planned.facility,
                     .project = planned.project,
                     .created_at = now};
  for (const auto& [relation, source] : planned.sources) {
    graph.edges.push_back({id, source, relation});
  }
  CheckAnswer answer{.as_of = now,
                     .policy = guardrail.policy.value_or(default_policy_),
                     .use = guardrail.use};
  answer.check = LicensingEvaluator(graph, SettingsFor(answer.as_of, answer.policy))
                     .Check(id, guardrail.use);
  answer.nodes = NodesOfCheck(graph, answer.check);
  return answer;
}

absl::StatusOr<ImpactAnswer> Licensing::Impact(const ImpactRequest& request) {
  store::ImpactQuery query{.target = request.target};
  switch (request.target) {
    case store::ImpactQuery::Target::kArtefact: {
      RMTC_ASSIGN_OR_RETURN(query.artefact, ExistingArtefact("artefact_id", request.key));
      break;
    }
    case store::ImpactQuery::Target::kLicence: {
      RMTC_RETURN_IF_ERROR(CheckLicenceId("licence_id", request.key));
      RMTC_ASSIGN_OR_RETURN(auto licence, rights_.GetLicence(request.key));
      if (!licence) return NoLicence("licence_id", request.key);
      query.licence_id = request.key;
      query.through_evaluation = false;
      break;
    }
    case store::ImpactQuery::Target::kParty:
      RMTC_RETURN_IF_ERROR(CheckText("party", request.key,
                                     {.max_bytes = kMaxPartyBytes, .required = true}));
      query.party = request.key;
      break;
  }
  if (request.page_size < 0 || request.page_size > kMaxImpactPage) {
    return Invalid("page_size",
                   StrCat(request.page_size, " is out of range (1..", kMaxImpactPage,
                          ", or 0 for ", kDefaultImpactPage, ")"));
  }
  const int size = request.page_size == 0 ? kDefaultImpactPage : request.page_size;
  const std::string fingerprint = ImpactFingerprint(request);
  if (!request.page_token.empty()) {
    const auto fields = seal_.Decode(request.page_token, "i1", 1, fingerprint);
    const auto after = fields ? Uuid::Parse((*fields)[0]) : std::nullopt;
    if (!after) return Invalid("page_token", "is not a token from this impact list");
    query.after = after;
  }
  query.limit = size + 1;
  RMTC_ASSIGN_OR_RETURN(auto page, rights_.Impact(query));
  ImpactAnswer answer;
  for (const auto& [kind, count] : page.counts) answer.total += count;
  // A party that spoke about anything has at least that artefact in its
  // impact: none means no consent names it (a typo, another spelling), and
  // an empty answer would read as "nothing is affected".
  if (request.target == store::ImpactQuery::Target::kParty && answer.total == 0) {
    return NoParty(request.key);
  }
  // A node: its artefact's summary and `direct`.
  const std::size_t kept = ItemsWithin(
      page.nodes, size, page_bytes_,
      [](const store::ImpactNode& node) { return SummaryWireBytes(node.artefact) + 4; });
  if (kept < page.nodes.size()) {
    page.nodes.resize(kept);
    answer.next_page_token =
        seal_.Encode("i1", {page.nodes.back().artefact.id.ToString()}, fingerprint);
  }
  answer.page = std::move(page);
  return answer;
}

}  // namespace rmtc::lineage
