#include "embedded/embedded_postgres.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "common/status_macros.h"
#include "common/strings.h"

namespace rmtc::embedded {

namespace fs = std::filesystem;

namespace {

constexpr char kClusterDir[] = "postgres";
constexpr char kSocketDir[] = "run";
constexpr char kLogFile[] = "postgres.log";
constexpr char kSuperuser[] = "rmtc";
constexpr char kPort[] = "5432";
// sockaddr_un.sun_path holds 108 bytes with the terminating NUL.
constexpr std::size_t kMaxSocketPath = 107;

std::string Trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

// A value for a libpq connection string, quoted.
std::string ConnValue(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

std::string HomeDir() {
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return home;
  }
  if (const passwd* pw = getpwuid(geteuid()); pw != nullptr) return pw->pw_dir;
  return "/tmp";
}

// True if `pid` runs and is a PostgreSQL server. A postmaster.pid left by a
// killed server may name a pid that another program now has (containers
// reuse low pids); that one must not be waited for.
bool IsPostgresAlive(pid_t pid) {
  if (kill(pid, 0) != 0 && errno != EPERM) return false;
  std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
  std::string name;
  if (!(comm >> name)) return true;  // no /proc: trust kill()
  return name.rfind("postgres", 0) == 0;
}

// A killed server its parent has not reaped yet. PostgreSQL itself takes a
// zombie for a running postmaster, so the wait goes on until it is reaped;
// one that never is (a container whose PID 1 does not reap) gets a message
// that says so.
bool IsZombie(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);  // "pid (comm) state ..."
  const auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z';
}

// The pid in the first line of postmaster.pid, if the file exists.
std::optional<pid_t> PostmasterPid(const fs::path& cluster) {
  std::ifstream in(cluster / "postmaster.pid");
  long pid = 0;
  if (in >> pid && pid > 0) return static_cast<pid_t>(pid);
  return std::nullopt;
}

absl::Status MakeDir(const fs::path& dir, fs::perms perms,
                     const std::optional<Account>& owner) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    return absl::FailedPreconditionError(
        StrCat("cannot create ", dir.string(), ": ", ec.message()));
  }
  if (owner && chown(dir.c_str(), owner->uid, owner->gid) != 0) {
    return absl::FailedPreconditionError(StrCat("cannot give ", dir.string(), " to user ",
                                                owner->name, ": ", std::strerror(errno)));
  }
  fs::permissions(dir, perms, ec);
  return absl::OkStatus();
}

}  // namespace

fs::path DefaultDataDir() {
  if (geteuid() == 0) return "/var/lib/rmtc";
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && xdg[0] == '/') {
    return fs::path(xdg) / "rmtc";
  }
  return fs::path(HomeDir()) / ".local" / "share" / "rmtc";
}

absl::StatusOr<fs::path> FindPostgresBinDir(const std::string& version) {
  if (!version.empty()) {
    // An existing cluster runs only with the major version that made it.
    const fs::path bin = fs::path("/usr/lib/postgresql") / version / "bin";
    if (fs::exists(bin / "postgres")) return bin;
    return absl::FailedPreconditionError(
        StrCat("the embedded cluster was made by PostgreSQL ", version,
               ", whose server programs are not installed in ", bin.string(),
               ": install postgresql-", version,
               ", or move the cluster to the installed "
               "version with pg_upgrade (docs/operations.md)"));
  }
  std::string bindir;
  if (FILE* pipe = popen("pg_config --bindir 2>/dev/null", "r"); pipe != nullptr) {
    char line[4096];
    if (fgets(line, sizeof line, pipe) != nullptr) bindir = Trimmed(line);
    pclose(pipe);
  }
  if (!bindir.empty() && fs::exists(fs::path(bindir) / "initdb")) return bindir;
  // Debian keeps server binaries out of PATH, one directory per version.
  std::vector<std::pair<int, fs::path>> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    const fs::path bin = entry.path() / "bin";
    const int version = std::atoi(entry.path().filename().c_str());
    if (version > 0 && fs::exists(bin / "initdb") && fs::exists(bin / "postgres")) {
      found.emplace_back(version, bin);
    }
  }
  if (found.empty()) {
    return absl::NotFoundError(
        "PostgreSQL's server programs (initdb, postgres) were not found: "
        "install the postgresql package (script/bootstrap does), or give "
        "--database-url to use a running server");
  }
  return std::max_element(found.begin(), found.end())->second;
}

