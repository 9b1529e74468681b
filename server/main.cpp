// rmtcd: flags/env -> config -> logging -> database (embedded or given) ->
// migrate -> store -> domain -> serve, until SIGINT or SIGTERM.
#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "auth/authenticator.h"
#include "auth/certificate_identities.h"
#include "auth/roles.h"
#include "auth/secrets.h"
#include "auth/token_registry.h"
#include "common/call_scope.h"
#include "common/status_macros.h"
#include "common/strings.h"
#include "config.h"
#include "embedded/embedded_postgres.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "lineage/audit_log.h"
#include "lineage/provenance_graph.h"
#include "logging.h"
#include "memory.h"
#include "rpc/server.h"
#include "rpc/tls.h"
#include "store/database_url.h"
#include "store/deployment_key.h"
#include "store/migrator.h"
#include "store/pg_access_store.h"
#include "store/pg_audit_store.h"
#include "store/pg_lineage_store.h"
#include "store/pg_rights_store.h"
#include "store/request_sweep.h"
#include "vocabulary/time_text.h"

namespace {

using rmtc::server::Config;

// Exit codes: 0 clean stop, 1 could not start (or its embedded PostgreSQL
// died under it), 2 bad usage.
constexpr int kStartFailed = 1;
// The first audit entry covers every row stored before the log began, up
// to this many (an upgraded database with more: the licence registry only).
constexpr int kAuditStartRows = 100000;

// What --probe dials with: TLS when the rmtcd it checks serves TLS (it
// presents rmtcd's own certificate where client certificates are required).
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ProbeCredentials(
    const Config& config) {
  if (config.tls_ca.empty()) {
    if (!config.tls_cert.empty()) {
      return absl::InvalidArgumentError(
          "rmtcd serves TLS here (--tls-cert): give --tls-ca (RMTC_TLS_CA), the CA "
          "certificate that signed its certificate");
    }
    return grpc::InsecureChannelCredentials();
  }
  grpc::SslCredentialsOptions ssl;
  auto roots = rmtc::rpc::ReadTlsFile("--tls-ca", config.tls_ca);
  if (!roots.ok()) return roots.status();
  ssl.pem_root_certs = *std::move(roots);
  if (!config.tls_client_ca.empty()) {
    auto chain = rmtc::rpc::ReadTlsFile("--tls-cert", config.tls_cert);
    if (!chain.ok()) return chain.status();
    auto key = rmtc::rpc::ReadTlsFile("--tls-key", config.tls_key);
    if (!key.ok()) return key.status();
    ssl.pem_cert_chain = *std::move(chain);
    ssl.pem_private_key = *std::move(key);
  }
  return grpc::SslCredentials(ssl);
}

// --probe: 0 if the rmtcd at --listen reports SERVING.
int Probe(const Config& config) {
  std::string address = config.listen;
  if (address.starts_with("0.0.0.0:")) address.replace(0, 7, "127.0.0.1");
  if (address.starts_with("[::]:")) address.replace(0, 4, "[::1]");
  auto credentials = ProbeCredentials(config);
  if (!credentials.ok()) {
    std::cerr << "rmtcd --probe: " << credentials.status().message() << "\n";
    return 1;
  }
  grpc::ChannelArguments args;
  if (!config.tls_server_name.empty()) {
    args.SetSslTargetNameOverride(config.tls_server_name);
  }
  auto channel = grpc::CreateCustomChannel(address, *credentials, args);
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  const auto status = stub->Check(&context, request, &response);
  if (!status.ok()) {
    std::cerr << "rmtcd at " << address << ": " << status.error_message() << "\n";
    return 1;
  }
  const bool serving =
      response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
  std::cout << (serving ? "SERVING" : "NOT_SERVING") << "\n";
  return serving ? 0 : 1;
}

// The listener's TLS files, checked: nullopt for plaintext; false if they
// are given but unusable (logged, naming the file).
bool LoadTlsFiles(const Config& config, std::optional<rmtc::rpc::TlsFiles>& files) {
  if (config.tls_cert.empty()) return true;
  files = rmtc::rpc::TlsFiles{config.tls_cert, config.tls_key, config.tls_client_ca};
  const auto checked = rmtc::rpc::CheckTlsFiles(*files);
  if (!checked.ok()) {
    spdlog::critical("cannot serve TLS: {}", rmtc::MessageOf(checked.status()));
    return false;
  }
  spdlog::info("TLS: serving {}", *checked);
  return true;
}

// --tls-client-identities, checked before anything starts: false if the
// file is unusable (logged, naming the file and line).
bool LoadCertificateIdentities(const Config& config,
                               std::map<std::string, rmtc::records::Principal>& into) {
  if (config.tls_client_identities.empty()) return true;
  auto read = rmtc::auth::ReadCertificateIdentities(config.tls_client_identities);
  if (!read.ok()) {
    spdlog::critical("{}", rmtc::MessageOf(read.status()));
    return false;
  }
  into = *std::move(read);
  spdlog::info("client certificates: {} names map to principals (cert:<name>)",
               into.size());
  return true;
}

// Migrates, waiting for a database that is still coming up (docker-compose
// starts both at once) up to the connect timeout.
absl::StatusOr<int> MigrateWhenReachable(const std::string& url, int timeout_s) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  for (int attempt = 1;; ++attempt) {
    auto version = rmtc::store::Migrate(url, rmtc::store::BuiltinMigrations());
    if (version.ok() || !absl::IsUnavailable(version.status()) ||
        std::chrono::steady_clock::now() >= deadline) {
      return version;
    }
    if (attempt == 1) {
      spdlog::warn("{}; retrying for up to {} s", rmtc::MessageOf(version.status()),
                   timeout_s);
    }
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

// Keeps the health service in step with the database.
// Logs the audit log's head at start and every `minutes`: a log shipper
// that keeps rmtcd's log elsewhere then keeps checkpoints too, which show
// later whether the log was cut or rewritten (docs/operations.md).
class AuditCheckpoints {
 public:
  AuditCheckpoints(rmtc::lineage::AuditLog& audit, int minutes)
      : thread_([this, &audit, minutes] {
          if (minutes > 0) Run(audit, std::chrono::minutes(minutes));
        }) {}
  ~AuditCheckpoints() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  void Run(rmtc::lineage::AuditLog& audit, std::chrono::minutes every) {
    std::unique_lock lock(mu_);
    while (!stop_) {
      lock.unlock();
      if (auto head = audit.Head(); head.ok()) {
        spdlog::info("audit checkpoint {}:{}", head->seq, head->hash);
      } else {
        spdlog::warn("audit checkpoint: cannot read the head: {}",
                     rmtc::MessageOf(head.status()));
      }
      lock.lock();
      wake_.wait_for(lock, every, [&] { return stop_; });
    }
  }

  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

class HealthMonitor {
 public:
  HealthMonitor(rmtc::store::PgLineageStore& store, rmtc::rpc::Server& server)
      : thread_([this, &store, &server] { Run(store, server); }) {}
  ~HealthMonitor() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  void Run(rmtc::store::PgLineageStore& store, rmtc::rpc::Server& server) {
    bool serving = false;
    std::unique_lock lock(mu_);
    while (!stop_) {
      lock.unlock();
      const auto status = store.Ping();
      lock.lock();
      if (Serving(status) != serving) {
        serving = !serving;
        server.SetServing(serving);
        if (serving) {
          spdlog::info("database reachable: serving");
        } else if (absl::IsResourceExhausted(status)) {
          spdlog::error(
              "every database connection has been busy for {} checks in a row: "
              "NOT_SERVING until one frees (raise --database-pool, or look for slow "
              "calls)",
              kSaturatedChecks);
        } else {
          spdlog::error("database unreachable, calls answer UNAVAILABLE: {}",
                        rmtc::MessageOf(status));
        }
      }
      wake_.wait_for(lock, std::chrono::seconds(2), [&] { return stop_; });
    }
  }

  // A pool whose every connection stays busy (Ping's RESOURCE_EXHAUSTED)
  // means a database that answers, but not in time for new calls: after a
  // few checks in a row, health says so, and callers go elsewhere.
  static constexpr int kSaturatedChecks = 5;
  bool Serving(const absl::Status& ping) {
    busy_checks_ = absl::IsResourceExhausted(ping) ? busy_checks_ + 1 : 0;
    return ping.ok() || (busy_checks_ > 0 && busy_checks_ < kSaturatedChecks);
  }

  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  int busy_checks_ = 0;
  std::thread thread_;
};

// Stops rmtcd (exit code 1) if its embedded PostgreSQL dies under it: a
// zero-config service without its database should not linger NOT_SERVING;
// whatever runs rmtcd (script/server, systemd, docker) sees it end and the
// next start recovers the cluster from its log.
class EmbeddedWatch {
 public:
  explicit EmbeddedWatch(rmtc::embedded::EmbeddedPostgres* embedded)
      : embedded_(embedded) {
    if (embedded_ != nullptr) thread_ = std::thread([this] { Run(); });
  }
  ~EmbeddedWatch() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  bool died() const { return died_; }

 private:
  void Run() {
    std::unique_lock lock(mu_);
    while (!wake_.wait_for(lock, std::chrono::seconds(1), [&] { return stop_; })) {
      if (embedded_->Exited()) {
        died_ = true;
        spdlog::critical(
            "the embedded PostgreSQL stopped unexpectedly (see {}/postgres.log); "
            "rmtcd stops too",
            embedded_->data_dir().string());
        kill(getpid(), SIGTERM);
        return;
      }
    }
  }

  rmtc::embedded::EmbeddedPostgres* embedded_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::atomic<bool> died_ = false;
  std::thread thread_;
};

// --database-url with --database-password-file's password added; every
// password in either is registered first, so that no log line shows it.
absl::StatusOr<std::string> DatabaseUrlOf(const Config& config) {
  rmtc::store::ProtectPasswords(config.database_url);
  RMTC_RETURN_IF_ERROR(rmtc::store::CheckDatabaseUrl(config.database_url));
  if (config.database_password_file.empty()) return config.database_url;
  if (config.database_url.empty()) {
    return absl::InvalidArgumentError(
        "--database-password-file needs --database-url (the embedded PostgreSQL "
        "has no password)");
  }
  RMTC_ASSIGN_OR_RETURN(const std::string password,
                        rmtc::store::ReadPasswordFile(config.database_password_file));
  return rmtc::store::WithPassword(config.database_url, password);
}

// `rmtcd token create ...`: straight into the database rmtcd would use.
int RunTokenCommand(const Config& config) {
  const auto& command = *config.token_command;
  if (command.action == "new-secret") {
    std::printf("%s\n", rmtc::auth::NewSecret().c_str());
    return 0;
  }
  std::optional<rmtc::records::Timestamp> expires;
  if (!command.expires.empty()) {
    auto micros = rmtc::vocabulary::ParseRfc3339(command.expires);
    if (!micros) {
      std::cerr << "--expires: '" << command.expires
                << "' is not a date (YYYY-MM-DD) or an RFC 3339 time\n";
      return 2;
    }
    expires = rmtc::records::Timestamp(std::chrono::microseconds(*micros));
  }
  auto given_url = DatabaseUrlOf(config);
  if (!given_url.ok()) {
    std::cerr << rmtc::MessageOf(given_url.status()) << "\n";
    return 2;
  }
  std::unique_ptr<rmtc::embedded::EmbeddedPostgres> embedded;
  std::string url = *given_url;
  if (url.empty()) {
    auto started = rmtc::embedded::EmbeddedPostgres::Start({config.data_dir, true});
    if (started.ok()) {
      embedded = *std::move(started);
      url = embedded->ConnectionString();
    } else if (absl::IsFailedPrecondition(started.status())) {
      // Held by a running rmtcd: use its database through its socket.
      url = rmtc::embedded::EmbeddedPostgres::ConnectionStringFor(config.data_dir);
    } else {
      spdlog::critical("cannot start the embedded PostgreSQL: {}",
                       rmtc::MessageOf(started.status()));
      return kStartFailed;
    }
  }
  auto version = MigrateWhenReachable(url, config.connect_timeout_s);
  if (!version.ok()) {
    spdlog::critical("{}", rmtc::MessageOf(version.status()));
    return kStartFailed;
  }
  rmtc::store::ConnectionPool pool(url, 1);
  rmtc::store::PgAccessStore store(pool);
  rmtc::auth::TokenRegistry tokens(store, nullptr);
  const char* user = std::getenv("USER");
  const rmtc::CallScope scope(
      {.principal = rmtc::StrCat("rmtcd token create (", user ? user : "?", ")"),
       .method = "CreateToken"});
  auto created = tokens.Create(
      {.name = command.name,
       .role = *rmtc::auth::RoleNamed(command.role),
       .facility = command.facility,
       .expires_at = expires,
       .created_by = rmtc::StrCat("rmtcd token create (", user ? user : "?", ")")});
  if (!created.ok()) {
    std::cerr << rmtc::MessageOf(created.status()) << "\n";
    return absl::IsInvalidArgument(created.status()) ? 2 : kStartFailed;
  }
  std::printf("%s\n", created->secret.c_str());
  std::cerr << "token '" << command.name << "' (" << command.role
            << "): the secret above is shown once; only its digest is stored\n";
  return 0;
}

int Serve(const Config& config) {
  std::optional<rmtc::rpc::TlsFiles> tls;
  if (!LoadTlsFiles(config, tls)) return kStartFailed;
  std::map<std::string, rmtc::records::Principal> certificate_identities;
  if (!LoadCertificateIdentities(config, certificate_identities)) return kStartFailed;
  std::unique_ptr<rmtc::embedded::EmbeddedPostgres> embedded;
  auto given_url = DatabaseUrlOf(config);
  if (!given_url.ok()) {
    spdlog::critical("{}", rmtc::MessageOf(given_url.status()));
    return kStartFailed;
  }
  std::string url = *given_url;
  if (url.empty()) {
    auto started = rmtc::embedded::EmbeddedPostgres::Start({config.data_dir, true});
    if (!started.ok()) {
      spdlog::critical("cannot start the embedded PostgreSQL: {}",
                       rmtc::MessageOf(started.status()));
      return kStartFailed;
    }
    embedded = *std::move(started);
    url = embedded->ConnectionString();
  } else {
    spdlog::info("using the database at {}", rmtc::store::RedactUrl(url));
  }
  auto version = MigrateWhenReachable(url, config.connect_timeout_s);
  if (!version.ok()) {
    spdlog::critical("{}", rmtc::MessageOf(version.status()));
    return kStartFailed;
  }
  spdlog::info("database schema at version {}", *version);

  // Until now a stop signal simply ends the process (the embedded
  // PostgreSQL follows through its death signal). From here on, block them
  // before any thread starts, so that every thread inherits the mask and
  // they arrive only at sigwait below, for an orderly stop.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGHUP);  // not a stop: re-check the TLS files
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  rmtc::store::ConnectionPool pool(url, config.database_pool,
                                   rmtc::store::PgLineageStore::PrepareStatements,
                                   std::chrono::seconds(config.max_statement_s));
  auto page_token_key = rmtc::store::LoadPageTokenKey(pool);
  if (!page_token_key.ok()) {
    spdlog::critical("{}", rmtc::MessageOf(page_token_key.status()));
    return kStartFailed;
  }
  const rmtc::lineage::PageTokenSeal seal(*page_token_key);
  rmtc::store::PgLineageStore store(pool);
  rmtc::store::PgRightsStore rights(pool);
  rmtc::lineage::Licensing licensing(
      store, rights,
      rmtc::records::EvaluationSettings{
          .policy = *rmtc::records::PolicyFromName(config.licence_policy),
          .consent_withdrawal =
              *rmtc::records::ConsentWithdrawalFromName(config.consent_withdrawal),
          .studio = config.studio,
          .studio_aliases = config.studio_aliases},
      config.enforce_checks, seal, static_cast<std::size_t>(config.max_response_bytes));
  rmtc::lineage::ProvenanceGraph graph(
      store, &licensing, seal, static_cast<std::size_t>(config.max_response_bytes));
  rmtc::store::PgAccessStore access_store(pool);
  rmtc::auth::Authenticator authenticator(
      access_store,
      config.auth == "open" ? rmtc::auth::Mode::kOpen : rmtc::auth::Mode::kRequired,
      std::move(certificate_identities));
  rmtc::auth::TokenRegistry tokens(access_store, &authenticator);
  rmtc::store::PgAuditStore audit_store(pool);
  rmtc::lineage::AuditLog audit(audit_store,
                                static_cast<std::size_t>(config.max_response_bytes));
  if (auto started = audit_store.Start(kAuditStartRows); !started.ok()) {
    spdlog::critical("cannot start the audit log: {}", rmtc::MessageOf(started.status()));
    return kStartFailed;
  } else if (*started) {
    spdlog::info("audit log started: entry 1 covers the {} rows stored before it",
                 (*started)->rows.size());
  }
  if (!config.bootstrap_token_file.empty()) {
    const rmtc::CallScope scope(
        {.principal = "rmtcd --bootstrap-token-file", .method = "CreateToken"});
    auto name = tokens.Bootstrap(config.bootstrap_token_file);
    if (!name.ok()) {
      spdlog::critical("{}", rmtc::MessageOf(name.status()));
      return kStartFailed;
    }
    spdlog::info("bootstrap admin token: '{}'", *name);
  }
  auto server = rmtc::rpc::Server::Start(
      {.listen = config.listen,
       .workers = config.database_pool,
       .max_calls_per_principal = config.max_calls_per_principal,
       .tls = tls,
       .max_request_bytes = config.max_request_bytes,
       .grpc_memory_bytes = static_cast<std::size_t>(config.grpc_memory_mb) << 20},
      graph, licensing, {authenticator, tokens, audit});
  if (!server.ok()) {
    spdlog::critical("{}", rmtc::MessageOf(server.status()));
    return kStartFailed;
  }
  // Scripts and tests read this line to learn the address (port 0).
  std::printf("rmtcd listening on %s\n", (*server)->address().c_str());
  std::fflush(stdout);
  spdlog::info("rmtcd listening on {}", (*server)->address());

  bool embedded_died = false;
  {
    const rmtc::server::AllocatorTrimmer trimmer;
    HealthMonitor health(store, **server);
    AuditCheckpoints checkpoints(audit, config.audit_checkpoint_minutes);
    std::optional<rmtc::store::RequestSweep> sweep;
    if (config.request_id_days > 0) {
      sweep.emplace(pool, std::chrono::hours(24) * config.request_id_days,
                    std::chrono::seconds(config.request_id_sweep_s));
    }
    EmbeddedWatch watch(embedded.get());
    std::optional<rmtc::rpc::TlsFileWatch> tls_watch;
    if (tls) tls_watch.emplace(*tls);
    int signal = 0;
    while (sigwait(&stop_signals, &signal) == 0 && signal == SIGHUP) {
      if (tls_watch) {
        tls_watch->CheckNow();
      } else {
        spdlog::info("SIGHUP: no TLS files to re-read; still serving");
      }
    }
    embedded_died = watch.died();
    if (!embedded_died) {
      spdlog::info("{}: shutting down", signal == SIGINT ? "SIGINT" : "SIGTERM");
    }
  }
  // After the monitor has stopped, so that it cannot flip this back.
  (*server)->SetServing(false);
  // Statements still running when the grace ends are cancelled, so that
  // their calls end and the server can stop.
  pool.watch().CancelAllAfter(std::chrono::steady_clock::now() +
                              std::chrono::seconds(config.shutdown_grace_s));
  (*server)->Shutdown(std::chrono::seconds(config.shutdown_grace_s));
  if (embedded) embedded->Stop();
  spdlog::info("stopped");
  return embedded_died ? kStartFailed : 0;
}

}  // namespace

int main(int argc, char** argv) {
  signal(SIGPIPE, SIG_IGN);
  // Before any thread starts: malloc's settings apply to arenas made later.
  const bool allocator_configured = rmtc::server::ConfigureAllocator();

  int exit_code = 0;
  auto config = rmtc::server::ParseConfig(argc, argv, exit_code);
  if (!config) return exit_code;
  if (config->probe) return Probe(*config);
  rmtc::server::SetUpLogging(config->log_level, config->log_format);
  if (config->token_command) return RunTokenCommand(*config);
  if (!allocator_configured) {
    spdlog::warn("malloc refused rmtcd's settings: freed memory may be returned late");
  }
  if (config->auth == "open") {
    spdlog::warn(
        "auth open: any process that reaches {} may call every method, writes "
        "included (--auth required for access tokens)",
        config->listen);
  } else {
    spdlog::info("auth required: every call presents an access token");
  }
  if (config->insecure) {
    spdlog::warn(
        "--insecure: gRPC is plaintext on {}; access tokens and the rights record "
        "cross the network readable",
        config->listen);
  }
  return Serve(*config);
}
