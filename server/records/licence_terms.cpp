#include "records/licence_terms.h"

#include <nlohmann/json.hpp>
#include <set>

#include "common/strings.h"

namespace rmtc::records {
namespace {

using nlohmann::json;

absl::Status Invalid(std::string_view path, std::string_view key, std::string_view what) {
  return absl::InvalidArgumentError(StrCat(path, ".", key, ": ", what));
}

}  // namespace

absl::StatusOr<LicenceTerms> TermsFromJson(std::string_view path, std::string_view text) {
  auto doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return absl::InvalidArgumentError(StrCat(path, ": must be a JSON object"));
  }
  LicenceTerms terms;
  const std::set<std::string> bools = {"attribution",
                                       "notice",
                                       "include_licence_text",
                                       "no_derivatives",
                                       "no_training_on_outputs",
                                       "results_unrestricted"};
  const std::set<std::string> strings = {"attribution_how", "share_alike",
                                         "naming_prefix"};
  const std::set<std::string> lists = {"use_restrictions", "purpose_limit"};
  for (const auto& [key, value] : doc.items()) {
    if (key == "field_of_use") {
      auto v =
          value.is_string() ? FieldOfUseFromName(value.get<std::string>()) : std::nullopt;
      if (!v) {
        return Invalid(path, key,
                       "must be commercial, non-commercial, academic-only or unknown");
      }
      terms.field_of_use = *v;
    } else if (key == "training") {
      auto v = value.is_string() ? TrainingPermissionFromName(value.get<std::string>())
                                 : std::nullopt;
      if (!v) return Invalid(path, key, "must be allowed, not-allowed or unknown");
      terms.training = *v;
    } else if (key == "survives_expiry") {
      auto v = value.is_string() ? SurvivesExpiryFromName(value.get<std::string>())
                                 : std::nullopt;
      if (!v) return Invalid(path, key, "must be none or derivatives-made-during-term");
      terms.survives_expiry = *v;
    } else if (bools.count(key)) {
      if (!value.is_boolean()) return Invalid(path, key, "must be true or false");
      const bool b = value.get<bool>();
      if (key == "attribution") terms.attribution = b;
      if (key == "notice") terms.notice = b;
      if (key == "include_licence_text") terms.include_licence_text = b;
      if (key == "no_derivatives") terms.no_derivatives = b;
      if (key == "no_training_on_outputs") terms.no_training_on_outputs = b;
      if (key == "results_unrestricted") terms.results_unrestricted = b;
    } else if (strings.count(key)) {
      if (!value.is_string()) return Invalid(path, key, "must be a string");
      auto s = value.get<std::string>();
      if (key == "attribution_how") terms.attribution_how = s;
      if (key == "share_alike") terms.share_alike = s;
      if (key == "naming_prefix") terms.naming_prefix = s;
    } else if (lists.count(key)) {
      if (!value.is_array()) return Invalid(path, key, "must be a list of strings");
      std::vector<std::string> items;
      for (const auto& item : value) {
        if (!item.is_string() || item.get<std::string>().empty()) {
          return Invalid(path, key, "must be a list of non-empty strings");
        }
        items.push_back(item.get<std::string>());
      }
      (key == "use_restrictions" ? terms.use_restrictions : terms.purpose_limit) = items;
    } else {
      return Invalid(path, key, "is not a licence term (docs/licensing.md lists them)");
    }
  }
  return terms;
}

std::string TermsToJson(const LicenceTerms& t) {
  return json{{"field_of_use", FieldOfUseName(t.field_of_use)},
              {"attribution", t.attribution},
              {"attribution_how", t.attribution_how},
              {"share_alike", t.share_alike},
              {"notice", t.notice},
              {"naming_prefix", t.naming_prefix},
              {"include_licence_text", t.include_licence_text},
              {"no_derivatives", t.no_derivatives},
              {"use_restrictions", t.use_restrictions},
              {"no_training_on_outputs", t.no_training_on_outputs},
              {"purpose_limit", t.purpose_limit},
              {"training", TrainingPermissionName(t.training)},
              {"results_unrestricted", t.results_unrestricted},
              {"survives_expiry", SurvivesExpiryName(t.survives_expiry)}}
      .dump();
}

}  // namespace rmtc::records
