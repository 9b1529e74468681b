#include "lineage/terms_in_force.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "common/strings.h"
#include "lineage/spdx.h"

namespace rmtc::lineage {

using records::ConsentKey;
using records::FieldOfUse;
using records::Kind;
using records::RightsNode;
using records::Verdict;

namespace {

bool IsContent(Kind kind) {
  return kind == Kind::kDataset || kind == Kind::kAsset || kind == Kind::kModel ||
         kind == Kind::kWeights;
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

// When `party`'s refusal on consent key `k` in force at `as_of` began: the
// first of the refusals since its last statement that did not refuse.
records::Timestamp RefusedSince(const RightsNode& node, const std::string& party, int k,
                                records::Timestamp as_of) {
  std::vector<const records::ConsentRecord*> said;
  for (const auto& record : node.consents) {
    if (record.party == party && record.values[k] && record.effective_at <= as_of) {
      said.push_back(&record);
    }
  }
  std::stable_sort(said.begin(), said.end(), [](const auto* a, const auto* b) {
    return a->effective_at < b->effective_at;
  });
  records::Timestamp since{};
  bool refusing = false;
  for (const auto* record : said) {
    const bool refuses = ConsentRefuses(*record->values[k]);
    if (refuses && !refusing) since = record->effective_at;
    refusing = refuses;
  }
  return since;
}

bool IsOwnLapse(const Term& t) {
  return t.core->kind == TermKind::kFinding && t.core->rule == "licence-not-in-force" &&
         Length(t.path) == 1;
}

}  // namespace

std::optional<std::vector<Term>> TermsForWorkMadeAt(
    const RightsNode& source, bool has_sources, const std::vector<Term>& source_terms,
    const RightsNode& work, const records::RightsGraph& graph, records::Timestamp as_of,
    TermCores& cores) {
  if (source.attachments.empty() || work.created_at >= as_of ||
      std::none_of(source_terms.begin(), source_terms.end(), IsOwnLapse)) {
    return std::nullopt;
  }
  std::vector<Term> then =
      TermsInForce(source, has_sources, graph, as_of, work.created_at, cores);
  if (std::any_of(then.begin(), then.end(), IsOwnLapse)) return std::nullopt;
  // Its own terms as they were when the work was made; what reached it from
  // further upstream as it is now.
  std::set<std::string> ended;
  for (const Term& t : then) {
    if (t.core->kind == TermKind::kFieldOfUse) ended.insert(t.core->licence_id);
  }
  for (const Term& t : source_terms) {
    if (Length(t.path) > 1) then.push_back(t);
  }
  for (const auto& id : ended) {
    const records::Licence& licence = graph.licences.at(id);
    const bool revoked = licence.revoked_at && *licence.revoked_at <= as_of;
    const bool expired = licence.valid_until && *licence.valid_until <= as_of;
    if (!revoked &&
        (!expired || licence.terms.survives_expiry ==
                         records::SurvivesExpiry::kDerivativesMadeDuringTerm)) {
      continue;  // still in force, or the work keeps its rights
    }
    TermCore core{.kind = TermKind::kFinding};
    core.effect = Verdict::kReview;
    core.rule = "licence-ended";
    core.licence_id = id;
    core.message = StrCat(
        KindName(work.kind), " '", work.name, "' was made while ", id, " was in force; ",
        revoked ? StrCat("it was revoked on ", FormatDate(*licence.revoked_at),
                         " (whether work made before a revocation keeps its rights "
                         "is for counsel)")
                : StrCat("it expired on ", FormatDate(*licence.valid_until),
                         ", and it does not say that work made during its term keeps "
                         "its rights (survives_expiry)"));
    Term t;
    t.core = cores.Intern(std::move(core));
    t.path = PathOf(source.id);
    then.push_back(std::move(t));
  }
  return then;
}

std::string FormatDate(records::Timestamp t) {
  const auto days = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd(days);
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

std::vector<Term> TermsInForce(const RightsNode& node, bool has_sources,
                               const records::RightsGraph& graph,
                               records::Timestamp as_of, TermCores& cores) {
  return TermsInForce(node, has_sources, graph, as_of, as_of, cores);
}

std::vector<Term> TermsInForce(const RightsNode& node, bool has_sources,
                               const records::RightsGraph& graph,
                               records::Timestamp as_of, records::Timestamp licences_at,
                               TermCores& cores) {
  std::vector<Term> terms;
  const records::LicenceAttachment* attachment = nullptr;
  for (const auto& a : node.attachments) {
    if (a.attached_at <= as_of &&
        (!attachment || a.attached_at >= attachment->attached_at)) {
      attachment = &a;
    }
  }
  if (attachment == nullptr) {
    // Fail closed: content that comes from nowhere needs a licence.
    if (IsContent(node.kind) && !has_sources) {
      terms.push_back(Finding(cores, Verdict::kReview, "no-licence",
                              StrCat("no licence is recorded for ", KindName(node.kind),
                                     " '", node.name, "'"),
                              node.id));
    }
  } else {
    const auto& expression = cores.Parsed(attachment->expression, graph);
    if (!expression.ok()) {
      terms.push_back(
          Finding(cores, Verdict::kReview, "licence-unreadable",
                  StrCat("the licence of '", node.name, "' (", attachment->expression,
                         ") names an unknown licence"),
                  node.id));
      return terms;
    }
    // The alternatives whose every licence is in force now.
    std::vector<std::string> not_in_force;
    std::vector<const std::set<std::string>*> live;
    for (const auto& alternative : expression->alternatives) {
      bool ok = true;
      for (const auto& id : alternative) {
        const std::string why = NotInForce(graph.licences.at(id), licences_at);
        if (!why.empty()) {
          ok = false;
          if (std::find(not_in_force.begin(), not_in_force.end(), why) ==
              not_in_force.end()) {
            not_in_force.push_back(why);
          }
        }
      }
      if (ok) live.push_back(&alternative);
    }
    const records::LicenceElection* election = nullptr;
    for (const auto& e : node.elections) {
      const auto& ids = expression->licence_ids;
      if (e.elected_at <= as_of && e.elected_at >= attachment->attached_at &&
          std::find(ids.begin(), ids.end(), e.licence_id) != ids.end() &&
          (!election || e.elected_at >= election->elected_at)) {
        election = &e;
      }
    }
    std::vector<const std::set<std::string>*> chosen = live;
    if (election != nullptr && expression->HasChoice()) {
      std::erase_if(chosen,
                    [&](const auto* a) { return !a->count(election->licence_id); });
      // An elected licence that lapsed leaves the other alternatives open.
      if (chosen.empty()) chosen = live;
    }
    if (chosen.empty()) {
      std::string why =
          StrJoin(not_in_force, "; ", [](const std::string& s) { return s; });
      terms.push_back(Finding(
          cores, Verdict::kDenied, "licence-not-in-force",
          StrCat("no licence of '", node.name, "' is in force (", attachment->expression,
                 election ? StrCat(", elected ", election->licence_id) : std::string(),
                 "): ", why.empty() ? "none granted" : why, "; it grants nothing"),
          node.id));
    } else {
      std::set<std::string> all, firm = *chosen.front();
      for (const auto* alternative : chosen) {
        all.insert(alternative->begin(), alternative->end());
        std::set<std::string> both;
        std::set_intersection(firm.begin(), firm.end(), alternative->begin(),
                              alternative->end(), std::inserter(both, both.begin()));
        firm = std::move(both);
      }
      if (all.size() != firm.size()) {
        TermCore core{.kind = TermKind::kChoice};
        core.value = attachment->expression;
        core.message =
            StrCat("'", node.name, "' is offered under ", attachment->expression,
                   "; no alternative is elected yet (rmtc license elect)");
        Term choice;
        choice.core = cores.Intern(std::move(core));
        choice.path = PathOf(node.id);
        terms.push_back(choice);
      }
      for (const auto& id : all) {
        const records::Licence& licence = graph.licences.at(id);
        const auto& lt = licence.terms;
        auto add = [&](TermKind kind, std::string value = "",
                       const std::function<void(TermCore&)>& more = {}) {
          TermCore core{.kind = kind};
          core.value = std::move(value);
          core.licence_id = id;
          if (more) more(core);
          Term t;
          t.core = cores.Intern(std::move(core));
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
          add(TermKind::kAttribution, who,
              [&](TermCore& c) { c.message = lt.attribution_how; });
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
        if (!licence.licensee.empty()) add(TermKind::kLicensee, licence.licensee);
        if (!licence.jurisdictions.empty()) {
          add(TermKind::kJurisdiction,
              StrJoin(licence.jurisdictions, ", ",
                      [](const std::string& s) { return s; }),
              [&](TermCore& c) { c.list = licence.jurisdictions; });
        }
      }
    }
  }
  // Each party's statement in force, key by key.
  std::map<std::pair<std::string, int>, const records::ConsentRecord*> latest;
  for (const auto& record : node.consents) {
    if (record.effective_at > as_of) continue;
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
    if (ConsentRefuses(core.consent_value)) {
      core.refused_since = RefusedSince(node, key.first, key.second, as_of);
    }
    core.value = StrCat(ConsentKeyName(core.consent_key), "=",
                        ConsentValueName(core.consent_value));
    Term t;
    t.core = cores.Intern(std::move(core));
    t.path = PathOf(node.id);
    terms.push_back(std::move(t));
  }
  return terms;
}

}  // namespace rmtc::lineage