EmbeddedPostgres::EmbeddedPostgres(EmbeddedOptions options, fs::path bin_dir,
                                   std::optional<Account> run_as)
    : options_(std::move(options)),
      bin_dir_(std::move(bin_dir)),
      run_as_(std::move(run_as)) {}

EmbeddedPostgres::~EmbeddedPostgres() { Stop(); }

absl::StatusOr<std::unique_ptr<EmbeddedPostgres>> EmbeddedPostgres::Start(
    const EmbeddedOptions& options) {
  std::string cluster_version;
  std::ifstream(fs::path(options.data_dir) / kClusterDir / "PG_VERSION") >>
      cluster_version;
  RMTC_ASSIGN_OR_RETURN(fs::path bin_dir, FindPostgresBinDir(cluster_version));
  std::optional<Account> run_as;
  if (geteuid() == 0) {
    run_as = LookUpAccount("postgres");
    if (!run_as) {
      return absl::FailedPreconditionError(
          "running as root, the embedded PostgreSQL must run as user "
          "'postgres', which does not exist: install the postgresql package, "
          "run rmtcd as a normal user, or give --database-url");
    }
  }
  EmbeddedOptions absolute = options;
  absolute.data_dir = fs::absolute(options.data_dir).lexically_normal();
  std::unique_ptr<EmbeddedPostgres> pg(new EmbeddedPostgres(absolute, bin_dir, run_as));
  RMTC_RETURN_IF_ERROR(pg->Prepare());
  RMTC_RETURN_IF_ERROR(pg->InitCluster());
  RMTC_RETURN_IF_ERROR(pg->WaitForOldServer());
  RMTC_RETURN_IF_ERROR(pg->Launch());
  if (auto status = pg->WaitUntilReady(); !status.ok()) {
    pg->Stop();
    return status;
  }
  RMTC_RETURN_IF_ERROR(pg->EnsureDatabase());
  return pg;
}

absl::Status EmbeddedPostgres::Prepare() {
  const fs::path& dir = options_.data_dir;
  const fs::path socket = dir / kSocketDir / ".s.PGSQL.5432";
  if (socket.string().size() > kMaxSocketPath) {
    return absl::FailedPreconditionError(
        StrCat("--data-dir ", dir.string(), " is too long: its socket path would be ",
               socket.string().size(), " bytes and the limit is ", kMaxSocketPath,
               "; choose a shorter path"));
  }
  // Root's data dir must let the postgres user through; a user's stays private.
  const auto open_perms =
      run_as_ ? fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec
              : fs::perms::owner_all;
  if (!fs::exists(dir)) RMTC_RETURN_IF_ERROR(MakeDir(dir, open_perms, std::nullopt));
  RMTC_RETURN_IF_ERROR(MakeDir(dir / kSocketDir, fs::perms::owner_all, run_as_));
  if (run_as_ &&
      !AccountCanAccess(*run_as_, (dir / kSocketDir).string(), R_OK | W_OK | X_OK)) {
    return absl::FailedPreconditionError(
        StrCat("the embedded PostgreSQL runs as user 'postgres' (root cannot run it), "
               "and that user cannot reach ",
               dir.string(),
               ": a parent directory is closed to it (root's home is). Use a "
               "--data-dir it can reach, such as the root default /var/lib/rmtc"));
  }
  return absl::OkStatus();
}

