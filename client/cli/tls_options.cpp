// The global TLS flags of rmtc (docs/operations.md "TLS").
#include "commands.h"

namespace rmtc::cli {

void AddTlsOptions(CLI::App& app, Globals& globals) {
  const char* group = "TLS (when rmtcd serves it)";
  app.add_option("--tls-ca", globals.tls_ca,
                 "Connect with TLS, trusting rmtcd's certificate only if a CA in this "
                 "PEM file signed it (env RMTC_TLS_CA)")
      ->envname("RMTC_TLS_CA")
      ->group(group);
  app.add_option("--tls-cert", globals.tls_cert,
                 "This client's PEM certificate, for an rmtcd that requires one; "
                 "needs --tls-key (env RMTC_TLS_CERT)")
      ->envname("RMTC_TLS_CERT")
      ->group(group);
  app.add_option("--tls-key", globals.tls_key,
                 "The PEM private key of --tls-cert (env RMTC_TLS_KEY)")
      ->envname("RMTC_TLS_KEY")
      ->group(group);
  app.add_option("--tls-server-name", globals.tls_server_name,
                 "The name rmtcd's certificate holds, when --address is not it "
                 "(an IP address) (env RMTC_TLS_SERVER_NAME)")
      ->envname("RMTC_TLS_SERVER_NAME")
      ->group(group);
}

}  // namespace rmtc::cli
