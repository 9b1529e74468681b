// AccessStore on PostgreSQL (schema/V0008__access_tokens.sql), sharing the
// connection pool of the other stores.
#pragma once

#include "store/access_store.h"
#include "store/connection_pool.h"

namespace rmtc::store {

class PgAccessStore final : public AccessStore {
 public:
  explicit PgAccessStore(ConnectionPool& pool) : pool_(pool) {}

  absl::StatusOr<records::AccessToken> AddToken(const records::AccessToken& token,
                                                const TokenDigest& digest) override;
  absl::StatusOr<std::optional<records::AccessToken>> TokenByDigest(
      const TokenDigest& digest) override;
  absl::StatusOr<std::vector<records::AccessToken>> ListTokens() override;
  absl::StatusOr<std::optional<records::AccessToken>> RevokeToken(
      const std::string& name, const std::string& by) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace rmtc::store
