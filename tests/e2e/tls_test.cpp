// TLS end to end: the real rmtcd serving TLS (and mTLS) with certificates
// made now by openssl, reached by librmtc, the rmtc CLI and rmtcd --probe.
// Links librmtc and no server code, as a pipeline tool would.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "rmtc/client.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/test_certificates.h"

namespace rmtc {
namespace {

using testing::CertificateFiles;
using testing::RmtcdProcess;

constexpr char kRmtcd[] = RMTCD_PATH;
constexpr char kRmtc[] = RMTC_PATH;

// One embedded PostgreSQL for the program (each rmtcd below reuses its
// data dir in turn) and one set of certificates.
class Tls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    pki_ = new testing::TestCertificates(dir_->path());
    studio_ca_ = pki_->MakeCa("studio-ca");
    other_ca_ = pki_->MakeCa("other-ca");
    server_ = pki_->Issue(studio_ca_, "rmtcd", {"IP:127.0.0.1", "DNS:localhost"});
    ingest_ = pki_->Issue(studio_ca_, "ingest-tool", {"DNS:ingest.studio"});
    stranger_ = pki_->Issue(other_ca_, "stranger");
    viewer_ = pki_->Issue(studio_ca_, "viewer-tool");
    unmapped_ = pki_->Issue(studio_ca_, "unmapped-tool");
  }
  static void TearDownTestSuite() {
    delete pki_;
    delete dir_;
  }

  static std::string DataDir() { return (dir_->path() / "data").string(); }

  // rmtcd serving TLS with `cert`/`key`, and `extra` flags.
  static std::unique_ptr<RmtcdProcess> StartTls(const CertificateFiles& identity,
                                                std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--data-dir",  DataDir(),
                                     "--tls-cert",  identity.cert.string(),
                                     "--tls-key",   identity.key.string(),
                                     "--log-level", "debug"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::string error;
    auto process = RmtcdProcess::Start(kRmtcd, args, &error);
    EXPECT_NE(process, nullptr) << error;
    return process;
  }

  static ClientOptions Options(const RmtcdProcess& rmtcd, const CertificateFiles& ca) {
    return {.address = rmtcd.address(),
            .timeout = std::chrono::seconds(5),
            .tls_ca_file = ca.cert.string()};
  }

  // rmtcd run to completion (for the ones that must refuse to start).
  static testing::Finished RunRmtcd(std::vector<std::string> args) {
    args.insert(args.begin(), kRmtcd);
    args.insert(args.end(), {"--data-dir", DataDir(), "--listen", "127.0.0.1:0"});
    return testing::Run(args, {.timeout = std::chrono::seconds(60)});
  }

  static testing::Finished Cli(std::vector<std::string> args,
                               std::map<std::string, std::string> env = {}) {
    args.insert(args.begin(), kRmtc);
    return testing::Run(args, {.env = std::move(env)});
  }

  static inline testing::TempDir* dir_ = nullptr;
  static inline testing::TestCertificates* pki_ = nullptr;
  static inline CertificateFiles studio_ca_, other_ca_, server_, ingest_, stranger_,
      viewer_, unmapped_;
};

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

int Count(const std::string& text, const std::string& part) {
  int n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1))
    ++n;
  return n;
}

