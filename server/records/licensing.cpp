#include "records/licensing.h"

#include <algorithm>
#include <array>
#include <unordered_map>

#include "vocabulary/names.h"

namespace rmtc::records {
namespace {

template <typename Enum, std::size_t N>
std::optional<Enum> FromName(const std::array<std::string_view, N>& names,
                             std::string_view name) {
  const auto i = vocabulary::IndexOfName(names, name);
  if (!i) return std::nullopt;
  return static_cast<Enum>(*i);
}

constexpr const auto& kFieldOfUse = vocabulary::kFieldOfUseNames;
constexpr const auto& kTraining = vocabulary::kTrainingPermissionNames;
constexpr const auto& kConsentKeys = vocabulary::kConsentKeyNames;
constexpr const auto& kConsentValues = vocabulary::kConsentValueNames;
constexpr const auto& kUses = vocabulary::kIntendedUseNames;
constexpr const auto& kPolicies = vocabulary::kPolicyNames;
constexpr const auto& kVerdicts = vocabulary::kVerdictNames;
constexpr const auto& kSurvives = vocabulary::kSurvivesExpiryNames;
constexpr const auto& kWithdrawal = vocabulary::kConsentWithdrawalNames;
static_assert(kConsentKeys.size() == kConsentKeyCount);

}  // namespace

std::string_view FieldOfUseName(FieldOfUse v) { return kFieldOfUse[static_cast<int>(v)]; }
std::string_view TrainingPermissionName(TrainingPermission v) {
  return kTraining[static_cast<int>(v)];
}
std::string_view SurvivesExpiryName(SurvivesExpiry v) {
  return kSurvives[static_cast<int>(v)];
}
std::string_view ConsentWithdrawalName(ConsentWithdrawal v) {
  return kWithdrawal[static_cast<int>(v)];
}
std::string_view ConsentKeyName(ConsentKey k) {
  return kConsentKeys[static_cast<int>(k)];
}
std::string_view ConsentValueName(ConsentValue v) {
  return kConsentValues[static_cast<int>(v)];
}
std::string_view IntendedUseName(IntendedUse u) { return kUses[static_cast<int>(u)]; }
std::string_view PolicyName(Policy p) { return kPolicies[static_cast<int>(p)]; }
std::string_view VerdictName(Verdict v) { return kVerdicts[static_cast<int>(v)]; }

std::optional<FieldOfUse> FieldOfUseFromName(std::string_view name) {
  return FromName<FieldOfUse>(kFieldOfUse, name);
}
std::optional<TrainingPermission> TrainingPermissionFromName(std::string_view name) {
  return FromName<TrainingPermission>(kTraining, name);
}
std::optional<SurvivesExpiry> SurvivesExpiryFromName(std::string_view name) {
  return FromName<SurvivesExpiry>(kSurvives, name);
}
std::optional<ConsentWithdrawal> ConsentWithdrawalFromName(std::string_view name) {
  return FromName<ConsentWithdrawal>(kWithdrawal, name);
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

std::vector<Uuid> SourceTree::PathTo(std::size_t i) const {
  std::vector<Uuid> path;
  for (int step = sources.at(i); step >= 0; step = toward[step]) {
    path.push_back(steps[step]);
  }
  std::reverse(path.begin(), path.end());
  return path;
}

SourceTree SourceTree::Subset(const std::vector<std::size_t>& which) const {
  SourceTree out;
  std::unordered_map<int, int> kept;  // step here -> step in `out`
  for (std::size_t i : which) {
    std::vector<int> chain;  // sources[i] up to steps[0]
    for (int step = sources.at(i); step >= 0 && !kept.count(step); step = toward[step])
      chain.push_back(step);
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      kept[*it] = static_cast<int>(out.steps.size());
      out.steps.push_back(steps[*it]);
      out.toward.push_back(toward[*it] < 0 ? -1 : kept.at(toward[*it]));
    }
    out.sources.push_back(kept.at(sources[i]));
  }
  return out;
}

}  // namespace rmtc::records
