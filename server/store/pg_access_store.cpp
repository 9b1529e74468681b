#include "store/pg_access_store.h"

#include <pqxx/pqxx>

#include "common/strings.h"
#include "store/audit_trail.h"
#include "store/transaction_runner.h"
#include "vocabulary/hex.h"
#include "vocabulary/names.h"

namespace rmtc::store {

using records::AccessToken;
using records::Timestamp;

namespace {

// Every column of a token, the earliest revocation joined in.
#define RMTC_TOKEN_SELECT                                                      \
  "SELECT t.id::text, t.name, t.role, t.facility, rmtc_micros(t.expires_at),"  \
  "       rmtc_micros(t.created_at), t.created_by, rmtc_micros(r.revoked_at)," \
  "       coalesce(r.recorded_by, '')"                                         \
  "  FROM access_token t LEFT JOIN LATERAL ("                                  \
  "    SELECT revoked_at, recorded_by FROM access_token_revocation"            \
  "     WHERE token_id = t.id ORDER BY revoked_at, seq LIMIT 1) r ON true"

constexpr char kInsertToken[] =
    "INSERT INTO access_token (id, name, digest, role, facility, expires_at, created_by)"
    " VALUES ($1::uuid, $2, decode($3, 'hex'), $4, $5,"
    "         CASE WHEN $6 = '' THEN NULL ELSE rmtc_time($6) END, $7)"
    " ON CONFLICT (name) DO NOTHING RETURNING 1";
constexpr char kTokenByName[] = RMTC_TOKEN_SELECT " WHERE t.name = $1";
constexpr char kTokenByDigest[] = RMTC_TOKEN_SELECT " WHERE t.digest = decode($1, 'hex')";
constexpr char kListTokens[] = RMTC_TOKEN_SELECT " ORDER BY t.name";
constexpr char kRevokeToken[] =
    "INSERT INTO access_token_revocation (token_id, recorded_by)"
    " SELECT id, $2 FROM access_token WHERE name = $1 RETURNING seq";

#undef RMTC_TOKEN_SELECT

std::optional<Timestamp> FromMicros(const pqxx::field& f) {
  if (f.is_null() || *f.c_str() == '\0') return std::nullopt;
  return Timestamp(std::chrono::microseconds(std::stoll(f.c_str())));
}

AccessToken ReadToken(const pqxx::row& row) {
  AccessToken t;
  t.id = *records::Uuid::Parse(row[0].c_str());
  t.name = row[1].c_str();
  const auto role = vocabulary::IndexOfName(vocabulary::kRoleNames, row[2].c_str());
  t.role = static_cast<records::Role>(role.value_or(0));
  t.facility = row[3].c_str();
  t.expires_at = FromMicros(row[4]);
  t.created_at = FromMicros(row[5]).value_or(Timestamp{});
  t.created_by = row[6].c_str();
  t.revoked_at = FromMicros(row[7]);
  t.revoked_by = row[8].c_str();
  return t;
}

std::string Hex(const TokenDigest& digest) {
  return vocabulary::HexEncode(digest.data(), digest.size());
}

std::string Micros(const std::optional<Timestamp>& t) {
  return t ? StrCat(t->time_since_epoch().count()) : std::string();
}

}  // namespace

absl::StatusOr<AccessToken> PgAccessStore::AddToken(const AccessToken& token,
                                                    const TokenDigest& digest) {
  return RunReadWrite<AccessToken>(
      pool_, "AddToken", [&](pqxx::transaction_base& tx) -> absl::StatusOr<AccessToken> {
        const auto inserted = tx.exec_params(
            kInsertToken, token.id.ToString(), token.name, Hex(digest),
            std::string(vocabulary::kRoleNames[static_cast<int>(token.role)]),
            token.facility, Micros(token.expires_at), token.created_by);
        if (inserted.empty()) {
          return absl::AlreadyExistsError(
              StrCat("name: a token named '", token.name,
                     "' exists (rmtc token ls; revoke it or choose another name)"));
        }
        AppendAudit(tx, {.refs = {StrCat("token:", token.id.ToString())}});
        return ReadToken(tx.exec_params1(kTokenByName, token.name));
      });
}

absl::StatusOr<std::optional<AccessToken>> PgAccessStore::TokenByDigest(
    const TokenDigest& digest) {
  return RunReadOnly<std::optional<AccessToken>>(
      pool_, "TokenByDigest",
      [&](pqxx::transaction_base& tx) -> std::optional<AccessToken> {
        const auto rows = tx.exec_params(kTokenByDigest, Hex(digest));
        if (rows.empty()) return std::nullopt;
        return ReadToken(rows[0]);
      });
}

absl::StatusOr<std::vector<AccessToken>> PgAccessStore::ListTokens() {
  return RunReadOnly<std::vector<AccessToken>>(
      pool_, "ListTokens", [&](pqxx::transaction_base& tx) {
        std::vector<AccessToken> out;
        for (const auto& row : tx.exec(kListTokens)) out.push_back(ReadToken(row));
        return out;
      });
}

absl::StatusOr<std::optional<AccessToken>> PgAccessStore::RevokeToken(
    const std::string& name, const std::string& by) {
  return RunReadWrite<std::optional<AccessToken>>(
      pool_, "RevokeToken",
      [&](pqxx::transaction_base& tx) -> std::optional<AccessToken> {
        const auto appended = tx.exec_params(kRevokeToken, name, by);
        const auto rows = tx.exec_params(kTokenByName, name);
        if (rows.empty()) return std::nullopt;
        AppendAudit(tx, {.refs = {StrCat("token_revocation:", appended[0][0].c_str())}});
        return ReadToken(rows[0]);
      });
}

}  // namespace rmtc::store
