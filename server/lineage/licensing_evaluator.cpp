#include "lineage/licensing_evaluator.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <tuple>
#include <unordered_map>

#include "common/strings.h"
#include "lineage/clearances.h"
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

// Terms equal but for their ways are one term, with every way kept (its
// path is the shortest): carrying one term from 1,000 sources on costs what
// carrying one does, and each source can still be named.
std::vector<Term> LicensingEvaluator::OneOfEach(std::vector<Term> all) {
  stats_.terms_carried += all.size();
  std::unordered_map<Term::Identity, std::size_t, Term::IdentityHash> index;
  index.reserve(all.size());
  std::vector<Term> terms;
  std::vector<std::pair<std::size_t, Path>> more;  // (term, another way), rare
  for (auto& t : all) {
    const auto [slot, added] = index.try_emplace(t.Id(), terms.size());
    if (added) {
      terms.push_back(std::move(t));
    } else {
      more.emplace_back(slot->second, std::move(t.path));
    }
  }
  std::stable_sort(more.begin(), more.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Path> ways;
  for (std::size_t i = 0; i < more.size();) {
    const std::size_t term = more[i].first;
    ways.assign(1, terms[term].path);
    for (; i < more.size() && more[i].first == term; ++i) ways.push_back(more[i].second);
    terms[term].path = MergeWays(ways);
  }
  return terms;
}

records::SourceTree LicensingEvaluator::Sources(const Path& path) {
  records::SourceTree tree = SourcesOf(path);
  stats_.steps_listed += tree.steps.size();
  return tree;
}

// "; from 3 sources: dataset 'a', dataset 'b', dataset 'c'" when a reason
// has more than one; the first five are named, nearest first.
std::string LicensingEvaluator::NameSources(const records::SourceTree& tree) const {
  const std::size_t n = tree.sources.size();
  if (n < 2) return "";
  constexpr std::size_t kNamed = 5;
  std::vector<Uuid> named;
  for (std::size_t i = 0; i < std::min(n, kNamed); ++i)
    named.push_back(tree.steps[tree.sources[i]]);
  return StrCat("; from ", n, " sources: ", Describe(named, ", "),
                n > kNamed ? StrCat(" and ", n - kNamed, " more") : std::string());
}

// The parts of `reason` that clearances lift, one per clearance, and the
// part none lifts; each with the sources it covers. Without clearances in
// force, `reason` as it is.
std::vector<records::Reason> LicensingEvaluator::SplitByClearance(records::Reason reason,
                                                                  IntendedUse use) const {
  std::vector<records::Reason> parts;
  if (clearances_->empty()) {
    parts.push_back(std::move(reason));
    return parts;
  }
  const LiftedReason lifted{reason.rule, reason.licence_id, reason.party};
  std::vector<const records::Clearance*> by;  // distinct, in order of first use
  std::vector<std::vector<std::size_t>> lifts;
  std::vector<std::size_t> standing;
  for (std::size_t i = 0; i < reason.sources.sources.size(); ++i) {
    const auto* c = clearances_->Lifting(lifted, reason.sources.PathTo(i), use);
    if (c == nullptr) {
      standing.push_back(i);
      continue;
    }
    const auto at = std::find(by.begin(), by.end(), c) - by.begin();
    if (at == static_cast<std::ptrdiff_t>(by.size())) {
      by.push_back(c);
      lifts.emplace_back();
    }
    lifts[at].push_back(i);
  }
  if (by.empty()) {
    parts.push_back(std::move(reason));
    return parts;
  }
  auto part = [&](const std::vector<std::size_t>& which, const records::Clearance* c) {
    records::Reason p{.effect = reason.effect,
                      .rule = reason.rule,
                      .licence_id = reason.licence_id,
                      .party = reason.party,
                      .sources = reason.sources.Subset(which)};
    p.path = p.sources.PathTo(0);
    if (c != nullptr) p.clearance = RefOf(*c);
    parts.push_back(std::move(p));
  };
  if (!standing.empty()) part(standing, nullptr);
  for (std::size_t k = 0; k < by.size(); ++k) part(lifts[k], by[k]);
  return parts;
}

LicensingEvaluator::LicensingEvaluator(const RightsGraph& graph, records::Timestamp as_of,
                                       records::Policy policy)
    : LicensingEvaluator(graph,
                         records::EvaluationSettings{.as_of = as_of, .policy = policy}) {}

LicensingEvaluator::LicensingEvaluator(const RightsGraph& graph,
                                       records::EvaluationSettings settings)
    : graph_(graph),
      settings_(std::move(settings)),
      cores_(std::make_unique<TermCores>()),
      clearances_(std::make_unique<Clearances>(graph, settings_.as_of)) {
  for (const auto& edge : graph.edges) {
    if (NotYetRecorded(graph, edge.source, settings_.as_of)) continue;
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
    std::vector<Term> all =
        TermsInForce(node, !sources.empty(), graph_, settings_.as_of, *cores_);
    for (const auto& [source, relation] : sources) {
      auto it = memo_.find(source);
      if (it == memo_.end()) continue;  // outside a truncated subgraph
      const auto made_then =
          TermsForWorkMadeAt(graph_.nodes.at(source), sources_.count(source) > 0,
                             it->second, node, graph_, settings_.as_of, *cores_);
      CarryAcross(PropagationOf(relation), node, made_then ? *made_then : it->second,
                  graph_.licences, settings_.consent_withdrawal, *cores_, all);
    }
    memo_.emplace(id, OneOfEach(std::move(all)));
  }
  return memo_.at(root);
}

// A path in a message: whole up to ten artefacts; longer, its first five
// and last four around "(N more)". A frame made by a 50-deep fine-tune
// chain has a hundred hops on every one of its reasons; the message names
// where it starts and ends, `path` holds every hop.
std::string LicensingEvaluator::DescribeVia(const std::vector<Uuid>& path) const {
  constexpr std::size_t kWhole = 10, kHead = 5, kTail = 4;
  if (path.size() <= kWhole) return Describe(path);
  return StrCat(Describe({path.begin(), path.begin() + kHead}), " <- (",
                path.size() - kHead - kTail, " more) <- ",
                Describe({path.end() - kTail, path.end()}));
}

std::string LicensingEvaluator::Describe(const std::vector<Uuid>& path,
                                         std::string_view separator) const {
  return StrJoin(path, separator, [&](const Uuid& id) {
    const auto it = graph_.nodes.find(id);
    return it == graph_.nodes.end()
               ? id.ToString()
               : StrCat(KindName(it->second.kind), " '", it->second.name, "'");
  });
}

ChainTerm LicensingEvaluator::ToChainTerm(const Term& t) {
  return ChainTerm{.kind = std::string(TermKindName(t.core->kind)),
                   .value = t.core->value,
                   .risk = t.risk,
                   .open = t.open,
                   .evaluation = t.evaluation,
                   .effect = t.core->effect,
                   .message = t.core->message,
                   .licence_id = t.core->licence_id,
                   .party = t.core->party,
                   .path = ToVector(t.path),
                   .sources = Sources(t.path)};
}

LicensingChain LicensingEvaluator::Chain(const Uuid& root) {
  LicensingChain chain;
  std::set<std::string> credits;
  for (const Term& t : TermsOf(root)) {
    if (t.core->kind == TermKind::kFieldOfUse && !t.risk && !t.open && !t.evaluation &&
        static_cast<int>(t.core->field) > static_cast<int>(chain.field_of_use)) {
      chain.field_of_use = t.core->field;
    }
    if (t.core->kind == TermKind::kAttribution && !t.core->value.empty() &&
        credits.insert(t.core->value).second) {
      chain.credits.push_back(t.core->value);
    }
    chain.terms.push_back(ToChainTerm(t));
    // Clearances: the ones that lift this term for at least one of its
    // sources, listed next to it (a use check says which sources).
    const std::string_view rule = RuleOfTerm(*t.core);
    if (!rule.empty() && !clearances_->empty()) {
      ChainTerm& term = chain.terms.back();
      std::set<const records::Clearance*> listed;
      for (std::size_t i = 0; i < term.sources.sources.size(); ++i) {
        for (const auto* c : clearances_->Covering(
                 {rule, t.core->licence_id, t.core->party}, term.sources.PathTo(i))) {
          if (listed.insert(c).second) term.clearances.push_back(RefOf(*c));
        }
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
  // Reasons with the same effect, rule and message are one reason with all
  // their sources (two NC datasets give one DENIED naming both). An
  // obligation binds if any of its ways binds; it is marked a risk only if
  // every way is one.
  struct Grouped {
    std::vector<Path> ways;
    std::string licence_id, party;
    const char* risk_via = nullptr;  // set while every way is a risk
  };
  using Key = std::tuple<int, std::string, std::string, std::string, std::string>;
  std::map<Key, Grouped> grouped;  // worst effect first, then by rule and message
  auto reason = [&](const Term& t, Verdict effect, std::string rule,
                    std::string message) {
    // A risk under the permissive policy, or a term only an unelected
    // alternative brings, can at worst ask for a review.
    if (effect == Verdict::kDenied && t.risk &&
        settings_.policy == records::Policy::kPermissive) {
      effect = Verdict::kReview;
      message += StrCat(" (a risk carried through ", t.risk_via,
                        "; the permissive policy asks for a review)");
    } else if (t.risk && effect != Verdict::kAllowed) {
      message += StrCat(" (a risk: it reached this artefact through ", t.risk_via, ")");
    }
    if (effect == Verdict::kDenied && t.open) {
      effect = Verdict::kReview;
      message += " (unless another alternative of the licence is elected)";
    }
    // Evaluating on data is a use of it, but measuring a model is not
    // making or shipping anything: a person looks (DENIED stays for a
    // refused data_mining consent, a finding of its own).
    if (t.evaluation && effect != Verdict::kAllowed) {
      effect = Verdict::kReview;
      message += StrCat(" (evaluation data: ", KindName(node.kind), " '", node.name,
                        "' is evaluated_on it, itself a use; nothing of it reaches "
                        "what the run makes)");
    }
    auto [slot, added] =
        grouped.try_emplace(Key{-static_cast<int>(effect), std::move(rule),
                                std::move(message), t.core->licence_id, t.core->party});
    Grouped& g = slot->second;
    if (added) {
      g.licence_id = t.core->licence_id;
      g.party = t.core->party;
      g.risk_via = t.risk ? t.risk_via : nullptr;
    } else if (!t.risk) {
      g.risk_via = nullptr;
    }
    g.ways.push_back(t.path);
  };
  auto emit = [&] {
    for (auto& [key, g] : grouped) {
      const auto effect = static_cast<Verdict>(-std::get<0>(key));
      std::string message = std::get<2>(key);
      if (effect == Verdict::kAllowed && g.risk_via != nullptr) {
        message += StrCat(" (a risk: it reached this artefact through ", g.risk_via, ")");
      }
      const Path merged = MergeWays(g.ways);
      records::Reason r{.effect = effect,
                        .rule = std::get<1>(key),
                        .licence_id = g.licence_id,
                        .party = g.party,
                        .path = ToVector(merged),
                        .sources = Sources(merged)};
      if (effect == Verdict::kAllowed) {
        r.message =
            StrCat(message, NameSources(r.sources), "; via ", DescribeVia(r.path));
        check.obligations.push_back(std::move(r));
        continue;
      }
      // Clearances: judged source by source, so a clearance from one rights
      // holder lifts that holder's sources and leaves the others standing.
      for (auto& part : SplitByClearance(std::move(r), use)) {
        part.message =
            StrCat(message, NameSources(part.sources), "; via ", DescribeVia(part.path));
        if (part.clearance) {
          check.cleared.push_back(std::move(part));
        } else {
          check.verdict = std::max(check.verdict, effect);
          check.reasons.push_back(std::move(part));
        }
      }
    }
  };
  std::set<std::string> share_alike_families;
  // The conflict is a risk (or open) only if every family's term is.
  Term share_alike_conflict;
  share_alike_conflict.core = cores_->Intern(TermCore{.kind = TermKind::kShareAlike});
  share_alike_conflict.risk = true;
  share_alike_conflict.open = true;
  std::vector<Path> share_alike_ways;
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
        share_alike_ways.push_back(t.path);
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
      share_alike_conflict.path = MergeWays(share_alike_ways);
      reason(share_alike_conflict, effect, "share-alike-conflict",
             StrCat("share-alike families conflict: ",
                    StrJoin(share_alike_families, " and ",
                            [](const std::string& s) { return s; }),
                    " cannot all be honoured in one work"));
    }
  }
  emit();
  if (graph_.truncated) {
    check.verdict = std::max(check.verdict, Verdict::kReview);
    check.reasons.push_back(
        {.effect = Verdict::kReview,
         .rule = "too-large",
         .message = "the upstream subgraph is too large to evaluate whole",
         .path = {root}});
  }
  check.credits.assign(credits.begin(), credits.end());
  return check;
}

}  // namespace rmtc::lineage
