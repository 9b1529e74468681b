// rmtc::Client: register artefacts of AI work, record training runs and
// inferences, and trace lineage, against an rmtcd server.
//
//   #include <rmtc/client.h>
//   auto client = rmtc::Client::Connect({.address = "127.0.0.1:50051"});
//   if (!client) { std::cerr << client.error().message; return 1; }
//   auto trace = client->Trace(frame_id);
//
// Every call returns a Result: the value, or an Error with the gRPC code
// rmtcd answered and its message. Calls never throw. A Client is cheap to
// copy and safe to share between threads (copies share one connection).
// A value a newer rmtcd sends that this library has no name for reads as
// the enum's kUnknown (named "unknown"), never an error.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rmtc/access.h"
#include "rmtc/audit.h"
#include "rmtc/export.h"
#include "rmtc/licensing.h"
#include "rmtc/recording.h"
#include "rmtc/result.h"
#include "rmtc/types.h"

namespace rmtc {

struct ClientOptions {
  // HOST:PORT, [IPv6]:PORT, unix:PATH, unix-abstract:NAME, or a gRPC
  // dns:, ipv4: or ipv6: target; a port is always required (1..65535).
  std::string address = "127.0.0.1:50051";
  // How long one call may take, its retries and their waits included; and
  // how long Connect waits for a connection that is being made.
  std::chrono::milliseconds timeout = std::chrono::seconds(30);
  // UNAVAILABLE (rmtcd restarting, its database down) is retried this many
  // times in all, with exponential backoff from `initial_backoff`, within
  // `timeout`. Writes keep their request id, so a retry never writes twice
  // (licensing writes too; AddLicence is the same again when repeated). No
  // other code is retried.
  // RESOURCE_EXHAUSTED (every database connection of rmtcd stayed busy, or
  // this token already has --max-calls-per-principal calls in rmtcd;
  // nothing was done) comes back at once: rmtcd already waited for a
  // connection, and more attempts would add to its load; try again later or
  // ask for a larger --database-pool.
  int max_attempts = 5;
  std::chrono::milliseconds initial_backoff = std::chrono::milliseconds(200);
  // Recorded as created_by on what this client writes ("" : $USER).
  std::string created_by{};
  // An access token ("rmtc_..."), sent on every call as
  // "authorization: Bearer ...". Required by an rmtcd that runs with
  // --auth required. Empty: the RMTC_TOKEN environment variable, if set
  // (a render farm's job environment carries it). Never logged or put in an
  // error message by this library.
  std::string token{};
  // TLS (docs/operations.md "TLS"): paths of PEM files, read by Connect.
  // With `tls_ca_file` the connection is TLS and rmtcd's certificate must
  // be signed by a CA in that file; without it, plaintext. `tls_cert_file`
  // and `tls_key_file` (both or neither, only with `tls_ca_file`) are this
  // client's certificate, for an rmtcd started with --tls-client-ca.
  // `tls_server_name`: the name rmtcd's certificate must hold when it is
  // not the host in `address` (a certificate for rmtc.studio, dialled by IP).
  std::string tls_ca_file{};
  std::string tls_cert_file{};
  std::string tls_key_file{};
  std::string tls_server_name{};
};

class RMTC_EXPORT Client {
 public:
  // Opens a channel to rmtcd and waits up to `options.timeout` for it to
  // connect. INVALID_ARGUMENT at once for an address that is not one of the
  // forms above ("address: ..."), or a TLS file that cannot be read or is
  // not PEM ("tls_ca_file: ..."); UNAVAILABLE as soon as the connection is
  // refused (nothing listens there), or when the timeout passes first.
  // A failed TLS handshake is UNAVAILABLE with a message that starts "TLS
  // handshake with rmtcd at ... failed" and says what is the likely cause
  // (rmtcd's certificate not from `tls_ca_file`, no client certificate
  // where rmtcd requires one, a plaintext rmtcd); calls answer the same.
  static Result<Client> Connect(const ClientOptions& options);

  // Registers up to 10,000 artefacts and their source edges, atomically:
  // all are stored or none. Answers in request order.
  // INVALID_ARGUMENT (a bad field, named with its index: "artefacts[3].name"),
  // NOT_FOUND (a source id), FAILED_PRECONDITION (a relation the kinds do
  // not allow), ALREADY_EXISTS (an external id that names another artefact,
  // a request id reused for a different request, or an item key already
  // bound to other content: "artefacts[3].item_key").
  Result<std::vector<Registered>> Register(const std::vector<NewArtefact>& artefacts,
                                           const WriteOptions& options = {}) const;

  // Records a run, its data, base and the weights it produced, atomically.
  Result<RecordedRun> RecordTrainingRun(const TrainingRun& run,
                                        const WriteOptions& options = {}) const;

  // Records an inference, the weights it used, its inputs and outputs.
  Result<RecordedInference> RecordInference(const Inference& inference,
                                            const WriteOptions& options = {}) const;

  // NOT_FOUND if `id` is unknown; INVALID_ARGUMENT if it is not a UUID.
  Result<Artefact> Get(const std::string& id) const;

  // Every artefact with this content digest, of `kind` if given.
  Result<std::vector<Artefact>> FindBySha256(
      const std::string& sha256, std::optional<Kind> kind = std::nullopt) const;

  // The artefact an external id names: none or one.
  Result<std::vector<Artefact>> FindByExternalId(const ExternalId& external_id) const;

  // One page of artefacts, oldest first.
  Result<ArtefactPage> List(const ListOptions& options = {}) const;

