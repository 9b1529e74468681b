// The licensing records of the RMTC client: licences, consents, and the
// answers the service gives (chains, use checks, impact). Plain structs.
// docs/licensing.md explains every term and rule.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rmtc/export.h"
#include "rmtc/types.h"

namespace rmtc {

// From least to most restrictive; unknown always asks for review.
enum class FieldOfUse { kCommercial, kNonCommercial, kAcademicOnly, kUnknown };
enum class TrainingPermission { kAllowed, kNotAllowed, kUnknown };
// Whether work made while a licence was in force keeps its rights after it
// expires. kUnknown: a value from a newer rmtcd.
enum class SurvivesExpiry { kNone, kDerivativesMadeDuringTerm, kUnknown };
// C2PA / CAWG values; constrained counts as not allowed.
enum class ConsentValue { kAllowed, kNotAllowed, kConstrained, kUnknown };
enum class IntendedUse {
  kInternalResearch,
  kCommercialProduction,
  kClientDelivery,
  kPublicRelease,
  kTraining,  // as training data for a new model
  kUnknown,
};
enum class Policy { kStrict, kPermissive, kUnknown };
// kUnknown (a verdict from a newer rmtcd) is neither allowed nor denied:
// treat it as needing review.
enum class Verdict { kAllowed, kReview, kDenied, kUnknown };

// "non-commercial", "not-allowed", "client-delivery", "strict", "DENIED":
// the names the CLI and JSON use (kebab-case). The *FromName functions also
// accept camelCase: "notAllowed", as C2PA spells consent values. kUnknown is
// "unknown" ("UNKNOWN" for a verdict); only FieldOfUse and
// TrainingPermission accept "unknown" back, where it is a real value.
// SurvivesExpiry: "none", "derivatives-made-during-term".
RMTC_EXPORT std::string_view FieldOfUseName(FieldOfUse value);
RMTC_EXPORT std::string_view TrainingPermissionName(TrainingPermission value);
RMTC_EXPORT std::string_view SurvivesExpiryName(SurvivesExpiry value);
RMTC_EXPORT std::string_view ConsentValueName(ConsentValue value);
RMTC_EXPORT std::string_view IntendedUseName(IntendedUse use);
RMTC_EXPORT std::string_view PolicyName(Policy policy);
RMTC_EXPORT std::string_view VerdictName(Verdict verdict);
RMTC_EXPORT std::optional<FieldOfUse> FieldOfUseFromName(std::string_view name);
RMTC_EXPORT std::optional<TrainingPermission> TrainingPermissionFromName(
    std::string_view name);
RMTC_EXPORT std::optional<SurvivesExpiry> SurvivesExpiryFromName(std::string_view name);
RMTC_EXPORT std::optional<ConsentValue> ConsentValueFromName(std::string_view name);
RMTC_EXPORT std::optional<IntendedUse> IntendedUseFromName(std::string_view name);
RMTC_EXPORT std::optional<Policy> PolicyFromName(std::string_view name);

struct LicenceTerms {
  FieldOfUse field_of_use = FieldOfUse::kUnknown;
  bool attribution = false;
  std::string attribution_how{};
  std::string share_alike{};  // family, "" none
  bool notice = false;
  std::string naming_prefix{};
  bool include_licence_text = false;
  bool no_derivatives = false;
  std::vector<std::string> use_restrictions{};
  bool no_training_on_outputs = false;
  std::vector<std::string> purpose_limit{};
  TrainingPermission training = TrainingPermission::kUnknown;
  bool results_unrestricted = false;
  SurvivesExpiry survives_expiry = SurvivesExpiry::kNone;
};

struct Licence {
  std::string id{};  // SPDX id or LicenseRef-...
  std::string name{};
  std::string url{};
  std::string text_sha256{};
  LicenceTerms terms{};
  std::optional<Time> valid_from{};
  std::optional<Time> valid_until{};
  std::string licensor{};
  std::string licensee{};
  std::vector<std::string> jurisdictions{};
  std::optional<Time> revoked_at{};
  std::string notes{};
  Time created_at{};
};

struct LicencePage {
  std::vector<Licence> licences{};
  std::string next_page_token{};
};

struct LicenceAttachment {
  std::string artefact_id{};
  std::string expression{};
  std::vector<std::string> licence_ids{};
  std::string attribution{};
  Time attached_at{};
  std::string attached_by{};
};

struct LicenceElection {
  std::string artefact_id{};
  std::string licence_id{};
  Time elected_at{};
  std::string elected_by{};
};

// A party's statement; keys left empty keep the party's earlier statement.
struct Consent {
  std::string party{};
  std::optional<ConsentValue> ai_training{};
  std::optional<ConsentValue> ai_generative_training{};
  std::optional<ConsentValue> data_mining{};
  std::optional<ConsentValue> ai_inference{};
  std::optional<Time> effective_at{};  // empty: now
  std::string note{};
};

struct ConsentRecord {
  std::string artefact_id{};
  Consent consent{};
  Time effective_at{};
  Time recorded_at{};
  std::string recorded_by{};
};

struct PathNode {
  std::string id{};
  Kind kind = Kind::kDataset;
  std::string name{};
};

// Every distinct source behind a reason or a term (the artefacts holding
// the licence or consent), each with a path. The paths share their common
// steps: a tree rooted at the artefact asked about.
struct RMTC_EXPORT SourceTree {
  std::vector<std::string> steps{};  // artefact ids; steps[0] is the one asked about
  std::vector<int> toward{};   // per step, the step one hop nearer steps[0]; -1 there
  std::vector<int> sources{};  // indexes into steps, nearest source first