// Whether rmtcd prints `text` within 5 s (its output is read by a thread).
bool Prints(RmtcdProcess& rmtcd, const std::string& text) {
  for (int i = 0; i < 50; ++i) {
    if (Contains(rmtcd.output(), text)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

TEST_F(Tls, ClientCliAndProbeWorkOverTls) {
  auto rmtcd = StartTls(server_);
  ASSERT_NE(rmtcd, nullptr);

  auto client = Client::Connect(Options(*rmtcd, studio_ca_));
  ASSERT_TRUE(client.ok()) << client.error().message;
  NewArtefact plate;
  plate.kind = Kind::kAsset;
  plate.name = "tls plate";
  auto registered = client->Register({plate});
  ASSERT_TRUE(registered.ok()) << registered.error().message;
  const std::string id = registered->front().artefact.id;

  // The CLI, by flag and by environment.
  auto by_flag = Cli({"--address", rmtcd->address(), "--tls-ca", studio_ca_.cert.string(),
                      "--json", "show", id});
  EXPECT_EQ(by_flag.exit_code, 0) << by_flag.err;
  EXPECT_TRUE(Contains(by_flag.out, "tls plate")) << by_flag.out;
  auto by_env = Cli({"--address", rmtcd->address(), "show", id},
                    {{"RMTC_TLS_CA", studio_ca_.cert.string()}});
  EXPECT_EQ(by_env.exit_code, 0) << by_env.err;

  // A certificate for a host name, dialled by IP: the server name says
  // which name to expect; a name the certificate lacks fails as TLS.
  auto named = Cli({"--address", rmtcd->address(), "--tls-ca", studio_ca_.cert.string(),
                    "--tls-server-name", "localhost", "show", id});
  EXPECT_EQ(named.exit_code, 0) << named.err;
  auto misnamed =
      Cli({"--address", rmtcd->address(), "--tls-ca", studio_ca_.cert.string(),
           "--tls-server-name", "db.studio", "show", id});
  EXPECT_EQ(misnamed.exit_code, 4);
  EXPECT_TRUE(Contains(misnamed.err, "TLS handshake")) << misnamed.err;

  // A plaintext client gets nothing from a TLS listener.
  auto plaintext =
      Client::Connect({.address = rmtcd->address(), .timeout = std::chrono::seconds(3)});
  EXPECT_FALSE(plaintext.ok());

  // rmtcd --probe: with the CA it works; without, it says what is missing.
  auto probe = testing::Run({kRmtcd, "--probe", "--listen", rmtcd->address(), "--tls-ca",
                             studio_ca_.cert.string()});
  EXPECT_EQ(probe.exit_code, 0) << probe.err;
  EXPECT_EQ(probe.out, "SERVING\n");
  auto no_ca = testing::Run({kRmtcd, "--probe", "--listen", rmtcd->address()},
                            {.env = {{"RMTC_TLS_CERT", server_.cert.string()},
                                     {"RMTC_TLS_KEY", server_.key.string()}}});
  EXPECT_EQ(no_ca.exit_code, 1);
  EXPECT_TRUE(Contains(no_ca.err, "--tls-ca")) << no_ca.err;
  EXPECT_EQ(rmtcd->Stop(), 0) << rmtcd->output();
}

TEST_F(Tls, AClientTrustingAnotherCaGetsATlsError) {
  auto rmtcd = StartTls(server_);
  ASSERT_NE(rmtcd, nullptr);
  auto client = Client::Connect(Options(*rmtcd, other_ca_));
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(Contains(client.error().message,
                       "TLS handshake with rmtcd at " + rmtcd->address() + " failed"))
      << client.error().message;
  EXPECT_TRUE(Contains(client.error().message, "not signed by a CA"))
      << client.error().message;

  auto cli =
      Cli({"--address", rmtcd->address(), "--tls-ca", other_ca_.cert.string(), "ls"});
  EXPECT_EQ(cli.exit_code, 4) << cli.err;
  EXPECT_TRUE(Contains(cli.err, "TLS handshake")) << cli.err;
  EXPECT_EQ(Count(cli.err, "\n"), 1) << cli.err;  // rmtc's line, not gRPC's too
  EXPECT_EQ(rmtcd->Stop(), 0) << rmtcd->output();
}

TEST_F(Tls, ATlsClientOfAPlaintextRmtcdIsToldSo) {
  std::string error;
  auto rmtcd = RmtcdProcess::Start(kRmtcd, {"--data-dir", DataDir()}, &error);
  ASSERT_NE(rmtcd, nullptr) << error;
  auto client = Client::Connect(Options(*rmtcd, studio_ca_));
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(Contains(client.error().message, "rmtcd does not serve TLS there"))
      << client.error().message;
  // SIGHUP without TLS: logged, not a stop.
  ASSERT_EQ(kill(rmtcd->pid(), SIGHUP), 0);
  EXPECT_TRUE(Prints(*rmtcd, "SIGHUP: no TLS files to re-read; still serving"));
  EXPECT_TRUE(Client::Connect({.address = rmtcd->address()}).ok());
  EXPECT_EQ(rmtcd->Stop(), 0) << rmtcd->output();
}

TEST_F(Tls, ClientCertificatesAreRequiredAndVerified) {
  auto rmtcd = StartTls(server_, {"--tls-client-ca", studio_ca_.cert.string()});
  ASSERT_NE(rmtcd, nullptr);

  auto anonymous = Client::Connect(Options(*rmtcd, studio_ca_));
  if (anonymous.ok()) {
    // With TLS 1.3 the refusal can come after the handshake, on the first call.
    auto health = anonymous->Healthy();
    ASSERT_FALSE(health.ok());
    anonymous = health.error();
  }
  EXPECT_EQ(anonymous.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(Contains(anonymous.error().message, "TLS handshake"))
      << anonymous.error().message;
  EXPECT_TRUE(Contains(anonymous.error().message, "requires a client certificate"))
      << anonymous.error().message;
  // rmtcd logs the refusal in its own log format, as a warning.
  EXPECT_TRUE(Prints(*rmtcd, "grpc: Handshake failed")) << rmtcd->output();
  EXPECT_TRUE(Prints(*rmtcd, "peer did not return a certificate")) << rmtcd->output();
  EXPECT_FALSE(Contains(rmtcd->output(), "ssl_transport_security.cc")) << rmtcd->output();

  auto stranger_options = Options(*rmtcd, studio_ca_);
  stranger_options.tls_cert_file = stranger_.cert.string();
  stranger_options.tls_key_file = stranger_.key.string();
  auto stranger = Client::Connect(stranger_options);
  if (stranger.ok()) {
    auto health = stranger->Healthy();
    ASSERT_FALSE(health.ok());
    stranger = health.error();
  }
  EXPECT_EQ(stranger.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(Contains(stranger.error().message, "TLS handshake"))
      << stranger.error().message;
  EXPECT_TRUE(Contains(stranger.error().message, "refused the client certificate"))
      << stranger.error().message;

  auto ingest_options = Options(*rmtcd, studio_ca_);
  ingest_options.tls_cert_file = ingest_.cert.string();
  ingest_options.tls_key_file = ingest_.key.string();
  auto ingest = Client::Connect(ingest_options);
  ASSERT_TRUE(ingest.ok()) << ingest.error().message;
  auto listed = ingest->List();
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  // The verified subject reaches the server (logged per call at debug).
  EXPECT_TRUE(Prints(*rmtcd, "client=CN=ingest-tool SAN=ingest.studio"))
      << rmtcd->output();

  auto cli =
      Cli({"--address", rmtcd->address(), "--tls-ca", studio_ca_.cert.string(),
           "--tls-cert", ingest_.cert.string(), "--tls-key", ingest_.key.string(), "ls"});
  EXPECT_EQ(cli.exit_code, 0) << cli.err;
  auto cli_without =
      Cli({"--address", rmtcd->address(), "--tls-ca", studio_ca_.cert.string(), "ls"});
  EXPECT_EQ(cli_without.exit_code, 4);
  EXPECT_TRUE(Contains(cli_without.err, "client certificate")) << cli_without.err;

  // The probe presents rmtcd's own certificate (signed by the same CA).
  auto probe = testing::Run({kRmtcd, "--probe", "--listen", rmtcd->address(), "--tls-ca",
                             studio_ca_.cert.string(), "--tls-cert",
                             server_.cert.string(), "--tls-key", server_.key.string(),
                             "--tls-client-ca", studio_ca_.cert.string()});
  EXPECT_EQ(probe.exit_code, 0) << probe.err;
  EXPECT_EQ(rmtcd->Stop(), 0) << rmtcd->output();
}

// The rmtc CLI presenting `client`'s certificate and no token.
testing::Finished CliAs(const RmtcdProcess& rmtcd, const CertificateFiles& ca,
                        const CertificateFiles& client, std::vector<std::string> args) {
  std::vector<std::string> argv = {kRmtc,
                                   "--address",
                                   rmtcd.address(),
                                   "--tls-ca",
                                   ca.cert.string(),
                                   "--tls-cert",
                                   client.cert.string(),
                                   "--tls-key",
                                   client.key.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return testing::Run(argv, {.unset_env = {"RMTC_TOKEN"}});
}

TEST_F(Tls, MappedClientCertificatesAreFullPrincipals) {
  const auto identities = dir_->path() / "identities";
  std::ofstream(identities) << "# certificate name   role      facility\n"
                               "ingest.studio        recorder  wlg   # the SAN\n"
                               "\n"
                               "viewer-tool          reader\n";
  auto rmtcd = StartTls(server_, {"--tls-client-ca", studio_ca_.cert.string(),
                                  "--tls-client-identities", identities.string()});
  ASSERT_NE(rmtcd, nullptr);

  auto who = CliAs(*rmtcd, studio_ca_, ingest_, {"whoami"});
  ASSERT_EQ(who.exit_code, 0) << who.err;
  EXPECT_EQ(who.out, "cert:ingest.studio  recorder  facility wlg  (certificate)\n");
  auto wrote = CliAs(*rmtcd, studio_ca_, ingest_,
                     {"register", "asset", "--name", "cert plate", "--facility", "wlg"});
  EXPECT_EQ(wrote.exit_code, 0) << wrote.err;
  auto elsewhere =
      CliAs(*rmtcd, studio_ca_, ingest_,
            {"register", "asset", "--name", "akl plate", "--facility", "akl"});
  EXPECT_NE(elsewhere.exit_code, 0);
  EXPECT_TRUE(Contains(elsewhere.err,
                       "'cert:ingest.studio' may write only facility "
                       "'wlg', not 'akl'"))
      << elsewhere.err;

  auto read = CliAs(*rmtcd, studio_ca_, viewer_, {"ls"});
  EXPECT_EQ(read.exit_code, 0) << read.err;
  EXPECT_TRUE(Contains(read.out, "cert plate")) << read.out;
  auto denied = CliAs(*rmtcd, studio_ca_, viewer_, {"register", "asset", "--name", "x"});
  EXPECT_NE(denied.exit_code, 0);
  EXPECT_TRUE(Contains(denied.err,
                       "RegisterArtefacts needs the recorder role; "
                       "'cert:viewer-tool' is reader"))
      << denied.err;

  auto unmapped = CliAs(*rmtcd, studio_ca_, unmapped_, {"ls"});
  EXPECT_NE(unmapped.exit_code, 0);
  EXPECT_TRUE(Contains(unmapped.err, "no access token")) << unmapped.err;

  // A token, when the call has one, wins over the certificate.
  auto both = Cli({"--address", rmtcd->address(), "--tls-ca", studio_ca_.cert.string(),
                   "--tls-cert", viewer_.cert.string(), "--tls-key", viewer_.key.string(),
                   "whoami"});
  ASSERT_EQ(both.exit_code, 0) << both.err;
  EXPECT_TRUE(Contains(both.out, "admin  (token)")) << both.out;
  auto listed = CliAs(*rmtcd, studio_ca_, viewer_, {"ls"});
  EXPECT_EQ(listed.out, read.out) << "the refused write wrote something";
  EXPECT_EQ(rmtcd->Stop(), 0) << rmtcd->output();
}

TEST_F(Tls, BadClientIdentitiesRefuseToStart) {
  auto without_ca = RunRmtcd({"--tls-cert", server_.cert.string(), "--tls-key",
                              server_.key.string(), "--tls-client-identities", "x"});
  EXPECT_EQ(without_ca.exit_code, 2);
  EXPECT_TRUE(Contains(without_ca.err, "--tls-client-identities needs --tls-client-ca"))
      << without_ca.err;
  const auto file = dir_->path() / "bad-identities";
  struct Case {
    std::string text;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"ok reader\nfarm superuser\n",
       ":2: unknown role 'superuser' (reader, recorder, "
       "rights or admin)"},
      {"# only a name\nlonely\n",
       ":2: expected '<certificate name> <role> [facility]', "
       "got 1 words"},
      {"a reader wlg extra\n",
       ":1: expected '<certificate name> <role> [facility]', "
       "got 4 words"},
      {"a reader\n\na admin\n", ":3: 'a' is mapped already, on line 1"},
  };
  for (const auto& c : cases) {
    std::ofstream(file) << c.text;
    auto run =
        RunRmtcd({"--tls-cert", server_.cert.string(), "--tls-key", server_.key.string(),
                  "--tls-client-ca", studio_ca_.cert.string(), "--tls-client-identities",
                  file.string()});
    EXPECT_EQ(run.exit_code, 1) << c.text;
    EXPECT_TRUE(Contains(run.out + run.err, file.string() + c.message))
        << run.out << run.err;
    EXPECT_FALSE(Contains(run.out, "listening on")) << run.out;
  }
  auto missing =
      RunRmtcd({"--tls-cert", server_.cert.string(), "--tls-key", server_.key.string(),
                "--tls-client-ca", studio_ca_.cert.string(), "--tls-client-identities",
                "/nonexistent/identities"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(Contains(missing.err + missing.out,
                       "--tls-client-identities: cannot read /nonexistent/identities"))
      << missing.err;
}

TEST_F(Tls, ClientOptionsThatCannotWorkAreRefusedAtOnce) {
  ClientOptions options{.address = "127.0.0.1:1", .tls_ca_file = "/nonexistent/ca.pem"};
  auto missing = Client::Connect(options);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(Contains(missing.error().message, "tls_ca_file: cannot read"))
      << missing.error().message;

  options.tls_ca_file = studio_ca_.cert.string();
  options.tls_cert_file = ingest_.cert.string();
  auto half = Client::Connect(options);
  ASSERT_FALSE(half.ok());
  EXPECT_EQ(half.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(Contains(half.error().message, "needs tls_key_file"))
      << half.error().message;

  auto cli = Cli({"--address", "127.0.0.1:1", "--tls-ca", studio_ca_.cert.string(),
                  "--tls-cert", ingest_.cert.string(), "ls"});
  EXPECT_EQ(cli.exit_code, 1);
  EXPECT_TRUE(Contains(cli.err, "--tls-cert: needs --tls-key")) << cli.err;
}

TEST_F(Tls, BadTlsFlagsOrFilesRefuseToStart) {
  // Half a pair: a usage error naming the missing flag.
  auto cert_only = RunRmtcd({"--tls-cert", server_.cert.string()});
  EXPECT_EQ(cert_only.exit_code, 2);
  EXPECT_TRUE(Contains(cert_only.err, "--tls-cert needs --tls-key")) << cert_only.err;
  auto key_only = testing::Run({kRmtcd, "--data-dir", DataDir()},
                               {.env = {{"RMTC_TLS_KEY", server_.key.string()}}});
  EXPECT_EQ(key_only.exit_code, 2);
  EXPECT_TRUE(Contains(key_only.err, "--tls-key needs --tls-cert")) << key_only.err;
  auto ca_only = RunRmtcd({"--tls-client-ca", studio_ca_.cert.string()});
  EXPECT_EQ(ca_only.exit_code, 2);
  EXPECT_TRUE(Contains(ca_only.err, "--tls-client-ca needs --tls-cert")) << ca_only.err;

  // Files that cannot serve: named, with what is wrong, and never printed.
  const auto garbage = dir_->path() / "garbage.pem";
  std::ofstream(garbage) << "not a certificate\n";
  std::ifstream key_in(server_.key);
  const std::string key_text((std::istreambuf_iterator<char>(key_in)), {});
  struct Case {
    std::vector<std::string> flags;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"--tls-cert", "/nonexistent/cert.pem", "--tls-key", server_.key.string()},
       "--tls-cert /nonexistent/cert.pem: cannot read it"},
      {{"--tls-cert", garbage.string(), "--tls-key", server_.key.string()},
       "--tls-cert " + garbage.string() + ": holds no PEM certificate"},
      {{"--tls-cert", server_.cert.string(), "--tls-key", garbage.string()},
       "--tls-key " + garbage.string() + ": holds no PEM private key"},
      {{"--tls-cert", server_.cert.string(), "--tls-key", ingest_.key.string()},
       "--tls-key " + ingest_.key.string() + ": is not the key of the certificate"},
      {{"--tls-cert", server_.cert.string(), "--tls-key", server_.key.string(),
        "--tls-client-ca", garbage.string()},
       "--tls-client-ca " + garbage.string() + ": holds no PEM certificate"},
  };
  for (const auto& c : cases) {
    auto run = RunRmtcd(c.flags);
    EXPECT_EQ(run.exit_code, 1) << c.message;
    EXPECT_TRUE(Contains(run.out + run.err, c.message)) << run.out << run.err;
    EXPECT_FALSE(Contains(run.out + run.err, "PRIVATE KEY")) << run.out << run.err;
    EXPECT_FALSE(Contains(run.out + run.err, key_text.substr(28, 40)));
    EXPECT_FALSE(Contains(run.out, "listening on")) << run.out;
  }
}

// Puts `from`'s files in place of `live`'s the way an operator should:
// write beside, then rename over (each file changes in one step).
void Replace(const CertificateFiles& live, const CertificateFiles& from) {
  for (const auto& [target, source] :
       {std::pair{live.key, from.key}, {live.cert, from.cert}}) {
    const auto staged = target.string() + ".new";
    std::filesystem::copy_file(source, staged,
                               std::filesystem::copy_options::overwrite_existing);
    std::filesystem::rename(staged, target);
  }
}

TEST_F(Tls, ReplacedCertificatesAreServedWithoutARestart) {
  const CertificateFiles live{dir_->path() / "live.pem", dir_->path() / "live.key"};
  Replace(live, server_);
  auto rmtcd = StartTls(live);
  ASSERT_NE(rmtcd, nullptr);
  const pid_t pid = rmtcd->pid();
  ASSERT_TRUE(Client::Connect(Options(*rmtcd, studio_ca_)).ok());
  ASSERT_FALSE(Client::Connect(Options(*rmtcd, other_ca_)).ok());

  // A new certificate from another CA, as after moving to a new studio CA.
  const auto renewed = pki_->Issue(other_ca_, "rmtcd", {"IP:127.0.0.1"});
  Replace(live, renewed);
  bool reloaded = false;
  for (int i = 0; i < 100 && !reloaded; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    reloaded = Client::Connect(Options(*rmtcd, other_ca_)).ok();
  }
  EXPECT_TRUE(reloaded) << rmtcd->output();
  EXPECT_FALSE(Client::Connect(Options(*rmtcd, studio_ca_)).ok());
  EXPECT_EQ(rmtcd->pid(), pid);
  EXPECT_TRUE(Prints(*rmtcd, "TLS: the certificate files changed")) << rmtcd->output();

  // SIGHUP: checked and logged once more, still serving, never a stop.
  const std::string serving = "TLS: serving certificate CN=rmtcd [IP Address:127.0.0.1]";
  const auto before = Count(rmtcd->output(), serving);
  ASSERT_EQ(kill(rmtcd->pid(), SIGHUP), 0);
  for (int i = 0; i < 50 && Count(rmtcd->output(), serving) == before; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(Count(rmtcd->output(), serving), before + 1) << rmtcd->output();
  auto after = Client::Connect(Options(*rmtcd, other_ca_));
  ASSERT_TRUE(after.ok()) << after.error().message;
  EXPECT_TRUE(after->Healthy().ok());

  // A broken file is reported naming it; rmtcd carries on.
  std::ofstream(dir_->path() / "live.key.new") << "junk\n";
  std::filesystem::rename(dir_->path() / "live.key.new", live.key);
  EXPECT_TRUE(Prints(*rmtcd, "--tls-key " + live.key.string() + ": holds no"))
      << rmtcd->output();
  EXPECT_EQ(rmtcd->Stop(), 0) << rmtcd->output();
}

}  // namespace
}  // namespace rmtc
