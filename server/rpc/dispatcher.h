// Runs every RPC of the lineage service: parses the raw request, runs the
// typed handler on a worker thread (handlers block on the database, and
// gRPC's own callback threads must not), serialises the answer and logs
// one line per call. One place for what every RPC shares.
#pragma once

#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"

namespace rmtc::rpc {

class Dispatcher {
 public:
  // `threads` workers; past `max_queued` waiting calls, new ones are refused
  // with RESOURCE_EXHAUSTED rather than queued without bound.
  Dispatcher(int threads, std::size_t max_queued);
  // Runs what is queued, then stops the workers.
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Serves one unary call whose handler is `handler(request, response)`,
  // returning an absl::Status: the only place a domain status becomes a
  // gRPC status (same code, same message).
  template <typename Request, typename Response, typename Handler>
  grpc::ServerUnaryReactor* Serve(grpc::CallbackServerContext* context,
                                  const grpc::ByteBuffer* request,
                                  grpc::ByteBuffer* response, const char* method,
                                  Handler handler) {
    return Enqueue(context, method, [=]() {
      Request typed_request;
      grpc::Status status = Parse(*request, &typed_request);
      if (!status.ok()) return status;
      Response typed_response;
      status = ToGrpcStatus(handler(typed_request, &typed_response));
      if (status.ok()) Serialise(typed_response, response);
      return status;
    });
  }

 private:
  using Work = std::function<grpc::Status()>;
  struct Call {
    grpc::CallbackServerContext* context;
    grpc::ServerUnaryReactor* reactor;
    const char* method;
    std::chrono::steady_clock::time_point received;
    Work work;
  };

  grpc::ServerUnaryReactor* Enqueue(grpc::CallbackServerContext* context,
                                    const char* method, Work work);
  void RunWorker();
  // Runs the call's work inside a CallScope (common/call_scope.h): its
  // statements end with its deadline or its cancellation.
  static grpc::Status RunInScope(const Call& call);
  static void Finish(const Call& call, const grpc::Status& status);

  static grpc::Status ToGrpcStatus(const absl::Status& status);
  // INVALID_ARGUMENT naming the field if a string is not UTF-8.
  static grpc::Status Parse(const grpc::ByteBuffer& bytes,
                            google::protobuf::Message* message);
  static void Serialise(const google::protobuf::Message& message,
                        grpc::ByteBuffer* bytes);

  const std::size_t max_queued_;
  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<Call> queue_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace rmtc::rpc

// Inside a service class derived from the generated WithRawCallbackMethod_*
// bases, with members `dispatcher_` and `Handle<Method>`: overrides the raw
// method so that the Dispatcher serves it with the typed handler.
#define RMTC_SERVE_RAW(Method, Request, Response)                         \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* context,  \
                                   const grpc::ByteBuffer* request,       \
                                   grpc::ByteBuffer* response) override { \
    return dispatcher_.Serve<v1::Request, v1::Response>(                  \
        context, request, response, #Method,                              \
        [this](const v1::Request& typed, v1::Response* out) {             \
          return Handle##Method(typed, out);                              \
        });                                                               \
  }
