#include "records/audit.h"

#include <openssl/evp.h>

#include <memory>

namespace rmtc::records {
namespace {

// Incremental SHA-256, finished as lowercase hex.
class Sha256 {
 public:
  Sha256() : ctx_(EVP_MD_CTX_new()) {
    EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr);
  }
  void Add(std::string_view bytes) {
    EVP_DigestUpdate(ctx_.get(), bytes.data(), bytes.size());
  }
  // "<length>:<bytes>": no field can run into the next.
  void Field(std::string_view bytes) {
    Add(std::to_string(bytes.size()));
    Add(":");
    Add(bytes);
  }
  std::string Hex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(ctx_.get(), digest, &length);
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
      out.push_back(kDigits[digest[i] >> 4]);
      out.push_back(kDigits[digest[i] & 15]);
    }
    return out;
  }

 private:
  struct Free {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
  };
  std::unique_ptr<EVP_MD_CTX, Free> ctx_;
};

}  // namespace

std::string RowsDigest(const std::vector<AuditRow>& rows) {
  Sha256 sha;
  sha.Field("rmtc-audit-rows-v1");
  for (const auto& row : rows) {
    sha.Field(row.ref);
    sha.Field(row.digest);
  }
  return sha.Hex();
}

std::string EntryHash(const AuditEntry& entry) {
  Sha256 sha;
  sha.Field("rmtc-audit-entry-v1");
  sha.Field(std::to_string(entry.seq));
  sha.Field(std::to_string(entry.recorded_at.time_since_epoch().count()));
  sha.Field(entry.principal);
  sha.Field(entry.method);
  sha.Field(entry.request_id);
  sha.Field(entry.request_sha256);
  sha.Field(std::to_string(entry.artefact_ids.size()));
  for (const auto& id : entry.artefact_ids) sha.Field(id.ToString());
  sha.Field(entry.rows_digest);
  sha.Field(entry.prev_hash);
  return sha.Hex();
}

std::string_view ProblemName(AuditFinding::Problem problem) {
  using P = AuditFinding::Problem;
  switch (problem) {
    case P::kRowChanged:
      return "row changed";
    case P::kRowMissing:
      return "row deleted";
    case P::kEntryChanged:
      return "entry changed";
    case P::kChainBroken:
      return "chain broken";
    case P::kEntriesMissing:
      return "entries missing";
    case P::kHeadMismatch:
      return "head mismatch";
    case P::kCheckpointMismatch:
      return "checkpoint mismatch";
    case P::kUnauditedRow:
      return "row without entry";
  }
  return "unknown";
}

}  // namespace rmtc::records
