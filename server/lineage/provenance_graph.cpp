#include "lineage/provenance_graph.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "common/status_macros.h"
#include "common/strings.h"
#include "lineage/rules.h"
#include "lineage/validation.h"

namespace rmtc::lineage {

using records::Kind;
using records::Relation;
using records::Uuid;

namespace {

// A source edge of a draft, with the path that names it in errors.
struct DraftSource {
  std::string path;     // the edge: "artefacts[2].sources[0]", "trained_on[1]"
  std::string id_path;  // its id: "artefacts[2].sources[0].id", "trained_on[1]"
  std::optional<Relation> relation;
  std::string id;
  std::optional<std::int64_t> batch_index;
};

// One item of a write before it is checked: the client's fields, the kinds
// the calling RPC accepts for it, and all its source edges.
struct Draft {
  std::string label;
  const records::NewArtefact* spec = nullptr;
  std::vector<Kind> allowed_kinds;   // empty: any kind
  std::optional<Kind> implied_kind;  // used when the client gave none
  std::vector<DraftSource> sources;
};

absl::Status Invalid(std::string_view path, std::string_view what) {
  return absl::InvalidArgumentError(StrCat(path, ": ", what));
}

std::string KindList(const std::vector<Kind>& kinds) {
  return StrJoin(kinds, " or ", [](Kind k) { return records::KindName(k); });
}

std::string Article(Kind kind) {
  const std::string_view name = records::KindName(kind);
  if (kind == Kind::kWeights) return std::string(name);
  const bool vowel = name[0] == 'a' || name[0] == 'i';
  return StrCat(vowel ? "an " : "a ", name);
}

absl::Status CheckContext(const WriteContext& context) {
  RMTC_RETURN_IF_ERROR(
      CheckText("request_id", context.request_id, {.max_bytes = kMaxRequestIdBytes}));
  return CheckText("created_by", context.created_by, {.max_bytes = kMaxCreatedByBytes});
}

absl::StatusOr<Kind> ResolveKind(const Draft& draft) {
  const auto& given = draft.spec->kind;
  if (!given) {
    if (draft.implied_kind) return *draft.implied_kind;
    return Invalid(StrCat(draft.label, ".kind"),
                   "is required (dataset, model, weights, run, inference or "
                   "asset)");
  }
  const auto& allowed = draft.allowed_kinds;
  if (!allowed.empty() &&
      std::find(allowed.begin(), allowed.end(), *given) == allowed.end()) {
    return Invalid(
        StrCat(draft.label, ".kind"),
        StrCat("must be ", KindList(allowed), ", not ", records::KindName(*given)));
  }
  return *given;
}

// Checks one item's own fields and fills `out` (everything but sources).
absl::Status PlanFields(const Draft& draft, records::PlannedArtefact& out) {
  const auto& spec = *draft.spec;
  const auto path = [&](std::string_view field) {
    return StrCat(draft.label, ".", field);
  };
  RMTC_ASSIGN_OR_RETURN(out.kind, ResolveKind(draft));
  RMTC_RETURN_IF_ERROR(
      CheckText(path("name"), spec.name, {.max_bytes = kMaxNameBytes, .required = true}));
  RMTC_RETURN_IF_ERROR(
      CheckText(path("version"), spec.version, {.max_bytes = kMaxVersionBytes}));
  RMTC_RETURN_IF_ERROR(CheckText(path("uri"), spec.uri, {.max_bytes = kMaxUriBytes}));
  RMTC_RETURN_IF_ERROR(
      CheckText(path("facility"), spec.facility, {.max_bytes = kMaxFacilityBytes}));
  RMTC_ASSIGN_OR_RETURN(out.sha256, NormaliseSha256(path("sha256"), spec.sha256));
  RMTC_ASSIGN_OR_RETURN(out.attributes,
                        CheckAttributes(path("attributes"), spec.attributes));
  RMTC_RETURN_IF_ERROR(CheckItemKey(path("item_key"), spec.item_key));
  for (std::size_t k = 0; k < spec.external_ids.size(); ++k) {
    const auto& ext = spec.external_ids[k];
    const auto ext_path = path(StrCat("external_ids[", k, "]"));
    RMTC_RETURN_IF_ERROR(
        CheckText(StrCat(ext_path, ".system"), ext.system,
                  {.max_bytes = kMaxExternalSystemBytes, .required = true}));
    RMTC_RETURN_IF_ERROR(CheckText(StrCat(ext_path, ".id"), ext.id,
                                   {.max_bytes = kMaxExternalIdBytes, .required = true}));
  }
  out.label = draft.label;
  out.name = spec.name;
  out.version = spec.version;
  out.uri = spec.uri;
  out.facility = spec.facility;
  out.external_ids = spec.external_ids;
  out.item_key = spec.item_key;
  return absl::OkStatus();
}

// Checks the shape of one source edge. Ids are looked up later, all at once.
absl::StatusOr<records::PlannedSource> PlanSource(const DraftSource& source,
                                                  std::size_t item_index) {
  if (!source.relation) {
    return Invalid(StrCat(source.path, ".relation"), "is required");
  }
  if (source.batch_index) {
    if (!source.id.empty()) {
      return Invalid(source.path, "give either id or batch_index, not both");
    }
    const std::int64_t index = *source.batch_index;
    if (index < 0 || static_cast<std::size_t>(index) >= item_index) {
      return Invalid(StrCat(source.path, ".batch_index"),
                     item_index == 0
                         ? StrCat(index,
                                  " must point at an earlier item, and this "
                                  "is the first")
                         : StrCat(index, " must point at an earlier item (0..",
                                  item_index - 1, ")"));
    }
    return records::PlannedSource{*source.relation, static_cast<std::size_t>(index)};
  }
  RMTC_ASSIGN_OR_RETURN(Uuid id, ParseId(source.id_path, source.id));
  return records::PlannedSource{*source.relation, id};
}

absl::Status CheckExternalIdsUnique(const std::vector<records::PlannedArtefact>& items) {
  std::map<std::pair<std::string, std::string>, std::string> seen;
  for (const auto& item : items) {
    for (std::size_t k = 0; k < item.external_ids.size(); ++k) {
      const auto& ext = item.external_ids[k];
      const auto path = StrCat(item.label, ".external_ids[", k, "]");
      auto [it, fresh] = seen.emplace(std::pair(ext.system, ext.id), path);
      if (!fresh) {
        return Invalid(path,
                       StrCat(ext.system, ":", ext.id, " is also given at ", it->second));
      }
    }
  }
  return absl::OkStatus();
}

// Every source id must exist, and every edge must join kinds its relation
// allows. Sources are never deleted, so checking before the write is safe.
absl::Status CheckSources(store::LineageStore& store,
                          const std::vector<records::PlannedArtefact>& items,
                          const std::vector<std::vector<DraftSource>>& drafts) {
  std::vector<Uuid> ids;
  for (const auto& item : items) {
    for (const auto& source : item.sources) {
      if (const auto* id = std::get_if<Uuid>(&source.source)) ids.push_back(*id);
    }
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::unordered_map<Uuid, Kind> kinds;
  if (!ids.empty()) {
    RMTC_ASSIGN_OR_RETURN(kinds, store.KindsOf(ids));
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    for (std::size_t s = 0; s < items[i].sources.size(); ++s) {
      const auto& source = items[i].sources[s];
      const std::string& path = drafts[i][s].path;
      Kind source_kind;
      if (const auto* id = std::get_if<Uuid>(&source.source)) {
        auto found = kinds.find(*id);
        if (found == kinds.end()) {
          return absl::NotFoundError(
              StrCat(drafts[i][s].id_path, ": no artefact ", id->ToString()));
        }
        source_kind = found->second;
      } else {
        source_kind = items[std::get<std::size_t>(source.source)].kind;
      }
      if (!RelationAllowed(source.relation, items[i].kind, source_kind)) {
        return absl::FailedPreconditionError(
            StrCat(path, ": ", DescribeRelationRule(source.relation), ", not from ",
                   Article(items[i].kind), " to ", Article(source_kind)));
      }
    }
  }
  return absl::OkStatus();
}

void AddSpecSources(Draft& draft) {
  const auto& sources = draft.spec->sources;
  for (std::size_t s = 0; s < sources.size(); ++s) {
    const auto path = StrCat(draft.label, ".sources[", s, "]");
    draft.sources.push_back({path, StrCat(path, ".id"), sources[s].relation,
                             sources[s].id, sources[s].batch_index});
  }
}

// Edges given as plain id lists (trained_on, uses ...) on the first item.
void AddIdSources(Draft& draft, std::string_view field, Relation relation,
                  const std::vector<std::string>& ids) {
  for (std::size_t k = 0; k < ids.size(); ++k) {
    const auto path = StrCat(field, "[", k, "]");
    draft.sources.push_back({path, path, relation, ids[k], std::nullopt});
  }
}

// `field` must list between `at_least` and kMaxBatchItems items.
absl::Status CheckCount(std::string_view field, std::size_t count, std::size_t at_least) {
  if (count < at_least) {
    return Invalid(field, at_least == 1 ? "at least one is required"
                                        : StrCat("at least ", at_least, " are required"));
  }
  if (count > kMaxBatchItems) {
    return Invalid(field, StrCat(count, " items is over the limit of ", kMaxBatchItems,
                                 " per request"));
  }
  return absl::OkStatus();
}

bool ParseInt64(std::string_view text, std::int64_t& out) {
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end;
}

std::string TraceFingerprint(const Uuid& root, const TraceRequest& request) {
  std::vector<int> relations;
  for (Relation r : request.relations) relations.push_back(static_cast<int>(r));
  std::sort(relations.begin(), relations.end());
  relations.erase(std::unique(relations.begin(), relations.end()), relations.end());
  const std::string canonical =
      StrCat(root.ToString(), "|", static_cast<int>(request.direction), "|",
             request.max_depth, "|", StrJoin(relations, ",", [](int r) { return r; }));
  return PageTokenSeal::Fingerprint(canonical);
}

// The first read of a list page: small, since rows may be 64 KiB each.
constexpr int kFirstListChunk = 64;

// Rows for the next read of a list page: as many as the budget left holds
// at the rows' average weight so far, one more to see whether the page
// ends there, at most `rows_wanted`.
int NextChunk(const PageBudget& budget, int rows_wanted) {
  const std::size_t average = std::max<std::size_t>(1, budget.used() / budget.items());
  const std::size_t fit = budget.left() / average + 1;
  return static_cast<int>(std::clamp<std::size_t>(fit, 1, rows_wanted));
}

// The edge of a trace page that reaches `node`: it is listed with the
// node's row (upstream: its source end; downstream: its derived end).
const Uuid& ReachedEnd(const records::Edge& edge, bool upstream) {
  return upstream ? edge.source : edge.derived;
}

// How many leading nodes of `result` make the page: at most `page_size`,
// and within `page_bytes` with the edges that reach them (at least one).
std::size_t NodesWithin(const records::TraceResult& result, int page_size,
                        std::size_t page_bytes, bool upstream) {
  std::size_t total = 0;
  for (const auto& node : result.nodes) total += WireBytes(node);
  for (const auto& edge : result.edges) total += WireBytes(edge);
  if (static_cast<int>(result.nodes.size()) <= page_size &&
      total <= page_bytes - std::min(page_bytes, kPageEnvelopeBytes)) {
    return result.nodes.size();  // the common case: it all fits
  }
  std::map<Uuid, std::size_t> edge_bytes;
  for (const auto& edge : result.edges) {
    edge_bytes[ReachedEnd(edge, upstream)] += WireBytes(edge);
  }
  PageBudget budget(page_bytes);
  std::size_t kept = 0;
  for (const auto& node : result.nodes) {
    if (static_cast<int>(kept) == page_size) break;
    const auto edges = edge_bytes.find(node.artefact.id);
    if (!budget.Take(WireBytes(node) + (edges == edge_bytes.end() ? 0 : edges->second))) {
      break;
    }
    ++kept;
  }
  return kept;
}

// Keeps the first `kept` nodes and the edges that reach them.
void CutTrace(records::TraceResult& result, std::size_t kept, bool upstream) {
  std::set<Uuid> cut;
  for (std::size_t i = kept; i < result.nodes.size(); ++i) {
    cut.insert(result.nodes[i].artefact.id);
  }
  result.nodes.resize(kept);
  std::erase_if(result.edges, [&](const records::Edge& e) {
    return cut.contains(ReachedEnd(e, upstream));
  });
}

// Trace tokens (PageTokenSeal's format): kind "t1", the depth and id of
// the last node, and the query's fingerprint.
absl::StatusOr<records::TracePosition> ParseTraceToken(const PageTokenSeal& seal,
                                                       std::string_view token,
                                                       std::string_view fingerprint) {
  const auto bad = Invalid("page_token", "is not a token from this trace");
  const auto fields = seal.Decode(token, "t1", 2, fingerprint);
  std::int64_t depth = 0;
  if (!fields || !ParseInt64((*fields)[0], depth) || depth < 0 ||
      depth > kMaxTraceDepth) {
    return bad;
  }
  auto id = Uuid::Parse((*fields)[1]);
  if (!id) return bad;
  return records::TracePosition{static_cast<int>(depth), *id};
}

std::string ListFingerprint(const ListRequest& request) {
  const auto micros = [](const std::optional<records::Timestamp>& t) {
    return t ? t->time_since_epoch().count() : std::int64_t{-1};
  };
  return PageTokenSeal::Fingerprint(
      StrCat(request.kind ? static_cast<int>(*request.kind) : 0, "|",
             request.name_contains, "|", request.facility, "|",
             micros(request.created_after), "|", micros(request.created_before)));
}

// List tokens: kind "l1", the created_at (µs) and id of the last artefact,
// and the fingerprint of the filters.
absl::StatusOr<records::ListPosition> ParseListToken(const PageTokenSeal& seal,
                                                     std::string_view token,
                                                     std::string_view fingerprint) {
  const auto bad = Invalid("page_token", "is not a token from this listing");
  const auto fields = seal.Decode(token, "l1", 2, fingerprint);
  std::int64_t micros = 0;
  if (!fields || !ParseInt64((*fields)[0], micros)) return bad;
  auto id = Uuid::Parse((*fields)[1]);
  if (!id) return bad;
  return records::ListPosition{records::Timestamp(std::chrono::microseconds(micros)),
                               *id};
}

// Checks and plans every draft into a batch for the store.
absl::StatusOr<records::WriteBatch> Plan(store::LineageStore& store,
                                         std::string_view method,
                                         const WriteContext& context,
                                         std::vector<Draft> drafts) {
  RMTC_RETURN_IF_ERROR(CheckContext(context));
  records::WriteBatch batch{.request_id = context.request_id,
                            .method = std::string(method),
                            .request_digest = context.request_digest,
                            .created_by = context.created_by,
                            .items = {}};
  batch.items.resize(drafts.size());
  std::vector<std::vector<DraftSource>> sources_by_item;
  for (std::size_t i = 0; i < drafts.size(); ++i) {
    auto& item = batch.items[i];
    RMTC_RETURN_IF_ERROR(PlanFields(drafts[i], item));
    RMTC_RETURN_IF_ERROR(CheckCount(StrCat(drafts[i].label, ".sources"),
                                    drafts[i].spec->sources.size(), 0));
    for (const auto& source : drafts[i].sources) {
      RMTC_ASSIGN_OR_RETURN(auto planned, PlanSource(source, i));
      item.sources.push_back(planned);
    }
    item.id = Uuid::NewV7();
    sources_by_item.push_back(std::move(drafts[i].sources));
  }
  RMTC_RETURN_IF_ERROR(CheckExternalIdsUnique(batch.items));
  RMTC_RETURN_IF_ERROR(CheckSources(store, batch.items, sources_by_item));
  return batch;
}

// The first item of a record batch (the run, the inference) as the
// licensing check sees it before it exists.
PlannedNode PlannedFirstItem(const records::WriteBatch& batch) {
  const auto& item = batch.items.front();
  PlannedNode node{
      .kind = item.kind, .name = item.name, .generative = false, .sources = {}};
  // A generative run says so in its attributes ({"generative": true}).
  const auto attributes = nlohmann::json::parse(item.attributes, nullptr, false);
  if (attributes.is_object()) {
    const auto flag = attributes.find("generative");
    node.generative = flag != attributes.end() && flag->is_boolean() && flag->get<bool>();
    // A clearance may be scoped to a project: the string attribute "project".
    const auto project = attributes.find("project");
    if (project != attributes.end() && project->is_string()) node.project = *project;
  }
  node.facility = item.facility;
  for (const auto& source : item.sources) {
    if (const auto* id = std::get_if<Uuid>(&source.source)) {
      node.sources.emplace_back(source.relation, *id);
    }
  }
  return node;
}

std::string DescribeRefusal(const CheckAnswer& answer) {
  return StrCat("check: ", records::VerdictName(answer.check.verdict), " for ",
                records::IntendedUseName(answer.use), " (policy ",
                records::PolicyName(answer.policy), "): ",
                StrJoin(answer.check.reasons, "; ",
                        [](const records::Reason& r) { return r.message; }),
                "; nothing was recorded");
}

}  // namespace

absl::StatusOr<records::WriteResult> ProvenanceGraph::Register(
    const RegisterCommand& command) {
  RMTC_RETURN_IF_ERROR(CheckCount("artefacts", command.artefacts.size(), 1));
  std::vector<Draft> drafts(command.artefacts.size());
  for (std::size_t i = 0; i < drafts.size(); ++i) {
    drafts[i].label = StrCat("artefacts[", i, "]");
    drafts[i].spec = &command.artefacts[i];
    AddSpecSources(drafts[i]);
  }
  RMTC_ASSIGN_OR_RETURN(
      auto batch, Plan(store_, "RegisterArtefacts", command.context, std::move(drafts)));
  return store_.Write(batch);
}

absl::StatusOr<RecordResult> ProvenanceGraph::RecordTrainingRun(
    const TrainingRunCommand& command) {
  RMTC_RETURN_IF_ERROR(CheckCount("trained_on", command.trained_on.size(), 1));
  RMTC_RETURN_IF_ERROR(CheckCount("evaluated_on", command.evaluated_on.size(), 0));
  RMTC_RETURN_IF_ERROR(CheckCount("base", command.base.size(), 0));
  RMTC_RETURN_IF_ERROR(CheckCount("weights", command.weights.size(), 1));
  Draft run{.label = "run",
            .spec = &command.run,
            .allowed_kinds = {Kind::kRun},
            .implied_kind = Kind::kRun,
            .sources = {}};
  AddIdSources(run, "trained_on", Relation::kTrainedOn, command.trained_on);
  AddIdSources(run, "evaluated_on", Relation::kEvaluatedOn, command.evaluated_on);
  AddIdSources(run, "base", Relation::kBase, command.base);
  AddSpecSources(run);
  std::vector<Draft> drafts;
  drafts.push_back(std::move(run));
  for (std::size_t i = 0; i < command.weights.size(); ++i) {
    Draft weights{.label = StrCat("weights[", i, "]"),
                  .spec = &command.weights[i],
                  .allowed_kinds = {Kind::kWeights},
                  .implied_kind = Kind::kWeights,
                  .sources = {}};
    const auto produced_by = StrCat(weights.label, ".produced_by");
    weights.sources.push_back({produced_by, produced_by, Relation::kProducedBy, "", 0});
    AddSpecSources(weights);
    drafts.push_back(std::move(weights));
  }
  RMTC_ASSIGN_OR_RETURN(
      auto batch, Plan(store_, "RecordTrainingRun", command.context, std::move(drafts)));
  return Record(batch, command.check);
}

absl::StatusOr<RecordResult> ProvenanceGraph::RecordInference(
    const InferenceCommand& command) {
  RMTC_RETURN_IF_ERROR(CheckCount("uses", command.uses.size(), 1));
  RMTC_RETURN_IF_ERROR(CheckCount("inputs", command.inputs.size(), 0));
  RMTC_RETURN_IF_ERROR(CheckCount("outputs", command.outputs.size(), 0));
  Draft inference{.label = "inference",
                  .spec = &command.inference,
                  .allowed_kinds = {Kind::kInference},
                  .implied_kind = Kind::kInference,
                  .sources = {}};
  AddIdSources(inference, "uses", Relation::kUses, command.uses);
  AddIdSources(inference, "inputs", Relation::kInput, command.inputs);
  AddSpecSources(inference);
  std::vector<Draft> drafts;
  drafts.push_back(std::move(inference));
  for (std::size_t i = 0; i < command.outputs.size(); ++i) {
    Draft output{.label = StrCat("outputs[", i, "]"),
                 .spec = &command.outputs[i],
                 .allowed_kinds = {Kind::kAsset, Kind::kDataset},
                 .implied_kind = Kind::kAsset,
                 .sources = {}};
    const auto output_of = StrCat(output.label, ".output_of");
    output.sources.push_back({output_of, output_of, Relation::kOutputOf, "", 0});
    AddSpecSources(output);
    drafts.push_back(std::move(output));
  }
  RMTC_ASSIGN_OR_RETURN(
      auto batch, Plan(store_, "RecordInference", command.context, std::move(drafts)));
  return Record(batch, command.check);
}

absl::StatusOr<RecordResult> ProvenanceGraph::Record(
    const records::WriteBatch& batch, const std::optional<Guardrail>& guardrail) {
  std::optional<CheckAnswer> check;
  if (guardrail) {
    if (licensing_ == nullptr) {
      return absl::FailedPreconditionError("check: use checks are not available here");
    }
    RMTC_ASSIGN_OR_RETURN(check,
                          licensing_->CheckPlanned(PlannedFirstItem(batch), *guardrail));
    if (check->check.verdict == records::Verdict::kDenied &&
        licensing_->Enforces(*guardrail)) {
      // A repeat of a request already recorded gets its first answer, even
      // if the verdict has changed since.
      bool seen = false;
      if (!batch.request_id.empty()) {
        RMTC_ASSIGN_OR_RETURN(seen, store_.RequestSeen(batch.request_id));
      }
      if (!seen) return absl::FailedPreconditionError(DescribeRefusal(*check));
    }
  }
  RMTC_ASSIGN_OR_RETURN(auto written, store_.Write(batch));
  RecordResult result;
  static_cast<records::WriteResult&>(result) = std::move(written);
  result.check = std::move(check);
  return result;
}

absl::StatusOr<records::Artefact> ProvenanceGraph::Get(std::string_view id) {
  RMTC_ASSIGN_OR_RETURN(Uuid uuid, ParseId("id", id));
  RMTC_ASSIGN_OR_RETURN(auto found, store_.Get(uuid));
  if (!found) {
    return absl::NotFoundError(StrCat("id: no artefact ", uuid.ToString()));
  }
  return *std::move(found);
}

absl::StatusOr<std::vector<records::Artefact>> ProvenanceGraph::FindBySha256(
    std::string_view sha256, std::optional<Kind> kind) {
  if (sha256.empty()) return Invalid("sha256", "is required");
  RMTC_ASSIGN_OR_RETURN(std::string digest, NormaliseSha256("sha256", sha256));
  return store_.FindBySha256(digest, kind);
}

absl::StatusOr<std::vector<records::Artefact>> ProvenanceGraph::FindByExternalId(
    const records::ExternalId& external_id) {
  RMTC_RETURN_IF_ERROR(
      CheckText("external_id.system", external_id.system,
                {.max_bytes = kMaxExternalSystemBytes, .required = true}));
  RMTC_RETURN_IF_ERROR(CheckText("external_id.id", external_id.id,
                                 {.max_bytes = kMaxExternalIdBytes, .required = true}));
  return store_.FindByExternalId(external_id);
}

absl::StatusOr<ArtefactPage> ProvenanceGraph::List(const ListRequest& request) {
  if (request.page_size < 0 || request.page_size > kMaxListPageSize) {
    return Invalid("page_size",
                   StrCat(request.page_size, " is out of range (1..", kMaxListPageSize,
                          ", or 0 for ", kDefaultListPageSize, ")"));
  }
  RMTC_RETURN_IF_ERROR(
      CheckText("name_contains", request.name_contains, {.max_bytes = kMaxNameBytes}));
  RMTC_RETURN_IF_ERROR(
      CheckText("facility", request.facility, {.max_bytes = kMaxFacilityBytes}));
  if (request.created_after && request.created_before &&
      *request.created_before <= *request.created_after) {
    return Invalid("created_before", "must be later than created_after");
  }
  records::ListQuery query{
      .kind = request.kind,
      .name_contains = request.name_contains,
      .facility = request.facility,
      .created_after = request.created_after,
      .created_before = request.created_before,
      .after = std::nullopt,
      .limit = request.page_size == 0 ? kDefaultListPageSize : request.page_size};
  if (!request.page_token.empty()) {
    RMTC_ASSIGN_OR_RETURN(
        query.after, ParseListToken(seal_, request.page_token, ListFingerprint(request)));
  }
  const int page_size = query.limit;
  // Read in chunks, so that a page of large artefacts is never all read
  // before the budget cuts it: the first chunk is small, the next ones are
  // sized by what the rows so far weighed.
  PageBudget budget(page_bytes_);
  ArtefactPage page;
  bool more = false;
  int chunk = std::min(page_size + 1, kFirstListChunk);
  while (!more) {
    query.limit = chunk;
    RMTC_ASSIGN_OR_RETURN(auto rows, store_.List(query));
    for (auto& row : rows) {
      if (static_cast<int>(page.artefacts.size()) == page_size ||
          !budget.Take(WireBytes(row))) {
        more = true;
        break;
      }
      page.artefacts.push_back(std::move(row));
    }
    if (more || static_cast<int>(rows.size()) < chunk) break;
    const auto& last = page.artefacts.back();
    query.after = records::ListPosition{last.created_at, last.id};
    chunk = NextChunk(budget, page_size + 1 - static_cast<int>(page.artefacts.size()));
  }
  if (more) {
    const auto& last = page.artefacts.back();
    page.next_page_token = seal_.Encode(
        "l1",
        {std::to_string(last.created_at.time_since_epoch().count()), last.id.ToString()},
        ListFingerprint(request));
  }
  return page;
}

absl::StatusOr<records::TraceResult> ProvenanceGraph::Trace(const TraceRequest& request) {
  RMTC_ASSIGN_OR_RETURN(Uuid root, ParseId("id", request.id));
  if (request.max_depth < 0 || request.max_depth > kMaxTraceDepth) {
    return Invalid("max_depth",
                   StrCat(request.max_depth, " is out of range (1..", kMaxTraceDepth,
                          ", or 0 for no "
                          "limit)"));
  }
  if (request.max_nodes < 0 || request.max_nodes > kMaxTraceNodes) {
    return Invalid("max_nodes",
                   StrCat(request.max_nodes, " is out of range (1..", kMaxTraceNodes,
                          ", or 0 for ", kDefaultTraceNodes, ")"));
  }
  const std::string fingerprint = TraceFingerprint(root, request);
  records::TraceQuery query{
      .root = root,
      .direction = request.direction,
      .max_depth = request.max_depth == 0 ? kMaxTraceDepth : request.max_depth,
      .relations = request.relations,
      .after = std::nullopt,
      .limit = request.max_nodes == 0 ? kDefaultTraceNodes : request.max_nodes};
  if (!request.page_token.empty()) {
    RMTC_ASSIGN_OR_RETURN(query.after,
                          ParseTraceToken(seal_, request.page_token, fingerprint));
  }
  const int page_size = query.limit;
  ++query.limit;  // one more tells whether the answer is partial
  RMTC_ASSIGN_OR_RETURN(auto result, store_.Trace(query));
  if (!query.after && result.nodes.empty()) {
    return absl::NotFoundError(StrCat("id: no artefact ", root.ToString()));
  }
  const std::size_t kept = NodesWithin(
      result, page_size, page_bytes_, request.direction == records::Direction::kUpstream);
  if (kept < result.nodes.size()) {
    CutTrace(result, kept, request.direction == records::Direction::kUpstream);
    const auto& last = result.nodes.back();
    result.partial = true;
    result.next_page_token = seal_.Encode(
        "t1", {std::to_string(last.depth), last.artefact.id.ToString()}, fingerprint);
  }
  return result;
}

}  // namespace rmtc::lineage
