#include "store/deployment_key.h"

#include <pqxx/pqxx>

#include "store/transaction_runner.h"

namespace rmtc::store {
namespace {

constexpr char kPageTokenKey[] =
    "SELECT encode(page_token_key, 'hex') FROM deployment_key";
constexpr std::size_t kKeyBytes = 32;

}  // namespace

absl::StatusOr<std::string> LoadPageTokenKey(ConnectionPool& pool) {
  return RunReadOnly<std::string>(
      pool, "LoadPageTokenKey",
      [](pqxx::transaction_base& tx) -> absl::StatusOr<std::string> {
        const auto rows = tx.exec(kPageTokenKey);
        const std::string hex = rows.size() == 1 ? rows[0][0].c_str() : "";
        if (hex.size() != kKeyBytes * 2) {
          return absl::InternalError(
              "deployment_key: the table must hold one 32-byte key (see "
              "schema/V0005__deployment_key.sql)");
        }
        std::string key;
        for (std::size_t i = 0; i < hex.size(); i += 2) {
          key.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
        }
        return key;
      });
}

}  // namespace rmtc::store
