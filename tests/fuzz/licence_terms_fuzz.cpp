// Fuzzes licence terms as JSON (records/licence_terms.h).
//
// Invariants:
// - a refusal is INVALID_ARGUMENT and its message starts with the path;
// - on success the terms survive a round trip: TermsFromJson(TermsToJson(t))
//   is OK and equal to t, and writing it again gives the same text.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "records/licence_terms.h"

namespace {

using rmtc::records::LicenceTerms;

bool SameTerms(const LicenceTerms& a, const LicenceTerms& b) {
  return a.field_of_use == b.field_of_use && a.attribution == b.attribution &&
         a.attribution_how == b.attribution_how && a.share_alike == b.share_alike &&
         a.notice == b.notice && a.naming_prefix == b.naming_prefix &&
         a.include_licence_text == b.include_licence_text &&
         a.no_derivatives == b.no_derivatives &&
         a.use_restrictions == b.use_restrictions &&
         a.no_training_on_outputs == b.no_training_on_outputs &&
         a.purpose_limit == b.purpose_limit && a.training == b.training &&
         a.results_unrestricted == b.results_unrestricted &&
         a.survives_expiry == b.survives_expiry;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = rmtc::fuzz::AsText(data, size);
  const std::string input = rmtc::fuzz::Printable(text);
  auto terms = rmtc::records::TermsFromJson("terms", text);
  if (!terms.ok()) {
    const auto& status = terms.status();
    RMTC_FUZZ_CHECK(status.code() == absl::StatusCode::kInvalidArgument,
                    rmtc::fuzz::Describe(status) + " for " + input);
    RMTC_FUZZ_CHECK(rmtc::fuzz::MessageOf(status).starts_with("terms"),
                    rmtc::fuzz::Describe(status) + " for " + input);
    return 0;
  }
  const std::string json = rmtc::records::TermsToJson(*terms);
  auto again = rmtc::records::TermsFromJson("terms", json);
  RMTC_FUZZ_CHECK(again.ok(), rmtc::fuzz::Describe(again.status()) + " for " +
                                  rmtc::fuzz::Printable(json) + " from " + input);
  RMTC_FUZZ_CHECK(SameTerms(*terms, *again),
                  rmtc::fuzz::Printable(json) + " from " + input);
  RMTC_FUZZ_CHECK(rmtc::records::TermsToJson(*again) == json,
                  rmtc::fuzz::Printable(json) + " from " + input);
  return 0;
}