absl::Status EmbeddedPostgres::InitCluster() {
  const fs::path cluster = options_.data_dir / kClusterDir;
  if (fs::exists(cluster / "PG_VERSION")) return absl::OkStatus();
  // initdb writes into a scratch directory that becomes the cluster only
  // when complete, so an interrupted first start never leaves half a cluster.
  const fs::path scratch = options_.data_dir / "postgres.init";
  std::error_code ec;
  fs::remove_all(scratch, ec);
  RMTC_RETURN_IF_ERROR(MakeDir(scratch, fs::perms::owner_all, run_as_));
  spdlog::info("creating the embedded PostgreSQL cluster in {}", cluster.string());
  std::vector<std::string> argv = {(bin_dir_ / "initdb").string(),
                                   "-D",
                                   scratch.string(),
                                   "-U",
                                   kSuperuser,
                                   "--auth=trust",
                                   "--encoding=UTF8",
                                   "--locale=C.UTF-8"};
  if (!options_.durable) argv.push_back("--no-sync");
  RMTC_ASSIGN_OR_RETURN(Completed done,
                        RunToCompletion(argv, {.run_as = run_as_,
                                               .working_dir = options_.data_dir.string(),
                                               .output_fd = -1,
                                               .own_process_group = false,
                                               .parent_death_signal = SIGKILL}));
  if (done.exit_code != 0) {
    return absl::InternalError(
        StrCat("initdb failed (exit ", done.exit_code, "): ", Trimmed(done.output)));
  }
  fs::rename(scratch, cluster, ec);
  if (ec) {
    return absl::InternalError(
        StrCat("cannot move the new cluster to ", cluster.string(), ": ", ec.message()));
  }
  return absl::OkStatus();
}

absl::Status EmbeddedPostgres::WaitForOldServer() {
  const fs::path cluster = options_.data_dir / kClusterDir;
  const auto old = PostmasterPid(cluster);
  if (!old || !IsPostgresAlive(*old)) return absl::OkStatus();  // PostgreSQL cleans up
  // A server of an rmtcd that was killed gets SIGTERM and shuts down; give
  // it time. Anything still holding the cluster after that is in use.
  spdlog::info("waiting for PostgreSQL (pid {}) to release {}", *old, cluster.string());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    const auto now_pid = PostmasterPid(cluster);
    if (!now_pid || !IsPostgresAlive(*now_pid)) return absl::OkStatus();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (IsZombie(*old)) {
    return absl::FailedPreconditionError(
        StrCat("the PostgreSQL (pid ", *old,
               ") of a killed rmtcd was never reaped by its parent, "
               "and PostgreSQL will not start while it exists: run rmtcd under a process "
               "manager or an init that reaps children (docker run --init)"));
  }
  return absl::FailedPreconditionError(StrCat(
      "the data directory ", options_.data_dir.string(), " is in use by PostgreSQL (pid ",
      *old, "): is another rmtcd running with this --data-dir?"));
}

absl::Status EmbeddedPostgres::Launch() {
  const fs::path log_path = options_.data_dir / kLogFile;
  const int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (log < 0) {
    return absl::FailedPreconditionError(
        StrCat("cannot open ", log_path.string(), ": ", std::strerror(errno)));
  }
  std::vector<std::string> argv = {(bin_dir_ / "postgres").string(),
                                   "-D",
                                   (options_.data_dir / kClusterDir).string(),
                                   "-k",
                                   (options_.data_dir / kSocketDir).string(),
                                   "-c",
                                   "listen_addresses=",
                                   "-c",
                                   StrCat("port=", kPort),
                                   "-c",
                                   "unix_socket_permissions=0700"};
  if (!options_.durable) {
    for (const char* setting :
         {"fsync=off", "full_page_writes=off", "synchronous_commit=off"}) {
      argv.push_back("-c");
      argv.push_back(setting);
    }
  }
  // Its own process group keeps a terminal's Ctrl-C away from it (rmtcd
  // stops it after its own shutdown); SIGTERM on our death is a clean
  // "smart" shutdown once our connections are gone.
  auto pid = Spawn(argv, {.run_as = run_as_,
                          .working_dir = options_.data_dir.string(),
                          .output_fd = log,
                          .own_process_group = true,
                          .parent_death_signal = SIGTERM});
  close(log);
  if (!pid.ok()) return pid.status();
  pid_ = *pid;
  spdlog::info("embedded PostgreSQL started (pid {}), socket in {}", pid_,
               (options_.data_dir / kSocketDir).string());
  return absl::OkStatus();
}

