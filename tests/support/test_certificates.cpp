#include "support/test_certificates.h"

#include <cstdlib>
#include <fstream>
#include <iostream>

#include "support/process.h"

namespace rmtc::testing {

TestCertificates::TestCertificates(std::filesystem::path dir) : dir_(std::move(dir)) {}

void TestCertificates::Openssl(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"/usr/bin/openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto finished = Run(argv);
  if (finished.exit_code != 0) {
    std::cerr << "openssl " << args.front() << " failed: " << finished.err << "\n";
    std::abort();
  }
}

CertificateFiles TestCertificates::MakeCa(const std::string& name) {
  CertificateFiles ca{dir_ / (name + ".pem"), dir_ / (name + ".key")};
  Openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
           "-nodes", "-keyout", ca.key.string(), "-out", ca.cert.string(), "-days", "1",
           "-subj", "/CN=" + name, "-addext", "basicConstraints=critical,CA:TRUE",
           "-addext", "keyUsage=critical,keyCertSign,cRLSign"});
  return ca;
}

CertificateFiles TestCertificates::Issue(
    const CertificateFiles& ca, const std::string& common_name,
    const std::vector<std::string>& alternative_names) {
  const std::string stem = common_name + "-" + std::to_string(++serial_);
  CertificateFiles leaf{dir_ / (stem + ".pem"), dir_ / (stem + ".key")};
  const auto request = dir_ / (stem + ".csr");
  const auto extensions = dir_ / (stem + ".ext");
  {
    std::ofstream ext(extensions);
    ext << "basicConstraints=CA:FALSE\n"
           "keyUsage=critical,digitalSignature,keyEncipherment\n"
           "extendedKeyUsage=serverAuth,clientAuth\n";
    for (std::size_t i = 0; i < alternative_names.size(); ++i) {
      ext << (i == 0 ? "subjectAltName=" : ",") << alternative_names[i];
    }
    ext << "\n";
  }
  Openssl({"req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
           "-nodes", "-keyout", leaf.key.string(), "-out", request.string(), "-subj",
           "/CN=" + common_name});
  Openssl({"x509", "-req", "-in", request.string(), "-CA", ca.cert.string(), "-CAkey",
           ca.key.string(), "-set_serial", std::to_string(1000 + serial_), "-days", "1",
           "-extfile", extensions.string(), "-out", leaf.cert.string()});
  return leaf;
}

}  // namespace rmtc::testing
