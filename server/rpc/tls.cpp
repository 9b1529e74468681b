#include "rpc/tls.h"

#include <grpc/grpc_security_constants.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_credentials_options.h>
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/strings.h"

namespace rmtc::rpc {
namespace {

struct FreeX509 {
  void operator()(X509* x) const { X509_free(x); }
};
struct FreeKey {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct FreeBio {
  void operator()(BIO* b) const { BIO_free(b); }
};
using X509Ptr = std::unique_ptr<X509, FreeX509>;
using KeyPtr = std::unique_ptr<EVP_PKEY, FreeKey>;
using BioPtr = std::unique_ptr<BIO, FreeBio>;

// One of the files, named as the operator gave it: "--tls-key /etc/k.pem".
struct NamedFile {
  const char* flag;
  const std::string& path;
  std::string Name() const { return StrCat(flag, " ", path); }
};

absl::StatusOr<std::string> Read(const NamedFile& file) {
  std::ifstream in(file.path, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(
        StrCat(file.Name(), ": cannot read it: ", std::strerror(errno)));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

BioPtr MemoryBio(const std::string& text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

// Every PEM certificate in `text`, in order.
std::vector<X509Ptr> Certificates(const std::string& text) {
  std::vector<X509Ptr> out;
  auto bio = MemoryBio(text);
  while (X509* x = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    out.emplace_back(x);
  }
  ERR_clear_error();  // the end of the input reads as an error
  return out;
}

// No passphrase: an encrypted key must fail here, not prompt on a terminal.
int NoPassphrase(char*, int, int, void*) { return 0; }

std::string TimeText(const ASN1_TIME* time) {
  auto bio = BioPtr(BIO_new(BIO_s_mem()));
  ASN1_TIME_print(bio.get(), time);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string CommonName(X509* certificate) {
  char name[256] = "";
  X509_NAME_get_text_by_NID(X509_get_subject_name(certificate), NID_commonName, name,
                            sizeof name);
  return name;
}

// "DNS:localhost, IP Address:127.0.0.1", as openssl prints them.
std::string AlternativeNames(X509* certificate) {
  const int at = X509_get_ext_by_NID(certificate, NID_subject_alt_name, -1);
  if (at < 0) return "";
  auto bio = BioPtr(BIO_new(BIO_s_mem()));
  X509V3_EXT_print(bio.get(), X509_get_ext(certificate, at), 0, 0);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

absl::StatusOr<std::vector<X509Ptr>> ReadCertificates(const NamedFile& file) {
  auto text = Read(file);
  if (!text.ok()) return text.status();
  auto certificates = Certificates(*text);
  if (certificates.empty()) {
    return absl::InvalidArgumentError(
        StrCat(file.Name(), ": holds no PEM certificate (-----BEGIN CERTIFICATE-----)"));
  }
  return certificates;
}

absl::StatusOr<KeyPtr> ReadKey(const NamedFile& file) {
  auto text = Read(file);
  if (!text.ok()) return text.status();
  auto bio = MemoryBio(*text);
  KeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr));
  ERR_clear_error();
  if (!key) {
    return absl::InvalidArgumentError(
        StrCat(file.Name(),
               ": holds no PEM private key rmtcd can use (it takes an "
               "unencrypted RSA or EC key)"));
  }
  return key;
}

}  // namespace

absl::StatusOr<std::string> ReadTlsFile(const char* flag, const std::string& path) {
  return Read({flag, path});
}

absl::StatusOr<std::string> CheckTlsFiles(const TlsFiles& files) {
  const NamedFile cert_file{"--tls-cert", files.cert};
  const NamedFile key_file{"--tls-key", files.key};
  auto chain = ReadCertificates(cert_file);
  if (!chain.ok()) return chain.status();
  auto key = ReadKey(key_file);
  if (!key.ok()) return key.status();
  X509* leaf = chain->front().get();
  if (X509_check_private_key(leaf, key->get()) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError(
        StrCat(key_file.Name(), ": is not the key of the certificate in ",
               cert_file.Name(), " (the first certificate there must be rmtcd's own)"));
  }
  if (X509_cmp_current_time(X509_get0_notAfter(leaf)) < 0) {
    return absl::InvalidArgumentError(
        StrCat(cert_file.Name(), ": expired ", TimeText(X509_get0_notAfter(leaf))));
  }
  std::string description =
      StrCat("certificate CN=", CommonName(leaf), " [", AlternativeNames(leaf),
             "] valid until ", TimeText(X509_get0_notAfter(leaf)));
  if (!files.client_ca.empty()) {
    auto authorities = ReadCertificates({"--tls-client-ca", files.client_ca});
    if (!authorities.ok()) return authorities.status();
    description += StrCat("; client certificates required, from ", authorities->size(),
                          " CA certificate(s) in ", files.client_ca);
  }
  return description;
}

TlsFileWatch::TlsFileWatch(TlsFiles files)
    : files_(std::move(files)), seen_(Fingerprint()), thread_([this] { Run(); }) {}

TlsFileWatch::~TlsFileWatch() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

std::string TlsFileWatch::Fingerprint() const {
  std::string out;
  for (const auto* path : {&files_.cert, &files_.key, &files_.client_ca}) {
    struct stat info {};
    if (path->empty() || stat(path->c_str(), &info) != 0) {
      out += "-;";
      continue;
    }
    out += StrCat(static_cast<long>(info.st_size), ":",
                  static_cast<long>(info.st_mtim.tv_sec), ".",
                  static_cast<long>(info.st_mtim.tv_nsec), ";");
  }
  return out;
}

void TlsFileWatch::CheckNow() {
  const auto checked = CheckTlsFiles(files_);
  if (checked.ok()) {
    spdlog::info("TLS: serving {}", *checked);
  } else {
    spdlog::error("TLS: {}; new connections fail until it is fixed",
                  std::string(checked.status().message()));
  }
}

void TlsFileWatch::Run() {
  std::unique_lock lock(mu_);
  while (!wake_.wait_for(lock, kTlsReloadInterval, [&] { return stop_; })) {
    auto now = Fingerprint();
    if (now == seen_) continue;
    seen_ = std::move(now);
    spdlog::info("TLS: the certificate files changed; re-reading them");
    CheckNow();
  }
}

std::shared_ptr<grpc::ServerCredentials> ListenerCredentials(
    const std::optional<TlsFiles>& files) {
  if (!files) return grpc::InsecureServerCredentials();
  auto provider = std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
      files->key, files->cert, files->client_ca,
      static_cast<unsigned>(kTlsReloadInterval.count()));
  grpc::experimental::TlsServerCredentialsOptions options(provider);
  options.watch_identity_key_cert_pairs();
  if (files->client_ca.empty()) {
    options.set_cert_request_type(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  } else {
    options.watch_root_certs();
    options.set_cert_request_type(
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  }
  return grpc::experimental::TlsServerCredentials(options);
}

std::optional<ClientCertificate> ClientCertificateOf(
    const grpc::ServerContextBase& context) {
  const auto auth = context.auth_context();
  if (auth == nullptr || !auth->IsPeerAuthenticated()) return std::nullopt;
  const auto names = auth->FindPropertyValues(GRPC_X509_SAN_PROPERTY_NAME);
  const auto common_names = auth->FindPropertyValues(GRPC_X509_CN_PROPERTY_NAME);
  if (names.empty() && common_names.empty()) return std::nullopt;
  ClientCertificate certificate;
  if (!common_names.empty()) {
    certificate.common_name.assign(common_names.front().data(),
                                   common_names.front().size());
  }
  for (const auto& name : names) {
    certificate.alternative_names.emplace_back(name.data(), name.size());
  }
  return certificate;
}

std::string Describe(const ClientCertificate& certificate) {
  std::string text = StrCat("CN=", certificate.common_name);
  for (std::size_t i = 0; i < certificate.alternative_names.size(); ++i) {
    text += StrCat(i == 0 ? " SAN=" : ",", certificate.alternative_names[i]);
  }
  return text;
}

}  // namespace rmtc::rpc
