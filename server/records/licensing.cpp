#include "records/licensing.h"

#include <array>
#include <cctype>

namespace rmtc::records {
namespace {

// Whether `given` is `kebab` ("not-allowed") or its camelCase ("not-allowed",
// the C2PA spelling): both are accepted; the kebab-case one is printed.
bool SameName(std::string_view kebab, std::string_view given) {
  if (given == kebab) return true;
  std::size_t at = 0;
  bool upper = false;
  for (char c : kebab) {
    if (c == '-') {
      upper = true;
      continue;
    }
    const char want =
        upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
    if (at >= given.size() || given[at++] != want) return false;
  }
  return at == given.size();
}

template <typename Enum, std::size_t N>
std::optional<Enum> FromName(const std::array<std::string_view, N>& names,
                             std::string_view name) {
  for (std::size_t i = 0; i < N; ++i) {
    if (SameName(names[i], name)) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

constexpr std::array<std::string_view, 4> kFieldOfUse = {"commercial", "non-commercial",
                                                        "academic-only", "unknown"};
constexpr std::array<std::string_view, 3> kTraining = {"allowed", "not-allowed", "unknown"};
constexpr std::array<std::string_view, 4> kConsentKeys = {
    "ai_training", "ai_generative_training", "data_mining", "ai_inference"};
constexpr std::array<std::string_view, 3> kConsentValues = {"allowed", "not-allowed",
                                                            "constrained"};
constexpr std::array<std::string_view, 5> kUses = {"internal-research", "commercial-production",
                                                  "client-delivery", "public-release",
                                                  "training"};
constexpr std::array<std::string_view, 2> kPolicies = {"strict", "permissive"};
constexpr std::array<std::string_view, 3> kVerdicts = {"ALLOWED", "REVIEW", "DENIED"};

}  // namespace

std::string_view FieldOfUseName(FieldOfUse v) { return kFieldOfUse[static_cast<int>(v)]; }
std::string_view TrainingPermissionName(TrainingPermission v) {
  return kTraining[static_cast<int>(v)];
}
std::string_view ConsentKeyName(ConsentKey k) { return kConsentKeys[static_cast<int>(k)]; }
std::string_view ConsentValueName(ConsentValue v) { return kConsentValues[static_cast<int>(v)]; }
std::string_view IntendedUseName(IntendedUse u) { return kUses[static_cast<int>(u)]; }
std::string_view PolicyName(Policy p) { return kPolicies[static_cast<int>(p)]; }
std::string_view VerdictName(Verdict v) { return kVerdicts[static_cast<int>(v)]; }

std::optional<FieldOfUse> FieldOfUseFromName(std::string_view name) {
  return FromName<FieldOfUse>(kFieldOfUse, name);
}
std::optional<TrainingPermission> TrainingPermissionFromName(std::string_view name) {
  return FromName<TrainingPermission>(kTraining, name);
}
std::optional<ConsentValue> ConsentValueFromName(std::string_view name) {
  return FromName<ConsentValue>(kConsentValues, name);
}
std::optional<IntendedUse> IntendedUseFromName(std::string_view name) {
  return FromName<IntendedUse>(kUses, name);
}
std::optional<Policy> PolicyFromName(std::string_view name) {
  return FromName<Policy>(kPolicies, name);
}

}  // namespace rmtc::records
