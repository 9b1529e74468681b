// Training runs and inferences as the client records them, with an
// optional use check before anything is written.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "rmtc/licensing.h"
#include "rmtc/types.h"

namespace rmtc {

// A use check asked for before a run or inference is recorded. With
// enforcement (here, or rmtcd --enforce-checks) a DENIED verdict refuses the
// record (FAILED_PRECONDITION, reasons in the message); otherwise the
// record is written and the verdict comes back with it.
struct Guardrail {
  IntendedUse use = IntendedUse::kInternalResearch;
  bool enforce = false;  // refuse the record if the verdict is DENIED
  std::optional<Policy> policy{};
};

struct TrainingRun {
  NewArtefact run{};
  std::vector<std::string> trained_on{};    // dataset ids; at least one
  std::vector<std::string> evaluated_on{};  // dataset ids
  std::vector<std::string> base{};          // weights or model ids
  std::vector<NewArtefact> weights{};       // at least one
  std::optional<Guardrail> check{};
};

struct RecordedRun {
  Registered run{};
  std::vector<Registered> weights{};
  std::optional<UseCheck> check{};  // when one was asked for
};

struct Inference {
  NewArtefact inference{};
  std::vector<std::string> uses{};     // weights ids; at least one
  std::vector<std::string> inputs{};   // asset or dataset ids
  std::vector<NewArtefact> outputs{};  // assets (default) or datasets
  std::optional<Guardrail> check{};
};

struct RecordedInference {
  Registered inference{};
  std::vector<Registered> outputs{};
  std::optional<UseCheck> check{};  // when one was asked for
};

}  // namespace rmtc
