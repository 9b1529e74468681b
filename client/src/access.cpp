// The access calls of rmtc::Client: tokens and WhoAmI.
#include "client_impl.h"
#include "convert.h"
#include "rmtc/v1/access.grpc.pb.h"
#include "vocabulary/names.h"

namespace rmtc {
namespace {

using vocabulary::kRoleNames;

Role RoleFromProto(int value) {
  return value >= 1 && value <= static_cast<int>(kRoleNames.size())
             ? static_cast<Role>(value)
             : Role::kUnknown;
}

AccessToken FromProto(const v1::AccessToken& p) {
  AccessToken t{.id = p.id(),
                .name = p.name(),
                .role = RoleFromProto(p.role()),
                .facility = p.facility(),
                .created_at = TimeFromProto(p.created_at()),
                .created_by = p.created_by(),
                .revoked_by = p.revoked_by()};
  if (p.has_expires_at()) t.expires_at = TimeFromProto(p.expires_at());
  if (p.has_revoked_at()) t.revoked_at = TimeFromProto(p.revoked_at());
  return t;
}

template <typename Response, typename Call>
Result<Response> CallAccess(const Client::Impl& impl, Call&& call) {
  return WithRetries<Response>(impl, [&](grpc::ClientContext* context, Response* out) {
    return call(*impl.access, context, out);
  });
}

}  // namespace

std::string_view RoleName(Role role) {
  const int n = static_cast<int>(role);
  return n >= 1 && n <= static_cast<int>(kRoleNames.size()) ? kRoleNames[n - 1]
                                                            : "unknown";
}

std::optional<Role> RoleFromName(std::string_view name) {
  const auto i = vocabulary::IndexOfName(kRoleNames, name);
  return i ? std::optional(static_cast<Role>(*i + 1)) : std::nullopt;
}

Result<CreatedToken> Client::CreateToken(const NewToken& token) const {
  v1::CreateTokenRequest request;
  request.set_name(token.name);
  request.set_role(static_cast<v1::Role>(token.role));
  request.set_facility(token.facility);
  if (token.expires_at) SetTimestamp(*token.expires_at, request.mutable_expires_at());
  // A retry after a lost answer finds the name taken (ALREADY_EXISTS): no
  // second token is made, and the one whose secret was lost is revoked by
  // name.
  auto response = CallAccess<v1::CreateTokenResponse>(
      *impl_, [&](v1::Access::Stub& stub, grpc::ClientContext* context, auto* out) {
        return stub.CreateToken(context, request, out);
      });
  if (!response) return response.error();
  return CreatedToken{FromProto(response->token()), response->secret()};
}

Result<std::vector<AccessToken>> Client::ListTokens() const {
  auto response = CallAccess<v1::ListTokensResponse>(
      *impl_, [&](v1::Access::Stub& stub, grpc::ClientContext* context, auto* out) {
        return stub.ListTokens(context, v1::ListTokensRequest(), out);
      });
  if (!response) return response.error();
  std::vector<AccessToken> out;
  for (const auto& t : response->tokens()) out.push_back(FromProto(t));
  return out;
}

Result<AccessToken> Client::RevokeToken(const std::string& name) const {
  v1::RevokeTokenRequest request;
  request.set_name(name);
  auto response = CallAccess<v1::AccessToken>(
      *impl_, [&](v1::Access::Stub& stub, grpc::ClientContext* context, auto* out) {
        return stub.RevokeToken(context, request, out);
      });
  if (!response) return response.error();
  return FromProto(*response);
}

Result<Caller> Client::WhoAmI() const {
  auto response = CallAccess<v1::WhoAmIResponse>(
      *impl_, [&](v1::Access::Stub& stub, grpc::ClientContext* context, auto* out) {
        return stub.WhoAmI(context, v1::WhoAmIRequest(), out);
      });
  if (!response) return response.error();
  return Caller{.principal = response->principal(),
                .role = RoleFromProto(response->role()),
                .facility = response->facility(),
                .auth = response->auth()};
}

}  // namespace rmtc
