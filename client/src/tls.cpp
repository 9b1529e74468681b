// TLS for the client: credentials from the PEM files in ClientOptions, and
// handshake failures told apart from an rmtcd that is not there.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "client_impl.h"

namespace rmtc {
namespace {

// The file `field` names, which must hold a PEM block.
Result<std::string> ReadPem(std::string_view field, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error{ErrorCode::kInvalidArgument, std::string(field) + ": cannot read '" +
                                                  path + "': " + std::strerror(errno)};
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().find("-----BEGIN ") == std::string::npos) {
    return Error{ErrorCode::kInvalidArgument,
                 std::string(field) + ": '" + path + "' is not a PEM file"};
  }
  return text.str();
}

bool Mentions(const std::string& text, std::initializer_list<const char*> words) {
  for (const char* word : words) {
    if (text.find(word) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

Result<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentialsFor(
    const ClientOptions& options) {
  const bool has_cert = !options.tls_cert_file.empty();
  if (has_cert != !options.tls_key_file.empty()) {
    return Error{ErrorCode::kInvalidArgument,
                 has_cert ? "tls_cert_file: needs tls_key_file (its private key)"
                          : "tls_key_file: needs tls_cert_file (its certificate)"};
  }
  if (options.tls_ca_file.empty()) {
    if (has_cert) {
      return Error{ErrorCode::kInvalidArgument,
                   "tls_cert_file: needs tls_ca_file (the CA that signed rmtcd's "
                   "certificate): a client certificate is sent only over TLS"};
    }
    return grpc::InsecureChannelCredentials();
  }
  grpc::SslCredentialsOptions ssl;
  auto roots = ReadPem("tls_ca_file", options.tls_ca_file);
  if (!roots) return roots.error();
  ssl.pem_root_certs = *std::move(roots);
  if (has_cert) {
    auto chain = ReadPem("tls_cert_file", options.tls_cert_file);
    if (!chain) return chain.error();
    auto key = ReadPem("tls_key_file", options.tls_key_file);
    if (!key) return key.error();
    ssl.pem_cert_chain = *std::move(chain);
    ssl.pem_private_key = *std::move(key);
  }
  return grpc::SslCredentials(ssl);
}

Error ExplainTlsFailure(const ClientOptions& options, Error error) {
  if (options.tls_ca_file.empty() || error.code != ErrorCode::kUnavailable) return error;
  const std::string& why = error.message;
  const bool has_cert = !options.tls_cert_file.empty();
  std::string cause;
  if (Mentions(why, {"CERTIFICATE_VERIFY_FAILED", "certificate verify failed"})) {
    cause = "rmtcd's certificate is not signed by a CA in the client's CA file (" +
            options.tls_ca_file + ")";
  } else if (Mentions(why, {"not in peer certificate", "Peer name"})) {
    cause =
        "rmtcd's certificate does not hold the name dialled; give the name it "
        "holds as the TLS server name";
  } else if (Mentions(why, {"WRONG_VERSION_NUMBER", "wrong version number"})) {
    cause = "rmtcd does not serve TLS there (it answered in plaintext)";
  } else if (Mentions(why, {"certificate required", "CERTIFICATE_REQUIRED", "alert",
                            "Socket closed"})) {
    // With TLS 1.3 the server checks the client's certificate after the
    // client has finished its handshake: a refusal reads as a closed socket.
    cause = has_cert ? "rmtcd refused the client certificate (is it signed by a CA "
                       "in rmtcd's --tls-client-ca?)"
                     : "rmtcd requires a client certificate and none was given";
  } else if (Mentions(why, {"Ssl handshake", "SSL_ERROR", "Handshake"})) {
    cause = "the handshake failed";
  } else {
    return error;
  }
  return Error{ErrorCode::kUnavailable, "TLS handshake with rmtcd at " + options.address +
                                            " failed: " + cause + " (" + why + ")"};
}

}  // namespace rmtc
