// Page tokens carry where the next page starts, and are the client's to
// hold: each is sealed with an HMAC-SHA256 tag under the deployment's key,
// so a token changed on its way back (a bug, a bit flip, a hand edit) is
// refused instead of resuming the listing somewhere else.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rmtc::lineage {

class PageTokenSeal {
 public:
  static constexpr std::size_t kKeyBytes = 32;

  // A random key of this process: its tokens do not outlive it. For tests
  // and single-process tools; rmtcd passes the deployment's key.
  PageTokenSeal();
  // `key`: kKeyBytes bytes, the same for every rmtcd on one database (the
  // deployment_key table), so a token from one replica opens on another.
  explicit PageTokenSeal(std::string key);

  // The one page-token format of every paged answer (list, trace, impact,
  // licence list): "<kind>~<position field>~...~<fingerprint>", sealed.
  // `kind` names the listing ("l1", "t1", ...), the fields say where the
  // next page starts (none may hold '~'), and `fingerprint` (Fingerprint()
  // of the query's canonical text) binds the token to the query it came
  // from, so it cannot continue another listing.
  std::string Encode(std::string_view kind, const std::vector<std::string>& position,
                     std::string_view fingerprint) const;
  // The position fields of a token this key made for this kind, with
  // `fields` fields and this fingerprint; nullopt for anything else.
  std::optional<std::vector<std::string>> Decode(std::string_view token,
                                                 std::string_view kind,
                                                 std::size_t fields,
                                                 std::string_view fingerprint) const;
  // A stable digest of a query's canonical text, in hex (FNV-1a 64: the
  // same in every process and build, unlike std::hash).
  static std::string Fingerprint(std::string_view canonical);

  // "<body>.<tag>": the tag is 128 bits of HMAC-SHA256(key, body), in hex.
  std::string Seal(std::string_view body) const;
  // The body of a token this key sealed; nullopt for any other text.
  std::optional<std::string_view> Open(std::string_view token) const;

 private:
  std::string Tag(std::string_view body) const;
  std::string key_;
};

}  // namespace rmtc::lineage
