#include "lineage/licensing_evaluator.h"

#include <algorithm>
#include <map>
#include <functional>
#include <memory>
#include <set>
#include <unordered_map>

#include "common/strings.h"
#include "lineage/spdx.h"

namespace rmtc::lineage {

using records::ConsentKey;
using records::ConsentValue;
using records::FieldOfUse;
using records::IntendedUse;
using records::Kind;
using records::Relation;
using records::TrainingPermission;
using records::Uuid;
using records::Verdict;

enum class TermKind {
  kFieldOfUse,
  kAttribution,
  kShareAlike,
  kNotice,
  kIncludeLicenceText,
  kNamingPrefix,
  kNoDerivatives,
  kUseRestriction,
  kNoTrainingOnOutputs,
  kPurposeLimit,
  kTraining,   // the licence's training permission, checked at trained_on
  kConsent,    // a party's statement on one key, checked at gates
  kChoice,     // an OR not elected: informational
  kFinding,    // a fact that decides a verdict by itself
};

// A path from an artefact to the origin of a term, shared between the
// terms carried through it: carrying a term one edge further adds one link
// instead of copying the whole path (chains are 50+ deep).
struct PathLink {
  Uuid id;
  std::shared_ptr<const PathLink> next;
  int length;
};
using Path = std::shared_ptr<const PathLink>;

Path PathOf(const Uuid& at) { return std::make_shared<const PathLink>(PathLink{at, nullptr, 1}); }
Path Prepend(const Uuid& at, const Path& rest) {
  return std::make_shared<const PathLink>(PathLink{at, rest, rest ? rest->length + 1 : 1});
}
int Length(const Path& path) { return path ? path->length : 0; }
std::vector<Uuid> ToVector(const Path& path) {
  std::vector<Uuid> out;
  for (const PathLink* link = path.get(); link != nullptr; link = link->next.get()) {
    out.push_back(link->id);
  }
  return out;
}

// What a term says, apart from how it travelled: interned per evaluation,
// so that carrying a term along an edge copies two pointers and some flags,
// not its strings (a 50-deep chain carries hundreds of terms).
struct TermCore {
  TermKind kind;
  std::string value;               // see ChainTerm::value
  std::vector<std::string> list;   // purpose limit
  FieldOfUse field = FieldOfUse::kUnknown;
  TrainingPermission training = TrainingPermission::kUnknown;
  ConsentKey consent_key = ConsentKey::kAiTraining;
  ConsentValue consent_value = ConsentValue::kAllowed;
  Verdict effect = Verdict::kAllowed;  // findings
  std::string rule;                    // findings
  std::string message;
  std::string licence_id;
  std::string party;

  std::string Key() const {
    return StrCat(static_cast<int>(kind), "|", value, "|", static_cast<int>(field), "|",
                  static_cast<int>(training), "|", static_cast<int>(consent_key), "|",
                  static_cast<int>(consent_value), "|", static_cast<int>(effect), "|", rule,
                  "|", licence_id, "|", party, "|", message, "|",
                  StrJoin(list, ",", [](const std::string& s) { return s; }));
  }
};

struct LicensingEvaluator::Cores {
  std::unordered_map<std::string, std::unique_ptr<const TermCore>> by_key;

  const TermCore* Intern(TermCore core) {
    std::string key = core.Key();
    auto it = by_key.find(key);
    if (it == by_key.end()) {
      it = by_key.emplace(std::move(key), std::make_unique<const TermCore>(std::move(core))).first;
    }
    return it->second.get();
  }
};

struct LicensingEvaluator::Term {
  const TermCore* core = nullptr;
  bool risk = false;
  const char* risk_via = "";  // "training", "a model's use"
  bool open = false;
  bool via_outputs = false;  // reached through `uses`: the artefact is an output
  bool adapted = false;      // crossed a relation that transforms (not contains,
                             // variant_of, supersedes): the artefact is adapted
  Path path;                 // from the artefact holding the term to its origin

