// The term model of licensing evaluation: what a licence or consent says at
// an artefact (a TermCore, interned once per evaluation) and how it got
// there (a Term: flags and the path back to its origin). Internal to the
// lineage layer: propagation.h moves terms along edges, terms_in_force.h
// reads them off one artefact, licensing_evaluator.h turns them into
// chains and verdicts.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "lineage/spdx.h"
#include "records/artefact.h"
#include "records/licensing.h"

namespace rmtc::lineage {

enum class TermKind {
  kFieldOfUse,
  kAttribution,
  kShareAlike,
  kNotice,
  kIncludeLicenceText,
  kNamingPrefix,
  kNoDerivatives,
  kUseRestriction,
  kNoTrainingOnOutputs,
  kPurposeLimit,
  kLicensee,      // whom the licence was granted to (rmtcd --studio)
  kJurisdiction,  // where it applies (CheckUse's jurisdiction)
  kTraining,      // the licence's training permission, checked at trained_on
  kConsent,       // a party's statement on one key, checked at gates
  kChoice,        // an OR not elected: informational
  kFinding,       // a fact that decides a verdict by itself
};
inline constexpr int kTermKindCount = 16;

// "field-of-use", "attribution", ...: the names chains and docs use.
std::string_view TermKindName(TermKind kind);

// A path from an artefact to the origin of a term, shared between the
// terms carried through it: carrying a term one edge further adds one link
// instead of copying the whole path (chains are 50+ deep).
//
// A term that reaches an artefact by several ways (two datasets under the
// same licence, say) is one term there, but every way is kept: `next` is
// the shortest, `others` the rest, so the links form a DAG whose ends are
// every source of the term (docs/licensing.md §6: every source is named).
// Keeping them costs one pointer per way, as the carried copies did before.
struct PathLink {
  records::Uuid id;
  std::shared_ptr<const PathLink> next;  // null: the term originates at `id`
  int length;                            // of the shortest way
  std::vector<std::shared_ptr<const PathLink>> others;  // links at sources
};
using Path = std::shared_ptr<const PathLink>;

Path PathOf(const records::Uuid& at);
Path Prepend(const records::Uuid& at, const Path& rest);
// One link for the ways (links at the same artefact) one term came by: the
// shortest stays the path; the others' continuations are kept beside it.
Path MergeWays(const std::vector<Path>& ways);
inline int Length(const Path& path) { return path ? path->length : 0; }
std::vector<records::Uuid> ToVector(const Path& path);  // the artefact first

// Every distinct source a term's ways end at, with a path to each: a tree
// rooted at the artefact the path starts from (breadth first, so each
// source's path is a shortest one). Linear in the links reachable.
records::SourceTree SourcesOf(const Path& path);

// What a term says, apart from how it travelled.
struct TermCore {
  TermKind kind;
  std::string value;              // see ChainTerm::value
  std::vector<std::string> list;  // purpose limit, jurisdictions
  records::FieldOfUse field = records::FieldOfUse::kUnknown;
  records::TrainingPermission training = records::TrainingPermission::kUnknown;
  records::ConsentKey consent_key = records::ConsentKey::kAiTraining;
  records::ConsentValue consent_value = records::ConsentValue::kAllowed;
  // A refusal: refused without a break since then (the consent gate asks
  // whether a work was made before it).
  records::Timestamp refused_since{};
  records::Verdict effect = records::Verdict::kAllowed;  // findings
  std::string rule;                                      // findings
  std::string message;
  std::string licence_id;
  std::string party;

  bool operator==(const TermCore&) const = default;  // the same statement
  struct Hash {
    std::size_t operator()(const TermCore& core) const;
  };
};

// Interned cores for one evaluation, so that carrying a term along an edge
// copies two pointers and some flags, not its strings (a 50-deep chain
// carries hundreds of terms). Also keeps each attachment's licence
// expression parsed once: every artefact of a dataset usually has the same.
class TermCores {
 public:
  const TermCore* Intern(TermCore core);
  // `expression` parsed against `graph`'s licences, once per evaluation.
  const absl::StatusOr<LicenceExpression>& Parsed(const std::string& expression,
                                                  const records::RightsGraph& graph);

 private:
  // Bucketed by hash and compared whole: building a string key for every
  // term at every artefact cost more than carrying the terms.
  std::unordered_map<std::size_t, std::vector<std::unique_ptr<const TermCore>>> cores_;
  std::unordered_map<std::string, absl::StatusOr<LicenceExpression>> expressions_;
};

struct Term {
  const TermCore* core = nullptr;
  bool risk = false;
  const char* risk_via = "";  // "training", "a model's use"
  bool open = false;
  bool via_outputs = false;  // reached through `uses`: the artefact is an output
  bool adapted = false;      // crossed a relation that adapts its source
  // Reached through evaluated_on: it judges the run that evaluated, and
  // goes no further (evaluation puts nothing into the weights).
  bool evaluation = false;
  Path path;  // from the artefact holding the term to its origin

  // Terms equal but for their path are one term; the shortest path stays.
  struct Identity {
    const TermCore* core;
    const char* risk_via;
    int flags;
    bool operator==(const Identity&) const = default;
  };
  struct IdentityHash {
    std::size_t operator()(const Identity& id) const;
  };
  Identity Id() const;
};

// A constrained consent is a refusal until a studio rule says otherwise.
inline bool ConsentRefuses(records::ConsentValue v) {
  return v == records::ConsentValue::kNotAllowed ||
         v == records::ConsentValue::kConstrained;
}

// A finding (a fact that decides a verdict by itself) at `at`.
Term Finding(TermCores& cores, records::Verdict effect, std::string rule,
             std::string message, const records::Uuid& at);

}  // namespace rmtc::lineage
