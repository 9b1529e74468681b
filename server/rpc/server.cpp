#include "rpc/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/resource_quota.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "common/strings.h"

namespace rmtc::rpc {

namespace {

// The file of a unix:PATH or unix:///PATH address; "" for any other.
std::string UnixSocketPath(const std::string& listen) {
  if (listen.starts_with("unix://")) return listen.substr(7);
  if (listen.starts_with("unix:")) return listen.substr(5);
  return "";
}

// gRPC creates the socket with the process's umask (0777 under umask 000):
// anyone on the host could call. Owner only, from the moment it exists.
std::unique_ptr<grpc::Server> BuildOwnerOnly(grpc::ServerBuilder& builder,
                                             const std::string& socket_path) {
  const mode_t old_mask = umask(0077);
  auto server = builder.BuildAndStart();
  umask(old_mask);
  if (server && chmod(socket_path.c_str(), 0700) != 0) {
    spdlog::warn("cannot set the permissions of {}: {}", socket_path,
                 std::strerror(errno));
  }
  return server;
}

// A running call holds several times its request (parsed, planned, stored,
// answered): two of the largest at once, and eight more waiting, keep a
// burst of large writes within docs/operations.md's memory ceiling.
RequestBytes RequestBytesFor(const ServerOptions& options) {
  const auto largest = static_cast<std::size_t>(options.max_request_bytes);
  return {.running = kRunningRequests * largest, .waiting = kWaitingRequests * largest};
}

}  // namespace

Server::Server(const ServerOptions& options, lineage::ProvenanceGraph& graph,
               lineage::Licensing& licensing, ServerAccess access)
    : dispatcher_(options.workers,
                  /*max_queued=*/static_cast<std::size_t>(options.workers) * 256,
                  access.authenticator, RequestBytesFor(options),
                  static_cast<std::size_t>(options.max_calls_per_principal)),
      service_(graph, dispatcher_),
      licensing_service_(licensing, dispatcher_),
      access_service_(access.tokens, dispatcher_),
      audit_service_(access.audit, dispatcher_) {}

Server::~Server() { Shutdown(std::chrono::seconds(0)); }

absl::StatusOr<std::unique_ptr<Server>> Server::Start(const ServerOptions& options,
                                                      lineage::ProvenanceGraph& graph,
                                                      lineage::Licensing& licensing,
                                                      ServerAccess access) {
  std::unique_ptr<Server> server(new Server(options, graph, licensing, access));
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.listen, ListenerCredentials(options.tls), &port);
  builder.RegisterService(&server->service_);
  builder.RegisterService(&server->licensing_service_);
  builder.RegisterService(&server->access_service_);
  builder.RegisterService(&server->audit_service_);
  builder.SetMaxReceiveMessageSize(options.max_request_bytes);
  builder.SetMaxSendMessageSize(options.max_send_bytes);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, kMaxCallsPerConnection);
  // Past the quota gRPC stops accepting connections and cancels calls
  // rather than buffer more; the threads are the callback executor's.
  grpc::ResourceQuota quota("rmtcd");
  quota.Resize(options.grpc_memory_bytes);
  builder.SetResourceQuota(quota);
  // gRPC binds with SO_REUSEPORT by default: a second rmtcd on the same
  // address would start and silently share the port. Refuse instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  const std::string socket_path = UnixSocketPath(options.listen);
  server->server_ = socket_path.empty() ? builder.BuildAndStart()
                                        : BuildOwnerOnly(builder, socket_path);
  if (!server->server_ || port == 0) {
    return absl::FailedPreconditionError(
        StrCat("cannot listen on ", options.listen,
               ": the address is taken or not valid (use HOST:PORT or unix:PATH)"));
  }
  server->address_ = options.listen;
  if (options.listen.ends_with(":0")) {
    server->address_ = StrCat(options.listen.substr(0, options.listen.size() - 1), port);
  }
  server->SetServing(false);
  return server;
}

void Server::SetServing(bool serving) {
  if (!server_) return;
  auto* health = server_->GetHealthCheckService();
  if (health == nullptr) return;
  health->SetServingStatus(serving);
  health->SetServingStatus(v1::Lineage::service_full_name(), serving);
  health->SetServingStatus(v1::Licensing::service_full_name(), serving);
  health->SetServingStatus(v1::Access::service_full_name(), serving);
  health->SetServingStatus(v1::Audit::service_full_name(), serving);
}

void Server::Shutdown(std::chrono::milliseconds grace) {
  if (!server_) return;
  server_->Shutdown(std::chrono::system_clock::now() + grace);
  server_->Wait();
  server_.reset();
}

}  // namespace rmtc::rpc
