#include "lineage/licensing_evaluator.h"

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>

#include "common/strings.h"
#include "lineage/clearances.h"
#include "lineage/propagation.h"
#include "lineage/terms_in_force.h"

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

}  // namespace

LicensingEvaluator::LicensingEvaluator(const RightsGraph& graph, records::Timestamp as_of,
                                       records::Policy policy)
    : graph_(graph),
      as_of_(as_of),
      policy_(policy),
      cores_(std::make_unique<TermCores>()),
      clearances_(std::make_unique<Clearances>(graph, as_of)) {
  for (const auto& edge : graph.edges) {
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
      CarryAcross(PropagationOf(relation), node, it->second, graph_.licences, *cores_,
                  all);
    }
    std::unordered_map<Term::Identity, Term, Term::IdentityHash> unique;
    unique.reserve(all.size());
    for (auto& t : all) {
      auto id = t.Id();
      // Clearances: a clearance lifts a term by its path, so the same term
      // from another origin must stay to be judged on its own.
      if (!graph_.clearances.empty()) id.origin = OriginOf(t.path);
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
    // Clearances: the ones that lift this term, listed next to it.
    const std::string_view rule = RuleOfTerm(*t.core);
    if (!rule.empty()) {
      for (const auto* c : clearances_->Covering(
               {rule, t.core->licence_id, t.core->party}, chain.terms.back().path)) {
        chain.terms.back().clearances.push_back(RefOf(*c));
      }
    }
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
    // Clearances: a clearance in force that lifts it moves it to `cleared`.
    if (effect != Verdict::kAllowed) {
      if (const auto* c =
              clearances_->Lifting({r.rule, r.licence_id, r.party}, path, use)) {
        r.clearance = RefOf(*c);
        check.cleared.push_back(std::move(r));
        return;
      }
    }
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
