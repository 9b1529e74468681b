#include "lineage/licensing_evaluator.h"

#include <algorithm>
#include <map>
#include <set>

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

struct LicensingEvaluator::Term {
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
  bool risk = false;
  const char* risk_via = "";  // "training", "a model's use"
  bool open = false;
  bool via_outputs = false;  // reached through `uses`: the artefact is an output
  bool adapted = false;      // crossed a relation that transforms (not contains,
                             // variant_of, supersedes): the artefact is adapted
  std::vector<Uuid> path;

  // Terms equal but for their path are one term; the shortest path stays.
  std::string Key() const {
    return StrCat(static_cast<int>(kind), "|", value, "|", static_cast<int>(field), "|",
                  static_cast<int>(training), "|", static_cast<int>(consent_key), "|",
                  static_cast<int>(consent_value), "|", static_cast<int>(effect), "|", rule,
                  "|", licence_id, "|", party, "|", risk, open, via_outputs, adapted);
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

Term Finding(Verdict effect, std::string rule, std::string message, const Uuid& at) {
  Term t{.kind = TermKind::kFinding};
  t.effect = effect;
  t.rule = std::move(rule);
  t.message = std::move(message);
  t.path = {at};
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
    : graph_(graph), as_of_(as_of), policy_(policy) {
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
      terms.push_back(Finding(Verdict::kReview, "no-licence",
                              StrCat("no licence is recorded for ", KindName(node.kind), " '",
                                     node.name, "'"),
                              node.id));
    }
  } else {
    auto expression = ParseLicenceExpression(attachment->expression, [&](std::string_view id) {
      return graph_.licences.count(std::string(id)) > 0;
    });
    if (!expression.ok()) {
      terms.push_back(Finding(Verdict::kReview, "licence-unreadable",
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
          Verdict::kDenied, "licence-not-in-force",
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
        Term choice{.kind = TermKind::kChoice};
        choice.value = attachment->expression;
        choice.message = StrCat("'", node.name, "' is offered under ", attachment->expression,
                                "; no alternative is elected yet (rmtc license elect)");
        choice.path = {node.id};
        terms.push_back(choice);
      }
      for (const auto& id : all) {
        const records::Licence& licence = graph_.licences.at(id);
        const auto& lt = licence.terms;
        auto add = [&](TermKind kind, std::string value = "") -> Term& {
          Term t{.kind = kind};
          t.value = std::move(value);
          t.licence_id = id;
          t.open = firm.count(id) == 0;
          t.path = {node.id};
          terms.push_back(std::move(t));
          return terms.back();
        };
        add(TermKind::kFieldOfUse, std::string(FieldOfUseName(lt.field_of_use))).field =
            lt.field_of_use;
        add(TermKind::kTraining, std::string(TrainingPermissionName(lt.training))).training =
            lt.training;
        if (lt.attribution) {
          std::string who = attachment->attribution.empty() ? licence.licensor
                                                            : attachment->attribution;
          add(TermKind::kAttribution, who).message = lt.attribution_how;
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
              StrJoin(lt.purpose_limit, ", ", [](const std::string& s) { return s; }))
              .list = lt.purpose_limit;
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
    Term t{.kind = TermKind::kConsent};
    t.party = key.first;
    t.consent_key = static_cast<ConsentKey>(key.second);
    t.consent_value = *record->values[key.second];
    t.value = StrCat(ConsentKeyName(t.consent_key), "=", ConsentValueName(t.consent_value));
    t.path = {node.id};
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
    c.path.insert(c.path.begin(), derived.id);
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
    if (t.kind == TermKind::kConsent &&
        std::find(gates.begin(), gates.end(), t.consent_key) != gates.end() &&
        Refuses(t.consent_value)) {
      Term f = carried(t);
      f.kind = TermKind::kFinding;
      f.effect = Verdict::kDenied;
      f.rule = "consent";
      f.message = StrCat(t.party, " does not allow ", ConsentKeyName(t.consent_key), " (",
                         ConsentValueName(t.consent_value), "), and ", KindName(derived.kind),
                         " '", derived.name, "' is ", RelationName(relation), " it");
      out.push_back(std::move(f));
      continue;
    }
    if (relation == Relation::kTrainedOn && t.kind == TermKind::kNoTrainingOnOutputs &&
        t.via_outputs) {
      Term f = carried(t);
      f.kind = TermKind::kFinding;
      f.effect = Verdict::kDenied;
      f.rule = "no-training-on-outputs";
      f.message = StrCat(t.licence_id, " forbids training other models on its outputs");
      out.push_back(std::move(f));
      continue;
    }
    if (relation == Relation::kTrainedOn && t.kind == TermKind::kTraining &&
        t.training != TrainingPermission::kAllowed) {
      Term f = carried(t);
      f.kind = TermKind::kFinding;
      f.effect = t.training == TrainingPermission::kNotAllowed ? Verdict::kDenied
                                                               : Verdict::kReview;
      f.rule = t.training == TrainingPermission::kNotAllowed ? "training-not-allowed"
                                                             : "training-unknown";
      f.message = t.training == TrainingPermission::kNotAllowed
                      ? StrCat(t.licence_id, " does not allow training on it")
                      : StrCat(t.licence_id, " does not say whether training is allowed");
      out.push_back(std::move(f));
      continue;
    }
    if (CarriesAll(relation)) {
      out.push_back(carried(t));
      continue;
    }
    if (t.kind == TermKind::kFinding) {
      if (relation != Relation::kEvaluatedOn) out.push_back(carried(t));
      continue;
    }
    if (relation == Relation::kTrainedOn) {
      const auto licence = graph_.licences.find(t.licence_id);
      if (licence == graph_.licences.end() || licence->second.terms.results_unrestricted) {
        continue;  // consents are spent at the gate; unrestricted results carry nothing
      }
      switch (t.kind) {
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
      if (t.kind == TermKind::kUseRestriction || t.kind == TermKind::kNoTrainingOnOutputs) {
        Term c = carried(t);
        c.via_outputs = true;
        out.push_back(std::move(c));
      } else if (t.kind == TermKind::kFieldOfUse) {
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
    std::map<std::string, Term> unique;
    for (auto& t : all) {
      auto [slot, fresh] = unique.emplace(t.Key(), t);
      if (!fresh && t.path.size() < slot->second.path.size()) slot->second = std::move(t);
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
  return ChainTerm{.kind = kKindNames[static_cast<int>(t.kind)],
                   .value = t.value,
                   .risk = t.risk,
                   .open = t.open,
                   .effect = t.effect,
                   .message = t.message,
                   .licence_id = t.licence_id,
                   .party = t.party,
                   .path = t.path};
}

LicensingChain LicensingEvaluator::Chain(const Uuid& root) {
  LicensingChain chain;
  std::set<std::string> credits;
  for (const Term& t : TermsOf(root)) {
    if (t.kind == TermKind::kFieldOfUse && !t.risk && !t.open &&
        static_cast<int>(t.field) > static_cast<int>(chain.field_of_use)) {
      chain.field_of_use = t.field;
    }
    if (t.kind == TermKind::kAttribution && !t.value.empty() && credits.insert(t.value).second) {
      chain.credits.push_back(t.value);
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
    records::Reason r{effect, std::move(rule), StrCat(message, "; via ", Describe(t.path)),
                      t.licence_id, t.party, t.path};
    if (effect == Verdict::kAllowed) {
      check.obligations.push_back(std::move(r));
    } else {
      check.verdict = std::max(check.verdict, effect);
      check.reasons.push_back(std::move(r));
    }
  };
  std::set<std::string> share_alike_families;
  // The conflict is a risk (or open) only if every family's term is.
  Term share_alike_conflict{.kind = TermKind::kShareAlike};
  share_alike_conflict.risk = true;
  share_alike_conflict.open = true;
  std::set<std::string> credits;
  for (const Term& t : TermsOf(root)) {
    switch (t.kind) {
      case TermKind::kFinding:
        reason(t, t.effect, t.rule, t.message);
        break;
      case TermKind::kFieldOfUse: {
        const Verdict effect = FieldOfUseEffect(t.field, use);
        if (effect != Verdict::kAllowed) {
          reason(t, effect, "field-of-use",
                 StrCat(t.licence_id, " is ", FieldOfUseName(t.field), ": ",
                        effect == Verdict::kDenied ? "no " : "check ", use_name));
        }
        break;
      }
      case TermKind::kNoDerivatives:
        if (t.adapted && NoDerivativesEffect(use) != Verdict::kAllowed) {
          reason(t, NoDerivativesEffect(use), "no-derivatives",
                 StrCat(t.licence_id, " forbids sharing adapted material, and this is adapted "
                        "from it: ", use_name));
        }
        break;
      case TermKind::kShareAlike:
        share_alike_families.insert(t.value);
        share_alike_conflict.risk = share_alike_conflict.risk && t.risk;
        share_alike_conflict.open = share_alike_conflict.open && t.open;
        if (share_alike_conflict.path.empty() || t.path.size() < share_alike_conflict.path.size()) {
          share_alike_conflict.path = t.path;
          share_alike_conflict.risk_via = t.risk_via;
        }
        if (use != IntendedUse::kInternalResearch && use != IntendedUse::kTraining) {
          reason(t, Verdict::kAllowed, "share-alike",
                 StrCat("adapted material must be shared under ", t.value, " (", t.licence_id,
                        ")"));
        }
        break;
      case TermKind::kPurposeLimit: {
        const Verdict effect = PurposeLimitEffect(t.list, use);
        if (effect != Verdict::kAllowed) {
          reason(t, effect, "purpose-limit",
                 StrCat(t.licence_id, " allows only ", t.value, ": ", use_name));
        }
        break;
      }
      case TermKind::kUseRestriction:
        if (use != IntendedUse::kInternalResearch) {
          reason(t, Verdict::kAllowed, "use-restriction",
                 StrCat(t.licence_id, ": ", t.value,
                        IsDistribution(use) ? " (pass it on to recipients)" : ""));
        }
        break;
      case TermKind::kNoTrainingOnOutputs:
        if (use == IntendedUse::kTraining && t.via_outputs) {
          reason(t, Verdict::kDenied, "no-training-on-outputs",
                 StrCat(t.licence_id, " forbids training other models on its outputs"));
        }
        break;
      case TermKind::kNamingPrefix:
        if ((node.kind == Kind::kWeights || node.kind == Kind::kModel) &&
            IsDistribution(use)) {
          if (node.name.rfind(t.value, 0) != 0) {
            reason(t, Verdict::kReview, "naming",
                   StrCat(t.licence_id, " requires a derived model's name to begin with '",
                          t.value, "'; '", node.name, "' does not"));
          } else {
            reason(t, Verdict::kAllowed, "naming",
                   StrCat(t.licence_id, ": the name begins with '", t.value, "'"));
          }
        }
        break;
      case TermKind::kAttribution:
        if (!t.value.empty()) credits.insert(t.value);
        if (use == IntendedUse::kInternalResearch || use == IntendedUse::kTraining) break;
        if (t.value.empty() && IsDistribution(use)) {
          reason(t, Verdict::kReview, "attribution",
                 StrCat(t.licence_id, " requires attribution, and no one to credit is recorded "
                        "(rmtc license attach ... --attribution)"));
        } else {
          reason(t, Verdict::kAllowed, "attribution",
                 StrCat("credit ", t.value.empty() ? "the licensor" : t.value,
                        t.message.empty() ? "" : StrCat(" (\"", t.message, "\")"), " under ",
                        t.licence_id));
        }
        break;
      case TermKind::kNotice:
        if (IsDistribution(use)) {
          reason(t, Verdict::kAllowed, "notice",
                 StrCat("keep ", t.licence_id, "'s notices and state changes"));
        }
        break;
      case TermKind::kIncludeLicenceText:
        if (IsDistribution(use)) {
          reason(t, Verdict::kAllowed, "licence-text",
                 StrCat("include the text of ", t.licence_id));
        }
        break;
      case TermKind::kTraining:
        // Using this artefact as training data meets its own licence's gate.
        if (use == IntendedUse::kTraining && t.training != TrainingPermission::kAllowed) {
          reason(t,
                 t.training == TrainingPermission::kNotAllowed ? Verdict::kDenied
                                                               : Verdict::kReview,
                 "training",
                 StrCat(t.licence_id, t.training == TrainingPermission::kNotAllowed
                                          ? " does not allow training on it"
                                          : " does not say whether training is allowed"));
        }
        break;
      case TermKind::kConsent:
        if (use == IntendedUse::kTraining && Refuses(t.consent_value)) {
          if (t.consent_key == ConsentKey::kAiTraining) {
            reason(t, Verdict::kDenied, "consent",
                   StrCat(t.party, " does not allow ai_training (",
                          ConsentValueName(t.consent_value), ")"));
          } else if (t.consent_key == ConsentKey::kAiGenerativeTraining) {
            reason(t, Verdict::kReview, "consent",
                   StrCat(t.party, " does not allow ai_generative_training: only a "
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
