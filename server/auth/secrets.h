// Token secrets: made from OpenSSL's random generator, stored only as
// their SHA-256, presented as "authorization: Bearer rmtc_...".
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "store/access_store.h"

namespace rmtc::auth {

// "rmtc_" and 43 base64url characters (256 random bits).
std::string NewSecret();

// Whether `text` has a secret's shape (prefix, length, alphabet): anything
// else is refused before it is hashed or looked up.
bool LooksLikeSecret(std::string_view text);

store::TokenDigest DigestOf(std::string_view secret);

// The token of an authorization header value "Bearer <token>" (the scheme
// case-insensitive, one or more spaces); nullopt for any other shape.
std::optional<std::string_view> BearerToken(std::string_view header);

}  // namespace rmtc::auth