  // Terms equal but for their path are one term; the shortest path stays.
  struct Identity {
    const TermCore* core;
    const char* risk_via;
    int flags;
    bool operator==(const Identity&) const = default;
  };
  struct IdentityHash {
    std::size_t operator()(const Identity& id) const {
      return std::hash<const void*>()(id.core) ^ (std::hash<const void*>()(id.risk_via) << 1) ^
             static_cast<std::size_t>(id.flags) * 0x9e3779b97f4a7c15ull;
    }
  };
  Identity Id() const {
    return {core, risk_via, (risk ? 1 : 0) | (open ? 2 : 0) | (via_outputs ? 4 : 0) | (adapted ? 8 : 0)};
  }
};

namespace {

using Term = LicensingEvaluator::Term;

constexpr const char* kKindNames[] = {
    "field-of-use",  "attribution",   "share-alike",           "notice",
    "include-licence-text", "naming-prefix", "no-derivatives", "use-restriction",
    "no-training-on-outputs", "purpose-limit", "training",     "consent",
    "choice",        "finding"};

bool IsContent(Kind kind) {
  return kind == Kind::kDataset || kind == Kind::kAsset || kind == Kind::kModel ||
         kind == Kind::kWeights;
}

bool CarriesAll(Relation r) {
  switch (r) {
    case Relation::kDerivedFrom:
    case Relation::kContains:
    case Relation::kVariantOf:
    case Relation::kSupersedes:
    case Relation::kBase:
    case Relation::kProducedBy:
    case Relation::kOutputOf:
    case Relation::kInput:
      return true;
    default:
      return false;
  }
}

// Collecting, converting or correcting material does not adapt it (a
// collection is not adapted material under CC 4.0); every other relation
// makes something new from its source.
bool Adapts(Relation r) {
  return r != Relation::kContains && r != Relation::kVariantOf && r != Relation::kSupersedes;
}

bool IsDistribution(IntendedUse use) {
  return use == IntendedUse::kClientDelivery || use == IntendedUse::kPublicRelease;
}

bool Refuses(ConsentValue v) {
  // A constrained consent is a refusal until a studio rule says otherwise.
  return v == ConsentValue::kNotAllowed || v == ConsentValue::kConstrained;
}

std::string FormatDate(records::Timestamp t) {
  const auto days = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd(days);
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

// Why `licence` grants nothing at `at`, or "" if it is in force.
std::string NotInForce(const records::Licence& licence, records::Timestamp at) {
  if (licence.revoked_at && *licence.revoked_at <= at) {
    return StrCat(licence.id, " was revoked on ", FormatDate(*licence.revoked_at));
  }
  if (licence.valid_from && at < *licence.valid_from) {
    return StrCat(licence.id, " is valid only from ", FormatDate(*licence.valid_from));
  }
  if (licence.valid_until && at >= *licence.valid_until) {
    return StrCat(licence.id, " expired on ", FormatDate(*licence.valid_until));
  }
  return "";
}

Term Finding(LicensingEvaluator::Cores& cores, Verdict effect, std::string rule,
             std::string message, const Uuid& at) {
  TermCore core{.kind = TermKind::kFinding};
  core.effect = effect;
  core.rule = std::move(rule);
  core.message = std::move(message);
  Term t;
  t.core = cores.Intern(std::move(core));
  t.path = PathOf(at);
  return t;
}

// The verdict a field of use gives a use.
Verdict FieldOfUseEffect(FieldOfUse field, IntendedUse use) {
  switch (field) {
    case FieldOfUse::kCommercial:
      return Verdict::kAllowed;
    case FieldOfUse::kNonCommercial:
      if (use == IntendedUse::kInternalResearch) return Verdict::kAllowed;
      return use == IntendedUse::kTraining ? Verdict::kReview : Verdict::kDenied;
    case FieldOfUse::kAcademicOnly:
      return use == IntendedUse::kInternalResearch || use == IntendedUse::kTraining
                 ? Verdict::kReview
                 : Verdict::kDenied;
    case FieldOfUse::kUnknown:
      return Verdict::kReview;
  }
  return Verdict::kReview;
}

// No derivatives binds adapted material: it may be made, not shared.
Verdict NoDerivativesEffect(IntendedUse use) {
  switch (use) {
    case IntendedUse::kInternalResearch:
      return Verdict::kAllowed;
    case IntendedUse::kClientDelivery:
    case IntendedUse::kPublicRelease:
      return Verdict::kDenied;
    default:
      return Verdict::kReview;  // production work is usually shared in the end
  }
}

Verdict PurposeLimitEffect(const std::vector<std::string>& purposes, IntendedUse use) {
  auto has = [&](const char* p) {
    return std::find(purposes.begin(), purposes.end(), p) != purposes.end();
  };
  switch (use) {
    case IntendedUse::kInternalResearch:
      return has("research") ? Verdict::kAllowed : Verdict::kReview;
    case IntendedUse::kTraining:
      return has("research") || has("development") ? Verdict::kReview : Verdict::kDenied;
    case IntendedUse::kPublicRelease:
      return has("demonstration") ? Verdict::kReview : Verdict::kDenied;
    default:
      return Verdict::kDenied;
  }
}

}  // namespace

LicensingEvaluator::LicensingEvaluator(const RightsGraph& graph, records::Timestamp as_of,
                                       records::Policy policy)
    : graph_(graph), as_of_(as_of), policy_(policy), cores_(std::make_unique<Cores>()) {
  for (const auto& edge : graph.edges) {
    sources_[edge.derived].emplace_back(edge.source, edge.relation);
  }
}

LicensingEvaluator::~LicensingEvaluator() = default;

std::vector<Term> LicensingEvaluator::OwnTerms(const RightsNode& node) const {
  std::vector<Term> terms;
  const records::LicenceAttachment* attachment = nullptr;
  for (const auto& a : node.attachments) {
    if (a.attached_at <= as_of_ && (!attachment || a.attached_at >= attachment->attached_at)) {
      attachment = &a;
    }
  }
  if (attachment == nullptr) {
    // Fail closed: content that comes from nowhere needs a licence.
    const auto sources = sources_.find(node.id);
    if (IsContent(node.kind) && (sources == sources_.end() || sources->second.empty())) {
      terms.push_back(Finding(*cores_, Verdict::kReview, "no-licence",
                              StrCat("no licence is recorded for ", KindName(node.kind), " '",
                                     node.name, "'"),
                              node.id));
    }
  } else {
    auto expression = ParseLicenceExpression(attachment->expression, [&](std::string_view id) {
      return graph_.licences.count(std::string(id)) > 0;
    });
    if (!expression.ok()) {
      terms.push_back(Finding(*cores_, Verdict::kReview, "licence-unreadable",
                              StrCat("the licence of '", node.name, "' (",
                                     attachment->expression, ") names an unknown licence"),
                              node.id));
      return terms;
    }
    // The alternatives whose every licence is in force now.
    std::vector<std::string> not_in_force;
    std::vector<const std::set<std::string>*> live;
    for (const auto& alternative : expression->alternatives) {
      bool ok = true;
      for (const auto& id : alternative) {
        const std::string why = NotInForce(graph_.licences.at(id), as_of_);
        if (!why.empty()) {
          ok = false;
          if (std::find(not_in_force.begin(), not_in_force.end(), why) == not_in_force.end()) {
            not_in_force.push_back(why);
          }
        }
      }
      if (ok) live.push_back(&alternative);
    }
    const records::LicenceElection* election = nullptr;
    for (const auto& e : node.elections) {
      const auto& ids = expression->licence_ids;
      if (e.elected_at <= as_of_ && e.elected_at >= attachment->attached_at &&
          std::find(ids.begin(), ids.end(), e.licence_id) != ids.end() &&
          (!election || e.elected_at >= election->elected_at)) {
        election = &e;
      }
    }
    std::vector<const std::set<std::string>*> chosen = live;
    if (election != nullptr && expression->HasChoice()) {
      std::erase_if(chosen, [&](const auto* a) { return !a->count(election->licence_id); });
      // An elected licence that lapsed leaves the other alternatives open.
      if (chosen.empty()) chosen = live;
    }
    if (chosen.empty()) {
      std::string why = StrJoin(not_in_force, "; ", [](const std::string& s) { return s; });
      terms.push_back(Finding(
          *cores_, Verdict::kDenied, "licence-not-in-force",
          StrCat("no licence of '", node.name, "' is in force (", attachment->expression,
                 election ? StrCat(", elected ", election->licence_id) : std::string(),
                 "): ", why.empty() ? "none granted" : why, "; it grants nothing"),
          node.id));
    } else {
      std::set<std::string> all, firm = *chosen.front();
      for (const auto* alternative : chosen) {
        all.insert(alternative->begin(), alternative->end());
        std::set<std::string> both;
        std::set_intersection(firm.begin(), firm.end(), alternative->begin(), alternative->end(),
                              std::inserter(both, both.begin()));
        firm = std::move(both);
      }
      if (all.size() != firm.size()) {
        TermCore core{.kind = TermKind::kChoice};
        core.value = attachment->expression;
        core.message = StrCat("'", node.name, "' is offered under ", attachment->expression,
                              "; no alternative is elected yet (rmtc license elect)");
        Term choice;
        choice.core = cores_->Intern(std::move(core));
        choice.path = PathOf(node.id);
        terms.push_back(choice);
      }
      for (const auto& id : all) {
        const records::Licence& licence = graph_.licences.at(id);
        const auto& lt = licence.terms;
        auto add = [&](TermKind kind, std::string value = "",
                       const std::function<void(TermCore&)>& more = {}) {
          TermCore core{.kind = kind};
          core.value = std::move(value);
          core.licence_id = id;
          if (more) more(core);
          Term t;
          t.core = cores_->Intern(std::move(core));
          t.open = firm.count(id) == 0;
          t.path = PathOf(node.id);
          terms.push_back(std::move(t));
        };
        add(TermKind::kFieldOfUse, std::string(FieldOfUseName(lt.field_of_use)),
            [&](TermCore& c) { c.field = lt.field_of_use; });
        add(TermKind::kTraining, std::string(TrainingPermissionName(lt.training)),
            [&](TermCore& c) { c.training = lt.training; });
        if (lt.attribution) {
          std::string who = attachment->attribution.empty() ? licence.licensor
                                                            : attachment->attribution;
          add(TermKind::kAttribution, who, [&](TermCore& c) { c.message = lt.attribution_how; });
        }
        if (!lt.share_alike.empty()) add(TermKind::kShareAlike, lt.share_alike);
        if (lt.notice) add(TermKind::kNotice);
        if (lt.include_licence_text) add(TermKind::kIncludeLicenceText);
        if (!lt.naming_prefix.empty()) add(TermKind::kNamingPrefix, lt.naming_prefix);
        if (lt.no_derivatives) add(TermKind::kNoDerivatives);
        for (const auto& r : lt.use_restrictions) add(TermKind::kUseRestriction, r);
        if (lt.no_training_on_outputs) add(TermKind::kNoTrainingOnOutputs);
        if (!lt.purpose_limit.empty()) {
          add(TermKind::kPurposeLimit,
              StrJoin(lt.purpose_limit, ", ", [](const std::string& s) { return s; }),
              [&](TermCore& c) { c.list = lt.purpose_limit; });
        }
      }
    }
  }
  // Each party's statement in force, key by key.
  std::map<std::pair<std::string, int>, const records::ConsentRecord*> latest;
  for (const auto& record : node.consents) {
    if (record.effective_at > as_of_) continue;
    for (int k = 0; k < records::kConsentKeyCount; ++k) {
      if (!record.values[k]) continue;
      auto& slot = latest[{record.party, k}];
      if (!slot || record.effective_at >= slot->effective_at) slot = &record;
    }
  }
  for (const auto& [key, record] : latest) {
    TermCore core{.kind = TermKind::kConsent};
    core.party = key.first;
    core.consent_key = static_cast<ConsentKey>(key.second);
    core.consent_value = *record->values[key.second];
    core.value =
        StrCat(ConsentKeyName(core.consent_key), "=", ConsentValueName(core.consent_value));
    Term t;
    t.core = cores_->Intern(std::move(core));
    t.path = PathOf(node.id);
    terms.push_back(std::move(t));
  }
  return terms;
}

void LicensingEvaluator::CarryAcross(const RightsNode& derived, const records::Edge& edge,
                                     const std::vector<Term>& source_terms,
                                     std::vector<Term>& out) const {
  const Relation relation = edge.relation;
  auto carried = [&](const Term& t) {
    Term c = t;
    c.path = Prepend(derived.id, t.path);
    c.adapted = c.adapted || Adapts(relation);
    return c;
  };
  // The consent gates of this relation.
  std::vector<ConsentKey> gates;
  if (relation == Relation::kTrainedOn) {
    gates.push_back(ConsentKey::kAiTraining);
    if (derived.generative) gates.push_back(ConsentKey::kAiGenerativeTraining);
  }
  if (relation == Relation::kEvaluatedOn) gates.push_back(ConsentKey::kDataMining);
  if (relation == Relation::kInput) gates.push_back(ConsentKey::kAiInference);

  for (const Term& t : source_terms) {
    if (t.core->kind == TermKind::kConsent &&
        std::find(gates.begin(), gates.end(), t.core->consent_key) != gates.end() &&
        Refuses(t.core->consent_value)) {
      TermCore core{.kind = TermKind::kFinding};
      core.effect = Verdict::kDenied;
      core.rule = "consent";
      core.party = t.core->party;
      core.message = StrCat(t.core->party, " does not allow ", ConsentKeyName(t.core->consent_key),
                            " (", ConsentValueName(t.core->consent_value), "), and ",
                            KindName(derived.kind), " '", derived.name, "' is ",
                            RelationName(relation), " it");
      Term f = carried(t);
      f.core = cores_->Intern(std::move(core));
      out.push_back(std::move(f));
      continue;
    }
    if (relation == Relation::kTrainedOn && t.core->kind == TermKind::kNoTrainingOnOutputs &&
        t.via_outputs) {
      TermCore core{.kind = TermKind::kFinding};
      core.effect = Verdict::kDenied;
      core.rule = "no-training-on-outputs";
      core.licence_id = t.core->licence_id;
      core.message = StrCat(t.core->licence_id, " forbids training other models on its outputs");
      Term f = carried(t);
      f.core = cores_->Intern(std::move(core));
      out.push_back(std::move(f));
      continue;
    }
    if (relation == Relation::kTrainedOn && t.core->kind == TermKind::kTraining &&
        t.core->training != TrainingPermission::kAllowed) {
      const bool refused = t.core->training == TrainingPermission::kNotAllowed;
      TermCore core{.kind = TermKind::kFinding};
      core.effect = refused ? Verdict::kDenied : Verdict::kReview;
      core.rule = refused ? "training-not-allowed" : "training-unknown";
      core.licence_id = t.core->licence_id;
      core.message = refused
                         ? StrCat(t.core->licence_id, " does not allow training on it")
                         : StrCat(t.core->licence_id, " does not say whether training is allowed");
      Term f = carried(t);
      f.core = cores_->Intern(std::move(core));
      out.push_back(std::move(f));
      continue;
    }
    if (CarriesAll(relation)) {
      out.push_back(carried(t));
      continue;
    }
    if (t.core->kind == TermKind::kFinding) {
      if (relation != Relation::kEvaluatedOn) out.push_back(carried(t));
      continue;
    }
    if (relation == Relation::kTrainedOn) {
      const auto licence = graph_.licences.find(t.core->licence_id);
      if (licence == graph_.licences.end() || licence->second.terms.results_unrestricted) {
        continue;  // consents are spent at the gate; unrestricted results carry nothing
      }
      switch (t.core->kind) {
        case TermKind::kFieldOfUse:
        case TermKind::kShareAlike:
        case TermKind::kNoDerivatives:
        case TermKind::kPurposeLimit: {
          Term c = carried(t);
          c.risk = true;
          c.risk_via = "training";
          out.push_back(std::move(c));
          break;
        }
        case TermKind::kAttribution:
          out.push_back(carried(t));
          break;
        default:
          break;
      }
    } else if (relation == Relation::kUses) {
      if (t.core->kind == TermKind::kUseRestriction || t.core->kind == TermKind::kNoTrainingOnOutputs) {
        Term c = carried(t);
        c.via_outputs = true;
        out.push_back(std::move(c));
      } else if (t.core->kind == TermKind::kFieldOfUse) {
        Term c = carried(t);
        if (!c.risk) c.risk_via = "a model's use";
        c.risk = true;
        out.push_back(std::move(c));
      }
    }
    // evaluated_on carries nothing.
  }
}

const std::vector<Term>& LicensingEvaluator::TermsOf(const Uuid& root) {
  if (auto it = memo_.find(root); it != memo_.end()) return it->second;
  // Post-order over sources, without recursion: lineage can be deep.
  std::vector<std::pair<Uuid, bool>> stack{{root, false}};
  while (!stack.empty()) {
    auto [id, expanded] = stack.back();
    stack.pop_back();
    if (memo_.count(id)) continue;
    static const std::vector<std::pair<Uuid, Relation>> kNone;
    const auto found = sources_.find(id);
    const auto& sources = found == sources_.end() ? kNone : found->second;
    if (!expanded) {
      stack.emplace_back(id, true);
      for (const auto& [source, relation] : sources) {
        if (!memo_.count(source) && graph_.nodes.count(source)) stack.emplace_back(source, false);
      }
      continue;
    }
    const RightsNode& node = graph_.nodes.at(id);
    std::vector<Term> all = OwnTerms(node);
    for (const auto& [source, relation] : sources) {
      auto it = memo_.find(source);
      if (it == memo_.end()) continue;  // outside a truncated subgraph
      CarryAcross(node, {id, source, relation}, it->second, all);
    }
    std::unordered_map<Term::Identity, Term, Term::IdentityHash> unique;
    unique.reserve(all.size());
    for (auto& t : all) {
      const auto id = t.Id();
      auto slot = unique.find(id);
      if (slot == unique.end()) {
        unique.emplace(id, std::move(t));
      } else if (Length(t.path) < Length(slot->second.path)) {
        slot->second = std::move(t);
      }
    }
    std::vector<Term> terms;
    terms.reserve(unique.size());
    for (auto& [key, t] : unique) terms.push_back(std::move(t));
    memo_.emplace(id, std::move(terms));
  }
  return memo_.at(root);
}

std::string LicensingEvaluator::Describe(const std::vector<Uuid>& path) const {
  return StrJoin(path, " <- ", [&](const Uuid& id) {
    const auto it = graph_.nodes.find(id);
    return it == graph_.nodes.end()
               ? id.ToString()
               : StrCat(KindName(it->second.kind), " '", it->second.name, "'");
  });
}

ChainTerm LicensingEvaluator::ToChainTerm(const Term& t) const {
  return ChainTerm{.kind = kKindNames[static_cast<int>(t.core->kind)],
                   .value = t.core->value,
                   .risk = t.risk,
                   .open = t.open,
                   .effect = t.core->effect,
                   .message = t.core->message,
                   .licence_id = t.core->licence_id,
                   .party = t.core->party,
                   .path = ToVector(t.path)};
}

LicensingChain LicensingEvaluator::Chain(const Uuid& root) {
  LicensingChain chain;
  std::set<std::string> credits;
  for (const Term& t : TermsOf(root)) {
    if (t.core->kind == TermKind::kFieldOfUse && !t.risk && !t.open &&
        static_cast<int>(t.core->field) > static_cast<int>(chain.field_of_use)) {
      chain.field_of_use = t.core->field;
    }
    if (t.core->kind == TermKind::kAttribution && !t.core->value.empty() && credits.insert(t.core->value).second) {
      chain.credits.push_back(t.core->value);
    }
    chain.terms.push_back(ToChainTerm(t));
  }
  if (graph_.truncated) {
    chain.terms.push_back({.kind = "finding",
                           .effect = Verdict::kReview,
                           .message = "the upstream subgraph is too large to evaluate whole",
                           .path = {root}});
  }
  return chain;
}

UseCheck LicensingEvaluator::Check(const Uuid& root, IntendedUse use) {
  UseCheck check;
  const RightsNode& node = graph_.nodes.at(root);
  const std::string use_name(IntendedUseName(use));
  auto reason = [&](const Term& t, Verdict effect, std::string rule, std::string message) {
    // A risk under the permissive policy, or a term only an unelected
    // alternative brings, can at worst ask for a review.
    if (effect == Verdict::kDenied && t.risk && policy_ == records::Policy::kPermissive) {
      effect = Verdict::kReview;
      message += StrCat(" (a risk carried through ", t.risk_via,
                        "; the permissive policy asks for a review)");
    } else if (t.risk) {
      message += StrCat(" (a risk: it reached this artefact through ", t.risk_via, ")");
    }
    if (effect == Verdict::kDenied && t.open) {
      effect = Verdict::kReview;
      message += " (unless another alternative of the licence is elected)";
    }
    const std::vector<Uuid> path = ToVector(t.path);
    records::Reason r{effect, std::move(rule), StrCat(message, "; via ", Describe(path)),
                      t.core->licence_id, t.core->party, path};
    if (effect == Verdict::kAllowed) {
      check.obligations.push_back(std::move(r));
    } else {
      check.verdict = std::max(check.verdict, effect);
      check.reasons.push_back(std::move(r));
    }
  };
  std::set<std::string> share_alike_families;
  // The conflict is a risk (or open) only if every family's term is.
  Term share_alike_conflict;
  share_alike_conflict.core = cores_->Intern(TermCore{.kind = TermKind::kShareAlike});
  share_alike_conflict.risk = true;
  share_alike_conflict.open = true;
  std::set<std::string> credits;
  for (const Term& t : TermsOf(root)) {
    switch (t.core->kind) {
      case TermKind::kFinding:
        reason(t, t.core->effect, t.core->rule, t.core->message);
        break;
      case TermKind::kFieldOfUse: {
        const Verdict effect = FieldOfUseEffect(t.core->field, use);
        if (effect != Verdict::kAllowed) {
          reason(t, effect, "field-of-use",
                 StrCat(t.core->licence_id, " is ", FieldOfUseName(t.core->field), ": ",
                        effect == Verdict::kDenied ? "no " : "check ", use_name));
        }
        break;
      }
      case TermKind::kNoDerivatives:
        if (t.adapted && NoDerivativesEffect(use) != Verdict::kAllowed) {
          reason(t, NoDerivativesEffect(use), "no-derivatives",
                 StrCat(t.core->licence_id, " forbids sharing adapted material, and this is adapted "
                        "from it: ", use_name));
        }
        break;
      case TermKind::kShareAlike:
        share_alike_families.insert(t.core->value);
        share_alike_conflict.risk = share_alike_conflict.risk && t.risk;
        share_alike_conflict.open = share_alike_conflict.open && t.open;
        if (!share_alike_conflict.path || Length(t.path) < Length(share_alike_conflict.path)) {
          share_alike_conflict.path = t.path;
          share_alike_conflict.risk_via = t.risk_via;
        }
        if (use != IntendedUse::kInternalResearch && use != IntendedUse::kTraining) {
          reason(t, Verdict::kAllowed, "share-alike",
                 StrCat("adapted material must be shared under ", t.core->value, " (", t.core->licence_id,
                        ")"));
        }
        break;
      case TermKind::kPurposeLimit: {
        const Verdict effect = PurposeLimitEffect(t.core->list, use);
        if (effect != Verdict::kAllowed) {
          reason(t, effect, "purpose-limit",
                 StrCat(t.core->licence_id, " allows only ", t.core->value, ": ", use_name));
        }
        break;
      }
      case TermKind::kUseRestriction:
        if (use != IntendedUse::kInternalResearch) {
          reason(t, Verdict::kAllowed, "use-restriction",
                 StrCat(t.core->licence_id, ": ", t.core->value,
                        IsDistribution(use) ? " (pass it on to recipients)" : ""));
        }
        break;
      case TermKind::kNoTrainingOnOutputs:
        if (use == IntendedUse::kTraining && t.via_outputs) {
          reason(t, Verdict::kDenied, "no-training-on-outputs",
                 StrCat(t.core->licence_id, " forbids training other models on its outputs"));
        }
        break;
      case TermKind::kNamingPrefix:
        if ((node.kind == Kind::kWeights || node.kind == Kind::kModel) &&
            IsDistribution(use)) {
          if (node.name.rfind(t.core->value, 0) != 0) {
            reason(t, Verdict::kReview, "naming",
                   StrCat(t.core->licence_id, " requires a derived model's name to begin with '",
                          t.core->value, "'; '", node.name, "' does not"));
          } else {
            reason(t, Verdict::kAllowed, "naming",
                   StrCat(t.core->licence_id, ": the name begins with '", t.core->value, "'"));
          }
        }
        break;
      case TermKind::kAttribution:
        if (!t.core->value.empty()) credits.insert(t.core->value);
        if (use == IntendedUse::kInternalResearch || use == IntendedUse::kTraining) break;
        if (t.core->value.empty() && IsDistribution(use)) {
          reason(t, Verdict::kReview, "attribution",
                 StrCat(t.core->licence_id, " requires attribution, and no one to credit is recorded "
                        "(rmtc license attach ... --attribution)"));
        } else {
          reason(t, Verdict::kAllowed, "attribution",
                 StrCat("credit ", t.core->value.empty() ? "the licensor" : t.core->value,
                        t.core->message.empty() ? "" : StrCat(" (\"", t.core->message, "\")"), " under ",
                        t.core->licence_id));
        }
        break;
      case TermKind::kNotice:
        if (IsDistribution(use)) {
          reason(t, Verdict::kAllowed, "notice",
                 StrCat("keep ", t.core->licence_id, "'s notices and state changes"));
        }
        break;
      case TermKind::kIncludeLicenceText:
        if (IsDistribution(use)) {
          reason(t, Verdict::kAllowed, "licence-text",
                 StrCat("include the text of ", t.core->licence_id));
        }
        break;
      case TermKind::kTraining:
        // Using this artefact as training data meets its own licence's gate.
        if (use == IntendedUse::kTraining && t.core->training != TrainingPermission::kAllowed) {
          reason(t,
                 t.core->training == TrainingPermission::kNotAllowed ? Verdict::kDenied
                                                               : Verdict::kReview,
                 "training",
                 StrCat(t.core->licence_id, t.core->training == TrainingPermission::kNotAllowed
                                          ? " does not allow training on it"
                                          : " does not say whether training is allowed"));
        }
        break;
      case TermKind::kConsent:
        if (use == IntendedUse::kTraining && Refuses(t.core->consent_value)) {
          if (t.core->consent_key == ConsentKey::kAiTraining) {
            reason(t, Verdict::kDenied, "consent",
                   StrCat(t.core->party, " does not allow ai_training (",
                          ConsentValueName(t.core->consent_value), ")"));
          } else if (t.core->consent_key == ConsentKey::kAiGenerativeTraining) {
            reason(t, Verdict::kReview, "consent",
                   StrCat(t.core->party, " does not allow ai_generative_training: only a "
                                   "non-generative model may be trained on it"));
          }
        }
        break;
      case TermKind::kChoice:
        break;
    }
  }
  if (share_alike_families.size() > 1) {
    const Verdict effect = IsDistribution(use)                         ? Verdict::kDenied
                           : use == IntendedUse::kCommercialProduction ? Verdict::kReview
                                                                       : Verdict::kAllowed;
    if (effect != Verdict::kAllowed) {
      reason(share_alike_conflict, effect, "share-alike-conflict",
             StrCat("share-alike families conflict: ",
                    StrJoin(share_alike_families, " and ",
                            [](const std::string& s) { return s; }),
                    " cannot all be honoured in one work"));
    }
  }
  if (graph_.truncated) {
    check.verdict = std::max(check.verdict, Verdict::kReview);
    check.reasons.push_back({Verdict::kReview, "too-large",
                             "the upstream subgraph is too large to evaluate whole", "", "",
                             {root}});
  }
  check.credits.assign(credits.begin(), credits.end());
  return check;
}

}  // namespace rmtc::lineage
