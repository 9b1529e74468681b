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

// The rule, the licence or consent behind it, and the path of artefacts from
// the one asked about (first) to the source (last).
struct Reason {
  Verdict effect = Verdict::kAllowed;
  std::string rule{};
  std::string message{};
  std::string licence_id{};
  std::string party{};
  std::vector<std::string> path{};
};

struct ChainTerm {
  std::string
      kind{};  // field-of-use, attribution, use-restriction, consent, finding, ...
  std::string value{};
  bool risk = false;  // reached through training
  bool open = false;  // from an alternative not yet elected
  Verdict effect = Verdict::kAllowed;
  std::string message{};
  std::string licence_id{};
  std::string party{};
  std::vector<std::string> path{};
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
