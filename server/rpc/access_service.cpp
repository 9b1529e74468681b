#include "rpc/access_service.h"

#include "auth/roles.h"
#include "common/strings.h"
#include "rpc/convert.h"

namespace rmtc::rpc {
namespace {

v1::Role RoleToProto(records::Role role) {
  return static_cast<v1::Role>(static_cast<int>(role) + 1);
}

void ToProto(const records::AccessToken& t, v1::AccessToken* out) {
  out->set_id(t.id.ToString());
  out->set_name(t.name);
  out->set_role(RoleToProto(t.role));
  out->set_facility(t.facility);
  if (t.expires_at) rpc::ToProto(*t.expires_at, out->mutable_expires_at());
  rpc::ToProto(t.created_at, out->mutable_created_at());
  out->set_created_by(t.created_by);
  if (t.revoked_at) rpc::ToProto(*t.revoked_at, out->mutable_revoked_at());
  out->set_revoked_by(t.revoked_by);
}

std::string_view SourceName(records::Principal::Source source) {
  switch (source) {
    case records::Principal::Source::kToken:
      return "token";
    case records::Principal::Source::kCertificate:
      return "certificate";
    case records::Principal::Source::kOpen:
      return "open";
  }
  return "open";
}

}  // namespace

absl::Status AccessService::HandleCreateToken(const v1::CreateTokenRequest& request,
                                              v1::CreateTokenResponse* response,
                                              const records::Principal& caller) {
  if (request.role() <= v1::ROLE_UNSPECIFIED || request.role() > v1::Role_MAX) {
    return absl::InvalidArgumentError(
        "role: is required (reader, recorder, rights or admin)");
  }
  auto expires = OptionalTimestampFromProto(request.has_expires_at(),
                                            request.expires_at(), "expires_at");
  if (!expires.ok()) return expires.status();
  auto created = tokens_.Create({.name = request.name(),
                                 .role = static_cast<records::Role>(request.role() - 1),
                                 .facility = request.facility(),
                                 .expires_at = *expires,
                                 .created_by = caller.name});
  if (!created.ok()) return created.status();
  ToProto(created->token, response->mutable_token());
  response->set_secret(created->secret);
  return absl::OkStatus();
}

absl::Status AccessService::HandleListTokens(const v1::ListTokensRequest&,
                                             v1::ListTokensResponse* response) {
  auto tokens = tokens_.List();
  if (!tokens.ok()) return tokens.status();
  for (const auto& t : *tokens) ToProto(t, response->add_tokens());
  return absl::OkStatus();
}

absl::Status AccessService::HandleRevokeToken(const v1::RevokeTokenRequest& request,
                                              v1::AccessToken* response,
                                              const records::Principal& caller) {
  auto revoked = tokens_.Revoke(request.name(), caller.name);
  if (!revoked.ok()) return revoked.status();
  ToProto(*revoked, response);
  return absl::OkStatus();
}

absl::Status AccessService::HandleWhoAmI(const v1::WhoAmIRequest&,
                                         v1::WhoAmIResponse* response,
                                         const records::Principal& caller) {
  response->set_principal(caller.name);
  response->set_role(RoleToProto(caller.role));
  response->set_facility(caller.facility);
  response->set_auth(std::string(SourceName(caller.source)));
  return absl::OkStatus();
}

}  // namespace rmtc::rpc
