// The gRPC server: the lineage service, the standard health service (which
// follows the database) and server reflection, on one address.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "auth/authenticator.h"
#include "auth/token_registry.h"
#include "lineage/provenance_graph.h"
#include "rpc/access_service.h"
#include "rpc/audit_service.h"
#include "rpc/dispatcher.h"
#include "rpc/licensing_service.h"
#include "rpc/lineage_service.h"
#include "rpc/tls.h"

namespace rmtc::rpc {

// Calls one connection may have open at once (HTTP/2 streams): with the
// page budget, this bounds the answers one connection can leave unread.
inline constexpr int kMaxCallsPerConnection = 100;

// Requests of the largest size that run at once, and that wait (rpc::
// RequestBytes): what bounds the memory of a burst of large writes.
inline constexpr std::size_t kRunningRequests = 2;
inline constexpr std::size_t kWaitingRequests = 8;

struct ServerOptions {
  std::string listen;               // HOST:PORT (port 0: any free port) or unix:PATH
  int workers = 8;                  // calls served at once
  int max_calls_per_principal = 0;  // running or waiting; 0: no limit
  std::optional<TlsFiles> tls;      // nullopt: plaintext
  // Largest request gRPC accepts; larger ones are refused RESOURCE_EXHAUSTED
  // ("Received message larger than max (N vs. LIMIT)") before any handler runs.
  int max_request_bytes = 16 * 1024 * 1024;
  // Largest answer sent: a backstop. Pages are cut far below it by the page
  // budget, a write's answer is about its request's size; answers that are
  // not pages (a licensing chain of a large graph) may be larger.
  int max_send_bytes = 256 * 1024 * 1024;
  // gRPC's resource quota: what its transport may hold for all connections.
  std::size_t grpc_memory_bytes = std::size_t{256} * 1024 * 1024;
};

// Who may call, and the tokens an admin manages.
struct ServerAccess {
  auth::Authenticator& authenticator;
  auth::TokenRegistry& tokens;
  lineage::AuditLog& audit;
};

class Server {
 public:
  // Starts serving. FAILED_PRECONDITION if the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<Server>> Start(const ServerOptions& options,
                                                       lineage::ProvenanceGraph& graph,
                                                       lineage::Licensing& licensing,
                                                       ServerAccess access);
  ~Server();

  // The address actually bound: ":0" replaced by the chosen port.
  const std::string& address() const { return address_; }

  // What the health service says, for the whole server and for
  // rmtc.v1.Lineage.
  void SetServing(bool serving);

  // Stops taking calls; calls in flight get `grace` to finish.
  void Shutdown(std::chrono::milliseconds grace);

 private:
  Server(const ServerOptions& options, lineage::ProvenanceGraph& graph,
         lineage::Licensing& licensing, ServerAccess access);

  Dispatcher dispatcher_;
  LineageService service_;
  LicensingService licensing_service_;
  AccessService access_service_;
  AuditService audit_service_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
};

}  // namespace rmtc::rpc
