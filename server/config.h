// rmtcd's settings: command-line flags, each also an RMTC_* environment
// variable (the flag wins).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace rmtc::server {

// `rmtcd token create|new-secret`: run against the database, not a server.
struct TokenCommand {
  std::string action;  // "create" or "new-secret"
  std::string name;
  std::string role;
  std::string facility;
  std::string expires;  // RFC 3339 or YYYY-MM-DD; "" never
};

struct Config {
  std::string listen = "127.0.0.1:50051";
  std::string data_dir;                // the embedded cluster's home; "" = default
  std::string database_url;            // "" = run the embedded cluster
  std::string database_password_file;  // its first line: the database password
  int max_statement_s = 300;           // any statement, whatever the call's deadline
  int audit_checkpoint_minutes = 60;   // log the audit log's head this often; 0 never
  std::string log_level = "info";
  std::string log_format = "text";
  int database_pool = 8;  // connections, and worker threads
  // Calls one principal may have running or waiting at once; 0: no limit.
  // -1 until parsed; then --database-pool.
  int max_calls_per_principal = -1;
  int request_id_days = 30;           // how long request-id claims are kept; 0: forever
  int request_id_sweep_s = 600;       // how often expired claims are deleted (hidden)
  std::string tls_client_identities;  // client certificate names -> principals
  int connect_timeout_s = 60;
  int shutdown_grace_s = 5;  // for calls in flight when asked to stop
  // Memory bounds (docs/operations.md "Memory").
  int max_request_bytes = 16 * 1024 * 1024;  // any one request on the wire
  int max_response_bytes = 4 * 1024 * 1024;  // any one page on the wire
  int grpc_memory_mb = 256;                  // gRPC's buffers, all connections
  std::string licence_policy = "strict";     // how training risks count
  bool enforce_checks = false;               // a DENIED guardrail refuses the record
  std::string consent_withdrawal =
      "deny";          // a consent refused after the work: deny|review
  std::string studio;  // whom licences must be granted to ("" : any)
  std::vector<std::string> studio_aliases;  // other names the studio holds them under
  bool probe = false;                       // check a running rmtcd's health and exit
  // Who may call: "required" (a token on every call) or "open" (loopback and
  // unix sockets only). "" until parsed; then open on loopback, else required.
  std::string auth;
  std::string bootstrap_token_file;  // an admin token's secret, made at start
  bool insecure = false;             // allow a plaintext listener on the network
  std::optional<TokenCommand> token_command;
  // TLS on the listener (docs/operations.md "TLS"); cert and key "": plaintext.
  std::string tls_cert;
  std::string tls_key;
  std::string tls_client_ca;  // "": no client certificates asked for
  // --probe against a TLS listener: the CA to verify it with, the name to
  // expect in its certificate ("": the host probed).
  std::string tls_ca;
  std::string tls_server_name;
};

// Whether `listen` (HOST:PORT or unix:PATH) is reachable only from this
// machine: a unix socket, localhost, 127.0.0.0/8 or [::1].
bool IsLocalAddress(const std::string& listen);

// Parses flags and environment. Returns nullopt after printing help or an
// error; `exit_code` then says how to exit (0 for --help, 2 for bad usage).
std::optional<Config> ParseConfig(int argc, char** argv, int& exit_code);

}  // namespace rmtc::server
