// Licences, their attachment to artefacts, artists' consents, and the
// answers the licensing evaluation gives: data only.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "records/artefact.h"

namespace rmtc::records {

// Ordered from least to most restrictive; unknown is not on the scale: it
// always asks for a person to look (REVIEW).
enum class FieldOfUse { kCommercial, kNonCommercial, kAcademicOnly, kUnknown };
enum class TrainingPermission { kAllowed, kNotAllowed, kUnknown };
// Whether work made while a licence was in force keeps its rights once the
// licence has expired; `none` (the licence is silent) asks for review.
enum class SurvivesExpiry { kNone, kDerivativesMadeDuringTerm };

// What a licence allows, demands and forbids (docs/licensing.md).
struct LicenceTerms {
  FieldOfUse field_of_use = FieldOfUse::kUnknown;
  // Obligations.
  bool attribution = false;     // credit the rights holder
  std::string attribution_how;  // e.g. "Built with Meta Llama 3"
  std::string share_alike;      // the family adaptations must stay in ("" : none)
  bool notice = false;          // keep notices, state changes
  std::string naming_prefix;    // derived models' names must start with this
  bool include_licence_text = false;
  // Restrictions.
  bool no_derivatives = false;                // adapted material may not be shared
  std::vector<std::string> use_restrictions;  // use-based (OpenRAIL, acceptable use)
  bool no_training_on_outputs = false;        // outputs may not train other models
  std::vector<std::string> purpose_limit;     // only for these purposes
  // Training.
  TrainingPermission training = TrainingPermission::kUnknown;
  bool results_unrestricted = false;  // terms do not reach trained models
  // Time.
  SurvivesExpiry survives_expiry = SurvivesExpiry::kNone;
};

struct Licence {
  std::string id;  // SPDX identifier or LicenseRef-...
  std::string name;
  std::string url;
  std::string text_sha256;
  LicenceTerms terms;
  std::optional<Timestamp> valid_from;
  std::optional<Timestamp> valid_until;
  std::string licensor;
  std::string licensee;
  std::vector<std::string> jurisdictions;
  std::optional<Timestamp> revoked_at;  // revoked from this time on
  std::string notes;
  Timestamp created_at{};
};

// A licence expression attached to an artefact. The latest attachment
// before a moment is the one in force then.
struct LicenceAttachment {
  Uuid artefact;
  std::string expression;                // as given, e.g. "MIT OR CC-BY-NC-4.0"
  std::vector<std::string> licence_ids;  // every id in it
  std::string attribution;               // whom to credit ("" : the licensor)
  Timestamp attached_at{};
  std::string attached_by;
};

// The alternative chosen where an expression offers a choice (OR).
struct LicenceElection {
  Uuid artefact;
  std::string licence_id;
  Timestamp elected_at{};
  std::string elected_by;
};

// The C2PA / CAWG training-and-mining assertions.
enum class ConsentKey { kAiTraining, kAiGenerativeTraining, kDataMining, kAiInference };
inline constexpr int kConsentKeyCount = 4;
enum class ConsentValue { kAllowed, kNotAllowed, kConstrained };

// A party's statement about an artefact from `effective_at` on. Keys not
// given keep the party's earlier statement.
struct ConsentRecord {
  Uuid artefact;
  std::string party;
  std::optional<ConsentValue> values[kConsentKeyCount];
  Timestamp effective_at{};
  Timestamp recorded_at{};
  std::string recorded_by;
  std::string note;
};

// What a use check is asked about.
enum class IntendedUse {
  kInternalResearch,
  kCommercialProduction,
  kClientDelivery,
  kPublicRelease,
  kTraining,
};

enum class Policy { kStrict, kPermissive };
enum class Verdict { kAllowed, kReview, kDenied };  // ordered: worst last
// A consent refused after a work was made from the material: deny the work
// (strict studios) or ask for a review.
enum class ConsentWithdrawal { kDeny, kReview };

// How one evaluation judges: the moment, the deployment's choices and what
// the request adds. Empty `studio` or `jurisdiction`: not evaluated.
struct EvaluationSettings {
  Timestamp as_of{};
  Policy policy = Policy::kStrict;  // how training risks count
  ConsentWithdrawal consent_withdrawal = ConsentWithdrawal::kDeny;
  std::string studio;                       // whom licences are granted to
  std::vector<std::string> studio_aliases;  // other names it holds them under
  std::string jurisdiction;                 // where the use happens ("NZ")
};

// Every distinct source behind a reason or term (the artefacts holding the
// licence or consent it comes from), each with a path from the artefact
// asked about. The paths share their common parts: the steps form a tree
// rooted at that artefact, so the size stays linear in the subgraph however
// many sources there are (a dataset of 1,000 assets under one licence).
struct SourceTree {
  std::vector<Uuid> steps;   // steps[0]: the artefact asked about
  std::vector<int> toward;   // per step, the step one hop nearer steps[0]; -1 there
  std::vector<int> sources;  // the steps that are sources, nearest first

