#include "lineage/licensing_evaluator.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>

#include "common/strings.h"
#include "lineage/propagation.h"
#include "lineage/terms_in_force.h"
#include "lineage/validation.h"

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

namespace {

bool IsDistribution(IntendedUse use) {
  return use == IntendedUse::kClientDelivery || use == IntendedUse::kPublicRelease;
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

// An artefact recorded after `as_of` was not there yet: it brings nothing.
bool NotYetRecorded(const RightsGraph& graph, const Uuid& id, records::Timestamp as_of) {
  const auto it = graph.nodes.find(id);
  return it != graph.nodes.end() && it->second.created_at > as_of;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

struct GrantFinding {
  Verdict effect;
  std::string rule;
  std::string message;
};

// Whom and where the licence behind `c` (a licensee or jurisdiction term)
// was granted to, against the studio and the place of the use; nullopt
// where it says nothing (those settings unset, or they match).
std::optional<GrantFinding> GrantEffect(const TermCore& c,
                                        const records::EvaluationSettings& settings) {
  if (c.kind == TermKind::kLicensee) {
    if (settings.studio.empty()) return std::nullopt;
    const std::string licensee = Lower(c.value);
    if (licensee == Lower(settings.studio)) return std::nullopt;
    for (const auto& alias : settings.studio_aliases) {
      if (licensee == Lower(alias)) return std::nullopt;
    }
    return GrantFinding{
        Verdict::kReview, "licensee",
        StrCat(c.licence_id, " was granted to ", c.value, ", not ", settings.studio)};
  }
  if (settings.jurisdiction.empty() ||
      std::find(c.list.begin(), c.list.end(), settings.jurisdiction) != c.list.end()) {
    return std::nullopt;
  }
  // A territory that is not a country code (recorded before RMTC compared
  // them) may include the place: a person decides.
  const bool readable = std::all_of(c.list.begin(), c.list.end(), IsCountryCode);
  return GrantFinding{
      readable ? Verdict::kDenied : Verdict::kReview, "jurisdiction",
      StrCat(c.licence_id, " applies only in ", c.value, ": not ", settings.jurisdiction,
             readable ? "" : " (RMTC compares ISO 3166 country codes only)")};
}

}  // namespace

LicensingEvaluator::LicensingEvaluator(const RightsGraph& graph, records::Timestamp as_of,
                                       records::Policy policy)
    : LicensingEvaluator(graph,
                         records::EvaluationSettings{.as_of = as_of, .policy = policy}) {}

LicensingEvaluator::LicensingEvaluator(const RightsGraph& graph,
                                       records::EvaluationSettings settings)
    : graph_(graph),
      settings_(std::move(settings)),
      as_of_(settings_.as_of),
      policy_(settings_.policy),
      cores_(std::make_unique<TermCores>()) {
  for (const auto& edge : graph.edges) {
    if (NotYetRecorded(graph, edge.source, as_of_)) continue;
    sources_[edge.derived].emplace_back(edge.source, edge.relation);
  }
}

LicensingEvaluator::~LicensingEvaluator() = default;

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
        if (!memo_.count(source) && graph_.nodes.count(source))
          stack.emplace_back(source, false);
      }
      continue;
    }
    const RightsNode& node = graph_.nodes.at(id);
    std::vector<Term> all = TermsInForce(node, !sources.empty(), graph_, as_of_, *cores_);
    for (const auto& [source, relation] : sources) {
      auto it = memo_.find(source);
      if (it == memo_.end()) continue;  // outside a truncated subgraph
      const auto made_then =
          TermsForWorkMadeAt(graph_.nodes.at(source), sources_.count(source) > 0,
                             it->second, node, graph_, as_of_, *cores_);
      CarryAcross(PropagationOf(relation), node, made_then ? *made_then : it->second,
                  graph_.licences, settings_.consent_withdrawal, *cores_, all);
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
  return ChainTerm{.kind = std::string(TermKindName(t.core->kind)),
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
    if (t.core->kind == TermKind::kAttribution && !t.core->value.empty() &&
        credits.insert(t.core->value).second) {
      chain.credits.push_back(t.core->value);
    }
    chain.terms.push_back(ToChainTerm(t));
  }
  if (graph_.truncated) {
    chain.terms.push_back(
        {.kind = "finding",
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
  auto reason = [&](const Term& t, Verdict effect, std::string rule,
                    std::string message) {
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
    records::Reason r{effect,
                      std::move(rule),
                      StrCat(message, "; via ", Describe(path)),
                      t.core->licence_id,
                      t.core->party,
                      path};
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
                 StrCat(t.core->licence_id,
                        " forbids sharing adapted material, and this is adapted "
                        "from it: ",
                        use_name));
        }
        break;
      case TermKind::kShareAlike:
        share_alike_families.insert(t.core->value);
        share_alike_conflict.risk = share_alike_conflict.risk && t.risk;
        share_alike_conflict.open = share_alike_conflict.open && t.open;
        if (!share_alike_conflict.path ||
            Length(t.path) < Length(share_alike_conflict.path)) {
          share_alike_conflict.path = t.path;
          share_alike_conflict.risk_via = t.risk_via;
        }
        if (use != IntendedUse::kInternalResearch && use != IntendedUse::kTraining) {
          reason(t, Verdict::kAllowed, "share-alike",
                 StrCat("adapted material must be shared under ", t.core->value, " (",
                        t.core->licence_id, ")"));
        }
        break;
      case TermKind::kPurposeLimit: {
        const Verdict effect = PurposeLimitEffect(t.core->list, use);
        if (effect != Verdict::kAllowed) {
          reason(
              t, effect, "purpose-limit",
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
                 StrCat(t.core->licence_id,
                        " forbids training other models on its outputs"));
        }
        break;
      case TermKind::kNamingPrefix:
        if ((node.kind == Kind::kWeights || node.kind == Kind::kModel) &&
            IsDistribution(use)) {
          if (node.name.rfind(t.core->value, 0) != 0) {
            reason(t, Verdict::kReview, "naming",
                   StrCat(t.core->licence_id,
                          " requires a derived model's name to begin with '",
                          t.core->value, "'; '", node.name, "' does not"));
          } else {
            reason(t, Verdict::kAllowed, "naming",
                   StrCat(t.core->licence_id, ": the name begins with '", t.core->value,
                          "'"));
          }
        }
        break;
      case TermKind::kAttribution:
        if (!t.core->value.empty()) credits.insert(t.core->value);
        if (use == IntendedUse::kInternalResearch || use == IntendedUse::kTraining) break;
        if (t.core->value.empty() && IsDistribution(use)) {
          reason(t, Verdict::kReview, "attribution",
                 StrCat(t.core->licence_id,
                        " requires attribution, and no one to credit is recorded "
                        "(rmtc license attach ... --attribution)"));
        } else {
          reason(t, Verdict::kAllowed, "attribution",
                 StrCat("credit ", t.core->value.empty() ? "the licensor" : t.core->value,
                        t.core->message.empty() ? ""
                                                : StrCat(" (\"", t.core->message, "\")"),
                        " under ", t.core->licence_id));
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
        if (use == IntendedUse::kTraining &&
            t.core->training != TrainingPermission::kAllowed) {
          reason(t,
                 t.core->training == TrainingPermission::kNotAllowed ? Verdict::kDenied
                                                                     : Verdict::kReview,
                 "training",
                 StrCat(t.core->licence_id,
                        t.core->training == TrainingPermission::kNotAllowed
                            ? " does not allow training on it"
                            : " does not say whether training is allowed"));
        }
        break;
      case TermKind::kConsent:
        if (use == IntendedUse::kTraining && ConsentRefuses(t.core->consent_value)) {
          if (t.core->consent_key == ConsentKey::kAiTraining) {
            reason(t, Verdict::kDenied, "consent",
                   StrCat(t.core->party, " does not allow ai_training (",
                          ConsentValueName(t.core->consent_value), ")"));
          } else if (t.core->consent_key == ConsentKey::kAiGenerativeTraining) {
            reason(t, Verdict::kReview, "consent",
                   StrCat(t.core->party,
                          " does not allow ai_generative_training: only a "
                          "non-generative model may be trained on it"));
          }
        }
        break;
      case TermKind::kLicensee:
      case TermKind::kJurisdiction:
        if (auto grant = GrantEffect(*t.core, settings_)) {
          reason(t, grant->effect, grant->rule, grant->message);
        }
        break;
      case TermKind::kChoice:
        break;
    }
  }
  if (share_alike_families.size() > 1) {
    const Verdict effect = IsDistribution(use) ? Verdict::kDenied
                           : use == IntendedUse::kCommercialProduction
                               ? Verdict::kReview
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
    check.reasons.push_back({Verdict::kReview,
                             "too-large",
                             "the upstream subgraph is too large to evaluate whole",
                             "",
                             "",
                             {root}});
  }
  check.credits.assign(credits.begin(), credits.end());
  return check;
}

}  // namespace rmtc::lineage
