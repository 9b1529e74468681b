#include "config.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "embedded/embedded_postgres.h"

namespace rmtc::server {
namespace {

void AddTlsOptions(CLI::App& app, Config& config) {
  const char* group = "TLS (docs/operations.md)";
  app.add_option("--tls-cert", config.tls_cert,
                 "Serve TLS with this PEM certificate chain (rmtcd's own first); "
                 "needs --tls-key. Re-read when the file changes")
      ->envname("RMTC_TLS_CERT")
      ->group(group);
  app.add_option("--tls-key", config.tls_key,
                 "The PEM private key of --tls-cert (unencrypted; keep it 0600)")
      ->envname("RMTC_TLS_KEY")
      ->group(group);
  app.add_option("--tls-client-ca", config.tls_client_ca,
                 "Require client certificates signed by a CA in this PEM file")
      ->envname("RMTC_TLS_CLIENT_CA")
      ->group(group);
  app.add_option("--tls-client-identities", config.tls_client_identities,
                 "File mapping client certificate names to principals, a line "
                 "'<name> <role> [facility]' each (# comments): a call with such a "
                 "certificate and no token runs as cert:<name>. Needs --tls-client-ca")
      ->envname("RMTC_TLS_CLIENT_IDENTITIES")
      ->group(group);
  app.add_option("--tls-ca", config.tls_ca,
                 "With --probe: the PEM CA certificate(s) to verify a TLS rmtcd with")
      ->envname("RMTC_TLS_CA")
      ->group(group);
  app.add_option("--tls-server-name", config.tls_server_name,
                 "With --probe: the name its certificate must hold, when not the "
                 "host probed")
      ->envname("RMTC_TLS_SERVER_NAME")
      ->group(group);
}

// The TLS flags that only make sense together; "" if they are consistent.
std::string TlsUsageProblem(const Config& config) {
  if (!config.tls_cert.empty() && config.tls_key.empty()) {
    return "--tls-cert needs --tls-key (RMTC_TLS_KEY): the certificate's private key";
  }
  if (config.tls_cert.empty() && !config.tls_key.empty()) {
    return "--tls-key needs --tls-cert (RMTC_TLS_CERT): the certificate of that key";
  }
  if (config.tls_cert.empty() && !config.tls_client_ca.empty()) {
    return "--tls-client-ca needs --tls-cert and --tls-key: client certificates are "
           "checked only over TLS";
  }
  if (config.tls_client_ca.empty() && !config.tls_client_identities.empty()) {
    return "--tls-client-identities needs --tls-client-ca: only certificates rmtcd "
           "verified may name a principal";
  }
  return "";
}

}  // namespace

namespace {

// The password apart from the URL (which `ps` shows), and the bound on
// any one statement.
void AddDatabaseSafetyOptions(CLI::App& app, Config& config) {
  app.add_option("--database-password-file", config.database_password_file,
                 "File whose first line is the password for --database-url (a "
                 "docker/compose secret), so that it does not show in `ps`. "
                 "libpq's PGPASSWORD and PGPASSFILE work too")
      ->envname("RMTC_DATABASE_PASSWORD_FILE");
  app.add_option("--max-statement-seconds", config.max_statement_s,
                 "Longest any database statement may run; a call's own deadline "
                 "cuts it shorter, and a cancelled call cancels its statement")
      ->envname("RMTC_MAX_STATEMENT_SECONDS")
      ->check(CLI::Range(1, 86400))
      ->capture_default_str();
  app.add_option("--audit-checkpoint-minutes", config.audit_checkpoint_minutes,
                 "Log the audit log's head (SEQ:HASH, a checkpoint) at start and this "
                 "often, for a log shipper to keep elsewhere; 0: never")
      ->envname("RMTC_AUDIT_CHECKPOINT_MINUTES")
      ->check(CLI::Range(0, 10080))
      ->capture_default_str();
}

// What one caller may hold: calls at once, and its request ids.
void AddCallerLimitOptions(CLI::App& app, Config& config) {
  app.add_option("--max-calls-per-principal", config.max_calls_per_principal,
                 "Calls one principal (a token, a client certificate) may have running "
                 "or waiting at once; more are refused with RESOURCE_EXHAUSTED, and "
                 "other principals are still served. 0: no limit. Default: "
                 "--database-pool")
      ->envname("RMTC_MAX_CALLS_PER_PRINCIPAL")
      ->check(CLI::Range(0, 100000));
  app.add_option("--request-id-days", config.request_id_days,
                 "Days a write's request id is remembered (its repeats replay the "
                 "first answer); after that the id makes a new request. 0: forever")
      ->envname("RMTC_REQUEST_ID_DAYS")
      ->check(CLI::Range(0, 36500))
      ->capture_default_str();
  // Hidden: how often expired request ids are deleted (tests shorten it).
  app.add_option("--request-id-sweep-seconds", config.request_id_sweep_s)
      ->envname("RMTC_REQUEST_ID_SWEEP_SECONDS")
      ->check(CLI::Range(1, 86400))
      ->group("");
}

// What one caller can make rmtcd hold (docs/operations.md "Memory").
void AddMemoryOptions(CLI::App& app, Config& config) {
  const char* group = "Memory (docs/operations.md)";
  app.add_option("--max-request-bytes", config.max_request_bytes,
                 "Largest request accepted, in bytes; a larger one is refused "
                 "RESOURCE_EXHAUSTED before anything is read into a write")
      ->envname("RMTC_MAX_REQUEST_BYTES")
      ->check(CLI::Range(64 * 1024, 256 * 1024 * 1024))
      ->capture_default_str()
      ->group(group);
  app.add_option("--max-response-bytes", config.max_response_bytes,
                 "Byte budget of one page (list, trace, impact, licences, "
                 "clearances): a page stops before the item that would pass it, "
                 "and its token continues there")
      ->envname("RMTC_MAX_RESPONSE_BYTES")
      ->check(CLI::Range(16 * 1024, 64 * 1024 * 1024))
      ->capture_default_str()
      ->group(group);
  app.add_option("--grpc-memory-mb", config.grpc_memory_mb,
                 "Memory gRPC may use for the buffers of all connections (its "
                 "resource quota); past it gRPC takes no new connections and "
                 "cancels calls with RESOURCE_EXHAUSTED")
      ->envname("RMTC_GRPC_MEMORY_MB")
      ->check(CLI::Range(16, 1024 * 1024))
      ->capture_default_str()
      ->group(group);
}

}  // namespace

std::optional<Config> ParseConfig(int argc, char** argv, int& exit_code) {
  Config config;
  const std::string default_dir = embedded::DefaultDataDir().string();
  CLI::App app(
      "rmtcd - the RMTC lineage service.\n\n"
      "Stores datasets, models, weights, training runs, inferences and assets\n"
      "as an immutable lineage graph in PostgreSQL and serves it over gRPC\n"
      "(rmtc.v1.Lineage and rmtc.v1.Licensing, plus grpc.health.v1 and server\n"
      "reflection).\n\n"
      "Without --database-url, rmtcd runs its own private PostgreSQL under\n"
      "--data-dir: created on first start, reached through a unix socket in\n"
      "that directory (no TCP port), stopped with rmtcd, reused next time.\n"
      "As root it runs as the 'postgres' user and the default data dir is\n"
      "/var/lib/rmtc (root's home is closed to that user); otherwise it is\n"
      "$XDG_DATA_HOME/rmtc, else ~/.local/share/rmtc.\n\n"
      "Examples:\n"
      "  rmtcd                                   # zero-config, 127.0.0.1:50051\n"
      "  rmtcd --listen 127.0.0.1:0              # any free port (printed)\n"
      "  rmtcd --database-url postgresql://rmtc@db/rmtc --listen 0.0.0.0:50051\n"
      "  rmtcd --probe --listen 127.0.0.1:50051  # exit 0 if that rmtcd serves\n"
      "  rmtcd --listen 0.0.0.0:50051 --tls-cert rmtcd.pem --tls-key rmtcd.key\n",
      "rmtcd");
  app.get_formatter()->column_width(34);
  app.add_option("--listen", config.listen,
                 "Address to serve gRPC on: HOST:PORT (port 0 picks a free "
                 "port and prints it) or unix:PATH (created mode 0700)")
      ->envname("RMTC_LISTEN")
      ->capture_default_str();
  app.add_option("--data-dir", config.data_dir,
                 "Home of the embedded PostgreSQL (ignored with "
                 "--database-url). Default here: " +
                     default_dir)
      ->envname("RMTC_DATA_DIR");
  app.add_option("--database-url", config.database_url,
                 "PostgreSQL to use instead of the embedded one: a libpq URL "
                 "or key=value string")
      ->envname("RMTC_DATABASE_URL");
  AddDatabaseSafetyOptions(app, config);
  app.add_option("--log-level", config.log_level,
                 "trace, debug (a line per RPC), info, warn, error or off")
      ->envname("RMTC_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
  app.add_option("--log-format", config.log_format,
                 "text, or json (one JSON object per line, for log shippers)")
      ->envname("RMTC_LOG_FORMAT")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  app.add_option("--database-pool", config.database_pool,
                 "Database connections, which is also how many calls run at once")
      ->envname("RMTC_DATABASE_POOL")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  AddCallerLimitOptions(app, config);
  app.add_option("--connect-timeout", config.connect_timeout_s,
                 "Seconds to wait at start for the database to come up")
      ->envname("RMTC_CONNECT_TIMEOUT")
      ->check(CLI::Range(0, 3600))
      ->capture_default_str();
  app.add_option("--shutdown-grace", config.shutdown_grace_s,
                 "Seconds that calls in flight get to finish on SIGINT/SIGTERM")
      ->envname("RMTC_SHUTDOWN_GRACE")
      ->check(CLI::Range(0, 600))
      ->capture_default_str();
  app.add_option("--licence-policy", config.licence_policy,
                 "How use checks count training risks (terms that reached a model "
                 "through training): strict enforces them, permissive makes them "
                 "REVIEW. A request may choose its own")
      ->envname("RMTC_LICENCE_POLICY")
      ->check(CLI::IsMember({"strict", "permissive"}))
      ->capture_default_str();
  app.add_flag("--enforce-checks", config.enforce_checks,
               "Refuse to record a run or inference whose use check (when the request "
               "asks for one) is DENIED, instead of recording it with the verdict")
      ->envname("RMTC_ENFORCE_CHECKS");
  app.add_option("--consent-withdrawal", config.consent_withdrawal,
                 "What a consent refused only after a work was made from the material "
                 "does to that work: deny it, or ask for a review")
      ->envname("RMTC_CONSENT_WITHDRAWAL")
      ->check(CLI::IsMember({"deny", "review"}))
      ->capture_default_str();
  app.add_option("--studio", config.studio,
                 "The studio's name as licences name their licensee: a licence granted "
                 "to anyone else gives REVIEW. Unset: licensees are not evaluated")
      ->envname("RMTC_STUDIO");
  app.add_option("--studio-alias", config.studio_aliases,
                 "Another name the studio holds licences under (a facility, a "
                 "subsidiary). Repeatable; in RMTC_STUDIO_ALIAS separate them with ';'")
      ->envname("RMTC_STUDIO_ALIAS")
      ->delimiter(';');
  app.add_option("--auth", config.auth,
                 "Who may call: required (every call presents an access token, "
                 "'authorization: Bearer rmtc_...') or open (any caller may do "
                 "everything; only on loopback or a unix socket). Default: open on "
                 "loopback and unix sockets, required elsewhere")
      ->envname("RMTC_AUTH")
      ->check(CLI::IsMember({"required", "open"}));
  app.add_option("--bootstrap-token-file", config.bootstrap_token_file,
                 "A file holding an access token's secret (rmtcd token new-secret): "
                 "at start it becomes an admin token, if no token has it yet. For "
                 "compose secrets; the first admin's other way in is rmtcd token create")
      ->envname("RMTC_BOOTSTRAP_TOKEN_FILE");
  app.add_flag("--insecure", config.insecure,
               "Serve plaintext gRPC on a non-loopback address (tokens then cross "
               "the network readable). Without it rmtcd refuses to")
      ->envname("RMTC_INSECURE");
  app.add_flag("--probe", config.probe,
               "Ask the rmtcd at --listen whether it serves (gRPC health) "
               "and exit 0 if so, 1 if not: for container health checks");
  TokenCommand token;
  auto* token_app = app.add_subcommand(
      "token",
      "Manage access tokens against the database directly (no running rmtcd "
      "needed; with the embedded PostgreSQL, a running rmtcd's is used)");
  token_app->require_subcommand(1);
  // --data-dir, --database-url ... may come after the subcommand too.
  token_app->fallthrough();
  auto* create = token_app->add_subcommand(
      "create",
      "Create an access token and print its secret (shown once). The first "
      "admin token comes from here or from --bootstrap-token-file");
  create->fallthrough();
  create->add_option("--name", token.name, "Its unique name (e.g. nuke-farm)")
      ->required();
  create->add_option("--role", token.role, "reader, recorder, rights or admin")
      ->required()
      ->check(CLI::IsMember({"reader", "recorder", "rights", "admin"}));
  create->add_option("--facility", token.facility,
                     "Bind it to one facility: it may write only that facility's "
                     "artefacts");
  create->add_option("--expires", token.expires,
                     "When it stops working: YYYY-MM-DD or RFC 3339 (default never)");
  token_app->add_subcommand("new-secret",
                            "Print a new random token secret, for "
                            "--bootstrap-token-file (nothing is stored)");
  AddMemoryOptions(app, config);
  AddTlsOptions(app, config);
  app.set_version_flag("--version", std::string("rmtcd ") + RMTC_VERSION,
                       "Print rmtcd's version and exit");
  app.footer(
      "Environment: every option but --probe can also be set as RMTC_<OPTION>\n"
      "(RMTC_LISTEN, RMTC_DATA_DIR, RMTC_DATABASE_URL, ...); the command line wins.\n"
      "Stop with SIGINT or SIGTERM: calls in flight finish, then the embedded\n"
      "PostgreSQL shuts down cleanly. SIGHUP checks the TLS files and logs what\n"
      "the listener serves (it re-reads them every second by itself).");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, std::cout, std::cerr);
    exit_code = code == 0 ? 0 : 2;  // 2: bad usage, as for shell builtins
    return std::nullopt;
  }
  if (config.data_dir.empty()) config.data_dir = default_dir;
  if (config.max_calls_per_principal < 0) {
    config.max_calls_per_principal = config.database_pool;
  }
  if (token_app->parsed()) {
    token.action = token_app->get_subcommands().front()->get_name();
    config.token_command = token;
  }
  const bool local = IsLocalAddress(config.listen);
  if (config.auth.empty()) config.auth = local ? "open" : "required";
  if (!local && config.auth == "open") {
    std::cerr << "--auth open is allowed only on loopback or a unix socket, not "
              << config.listen << " (use --auth required and access tokens)\n";
    exit_code = 2;
    return std::nullopt;
  }
  if (config.studio.empty() && !config.studio_aliases.empty()) {
    std::cerr << "--studio-alias needs --studio (the name messages use)\n";
    exit_code = 2;
    return std::nullopt;
  }
  if (const auto problem = TlsUsageProblem(config); !problem.empty()) {
    std::cerr << problem << "\n";
    exit_code = 2;
    return std::nullopt;
  }
  // Tokens must not cross the studio network readable.
  const bool tls = !config.tls_cert.empty();
  if (!local && !tls && !config.insecure && !config.probe && !config.token_command) {
    std::cerr << "rmtcd will not serve plaintext gRPC on " << config.listen
              << ": access tokens would cross the network readable. Serve TLS "
                 "(--tls-cert and --tls-key), listen on loopback or a unix socket, "
                 "or pass --insecure to accept the risk\n";
    exit_code = 2;
    return std::nullopt;
  }
  return config;
}

bool IsLocalAddress(const std::string& listen) {
  if (listen.starts_with("unix:")) return true;
  const auto colon = listen.rfind(':');
  const std::string host = colon == std::string::npos ? listen : listen.substr(0, colon);
  return host == "localhost" || host == "[::1]" || host.starts_with("127.");
}

}  // namespace rmtc::server
