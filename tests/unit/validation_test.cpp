#include "lineage/validation.h"

#include <gtest/gtest.h>

#include <string>

namespace rmtc::lineage {
namespace {

std::string Message(const absl::Status& status) { return std::string(status.message()); }

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plate_0010.exr"));
  EXPECT_TRUE(IsValidUtf8("Ngā Taonga — 映像"));
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x8E\xAC"));  // U+1F3AC clapper board
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last one
}

TEST(Utf8, RefusesMalformedText) {
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_FALSE(IsValidUtf8("caf\xE9"));           // Latin-1 é
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong, 3 bytes
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\x80"));              // lone continuation
}

TEST(CheckText, NamesTheFieldInEveryError) {
  const TextRule name_rule{.max_bytes = kMaxNameBytes, .required = true};
  auto empty = CheckText("artefacts[3].name", "", name_rule);
  EXPECT_EQ(empty.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Message(empty), "artefacts[3].name: is required and must not be empty");

  auto long_name = CheckText("artefacts[0].name", std::string(513, 'a'), name_rule);
  EXPECT_EQ(Message(long_name), "artefacts[0].name: is 513 bytes; the limit is 512");
  EXPECT_TRUE(CheckText("n", std::string(512, 'a'), name_rule).ok());

  auto bad = CheckText("run.name", "caf\xE9", name_rule);
  EXPECT_EQ(Message(bad), "run.name: is not valid UTF-8");

  auto nul = CheckText("run.name", std::string("a\0b", 3), name_rule);
  EXPECT_EQ(Message(nul), "run.name: holds a control character (byte 0 at offset 1)");
  EXPECT_FALSE(CheckText("run.name", "two\nlines", name_rule).ok());

  EXPECT_TRUE(CheckText("version", "", {.max_bytes = 128}).ok());
}

TEST(ParseId, AcceptsCanonicalUuidsOnly) {
  auto id = ParseId("id", "0190c4d2-7b1e-7c3a-9f00-123456789ABC");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->ToString(), "0190c4d2-7b1e-7c3a-9f00-123456789abc");

  for (const char* bad :
       {"0190c4d27b1e7c3a9f00123456789abc", "0190c4d2-7b1e-7c3a-9f00-123456789ab",
        "{0190c4d2-7b1e-7c3a-9f00-123456789abc}",
        "0190c4d2-7b1e-7c3a-9f00-123456789abg"}) {
    auto parsed = ParseId("artefacts[1].sources[0].id", bad);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(Message(parsed.status()).rfind("artefacts[1].sources[0].id: '", 0), 0u)
        << Message(parsed.status());
  }
  EXPECT_EQ(Message(ParseId("id", "").status()), "id: is required and must not be empty");
}

TEST(Sha256, NormalisesToLowercaseAndRefusesAnythingElse) {
  const std::string upper(64, 'A');
  auto ok = NormaliseSha256("sha256", upper);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, std::string(64, 'a'));
  EXPECT_EQ(*NormaliseSha256("sha256", ""), "");

  auto short_digest = NormaliseSha256("artefacts[2].sha256", std::string(63, 'a'));
  EXPECT_EQ(Message(short_digest.status()).rfind("artefacts[2].sha256: '", 0), 0u);
  EXPECT_NE(
      Message(short_digest.status()).find("is not 64 hex digits (63 characters given)"),
      std::string::npos);
  EXPECT_FALSE(NormaliseSha256("sha256", std::string(63, 'a') + "g").ok());
}

TEST(Attributes, MustBeASmallJsonObject) {
  EXPECT_EQ(*CheckAttributes("a", ""), "{}");
  // Kept as sent, so big numbers keep every digit.
  EXPECT_EQ(*CheckAttributes("a", R"({"seed": 123456789012345678901234567890})"),
            R"({"seed": 123456789012345678901234567890})");

  EXPECT_EQ(Message(CheckAttributes("x.attributes", "[1,2]").status()),
            "x.attributes: must be a JSON object, not array");
  EXPECT_EQ(Message(CheckAttributes("x.attributes", "\"s\"").status()),
            "x.attributes: must be a JSON object, not string");
  EXPECT_EQ(Message(CheckAttributes("x.attributes", "{\"a\":").status()),
            "x.attributes: is not valid JSON: error at byte 6");

  std::string big = "{\"k\":\"" + std::string(64 * 1024, 'x') + "\"}";
  EXPECT_NE(Message(CheckAttributes("x.attributes", big).status())
                .find("bytes; the limit is 65536"),
            std::string::npos);

  std::string deep;
  for (int i = 0; i < 70; ++i) deep += "{\"a\":";
  deep += "1";
  for (int i = 0; i < 70; ++i) deep += "}";
  EXPECT_EQ(Message(CheckAttributes("x.attributes", deep).status()),
            "x.attributes: nested deeper than 64 levels");

  EXPECT_EQ(Message(CheckAttributes("x.attributes", R"({"lr": 1e400})").status()),
            "x.attributes: holds a number too large to store (beyond 1.8e308)");
  EXPECT_EQ(Message(CheckAttributes("x.attributes", R"({"a":"b\u0000c"})").status()),
            "x.attributes: a string holds \\u0000, which cannot be stored");
  EXPECT_FALSE(CheckAttributes("x.attributes", "{\"a\":\"caf\xE9\"}").ok());
}

