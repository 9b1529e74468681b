// Checks of single fields, shared by every write and read. Each takes the
// field's path ("artefacts[3].name") and returns INVALID_ARGUMENT with a
// message that starts with that path, so a client can find the bad field.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "records/uuid.h"

namespace rmtc::lineage {

inline constexpr std::size_t kMaxNameBytes = 512;
inline constexpr std::size_t kMaxVersionBytes = 128;
inline constexpr std::size_t kMaxUriBytes = 2048;
inline constexpr std::size_t kMaxFacilityBytes = 128;
inline constexpr std::size_t kMaxCreatedByBytes = 128;
inline constexpr std::size_t kMaxExternalSystemBytes = 64;
inline constexpr std::size_t kMaxExternalIdBytes = 512;
inline constexpr std::size_t kMaxRequestIdBytes = 128;
inline constexpr std::size_t kMaxItemKeyBytes = 128;
inline constexpr std::size_t kMaxAttributesBytes = 64 * 1024;
inline constexpr int kMaxAttributesDepth = 64;

// True if `text` is well-formed UTF-8 (no overlong forms, no surrogates,
// nothing above U+10FFFF).
bool IsValidUtf8(std::string_view text);

struct TextRule {
  std::size_t max_bytes;
  bool required = false;
};

// UTF-8, no control characters (PostgreSQL cannot store NUL, and names with
// line breaks or escapes are a trap in every tool that prints them), no C1
// controls (U+0080..U+009F), no bidirectional embeddings, overrides or
// isolates (U+202A..U+202E, U+2066..U+2069: they make one name print as
// another in a report), and within the rule's length.
absl::Status CheckText(std::string_view path, std::string_view text, TextRule rule);

// A UUID in canonical 8-4-4-4-12 form.
absl::StatusOr<records::Uuid> ParseId(std::string_view path, std::string_view text);

// 64 hex digits, returned in lowercase. Empty stays empty.
absl::StatusOr<std::string> NormaliseSha256(std::string_view path, std::string_view text);

// An item key: empty, or 1..128 bytes of printable ASCII without spaces
// (0x21..0x7E), so a key reads the same in every log, shell and language.
absl::Status CheckItemKey(std::string_view path, std::string_view key);

// An ISO 3166-1 alpha-2 code as RMTC compares them: two capital letters
// A-Z ("NZ"). Whether the code is assigned is not checked.
bool IsCountryCode(std::string_view text);
// INVALID_ARGUMENT unless `text` IsCountryCode: "PATH: 'nz' is not an ISO
// 3166 alpha-2 country code (two capital letters, e.g. NZ)".
absl::Status CheckCountryCode(std::string_view path, std::string_view text);

// A JSON object of at most 64 KiB, nested at most 64 deep, with no NUL byte
// in the text and no \u0000 in any string (PostgreSQL's jsonb refuses
// \u0000). Returns the text to store:
// "{}" for empty input, else the input unchanged, so numbers keep every
// digit the client sent.
absl::StatusOr<std::string> CheckAttributes(std::string_view path, std::string_view text);

}  // namespace rmtc::lineage