  // The path from the artefact asked about (first) to sources[i] (last);
  // empty if i is out of range or the tree is malformed.
  std::vector<std::string> PathTo(std::size_t i) const;
};

// A party's recorded grant that lifts terms for some uses of some
// artefacts: a commercial licence bought for NC material, a rights holder's
// written permission for one project (docs/licensing.md §12). Never
// changed; RevokeClearance ends it from a time on.
struct Clearance {
  std::string id{};                   // set by rmtcd
  std::string party{};                // who grants it (required)
  std::string evidence{};             // contract id, document digest or URL (required)
  std::optional<Time> valid_from{};   // empty: no start
  std::optional<Time> valid_until{};  // empty: no end
  // Scope: terms that reach the checked artefact through `artefact_id`
  // (required), and through `downstream_id` or at it ("" : anything).
  std::string artefact_id{};
  std::string downstream_id{};
  std::string facility{};           // the checked artefact's facility; "" : any
  std::string project{};            // its string attribute "project"; "" : any
  std::vector<IntendedUse> uses{};  // empty: every use
  // What it lifts: reasons with one of these rules ("field-of-use",
  // "consent", ...), from this licence ("" : any), whose rights holder is
  // this party ("" : any).
  std::vector<std::string> rules{};
  std::string licence_id{};
  std::string rights_holder{};
  std::string note{};
  std::optional<Time> revoked_at{};  // set by RevokeClearance only
  Time created_at{};
  std::string created_by{};
};

struct ClearancePage {
  std::vector<Clearance> clearances{};  // by id
  std::string next_page_token{};
};

// Which clearances to list: naming the artefact (cleared or downstream),
// granted by the party; "" : any.
struct ClearanceFilter {
  std::string artefact_id{};
  std::string party{};
};

// A clearance as a check or chain names it next to what it lifts.
struct ClearanceRef {
  std::string id{};
  std::string party{};
  std::string evidence{};
  std::vector<IntendedUse> uses{};  // empty: every use
};

// The rule, the licence or consent behind it, and the path of artefacts from
// the one asked about (first) to the nearest source (last); `sources` names
// every source.
struct Reason {
  Verdict effect = Verdict::kAllowed;
  std::string rule{};
  std::string message{};
  std::string licence_id{};
  std::string party{};
  std::vector<std::string> path{};
  SourceTree sources{};
  std::optional<ClearanceRef> clearance{};  // in UseCheck::cleared only
};

struct ChainTerm {
  std::string
      kind{};  // field-of-use, attribution, use-restriction, consent, finding, ...
  std::string value{};
  bool risk = false;        // reached through training or a model's use
  bool open = false;        // from an alternative not yet elected
  bool evaluation = false;  // reached through evaluated_on: judges the run only
  Verdict effect = Verdict::kAllowed;
  std::string message{};
  std::string licence_id{};
  std::string party{};
  std::vector<std::string> path{};
  SourceTree sources{};
  std::vector<ClearanceRef> clearances{};  // those in force that lift it
};

struct LicensingChain {
  FieldOfUse field_of_use = FieldOfUse::kCommercial;
  std::vector<std::string> credits{};
  std::vector<ChainTerm> terms{};
  std::vector<PathNode> nodes{};
  Time as_of{};
};

struct UseCheck {
  Verdict verdict = Verdict::kAllowed;
  std::vector<Reason> reasons{};
  std::vector<Reason> obligations{};
  // What would count against the verdict but a clearance lifts: `effect`
  // is what it would have been, `clearance` the grant and its evidence.
  std::vector<Reason> cleared{};
  std::vector<std::string> credits{};
  std::vector<PathNode> nodes{};
  IntendedUse use = IntendedUse::kInternalResearch;
  Policy policy = Policy::kStrict;
  Time as_of{};
  std::string jurisdiction{};  // as asked; "" when not
};

// What an impact list starts from: exactly one of the three.
struct ImpactTarget {
  std::string artefact_id{};
  std::string licence_id{};
  std::string party{};
};

struct ImpactNode {
  Artefact artefact{};
  bool direct = false;  // the licence or consent is recorded on it
};

struct ImpactPage {
  std::vector<ImpactNode> nodes{};
  std::map<Kind, std::int64_t> counts{};  // over the whole impact
  std::int64_t total = 0;
  std::string next_page_token{};
};

}  // namespace rmtc
