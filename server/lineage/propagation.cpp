#include "lineage/propagation.h"

#include <algorithm>

#include "common/strings.h"
#include "lineage/terms_in_force.h"

namespace rmtc::lineage {

using records::ConsentKey;
using records::ConsentValue;
using records::Relation;
using records::TrainingPermission;
using records::Verdict;

namespace {

// docs/licensing.md §5, row for row. Why each row: that section.
// clang-format off
constexpr PropagationRule kPropagation[] = {
    // relation              consent gate             generative training carries                   adapts
    {Relation::kDerivedFrom, std::nullopt,             false, false, Carries::kEverything,      true},
    {Relation::kContains,    std::nullopt,             false, false, Carries::kEverything,      false},
    {Relation::kTrainedOn,   ConsentKey::kAiTraining,  true,  true,  Carries::kTrainingResults, true},
    {Relation::kEvaluatedOn, ConsentKey::kDataMining,  false, false, Carries::kEvaluation,      true},
    {Relation::kBase,        std::nullopt,             false, false, Carries::kEverything,      true},
    {Relation::kProducedBy,  std::nullopt,             false, false, Carries::kEverything,      true},
    {Relation::kUses,        std::nullopt,             false, false, Carries::kModelUse,        true},
    {Relation::kInput,       ConsentKey::kAiInference, false, false, Carries::kEverything,      true},
    {Relation::kOutputOf,    std::nullopt,             false, false, Carries::kEverything,      true},
    {Relation::kVariantOf,   std::nullopt,             false, false, Carries::kEverything,      false},
    {Relation::kSupersedes,  std::nullopt,             false, false, Carries::kEverything,      false},
};
// clang-format on
static_assert(std::size(kPropagation) == records::kRelationCount,
              "every relation needs its propagation row");
constexpr bool RowsInRelationOrder() {
  for (int i = 0; i < records::kRelationCount; ++i) {
    if (static_cast<int>(kPropagation[i].relation) != i + 1) return false;
  }
  return true;
}
static_assert(RowsInRelationOrder(), "kPropagation rows follow the Relation enum");

// A refusal that began after `derived` was recorded withdrew a consent the
// work was made under: the deployment's choice, deny (as any refusal) or
// review.
std::optional<TermCore> WithdrawalFinding(const records::RightsNode& derived,
                                          const PropagationRule& rule, const TermCore& c,
                                          records::ConsentWithdrawal withdrawal) {
  if (withdrawal != records::ConsentWithdrawal::kReview ||
      derived.created_at >= c.refused_since) {
    return std::nullopt;
  }
  TermCore core{.kind = TermKind::kFinding};
  core.effect = Verdict::kReview;
  core.rule = "consent-withdrawn";
  core.party = c.party;
  core.message =
      StrCat(c.party, " withdrew ", ConsentKeyName(c.consent_key), " (",
             ConsentValueName(c.consent_value), " from ", FormatDate(c.refused_since),
             ") after ", KindName(derived.kind), " '", derived.name, "' was recorded (",
             FormatDate(derived.created_at), ") as ", RelationName(rule.relation),
             " it; withdrawn consents ask for a review (rmtcd --consent-withdrawal)");
  return core;
}

// The finding a closed gate leaves on the derived artefact, or nullopt
// when `t` passes this row's gates.
std::optional<TermCore> GateFinding(const PropagationRule& rule,
                                    const records::RightsNode& derived, const Term& t,
                                    records::ConsentWithdrawal withdrawal) {
  const TermCore& c = *t.core;
  const bool gated_consent =
      c.kind == TermKind::kConsent &&
      ((rule.consent_gate && c.consent_key == *rule.consent_gate) ||
       (rule.generative_gate && derived.generative &&
        c.consent_key == ConsentKey::kAiGenerativeTraining));
  if (gated_consent && ConsentRefuses(c.consent_value)) {
    if (auto withdrawn = WithdrawalFinding(derived, rule, c, withdrawal))
      return withdrawn;
    TermCore core{.kind = TermKind::kFinding};
    core.effect = Verdict::kDenied;
    core.rule = "consent";
    core.party = c.party;
    core.message =
        StrCat(c.party, " does not allow ", ConsentKeyName(c.consent_key), " (",
               ConsentValueName(c.consent_value), "), and ", KindName(derived.kind), " '",
               derived.name, "' is ", RelationName(rule.relation), " it");
    return core;
  }
  if (!rule.training_gate) return std::nullopt;
  if (c.kind == TermKind::kNoTrainingOnOutputs && t.via_outputs) {
    TermCore core{.kind = TermKind::kFinding};
    core.effect = Verdict::kDenied;
    core.rule = "no-training-on-outputs";
    core.licence_id = c.licence_id;
    core.message = StrCat(c.licence_id, " forbids training other models on its outputs");
    return core;
  }
  if (c.kind == TermKind::kTraining && c.training != TrainingPermission::kAllowed) {
    const bool refused = c.training == TrainingPermission::kNotAllowed;
    TermCore core{.kind = TermKind::kFinding};
    core.effect = refused ? Verdict::kDenied : Verdict::kReview;
    core.rule = refused ? "training-not-allowed" : "training-unknown";
    core.licence_id = c.licence_id;
    core.message =
        refused ? StrCat(c.licence_id, " does not allow training on it")
                : StrCat(c.licence_id, " does not say whether training is allowed");
    return core;
  }
  return std::nullopt;
}

// Whom and where a licence was granted to travel like its field of use:
// whether a model or an output carries them is the same dispute.
bool IsGrant(TermKind kind) {
  return kind == TermKind::kLicensee || kind == TermKind::kJurisdiction;
}

}  // namespace

const PropagationRule& PropagationOf(Relation relation) {
  return kPropagation[static_cast<int>(relation) - 1];
}

void CarryAcross(const PropagationRule& rule, const records::RightsNode& derived,
                 const std::vector<Term>& source_terms,
                 const std::unordered_map<std::string, records::Licence>& licences,
                 records::ConsentWithdrawal withdrawal, TermCores& cores,
                 std::vector<Term>& out) {
  auto carried = [&](const Term& t) {
    Term c = t;
    c.path = Prepend(derived.id, t.path);
    c.adapted = c.adapted || rule.adapts;
    return c;
  };
  auto as_risk = [&](const Term& t, const char* via) {
    Term c = carried(t);
    if (!c.risk) c.risk_via = via;
    c.risk = true;
    return c;
  };
  for (const Term& t : source_terms) {
    // What judged a run as its evaluation data stops at the run.
    if (t.evaluation) continue;
    if (auto finding = GateFinding(rule, derived, t, withdrawal)) {
      Term f = carried(t);
      f.core = cores.Intern(std::move(*finding));
      out.push_back(std::move(f));
      continue;
    }
    const TermKind kind = t.core->kind;
    switch (rule.carries) {
      case Carries::kEverything:
        out.push_back(carried(t));
        break;
      case Carries::kTrainingResults: {
        if (kind == TermKind::kFinding) {
          out.push_back(carried(t));
          break;
        }
        // Consents are spent at the gate; unrestricted results carry nothing.
        const auto licence = licences.find(t.core->licence_id);
        if (licence == licences.end() || licence->second.terms.results_unrestricted)
          break;
        if (kind == TermKind::kFieldOfUse || kind == TermKind::kShareAlike ||
            kind == TermKind::kNoDerivatives || kind == TermKind::kPurposeLimit ||
            IsGrant(kind)) {
          Term c = carried(t);
          c.risk = true;
          c.risk_via = "training";
          out.push_back(std::move(c));
        } else if (kind == TermKind::kAttribution || kind == TermKind::kNotice) {
          // Credit and its notices follow the work (CC BY 4.0 §3(a)).
          out.push_back(carried(t));
        }
        break;
      }
      case Carries::kModelUse:
        if (kind == TermKind::kFinding) {
          out.push_back(carried(t));
        } else if (kind == TermKind::kUseRestriction ||
                   kind == TermKind::kNoTrainingOnOutputs) {
          Term c = carried(t);
          c.via_outputs = true;
          out.push_back(std::move(c));
        } else if (kind == TermKind::kFieldOfUse || IsGrant(kind) ||
                   kind == TermKind::kAttribution || kind == TermKind::kNotice ||
                   kind == TermKind::kIncludeLicenceText ||
                   kind == TermKind::kNamingPrefix) {
          // Credit and notices follow the work into what the model makes.
          out.push_back(as_risk(t, "a model's use"));
        }
        break;
      case Carries::kEvaluation:
        if (kind == TermKind::kFinding || kind == TermKind::kFieldOfUse ||
            kind == TermKind::kPurposeLimit) {
          Term c = carried(t);
          c.evaluation = true;
          out.push_back(std::move(c));
        }
        break;
    }
  }
}

}  // namespace rmtc::lineage
