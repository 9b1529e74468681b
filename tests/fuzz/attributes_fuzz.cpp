// Fuzzes the single-field checks of lineage/validation.h with the same bytes
// each run: IsValidUtf8, CheckText, ParseId, NormaliseSha256 and
// CheckAttributes.
//
// Invariants:
// - IsValidUtf8 agrees with an independent decoder (fuzz_support.h);
// - CheckText accepts exactly: empty and not required, or at most
//   max_bytes of well-formed UTF-8 without C0 controls or DEL;
// - ParseId accepts exactly the 8-4-4-4-12 hex form, and then ToString()
//   is the input in lowercase;
// - NormaliseSha256 accepts exactly "" and 64 hex digits, and returns them
//   in lowercase;
// - CheckAttributes OK: at most 64 KiB, the text nlohmann parses as an
//   object (or "{}" for empty input), returned unchanged, with no NUL in a
//   key or string and containers nested at most kMaxAttributesDepth deep.
//   Conversely a parseable object well inside those limits is accepted.
// - every refusal is INVALID_ARGUMENT and its message starts with the path.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "lineage/validation.h"

namespace {

namespace lineage = rmtc::lineage;
using rmtc::fuzz::Describe;
using rmtc::fuzz::MessageOf;

void ExpectRefusal(const absl::Status& status, std::string_view path,
                   std::string_view input) {
  RMTC_FUZZ_CHECK(status.code() == absl::StatusCode::kInvalidArgument,
                  Describe(status) + " for " + rmtc::fuzz::Printable(input));
  RMTC_FUZZ_CHECK(MessageOf(status).starts_with(std::string(path) + ": "),
                  Describe(status) + " for " + rmtc::fuzz::Printable(input));
}

bool HasControl(std::string_view text) {
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) return true;
  }
  return false;
}

// C1 controls (U+0080..U+009F) and the bidirectional embeddings, overrides
// and isolates (U+202A..U+202E, U+2066..U+2069), found by their UTF-8 bytes
// (in valid UTF-8 those bytes mean only these characters).
bool HasMisleadingCharacter(std::string_view text) {
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    const auto b1 = static_cast<unsigned char>(text[i + 1]);
    if (b0 == 0xC2 && b1 >= 0x80 && b1 <= 0x9F) return true;
    if (i + 2 < text.size() && b0 == 0xE2) {
      const auto b2 = static_cast<unsigned char>(text[i + 2]);
      if (b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) return true;
      if (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9) return true;
    }
  }
  return false;
}

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool IsCanonicalUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !IsHex(text[i])) return false;
  }
  return true;
}

void FuzzUtf8AndText(std::string_view text) {
  const bool valid = rmtc::fuzz::ReferenceIsUtf8(text);
  RMTC_FUZZ_CHECK(lineage::IsValidUtf8(text) == valid,
                  std::string("IsValidUtf8 says ") + (valid ? "invalid" : "valid") +
                      ": " + rmtc::fuzz::Printable(text));
  for (const std::size_t max_bytes : {std::size_t{16}, lineage::kMaxNameBytes}) {
    for (const bool required : {false, true}) {
      const auto status = lineage::CheckText(
          "name", text, {.max_bytes = max_bytes, .required = required});
      const bool expected = text.empty()
                                ? !required
                                : text.size() <= max_bytes && valid &&
                                      !HasControl(text) && !HasMisleadingCharacter(text);
      RMTC_FUZZ_CHECK(status.ok() == expected,
                      Describe(status) + " for " + rmtc::fuzz::Printable(text));
      if (!status.ok()) ExpectRefusal(status, "name", text);
    }
  }
}

void FuzzId(std::string_view text) {
  auto id = lineage::ParseId("id", text);
  RMTC_FUZZ_CHECK(id.ok() == IsCanonicalUuid(text),
                  Describe(id.status()) + " for " + rmtc::fuzz::Printable(text));
  if (!id.ok()) {
    ExpectRefusal(id.status(), "id", text);
    return;
  }
  RMTC_FUZZ_CHECK(id->ToString() == rmtc::fuzz::Lowercase(text),
                  id->ToString() + " for " + rmtc::fuzz::Printable(text));
}

void FuzzSha256(std::string_view text) {
  bool hex = text.size() == 64;
  for (char c : text) hex = hex && IsHex(c);
  auto digest = lineage::NormaliseSha256("sha256", text);
  RMTC_FUZZ_CHECK(digest.ok() == (text.empty() || hex),
                  Describe(digest.status()) + " for " + rmtc::fuzz::Printable(text));
  if (!digest.ok()) {
    ExpectRefusal(digest.status(), "sha256", text);
    return;
  }
  RMTC_FUZZ_CHECK(*digest == rmtc::fuzz::Lowercase(text), rmtc::fuzz::Printable(text));
}

// Deepest container nesting (the root object is 1), stopping below `limit`
// levels, and whether a key or string holds a NUL.
struct Shape {
  int depth = 0;
  bool nul = false;
};

void Measure(const nlohmann::json& node, int level, int limit, Shape& shape) {
  if (node.is_string()) {
    shape.nul |= node.get_ref<const std::string&>().find('\0') != std::string::npos;
    return;
  }
  if (!node.is_structured()) return;
  if (level > shape.depth) shape.depth = level;
  if (level >= limit) return;
  if (node.is_object()) {
    for (const auto& [key, value] : node.items()) {
      shape.nul |= key.find('\0') != std::string::npos;
      Measure(value, level + 1, limit, shape);
    }
  } else {
    for (const auto& value : node) Measure(value, level + 1, limit, shape);
  }
}

void FuzzAttributes(std::string_view text) {
  auto checked = lineage::CheckAttributes("attributes", text);
  const auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  Shape shape;
  if (!doc.is_discarded()) Measure(doc, 1, lineage::kMaxAttributesDepth + 2, shape);
  const std::string input = rmtc::fuzz::Printable(text);
  if (!checked.ok()) {
    ExpectRefusal(checked.status(), "attributes", text);
    // A plain object well inside every limit must not be refused. A NUL
    // byte in the text is refused wherever it is: nlohmann::json stops at it
    // as at the end of its input, so what follows it would be lost.
    const bool plainly_fine = text.size() <= lineage::kMaxAttributesBytes &&
                              doc.is_object() && !shape.nul &&
                              text.find('\0') == std::string_view::npos &&
                              shape.depth < lineage::kMaxAttributesDepth;
    RMTC_FUZZ_CHECK(!plainly_fine, Describe(checked.status()) + " for " + input);
    return;
  }
  if (text.empty()) {
    RMTC_FUZZ_CHECK(*checked == "{}", *checked);
    return;
  }
  RMTC_FUZZ_CHECK(text.size() <= lineage::kMaxAttributesBytes, input);
  RMTC_FUZZ_CHECK(*checked == text, "not returned unchanged: " + input);
  RMTC_FUZZ_CHECK(doc.is_object(), "accepted but not a JSON object: " + input);
  RMTC_FUZZ_CHECK(!shape.nul, "accepted with a NUL in a string: " + input);
  RMTC_FUZZ_CHECK(text.find('\0') == std::string_view::npos,
                  "accepted with a NUL byte: " + input);
  RMTC_FUZZ_CHECK(shape.depth <= lineage::kMaxAttributesDepth,
                  "accepted nested " + std::to_string(shape.depth) + " deep: " + input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = rmtc::fuzz::AsText(data, size);
  FuzzUtf8AndText(text);
  FuzzId(text);
  FuzzSha256(text);
  FuzzAttributes(text);
  return 0;
}
