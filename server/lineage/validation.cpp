#include "lineage/validation.h"

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "common/status_macros.h"
#include "common/strings.h"

namespace rmtc::lineage {
namespace {

constexpr char kHexDigits[] = "0123456789ABCDEF";

absl::Status Invalid(std::string_view path, std::string_view what) {
  return absl::InvalidArgumentError(StrCat(path, ": ", what));
}

// Shows a bad value in a message without flooding it.
std::string Quote(std::string_view text) {
  constexpr std::size_t kShown = 80;
  std::string shown(text.substr(0, kShown));
  if (!IsValidUtf8(shown)) return "(not UTF-8)";
  return StrCat("'", shown, text.size() > kShown ? "...'" : "'");
}

// Walks the parsed document without recursion: depth and NUL checks.
absl::Status CheckJsonTree(std::string_view path, const nlohmann::json& root) {
  std::vector<std::pair<const nlohmann::json*, int>> stack{{&root, 1}};
  while (!stack.empty()) {
    auto [node, depth] = stack.back();
    stack.pop_back();
    if (depth > kMaxAttributesDepth) {
      return Invalid(path, StrCat("nested deeper than ", kMaxAttributesDepth, " levels"));
    }
    if (node->is_string() &&
        node->get_ref<const std::string&>().find('\0') != std::string::npos) {
      return Invalid(path, "a string holds \\u0000, which cannot be stored");
    }
    if (node->is_object()) {
      for (const auto& [key, value] : node->items()) {
        if (key.find('\0') != std::string::npos) {
          return Invalid(path, "a key holds \\u0000, which cannot be stored");
        }
        stack.emplace_back(&value, depth + 1);
      }
    } else if (node->is_array()) {
      for (const auto& value : *node) stack.emplace_back(&value, depth + 1);
    }
  }
  return absl::OkStatus();
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    int extra;
    std::uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      extra = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;  // continuation byte, overlong lead (C0/C1), or > F4
    }
    if (n - i <= static_cast<std::size_t>(extra)) return false;
    for (int k = 1; k <= extra; ++k) {
      const unsigned char cc = s[i + k];
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

absl::Status CheckText(std::string_view path, std::string_view text, TextRule rule) {
  if (text.empty()) {
    return rule.required ? Invalid(path, "is required and must not be empty")
                         : absl::OkStatus();
  }
  if (text.size() > rule.max_bytes) {
    return Invalid(path,
                   StrCat("is ", text.size(), " bytes; the limit is ", rule.max_bytes));
  }
  if (!IsValidUtf8(text)) return Invalid(path, "is not valid UTF-8");
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7F) {
      return Invalid(path, StrCat("holds a control character (byte ", static_cast<int>(c),
                                  " at offset ", i, ")"));
    }
    // Valid UTF-8 here, so a lead byte's continuation bytes are present.
    const auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
    if (c == 0xC2 && next >= 0x80 && next <= 0x9F) {
      return Invalid(path,
                     StrCat("holds a C1 control character (U+00", kHexDigits[next >> 4],
                            kHexDigits[next & 0xF], " at offset ", i, ")"));
    }
    if (c == 0xE2 && i + 2 < text.size()) {
      const std::uint32_t cp = 0x2000 | ((next & 0x3F) << 6) |
                               (static_cast<unsigned char>(text[i + 2]) & 0x3F);
      if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
        return Invalid(
            path, StrCat("holds a bidirectional control character (U+",
                         kHexDigits[(cp >> 12) & 0xF], kHexDigits[(cp >> 8) & 0xF],
                         kHexDigits[(cp >> 4) & 0xF], kHexDigits[cp & 0xF], " at offset ",
                         i, "), which can make the text print as other text"));
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<records::Uuid> ParseId(std::string_view path, std::string_view text) {
  if (text.empty()) return Invalid(path, "is required and must not be empty");
  auto id = records::Uuid::Parse(text);
  if (!id) {
    return Invalid(path, StrCat(Quote(text), " is not a UUID (8-4-4-4-12 hex digits)"));
  }
  return *id;
}

absl::StatusOr<std::string> NormaliseSha256(std::string_view path,
                                            std::string_view text) {
  if (text.empty()) return std::string();
  std::string out(text);
  bool hex = out.size() == 64;
  for (char& c : out) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) hex = false;
  }
  if (!hex) {
    return Invalid(path, StrCat(Quote(text), " is not 64 hex digits (", text.size(),
                                " characters given)"));
  }
  return out;
}

absl::Status CheckItemKey(std::string_view path, std::string_view key) {
  if (key.size() > kMaxItemKeyBytes) {
    return Invalid(path,
                   StrCat("is ", key.size(), " bytes; the limit is ", kMaxItemKeyBytes));
  }
  for (std::size_t i = 0; i < key.size(); ++i) {
    const auto c = static_cast<unsigned char>(key[i]);
    if (c < 0x21 || c > 0x7E) {
      return Invalid(path, StrCat("holds byte ", static_cast<int>(c), " at offset ", i,
                                  "; an item key is printable ASCII without spaces"));
    }
  }
  return absl::OkStatus();
}

bool IsCountryCode(std::string_view text) {
  return text.size() == 2 && std::all_of(text.begin(), text.end(),
                                         [](char c) { return c >= 'A' && c <= 'Z'; });
}

absl::Status CheckCountryCode(std::string_view path, std::string_view text) {
  if (IsCountryCode(text)) return absl::OkStatus();
  RMTC_RETURN_IF_ERROR(CheckText(path, text, {.max_bytes = 64}));
  return Invalid(path, StrCat("'", text,
                              "' is not an ISO 3166 alpha-2 country code (two capital "
                              "letters, e.g. NZ)"));
}

absl::StatusOr<std::string> CheckAttributes(std::string_view path,
                                            std::string_view text) {
  if (text.empty()) return std::string("{}");
  if (text.size() > kMaxAttributesBytes) {
    return Invalid(
        path, StrCat("is ", text.size(), " bytes; the limit is ", kMaxAttributesBytes));
  }
  // The JSON parser stops at a NUL as at the end of the text, so whatever
  // follows one would pass unchecked and be cut off when stored.
  if (const auto nul = text.find('\0'); nul != std::string_view::npos) {
    return Invalid(path, StrCat("holds a NUL byte at offset ", nul,
                                " (JSON text has none; all after it would be lost)"));
  }
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    return Invalid(path, StrCat("is not valid JSON: error at byte ", e.byte));
  } catch (const nlohmann::json::exception&) {
    // out_of_range: a number beyond what a double holds (found by fuzzing).
    return Invalid(path, "holds a number too large to store (beyond 1.8e308)");
  }
  if (!doc.is_object()) {
    return Invalid(path, StrCat("must be a JSON object, not ", doc.type_name()));
  }
  if (auto status = CheckJsonTree(path, doc); !status.ok()) return status;
  return std::string(text);
}

}  // namespace rmtc::lineage
