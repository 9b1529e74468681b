// A synthetic studio lineage graph, deterministic from a seed: datasets of
// assets (a few core datasets everything depends on, many small fine-tune
// sets), ingested foundation models, fine-tuning chains up to 50 deep, and
// inferences with their output assets. Items are in dependency order:
// every source index is smaller than the item's own.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "rmtc/types.h"

namespace rmtc::bench {

struct Item {
  Kind kind = Kind::kAsset;
  std::string name;
  std::string sha256;   // assets and weights have content digests
  std::string licence;  // an SPDX expression to attach, or ""
  std::vector<std::pair<Relation, std::int64_t>> sources;  // global indexes
};

struct StudioGraph {
  std::vector<Item> items;
  std::vector<std::int64_t> core_datasets;  // what (nearly) everything depends on
  std::vector<std::int64_t> inferences;
  std::vector<std::int64_t> outputs;
  std::int64_t edges = 0;
};

// About `nodes` items; names start with `prefix` so several graphs can
// share one database.
StudioGraph GenerateStudioGraph(std::int64_t nodes, std::uint64_t seed,
                                const std::string& prefix);

}  // namespace rmtc::bench
