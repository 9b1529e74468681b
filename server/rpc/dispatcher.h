// Runs every RPC of the lineage service: parses the raw request, runs the
// typed handler on a worker thread (handlers block on the database, and
// gRPC's own callback threads must not), serialises the answer and logs
// one line per call. One place for what every RPC shares.
#pragma once

#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "auth/authenticator.h"
#include "auth/roles.h"
#include "records/access.h"

namespace rmtc::rpc {

// How many bytes of requests the Dispatcher holds at once, since a call
// holds several times its request while it runs (parsed, planned, stored,
// answered). Calls run while their requests together stay within
// `running`: a call that would pass it waits (smaller calls behind it go
// ahead), unless nothing else runs. Calls wait while their requests stay
// within `waiting`; past it, new ones are refused RESOURCE_EXHAUSTED.
struct RequestBytes {
  std::size_t running = SIZE_MAX;
  std::size_t waiting = SIZE_MAX;
};

class Dispatcher {
 public:
  // `threads` workers; past `max_queued` waiting calls, new ones are refused
  // with RESOURCE_EXHAUSTED rather than queued without bound, and so past
  // `bytes`; so are a caller's calls past `max_per_caller` of its own
  // running or waiting (0: no such limit), so that one principal cannot
  // hold every worker. Every call is authenticated and authorised by
  // `authenticator` before its request is even parsed.
  Dispatcher(int threads, std::size_t max_queued, auth::Authenticator& authenticator,
             RequestBytes bytes = {}, std::size_t max_per_caller = 0);
  // Runs what is queued, then stops the workers.
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Serves one unary call whose handler is `handler(request, response,
  // caller)`, returning an absl::Status: the only place a domain status
  // becomes a gRPC status (same code, same message).
  template <typename Request, typename Response, typename Handler>
  grpc::ServerUnaryReactor* Serve(grpc::CallbackServerContext* context,
                                  const grpc::ByteBuffer* request,
                                  grpc::ByteBuffer* response, const char* method,
                                  Handler handler) {
    return Enqueue(
        context, method, request->Length(), [=](const records::Principal& caller) {
          Request typed_request;
          grpc::Status status = Parse(*request, &typed_request);
          if (!status.ok()) return status;
          if (auth::Writes(method)) NoteRequestForAudit(*request);
          Response typed_response;
          status = ToGrpcStatus(handler(typed_request, &typed_response, caller));
          if (status.ok()) Serialise(typed_response, response);
          return status;
        });
  }

 private:
  using Work = std::function<grpc::Status(const records::Principal&)>;
  struct Call {
    grpc::CallbackServerContext* context;
    grpc::ServerUnaryReactor* reactor;
    const char* method;
    std::chrono::steady_clock::time_point received;
    Work work;
    std::size_t request_bytes = 0;
    // Whose calls this one counts with (CallerKey); "" counts with none.
    std::string caller;
  };

  grpc::ServerUnaryReactor* Enqueue(grpc::CallbackServerContext* context,
                                    const char* method, std::size_t request_bytes,
                                    Work work);
  void RunWorker();
  // Counts `call` as its caller's, unless its caller is at the limit: the
  // refusal then (RESOURCE_EXHAUSTED). Under mu_.
  std::optional<grpc::Status> CountLocked(const Call& call);
  void Uncount(const Call& call);
  // The first waiting call whose request fits beside the running ones
  // (any, when stopping); queue_.end() if none. Under mu_.
  std::deque<Call>::iterator NextRunnable();
  // Who the call runs as, if it may call its method at all.
  absl::StatusOr<records::Principal> Admit(const Call& call);
  // Runs the call's work, as its caller, inside a CallScope
  // (common/call_scope.h): its statements end with its deadline or its
  // cancellation.
  grpc::Status RunInScope(const Call& call);
  void Finish(const Call& call, const grpc::Status& status);
  void LogRefused(const Call& call, const grpc::Status& status, double ms);

  static grpc::Status ToGrpcStatus(const absl::Status& status);
  // Puts the SHA-256 of the request's bytes, as received, in the call's
  // scope, for its audit entry (hashed slice by slice: no copy).
  static void NoteRequestForAudit(const grpc::ByteBuffer& request);
  // INVALID_ARGUMENT naming the field if a string is not UTF-8.
  static grpc::Status Parse(const grpc::ByteBuffer& bytes,
                            google::protobuf::Message* message);
  static void Serialise(const google::protobuf::Message& message,
                        grpc::ByteBuffer* bytes);

  auth::Authenticator& authenticator_;
  const std::size_t max_queued_;
  const RequestBytes max_bytes_;
  std::size_t running_bytes_ = 0;  // under mu_
  std::size_t waiting_bytes_ = 0;  // under mu_
  const std::size_t max_per_caller_;
  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<Call> queue_;
  std::map<std::string, std::size_t> calls_of_;  // running or queued, by CallerKey
  bool stopping_ = false;
  std::vector<std::thread> workers_;
  // Refused calls are logged at warn, at most kDeniedPerSecond lines a
  // second (a misconfigured farm must not flood the log).
  static constexpr int kDeniedPerSecond = 10;
  std::mutex denied_mu_;
  std::chrono::steady_clock::time_point denied_second_{};
  int denied_logged_ = 0;
  long denied_suppressed_ = 0;
};

}  // namespace rmtc::rpc

// Inside a service class derived from the generated WithRawCallbackMethod_*
// bases, with members `dispatcher_` and `Handle<Method>`: overrides the raw
// method so that the Dispatcher serves it with the typed handler.
#define RMTC_SERVE_RAW(Method, Request, Response)                                        \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* context,                 \
                                   const grpc::ByteBuffer* request,                      \
                                   grpc::ByteBuffer* response) override {                \
    return dispatcher_.Serve<v1::Request, v1::Response>(                                 \
        context, request, response, #Method,                                             \
        [this](const v1::Request& typed, v1::Response* out, const records::Principal&) { \
          return Handle##Method(typed, out);                                             \
        });                                                                              \
  }

// The same for a handler that needs to know who calls
// (`Handle<Method>(request, response, caller)`): writes a facility-bound
// token may make, WhoAmI.
#define RMTC_SERVE_RAW_AS_CALLER(Method, Request, Response)               \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* context,  \
                                   const grpc::ByteBuffer* request,       \
                                   grpc::ByteBuffer* response) override { \
    return dispatcher_.Serve<v1::Request, v1::Response>(                  \
        context, request, response, #Method,                              \
        [this](const v1::Request& typed, v1::Response* out,               \
               const records::Principal& caller) {                        \
          return Handle##Method(typed, out, caller);                      \
        });                                                               \
  }
