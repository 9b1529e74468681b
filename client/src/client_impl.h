// What client.cpp and licensing.cpp share: the connection, the retry
// policy, and who is writing. Private to the library.
#pragma once

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <thread>

#include "grpc/health/v1/health.grpc.pb.h"
#include "rmtc/client.h"
#include "rmtc/v1/access.grpc.pb.h"
#include "rmtc/v1/audit.grpc.pb.h"
#include "rmtc/v1/licensing.grpc.pb.h"
#include "rmtc/v1/lineage.grpc.pb.h"

namespace rmtc {

// Largest answer accepted: a trace of 100,000 nodes fits.
constexpr int kMaxMessageBytes = 256 * 1024 * 1024;

struct Client::Impl {
  ClientOptions options;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<v1::Lineage::Stub> lineage;
  std::unique_ptr<v1::Licensing::Stub> licensing;
  std::unique_ptr<v1::Access::Stub> access;
  std::unique_ptr<v1::Audit::Stub> audit;
  std::unique_ptr<grpc::health::v1::Health::Stub> health;
};

inline Error ErrorOf(const grpc::Status& status) {
  return {static_cast<ErrorCode>(status.error_code()), status.error_message()};
}

// Plaintext, or TLS from the PEM files in `options` (src/tls.cpp).
// INVALID_ARGUMENT naming the option for a file missing, unreadable or not
// PEM, or a certificate without its key.
Result<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentialsFor(
    const ClientOptions& options);

// `error` reworded when it is a failed TLS handshake: "TLS handshake with
// rmtcd at ADDRESS failed: <likely cause> (<gRPC's words>)". Other errors,
// and any error of a plaintext client, come back as they are.
Error ExplainTlsFailure(const ClientOptions& options, Error error);

// created_by for writes: the option, else $USER, else the account name.
std::string CreatedBy(const ClientOptions& options);

// The request id of a write: the caller's, else a random one made now. The
// retries of one call share it, so a write that reached the server is never
// repeated.
std::string RequestIdOf(const WriteOptions& write);

// Runs `call(context, response)` with the retry policy: UNAVAILABLE is
// retried with exponential backoff and jitter; nothing else is. The whole
// call, retries and waits included, ends by `options.timeout`. Every write
// carries a request id (RequestIdOf), or is the same again when repeated
// (AddLicence), so a retry never writes twice.
template <typename Response, typename Call>
Result<Response> WithRetries(const Client::Impl& impl, Call&& call) {
  const ClientOptions& options = impl.options;
  const auto deadline = std::chrono::system_clock::now() + options.timeout;
  auto backoff = std::max(options.initial_backoff, std::chrono::milliseconds(0));
  std::mt19937 jitter(std::random_device{}());
  for (int attempt = 1;; ++attempt) {
    grpc::ClientContext context;
    context.set_deadline(deadline);
    if (!options.token.empty()) {
      context.AddMetadata("authorization", "Bearer " + options.token);
    }
    Response response;
    const grpc::Status status = call(&context, &response);
    if (status.ok()) return response;
    if (status.error_code() != grpc::StatusCode::UNAVAILABLE ||
        attempt >= options.max_attempts) {
      return ExplainTlsFailure(options, ErrorOf(status));
    }
    std::uniform_int_distribution<long> spread(backoff.count() / 2, backoff.count());
    const auto wait = std::chrono::milliseconds(spread(jitter));
    // No time left for another attempt after the wait: this answer is final.
    if (std::chrono::system_clock::now() + wait >= deadline) {
      return ExplainTlsFailure(options, ErrorOf(status));
    }
    // Wait out the backoff while driving the connection, so that a
    // restarted rmtcd is reached as soon as it listens (a channel left alone
    // between attempts can take seconds to notice).
    if (impl.channel->GetState(/*try_to_connect=*/false) == GRPC_CHANNEL_READY) {
      std::this_thread::sleep_for(wait);  // rmtcd answered: its database is down
    } else {
      impl.channel->WaitForConnected(std::chrono::system_clock::now() + wait);
    }
    backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
  }
}

}  // namespace rmtc