TEST(ItemKey, IsShortPrintableAsciiWithoutSpaces) {
  EXPECT_TRUE(CheckItemKey("x.item_key", "").ok());
  EXPECT_TRUE(CheckItemKey("x.item_key", "rmtc-import.v1:0a1b:0").ok());
  EXPECT_TRUE(CheckItemKey("x.item_key", std::string(128, '~')).ok());
  EXPECT_EQ(Message(CheckItemKey("x.item_key", std::string(129, 'k'))),
            "x.item_key: is 129 bytes; the limit is 128");
  EXPECT_EQ(Message(CheckItemKey("x.item_key", "two words")),
            "x.item_key: holds byte 32 at offset 3; an item key is printable ASCII "
            "without spaces");
  EXPECT_EQ(Message(CheckItemKey("x.item_key", "caf\xC3\xA9")),
            "x.item_key: holds byte 195 at offset 3; an item key is printable ASCII "
            "without spaces");
  EXPECT_FALSE(CheckItemKey("x.item_key", "tab\tkey").ok());
  EXPECT_FALSE(CheckItemKey("x.item_key", "del\x7F").ok());
}

// Characters that make a name print as something else in a report: C1
// controls, and the bidirectional embeddings, overrides and isolates.
TEST(CheckText, RefusesC1ControlsAndBidiControls) {
  const TextRule rule{.max_bytes = kMaxNameBytes, .required = true};
  EXPECT_EQ(Message(CheckText("name", "plate\xC2\x85.exr", rule)),
            "name: holds a C1 control character (U+0085 at offset 5)");
  EXPECT_EQ(Message(CheckText("name", "\xC2\x9F", rule)),
            "name: holds a C1 control character (U+009F at offset 0)");
  // "invoice_\u202Eexe.pdf" prints as "invoice_fdp.exe".
  EXPECT_EQ(
      Message(CheckText("name",
                        "invoice_\xE2\x80\xAE"
                        "fdp.exe",
                        rule)),
      "name: holds a bidirectional control character (U+202E at offset 8), which can "
      "make the text print as other text");
  for (const char* c : {"\xE2\x80\xAA", "\xE2\x80\xAB", "\xE2\x80\xAC", "\xE2\x80\xAD",
                        "\xE2\x81\xA6", "\xE2\x81\xA7", "\xE2\x81\xA8", "\xE2\x81\xA9"}) {
    EXPECT_EQ(CheckText("name", std::string("a") + c, rule).code(),
              absl::StatusCode::kInvalidArgument)
        << c;
  }
  // Their neighbours, Latin-1 and right-to-left text stay welcome.
  EXPECT_TRUE(CheckText("name",
                        "\xC2\xA0"
                        "caf\xC3\xA9",
                        rule)
                  .ok());  // NBSP, é
  EXPECT_TRUE(CheckText("name", "\xE2\x80\xA9\xE2\x80\xAF\xE2\x81\xA5", rule)
                  .ok());  // 2029 202F 2065
  EXPECT_TRUE(
      CheckText("name", "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D", rule).ok());  // Hebrew
}

// nlohmann::json stops at a NUL as at the end of its input: what follows
// would be neither checked nor stored.
TEST(Attributes, RefuseANulByteAnywhere) {
  const std::string smuggled("{\"a\":\"b\"}\0{\"admin\":true}", 24);
  auto refused = CheckAttributes("artefacts[0].attributes", smuggled);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      Message(refused.status()),
      "artefacts[0].attributes: holds a NUL byte at offset 9 (JSON text has none; all "
      "after it would be lost)");
  EXPECT_FALSE(CheckAttributes("a", std::string("{}\0", 3)).ok());
}

}  // namespace
}  // namespace rmtc::lineage