  // One page of what `id` is built from (upstream) or what is built from it
  // (downstream). NOT_FOUND if `id` is unknown.
  Result<TraceResult> Trace(const std::string& id,
                            const TraceOptions& options = {}) const;

  // OK if rmtcd reports itself serving (it is up and reaches its database).
  Result<bool> Healthy() const;

  // ---- Licensing (docs/licensing.md) ----

  // Adds a licence to the registry; repeating it with the same content
  // returns the stored one. ALREADY_EXISTS if the id has other terms.
  Result<Licence> AddLicence(const Licence& licence) const;
  // NOT_FOUND if unknown, with the closest licence ids suggested.
  Result<Licence> GetLicence(const std::string& id) const;
  Result<LicencePage> ListLicences(int page_size = 0,
                                   const std::string& page_token = "") const;
  // RevokeLicence, AttachLicence, ElectLicence and SetConsent take
  // WriteOptions as the lineage writes do: the same request id returns the
  // first answer (the same record and times) and appends nothing; reused for
  // a different request, ALREADY_EXISTS ("request_id: ...").

  // From `at` (default now) on, the licence grants nothing.
  Result<Licence> RevokeLicence(const std::string& id, std::optional<Time> at = {},
                                const WriteOptions& options = {}) const;

  // Puts an SPDX expression in force on the artefact ("MIT OR CC-BY-4.0").
  // INVALID_ARGUMENT with the position of a syntax error or unknown id.
  // `from`: in force from then (an agreement recorded late); default now.
  Result<LicenceAttachment> AttachLicence(const std::string& artefact_id,
                                          const std::string& expression,
                                          const std::string& attribution = "",
                                          std::optional<Time> from = {},
                                          const WriteOptions& options = {}) const;
  Result<std::vector<LicenceAttachment>> ListAttachments(
      const std::string& artefact_id) const;
  // Chooses among the alternatives of an OR. FAILED_PRECONDITION if there
  // is no choice or the id is not an alternative.
  Result<LicenceElection> ElectLicence(const std::string& artefact_id,
                                       const std::string& licence_id,
                                       const WriteOptions& options = {}) const;
  Result<ConsentRecord> SetConsent(const std::string& artefact_id, const Consent& consent,
                                   const WriteOptions& options = {}) const;
  Result<std::vector<ConsentRecord>> ConsentHistory(const std::string& artefact_id) const;

  // Every term in force on the artefact, with the path that imposes it.
  Result<LicensingChain> Chain(const std::string& artefact_id,
                               std::optional<Time> as_of = {}) const;
  // ALLOWED, REVIEW or DENIED for `use`, with every reason. `jurisdiction`:
  // where the use happens, an ISO 3166 alpha-2 code ("NZ"; INVALID_ARGUMENT
  // otherwise), checked against licences limited to territories; "" does
  // not. NOT_FOUND also for an artefact recorded after `as_of`.
  Result<UseCheck> CheckUse(const std::string& artefact_id, IntendedUse use,
                            std::optional<Time> as_of = {},
                            std::optional<Policy> policy = {},
                            const std::string& jurisdiction = "") const;
  // Everything downstream whose verdict depends on the target. NOT_FOUND
  // for a licence not in the registry or a party no consent names, the
  // closest known names suggested ("did you mean 'Ngaio Artist'?").
  Result<ImpactPage> Impact(const ImpactTarget& target, int page_size = 0,
                            const std::string& page_token = "") const;

  // Records a clearance (docs/licensing.md §12); its id comes back.
  // INVALID_ARGUMENT naming the field ("clearance.rules[1]: ..."),
  // NOT_FOUND for an unknown artefact or licence, FAILED_PRECONDITION when
  // downstream_id is not built from artefact_id. Retried under one request
  // id (yours in `write`, or one per call), so a retry records nothing twice.
  Result<Clearance> AddClearance(const Clearance& clearance,
                                 const WriteOptions& write = {}) const;
  // NOT_FOUND if unknown.
  Result<Clearance> GetClearance(const std::string& id) const;
  Result<ClearancePage> ListClearances(const ClearanceFilter& filter = {},
                                       int page_size = 0,
                                       const std::string& page_token = "") const;
  // From `at` (default now) on, the clearance lifts nothing. Repeatable:
  // the earliest revocation counts.
  Result<Clearance> RevokeClearance(const std::string& id,
                                    std::optional<Time> at = {}) const;

  // Access tokens (the admin role). CreateToken's secret is in the answer
  // only: keep it, rmtcd stores its digest. ALREADY_EXISTS for a name
  // taken; RevokeToken: NOT_FOUND for an unknown name.
  Result<CreatedToken> CreateToken(const NewToken& token) const;
  Result<std::vector<AccessToken>> ListTokens() const;
  Result<AccessToken> RevokeToken(const std::string& name) const;
  // Who rmtcd takes this client for (any role).
  Result<Caller> WhoAmI() const;

  // The audit log (the admin role): one page of entries after `after_seq`
  // (page_size 0: 100, at most 1000); the chain's head; and a whole
  // verification, page by page (each page one call, under the timeout).
  Result<AuditPage> ListAuditEntries(const AuditFilter& filter = {},
                                     std::int64_t after_seq = 0, int page_size = 0) const;
  Result<AuditHead> GetAuditHead() const;
  Result<AuditVerification> VerifyAudit(const VerifyOptions& options = {}) const;

  const ClientOptions& options() const;

  // The connection and its stubs (opaque; defined inside the library).
  struct Impl;

 private:
  explicit Client(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

// The client library's version, "0.1.0".
RMTC_EXPORT const char* Version();

}  // namespace rmtc
