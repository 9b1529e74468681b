// TLS on the gRPC listener (docs/operations.md "TLS"): the credentials,
// the checks of the PEM files at start and on SIGHUP, and the verified
// client certificate of a call.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace rmtc::rpc {

// The listener's certificate files, PEM. gRPC re-reads them every
// kTlsReloadInterval, so a replaced file is served to new connections
// within that time; connections already open keep theirs.
struct TlsFiles {
  std::string cert;       // the server's certificate chain, leaf first
  std::string key;        // its private key
  std::string client_ca;  // "": no client certificates; else required and
                          // verified against these CA certificates
};

inline constexpr std::chrono::seconds kTlsReloadInterval{1};

// The contents of a PEM file given with `flag` ("--tls-ca"); INVALID_ARGUMENT
// "--tls-ca PATH: cannot read it: ..." otherwise.
absl::StatusOr<std::string> ReadTlsFile(const char* flag, const std::string& path);

// Checks what the listener would load: each file readable and PEM, the key
// the certificate's, the client CA file holding at least one certificate.
// INVALID_ARGUMENT naming the file and what is wrong with it ("--tls-key
// '/etc/rmtc/key.pem': does not match the certificate in ..."); the text
// never contains the files' contents. On success, a line for the log: the
// certificate's subject, its names and when it expires.
absl::StatusOr<std::string> CheckTlsFiles(const TlsFiles& files);

// Credentials for the listener: plaintext without `files`; else TLS from
// files that gRPC watches (FileWatcherCertificateProvider, every
// kTlsReloadInterval), requiring and verifying client certificates when
// `files->client_ca` is set.
std::shared_ptr<grpc::ServerCredentials> ListenerCredentials(
    const std::optional<TlsFiles>& files);

// Says in the log what gRPC's own watcher does silently: when the files
// change (checked every kTlsReloadInterval), whether the new ones are
// valid ("TLS files changed: now serving ...") or not (an error naming the
// file: new connections fail until it is fixed). CheckNow() is SIGHUP's.
class TlsFileWatch {
 public:
  explicit TlsFileWatch(TlsFiles files);
  ~TlsFileWatch();
  TlsFileWatch(const TlsFileWatch&) = delete;
  TlsFileWatch& operator=(const TlsFileWatch&) = delete;

  // Checks the files now and logs what the listener serves.
  void CheckNow();

 private:
  void Run();
  std::string Fingerprint() const;  // the files' sizes and modification times

  const TlsFiles files_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::string seen_;
  std::thread thread_;
};

// The subject of a verified client certificate: for mapping an mTLS
// identity to a principal.
struct ClientCertificate {
  std::string common_name;                     // the subject's CN ("" if none)
  std::vector<std::string> alternative_names;  // its SANs: DNS names, IPs, URIs, emails
};

// The certificate the peer of `context` presented and rmtcd verified
// against --tls-client-ca; nullopt on a plaintext or server-only TLS
// connection.
std::optional<ClientCertificate> ClientCertificateOf(
    const grpc::ServerContextBase& context);

// "CN=studio-ingest SAN=DNS:ingest.studio,IP:10.0.0.4", for log lines.
std::string Describe(const ClientCertificate& certificate);

}  // namespace rmtc::rpc