absl::Status EmbeddedPostgres::WaitUntilReady() {
  const std::string conninfo = ConnectionString("postgres");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  while (std::chrono::steady_clock::now() < deadline) {
    if (HasExited(pid_)) {
      pid_ = -1;
      return absl::InternalError(
          StrCat("the embedded PostgreSQL stopped while starting; the end of ",
                 (options_.data_dir / kLogFile).string(), ":\n", LogTail()));
    }
    if (PQping(conninfo.c_str()) == PQPING_OK) return absl::OkStatus();
    // Crash recovery after an unclean stop can take a while: keep waiting.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return absl::InternalError(
      StrCat("the embedded PostgreSQL did not accept connections within 5 minutes; "
             "the end of its log:\n",
             LogTail()));
}

absl::Status EmbeddedPostgres::EnsureDatabase() {
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn(
      PQconnectdb(ConnectionString("postgres").c_str()), &PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    return absl::InternalError(StrCat("cannot connect to the embedded PostgreSQL: ",
                                      Trimmed(PQerrorMessage(conn.get()))));
  }
  auto exec = [&](const char* sql) {
    std::unique_ptr<PGresult, decltype(&PQclear)> res(PQexec(conn.get(), sql), &PQclear);
    const auto status = PQresultStatus(res.get());
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      return absl::StatusOr<int>(absl::InternalError(
          StrCat(sql, ": ", Trimmed(PQresultErrorMessage(res.get())))));
    }
    return absl::StatusOr<int>(PQntuples(res.get()));
  };
  RMTC_ASSIGN_OR_RETURN(int rows,
                        exec("SELECT 1 FROM pg_database WHERE datname = 'rmtc'"));
  if (rows == 0) {
    RMTC_ASSIGN_OR_RETURN(rows, exec("CREATE DATABASE rmtc"));
  }
  return absl::OkStatus();
}

bool EmbeddedPostgres::Exited() {
  if (pid_ <= 0) return true;
  if (!HasExited(pid_)) return false;
  pid_ = -1;
  return true;
}

void EmbeddedPostgres::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGINT);  // fast shutdown
  if (!WaitForExit(pid_, std::chrono::seconds(30))) {
    spdlog::warn("embedded PostgreSQL did not stop in 30 s; forcing it");
    kill(pid_, SIGQUIT);  // immediate shutdown: recovery on next start
    if (!WaitForExit(pid_, std::chrono::seconds(5))) {
      kill(pid_, SIGKILL);
      WaitForExit(pid_, std::chrono::seconds(5));
    }
  }
  spdlog::info("embedded PostgreSQL stopped");
  pid_ = -1;
}

std::string EmbeddedPostgres::ConnectionString(const std::string& database) const {
  return ConnectionStringFor(options_.data_dir, database);
}

std::string EmbeddedPostgres::ConnectionStringFor(const std::filesystem::path& data_dir,
                                                  const std::string& database) {
  return StrCat("host=", ConnValue((data_dir / kSocketDir).string()), " port=", kPort,
                " user=", kSuperuser, " dbname=", ConnValue(database));
}

std::string EmbeddedPostgres::LogTail() const {
  std::ifstream in(options_.data_dir / kLogFile, std::ios::binary);
  std::stringstream all;
  all << in.rdbuf();
  const std::string text = all.str();
  constexpr std::size_t kTail = 2000;
  return Trimmed(text.size() > kTail ? text.substr(text.size() - kTail) : text);
}

}  // namespace rmtc::embedded
