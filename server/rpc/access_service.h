// The rmtc.v1.Access gRPC service: access tokens (admin) and WhoAmI (any
// role). Thin, like the other services, and served the same raw way.
#pragma once

#include <grpcpp/grpcpp.h>

#include "auth/token_registry.h"
#include "rmtc/v1/access.grpc.pb.h"
#include "rpc/dispatcher.h"

namespace rmtc::rpc {

using RawAccessBase = v1::Access::WithRawCallbackMethod_CreateToken<
    v1::Access::WithRawCallbackMethod_ListTokens<
        v1::Access::WithRawCallbackMethod_RevokeToken<
            v1::Access::WithRawCallbackMethod_WhoAmI<v1::Access::Service>>>>;

class AccessService final : public RawAccessBase {
 public:
  AccessService(auth::TokenRegistry& tokens, Dispatcher& dispatcher)
      : tokens_(tokens), dispatcher_(dispatcher) {}

  absl::Status HandleCreateToken(const v1::CreateTokenRequest& request,
                                 v1::CreateTokenResponse* response,
                                 const records::Principal& caller);
  absl::Status HandleListTokens(const v1::ListTokensRequest& request,
                                v1::ListTokensResponse* response);
  absl::Status HandleRevokeToken(const v1::RevokeTokenRequest& request,
                                 v1::AccessToken* response,
                                 const records::Principal& caller);
  absl::Status HandleWhoAmI(const v1::WhoAmIRequest& request,
                            v1::WhoAmIResponse* response,
                            const records::Principal& caller);

 private:
  RMTC_SERVE_RAW_AS_CALLER(CreateToken, CreateTokenRequest, CreateTokenResponse)
  RMTC_SERVE_RAW(ListTokens, ListTokensRequest, ListTokensResponse)
  RMTC_SERVE_RAW_AS_CALLER(RevokeToken, RevokeTokenRequest, AccessToken)
  RMTC_SERVE_RAW_AS_CALLER(WhoAmI, WhoAmIRequest, WhoAmIResponse)

  auth::TokenRegistry& tokens_;
  Dispatcher& dispatcher_;
};

}  // namespace rmtc::rpc
