// The names of RMTC's enumerations, as the CLI, JSON, docs and error
// messages spell them: one table per enumeration, shared by server, client
// and CLI. Each table is indexed by the proto enum's number minus one (the
// proto's 0 is UNSPECIFIED); names_match_proto.h checks at compile time that
// every proto value has its name here.
//
// Adding a value: add it to the proto, then its name here (the build fails
// until both agree), then its rule (a propagation row, a use-check case).
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace rmtc::vocabulary {

inline constexpr std::array<std::string_view, 6> kKindNames = {
    "dataset", "model", "weights", "run", "inference", "asset"};

inline constexpr std::array<std::string_view, 11> kRelationNames = {
    "derived_from", "contains", "trained_on", "evaluated_on", "base",      "produced_by",
    "uses",         "input",    "output_of",  "variant_of",   "supersedes"};

inline constexpr std::array<std::string_view, 4> kFieldOfUseNames = {
    "commercial", "non-commercial", "academic-only", "unknown"};

inline constexpr std::array<std::string_view, 3> kTrainingPermissionNames = {
    "allowed", "not-allowed", "unknown"};

// Consent keys are the CAWG training-and-data-mining keys' names.
inline constexpr std::array<std::string_view, 4> kConsentKeyNames = {
    "ai_training", "ai_generative_training", "data_mining", "ai_inference"};

// Printed kebab-case; C2PA's camelCase ("notAllowed") is read too.
inline constexpr std::array<std::string_view, 3> kConsentValueNames = {
    "allowed", "not-allowed", "constrained"};

inline constexpr std::array<std::string_view, 5> kIntendedUseNames = {
    "internal-research", "commercial-production", "client-delivery", "public-release",
    "training"};

inline constexpr std::array<std::string_view, 2> kPolicyNames = {"strict", "permissive"};

inline constexpr std::array<std::string_view, 3> kVerdictNames = {"ALLOWED", "REVIEW",
                                                                  "DENIED"};

// Whether a licence's rights survive its expiry in work made during its term
// (the licence term `survives_expiry`).
inline constexpr std::array<std::string_view, 2> kSurvivesExpiryNames = {
    "none", "derivatives-made-during-term"};

// What a consent withdrawn after a work was made does to it (rmtcd
// --consent-withdrawal); no proto enum: only the deployment chooses it.
inline constexpr std::array<std::string_view, 2> kConsentWithdrawalNames = {"deny",
                                                                            "review"};

// The kinds of term a licensing chain lists (ChainTerm.kind).
inline constexpr std::array<std::string_view, 16> kTermKindNames = {
    "field-of-use",
    "attribution",
    "share-alike",
    "notice",
    "include-licence-text",
    "naming-prefix",
    "no-derivatives",
    "use-restriction",
    "no-training-on-outputs",
    "purpose-limit",
    "licensee",
    "jurisdiction",
    "training",
    "consent",
    "choice",
    "finding"};

// The rules of a use check a clearance may lift (Clearance.rules): every
// rule that can make a use REVIEW or DENIED, but too-large. Findings
// (consent, licence-not-in-force, ...) are lifted only when named.
inline constexpr std::array<std::string_view, 18> kClearableRuleNames = {
    "field-of-use",
    "no-derivatives",
    "share-alike-conflict",
    "purpose-limit",
    "naming",
    "attribution",
    "training",
    "no-training-on-outputs",
    "consent",
    "training-not-allowed",
    "training-unknown",
    "licence-not-in-force",
    "no-licence",
    "licence-unreadable",
    "licence-ended",
    "consent-withdrawn",
    "licensee",
    "jurisdiction"};

// Access roles, each allowing what the ones before it allow
// (proto/rmtc/v1/access.proto).
inline constexpr std::array<std::string_view, 4> kRoleNames = {"reader", "recorder",
                                                               "rights", "admin"};

// gRPC status codes by number (0..16), as gRPC names them: the client's
// errors and rmtcd's log lines print these.
inline constexpr std::array<std::string_view, 17> kStatusCodeNames = {
    "OK",
    "CANCELLED",
    "UNKNOWN",
    "INVALID_ARGUMENT",
    "DEADLINE_EXCEEDED",
    "NOT_FOUND",
    "ALREADY_EXISTS",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION",
    "ABORTED",
    "OUT_OF_RANGE",
    "UNIMPLEMENTED",
    "INTERNAL",
    "UNAVAILABLE",
    "DATA_LOSS",
    "UNAUTHENTICATED"};

// Whether `given` names `kebab`: the same text, or its camelCase
// ("notAllowed" for "not-allowed", as C2PA spells it).
constexpr bool SameName(std::string_view kebab, std::string_view given) {
  if (given == kebab) return true;
  std::size_t at = 0;
  bool upper = false;
  for (char c : kebab) {
    if (c == '-') {
      upper = true;
      continue;
    }
    const char want =
        upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
    if (at >= given.size() || given[at++] != want) return false;
  }
  return at == given.size();
}

// The table index `name` has (either spelling), or nullopt.
template <std::size_t N>
constexpr std::optional<std::size_t> IndexOfName(
    const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::size_t i = 0; i < N; ++i) {
    if (SameName(names[i], name)) return i;
  }
  return std::nullopt;
}

// The name at `index`, or `fallback` outside the table (a value from a
// newer peer, or a cast): never an exception.
template <std::size_t N>
constexpr std::string_view NameAt(const std::array<std::string_view, N>& names,
                                  long index, std::string_view fallback = "unknown") {
  return index >= 0 && static_cast<std::size_t>(index) < N
             ? names[static_cast<std::size_t>(index)]
             : fallback;
}

static_assert(SameName("not-allowed", "notAllowed"));
static_assert(SameName("ai_training", "ai_training"));
static_assert(!SameName("not-allowed", "NotAllowed"));
static_assert(IndexOfName(kConsentValueNames, "notAllowed") == 1);

}  // namespace rmtc::vocabulary
