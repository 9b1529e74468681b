// The lineage domain: checks every write against the graph rules, plans it,
// and answers reads. No SQL and no gRPC here; the store comes in through the
// constructor, so unit tests drive this class with a fake.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lineage/licensing.h"
#include "lineage/page_budget.h"
#include "lineage/page_token.h"
#include "records/artefact.h"
#include "records/queries.h"
#include "store/lineage_store.h"

namespace rmtc::lineage {

inline constexpr std::size_t kMaxBatchItems = 10'000;
inline constexpr int kMaxTraceDepth = 100'000;
inline constexpr int kMaxTraceNodes = 100'000;
inline constexpr int kDefaultTraceNodes = 1'000;
inline constexpr int kMaxListPageSize = 1'000;
inline constexpr int kDefaultListPageSize = 100;

// What every write carries besides its artefacts.
struct WriteContext {
  std::string request_id;      // optional: makes the write safe to repeat
  std::string request_digest;  // fingerprint of the request without its id
  std::string created_by;
};

struct RegisterCommand {
  WriteContext context;
  std::vector<records::NewArtefact> artefacts;
};

struct TrainingRunCommand {
  WriteContext context;
  std::optional<Guardrail> check;  // a use check before anything is written
  records::NewArtefact run;
  std::vector<std::string> trained_on;    // dataset ids
  std::vector<std::string> evaluated_on;  // dataset ids
  std::vector<std::string> base;          // weights or model ids
  std::vector<records::NewArtefact> weights;
};

struct InferenceCommand {
  WriteContext context;
  std::optional<Guardrail> check;
  records::NewArtefact inference;
  std::vector<std::string> uses;    // weights ids
  std::vector<std::string> inputs;  // asset or dataset ids
  std::vector<records::NewArtefact> outputs;
};

struct ListRequest {
  std::optional<records::Kind> kind;
  std::string name_contains;
  std::string facility;
  std::optional<records::Timestamp> created_after;
  std::optional<records::Timestamp> created_before;
  int page_size = 0;  // 0: the default
  std::string page_token;
};

struct ArtefactPage {
  std::vector<records::Artefact> artefacts;
  std::string next_page_token;  // empty on the last page
};

struct TraceRequest {
  std::string id;
  records::Direction direction = records::Direction::kUpstream;
  int max_depth = 0;  // 0: no limit
  std::vector<records::Relation> relations;
  int max_nodes = 0;  // 0: the default
  std::string page_token;
};

// A run or inference as recorded, with the verdict of its guardrail check.
struct RecordResult : records::WriteResult {
  std::optional<CheckAnswer> check;
};

class ProvenanceGraph {
 public:
  // `licensing` answers guardrail checks; without it, a record that asks
  // for one is FAILED_PRECONDITION. `seal` signs page tokens (default: a
  // key of this process). `page_bytes` bounds every page on the wire
  // (lineage/page_budget.h), at least kMinPageBytes.
  explicit ProvenanceGraph(store::LineageStore& store, Licensing* licensing = nullptr,
                           PageTokenSeal seal = {},
                           std::size_t page_bytes = kDefaultPageBytes)
      : store_(store),
        licensing_(licensing),
        seal_(std::move(seal)),
        page_bytes_(std::max(page_bytes, kMinPageBytes)) {}

  // Registers artefacts and their source edges, atomically.
  // INVALID_ARGUMENT for a bad field (the message starts with its path, e.g.
  // "artefacts[3].sha256"), an empty batch or one over kMaxBatchItems;
  // NOT_FOUND for a source id that does not exist; FAILED_PRECONDITION for a
  // relation the two kinds do not allow; ALREADY_EXISTS for an external id
  // that names another artefact, or a request id reused for another request.
  absl::StatusOr<records::WriteResult> Register(const RegisterCommand& command);

  // Records a run, its trained_on / evaluated_on / base edges and the
  // weights it produced, atomically. The result lists the run, then each
  // weights item. Errors as Register; at least one trained_on and one
  // weights item are required. With a guardrail, the use check runs on the
  // run before anything is written; when it is enforced and DENIED, the
  // answer is FAILED_PRECONDITION with its reasons and nothing is written.
  absl::StatusOr<RecordResult> RecordTrainingRun(const TrainingRunCommand& command);

  // Records an inference, its uses / input edges and its outputs,
  // atomically. The result lists the inference, then each output. Errors as
  // Register; at least one `uses` is required. Guardrails as for runs.
  absl::StatusOr<RecordResult> RecordInference(const InferenceCommand& command);

  // NOT_FOUND if `id` is unknown.
  absl::StatusOr<records::Artefact> Get(std::string_view id);

  // Every artefact with this digest (of `kind`, if given).
  absl::StatusOr<std::vector<records::Artefact>> FindBySha256(
      std::string_view sha256, std::optional<records::Kind> kind);

  // The artefact named by this external id: none or one.
  absl::StatusOr<std::vector<records::Artefact>> FindByExternalId(
      const records::ExternalId& external_id);

  // One page of artefacts, oldest first: at most `page_size` and at most
  // the page budget in bytes (at least one). INVALID_ARGUMENT for a page
  // size out of range, a token this service did not issue, or an empty time
  // range.
  absl::StatusOr<ArtefactPage> List(const ListRequest& request);

  // One page of the subgraph upstream or downstream of `request.id`, nearest
  // first; the root (depth 0) opens the first page. At most `max_nodes`
  // nodes and at most the page budget in bytes, nodes and their edges
  // together (at least one node). `partial` is set, with a token to
  // continue, when more nodes follow. NOT_FOUND if the id is
  // unknown; INVALID_ARGUMENT for depth or node limits out of range or a
  // token from another trace.
  absl::StatusOr<records::TraceResult> Trace(const TraceRequest& request);

 private:
  // Writes a planned run or inference batch, after its guardrail check.
  absl::StatusOr<RecordResult> Record(const records::WriteBatch& batch,
                                      const std::optional<Guardrail>& guardrail);

  store::LineageStore& store_;
  Licensing* licensing_;
  PageTokenSeal seal_;
  std::size_t page_bytes_;
};

}  // namespace rmtc::lineage
