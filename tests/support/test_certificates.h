// Certificates made at test time with the `openssl` command: a CA, server
// and client certificates signed by it. Nothing here is committed; every
// key lives in the test's temporary directory and dies with it.
//
//   TestCertificates pki(dir.path());
//   auto ca = pki.MakeCa("studio-ca");
//   auto server = pki.Issue(ca, "rmtcd", {"IP:127.0.0.1", "DNS:localhost"});
//   auto client = pki.Issue(ca, "ingest-tool");
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace rmtc::testing {

// A certificate and its key, as PEM files.
struct CertificateFiles {
  std::filesystem::path cert;
  std::filesystem::path key;
};

class TestCertificates {
 public:
  // Writes every file under `dir`.
  explicit TestCertificates(std::filesystem::path dir);

  // A self-signed CA (P-256, valid a day). Aborts the test program if
  // openssl fails: no test can run without it.
  CertificateFiles MakeCa(const std::string& name);

  // A leaf certificate for `common_name` signed by `ca`, usable by servers
  // and clients alike, with `alternative_names` ("IP:127.0.0.1",
  // "DNS:localhost") as its subjectAltName.
  CertificateFiles Issue(const CertificateFiles& ca, const std::string& common_name,
                         const std::vector<std::string>& alternative_names = {});

 private:
  void Openssl(const std::vector<std::string>& args);

  std::filesystem::path dir_;
  int serial_ = 0;
};

}  // namespace rmtc::testing
