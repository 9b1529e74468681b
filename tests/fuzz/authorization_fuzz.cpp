// Fuzzes the authorization header: the bytes a caller sends as
// "authorization" metadata, through the parser and the authenticator
// (auth/secrets.h, auth/authenticator.h) over a token store that knows one
// token.
//
// Invariants:
// - BearerToken either refuses or returns a non-empty substring of the
//   header without spaces;
// - a secret's shape is exactly "rmtc_" and 43 base64url characters;
// - the authenticator admits the header only if it carries the one known
//   token, and any refusal is UNAUTHENTICATED and never quotes what was
//   sent: a malformed token gets one fixed message, a well-formed one is
//   never in it (a token in a message would end up in logs).
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "auth/authenticator.h"
#include "auth/secrets.h"
#include "fuzz_support.h"

namespace {

using rmtc::records::AccessToken;

constexpr char kKnown[] = "rmtc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

class OneTokenStore final : public rmtc::store::AccessStore {
 public:
  absl::StatusOr<AccessToken> AddToken(const AccessToken& t,
                                       const rmtc::store::TokenDigest&) override {
    return t;
  }
  absl::StatusOr<std::optional<AccessToken>> TokenByDigest(
      const rmtc::store::TokenDigest& digest) override {
    if (digest != rmtc::auth::DigestOf(kKnown)) return std::nullopt;
    return AccessToken{.name = "known", .role = rmtc::records::Role::kReader};
  }
  absl::StatusOr<std::vector<AccessToken>> ListTokens() override {
    return std::vector<AccessToken>();
  }
  absl::StatusOr<std::optional<AccessToken>> RevokeToken(const std::string&,
                                                         const std::string&) override {
    return std::nullopt;
  }
};

bool IsBase64Url(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '_';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view header = rmtc::fuzz::AsText(data, size);
  const std::string input = rmtc::fuzz::Printable(header);
  const auto token = rmtc::auth::BearerToken(header);
  if (token) {
    RMTC_FUZZ_CHECK(!token->empty(), "an empty token for " + input);
    RMTC_FUZZ_CHECK(token->find(' ') == std::string_view::npos,
                    "a token with a space for " + input);
    RMTC_FUZZ_CHECK(header.find(*token) != std::string_view::npos,
                    "a token not in the header for " + input);
  }
  if (rmtc::auth::LooksLikeSecret(header)) {
    RMTC_FUZZ_CHECK(header.size() == 48 && header.starts_with("rmtc_"),
                    "a secret of the wrong shape: " + input);
    for (char c : header.substr(5)) {
      RMTC_FUZZ_CHECK(IsBase64Url(c), "a secret with a foreign character: " + input);
    }
  }
  static OneTokenStore store;
  static rmtc::auth::Authenticator authenticator(store, rmtc::auth::Mode::kRequired);
  const auto principal = authenticator.Authenticate(header);
  const bool known = token && *token == kKnown;
  RMTC_FUZZ_CHECK(principal.ok() == known, "admitted or refused wrongly: " + input);
  if (!principal.ok()) {
    const auto& status = principal.status();
    RMTC_FUZZ_CHECK(status.code() == absl::StatusCode::kUnauthenticated,
                    "not UNAUTHENTICATED for " + input);
    // A token of the wrong shape gets one fixed message (a fragment of its
    // words may even be the "token"); one of the right shape never shows.
    const std::string message(status.message());
    if (token && !rmtc::auth::LooksLikeSecret(*token)) {
      RMTC_FUZZ_CHECK(message ==
                          "the access token is not an RMTC token (rmtc_ and 43 "
                          "characters)",
                      "a malformed token's message varies: " + message);
    } else if (token) {
      RMTC_FUZZ_CHECK(message.find(*token) == std::string::npos,
                      "the message quotes the token: " + message);
    }
  }
  return 0;
}