  // The path from the artefact asked about (first) to sources[i] (last).
  std::vector<Uuid> PathTo(std::size_t i) const;
  // The tree of only sources[i] for each i in `which` (in that order).
  SourceTree Subset(const std::vector<std::size_t>& which) const;
};

// A recorded grant by a named party that lifts terms for some uses of some
// artefacts: a commercial licence bought for NC material, a rights holder's
// written permission for one project (docs/licensing.md §12). Append-only;
// revoked from a time on by a separate record (the earliest counts).
struct Clearance {
  Uuid id;
  std::string party;                     // who grants it
  std::string evidence;                  // a contract id, a document digest or a URL
  std::optional<Timestamp> valid_from;   // nullopt: no start
  std::optional<Timestamp> valid_until;  // nullopt: no end
  // Scope: terms that reach the checked artefact through `artefact` ...
  Uuid artefact;
  // ... and through `downstream` (or the checked artefact is it) ...
  std::optional<Uuid> downstream;
  std::string facility;  // ... checked at this facility ("" : any) ...
  std::string project;   // ... of this project (attribute "project"; "" : any) ...
  std::vector<IntendedUse> uses;  // ... for these uses (empty: every use).
  // What it lifts: reasons with one of these rules, from this licence (""
  // : any), whose rights holder is this party ("" : any).
  std::vector<std::string> rules;
  std::string licence_id;
  std::string rights_holder;
  std::string note;
  std::optional<Timestamp> revoked_at;  // the earliest revocation
  Timestamp created_at{};
  std::string created_by;
};

// A clearance as a check or chain names it next to what it lifts.
struct ClearanceRef {
  Uuid id;
  std::string party;
  std::string evidence;
  std::vector<IntendedUse> uses;  // empty: every use
};

// One reason in a chain or a verdict: which rule, from which licence or
// consent, reached through which artefacts.
struct Reason {
  Verdict effect = Verdict::kAllowed;  // what it does to the verdict
  std::string rule;                    // e.g. "field-of-use", "consent", "no-licence"
  std::string message;                 // for people
  std::string licence_id;              // the licence behind it, if any
  std::string party;                   // the consenting party, if any
  std::vector<Uuid> path;              // from the checked artefact to the nearest source
  SourceTree sources;                  // every source, with its path
  // Set on a reason a clearance lifts (UseCheck::cleared): which one.
  std::optional<ClearanceRef> clearance;
};

// One artefact of the subgraph, with its licensing records (full history;
// the evaluator picks what is in force at the moment asked about).
struct RightsNode {
  Uuid id;
  Kind kind = Kind::kDataset;
  std::string name;
  bool generative = false;  // a run whose model generates content (attribute)
  std::string facility;     // for a clearance scoped to a facility
  std::string project;      // the string attribute "project", for the same
  // When it was recorded: the work "made" then, for licences and consents
  // that end later, and absent from answers as of an earlier moment.
  Timestamp created_at{};
  std::vector<LicenceAttachment> attachments;
  std::vector<LicenceElection> elections;
  std::vector<ConsentRecord> consents;
};

// The upstream subgraph of the artefacts being judged.
struct RightsGraph {
  std::unordered_map<Uuid, RightsNode> nodes;
  std::vector<Edge> edges;                            // derived -> source
  std::unordered_map<std::string, Licence> licences;  // those named
  std::vector<Clearance> clearances;  // those whose `artefact` is in the graph
  bool truncated = false;             // the store stopped before the whole subgraph
};

}  // namespace rmtc::records

namespace rmtc::records {

// Names as the API, CLI, JSON and docs spell them: kebab-case. The
// *FromName functions also accept camelCase ("notAllowed", as C2PA and the
// database's consent_value enum spell it).
std::string_view FieldOfUseName(FieldOfUse value);                  // "non-commercial"
std::string_view TrainingPermissionName(TrainingPermission value);  // "not-allowed"
std::string_view SurvivesExpiryName(SurvivesExpiry value);          // "none"
std::string_view ConsentWithdrawalName(ConsentWithdrawal value);    // "review"
std::string_view ConsentKeyName(ConsentKey key);                    // "ai_training"
std::string_view ConsentValueName(ConsentValue value);              // "not-allowed"
std::string_view IntendedUseName(IntendedUse use);                  // "client-delivery"
std::string_view PolicyName(Policy policy);                         // "strict"
std::string_view VerdictName(Verdict verdict);                      // "ALLOWED"
std::optional<FieldOfUse> FieldOfUseFromName(std::string_view name);
std::optional<TrainingPermission> TrainingPermissionFromName(std::string_view name);
std::optional<SurvivesExpiry> SurvivesExpiryFromName(std::string_view name);
std::optional<ConsentWithdrawal> ConsentWithdrawalFromName(std::string_view name);
std::optional<ConsentValue> ConsentValueFromName(std::string_view name);
std::optional<IntendedUse> IntendedUseFromName(std::string_view name);
std::optional<Policy> PolicyFromName(std::string_view name);

}  // namespace rmtc::records
