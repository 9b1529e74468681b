#include "studio_graph.h"

#include <algorithm>
#include <map>
#include <random>

namespace rmtc::bench {
namespace {

constexpr const char* kDatasetLicences[] = {
    "CC-BY-4.0",    "CC-BY-4.0",          "CC0-1.0", "LicenseRef-RMTC-Studio-Internal",
    "CC-BY-NC-4.0", "CDLA-Permissive-2.0"};
constexpr const char* kFoundationLicences[] = {
    "LicenseRef-CreativeML-OpenRAIL-M", "LicenseRef-Llama-3-Community", "Apache-2.0",
    "MIT", "LicenseRef-BigScience-OpenRAIL-M"};

std::string Digest(std::mt19937_64& random) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(64, '0');
  for (char& c : hex) c = kHex[random() & 15];
  return hex;
}

class Builder {
 public:
  Builder(std::uint64_t seed, std::string prefix)
      : random_(seed), prefix_(std::move(prefix)) {}

  std::int64_t Add(Kind kind, const std::string& name, std::string licence = "",
                   std::vector<std::pair<Relation, std::int64_t>> sources = {}) {
    Item item{kind, prefix_ + name, "", std::move(licence), std::move(sources)};
    if (kind == Kind::kAsset || kind == Kind::kWeights) item.sha256 = Digest(random_);
    graph_.edges += static_cast<std::int64_t>(item.sources.size());
    graph_.items.push_back(std::move(item));
    return static_cast<std::int64_t>(graph_.items.size()) - 1;
  }

  // A dataset of `size` new assets, each under the dataset's licence.
  std::int64_t Dataset(const std::string& name, int size) {
    const std::string licence = Pick(kDatasetLicences);
    std::vector<std::pair<Relation, std::int64_t>> members;
    for (int i = 0; i < size; ++i) {
      members.emplace_back(
          Relation::kContains,
          Add(Kind::kAsset, name + "/asset-" + std::to_string(i), licence));
    }
    const std::int64_t id = Add(Kind::kDataset, name, licence, std::move(members));
    assets_of_[id] = {graph_.items[id].sources.front().second,
                      graph_.items[id].sources.back().second};
    return id;
  }

  template <std::size_t N>
  const char* Pick(const char* const (&options)[N]) {
    return options[random_() % N];
  }
  std::int64_t Uniform(std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(random_);
  }
  std::int64_t RandomAsset(std::int64_t dataset) {
    const auto [first, last] = assets_of_.at(dataset);
    return Uniform(first, last);
  }

  StudioGraph graph_;
  std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> assets_of_;

 private:
  std::mt19937_64 random_;
  std::string prefix_;
};

}  // namespace

StudioGraph GenerateStudioGraph(std::int64_t nodes, std::uint64_t seed,
                                const std::string& prefix) {
  Builder b(seed, prefix);
  // A few core datasets (the plate libraries everything learns from).
  const int core_size = static_cast<int>(std::clamp<std::int64_t>(nodes / 100, 10, 1000));
  for (int i = 0; i < 3; ++i) {
    b.graph_.core_datasets.push_back(b.Dataset("core-" + std::to_string(i), core_size));
  }
  // Ingested foundation models.
  std::vector<std::int64_t> foundations;
  for (int i = 0; i < 5; ++i) {
    foundations.push_back(
        b.Add(Kind::kWeights, "foundation-" + std::to_string(i), kFoundationLicences[i]));
  }
  // Small fine-tune datasets: about 40% of the graph.
  std::vector<std::int64_t> small_sets;
  int set_number = 0;
  while (static_cast<std::int64_t>(b.graph_.items.size()) < nodes * 45 / 100) {
    small_sets.push_back(
        b.Dataset("set-" + std::to_string(set_number++), b.Uniform(10, 30)));
  }
  // Fine-tuning chains up to 50 deep: about 10% of the graph. The first
  // step learns from a core dataset, every step from a small set.
  std::vector<std::int64_t> tuned;
  int chain = 0;
  while (static_cast<std::int64_t>(b.graph_.items.size()) < nodes * 55 / 100) {
    std::int64_t weights = foundations[chain % foundations.size()];
    const std::int64_t length = b.Uniform(1, 50);
    for (std::int64_t step = 0; step < length; ++step) {
      const std::string name =
          "chain-" + std::to_string(chain) + "/step-" + std::to_string(step);
      std::vector<std::pair<Relation, std::int64_t>> sources = {
          {Relation::kTrainedOn, small_sets[b.Uniform(0, small_sets.size() - 1)]},
          {Relation::kBase, weights}};
      if (step == 0) {
        sources.emplace_back(Relation::kTrainedOn, b.graph_.core_datasets[chain % 3]);
      }
      const std::int64_t run = b.Add(Kind::kRun, name + "/run", "", std::move(sources));
      weights =
          b.Add(Kind::kWeights, name + "/weights", "", {{Relation::kProducedBy, run}});
      tuned.push_back(weights);
    }
    ++chain;
  }
  // Inferences with their outputs: the rest.
  int inference_number = 0;
  while (static_cast<std::int64_t>(b.graph_.items.size()) < nodes) {
    const std::string name = "inference-" + std::to_string(inference_number++);
    std::vector<std::pair<Relation, std::int64_t>> sources = {
        {Relation::kUses, tuned[b.Uniform(0, tuned.size() - 1)]}};
    const std::int64_t inputs = b.Uniform(0, 2);
    for (std::int64_t i = 0; i < inputs; ++i) {
      sources.emplace_back(
          Relation::kInput,
          b.RandomAsset(small_sets[b.Uniform(0, small_sets.size() - 1)]));
    }
    const std::int64_t inference = b.Add(Kind::kInference, name, "", std::move(sources));
    b.graph_.inferences.push_back(inference);
    const std::int64_t outputs = b.Uniform(1, 3);
    for (std::int64_t o = 0; o < outputs; ++o) {
      b.graph_.outputs.push_back(b.Add(Kind::kAsset, name + "/out-" + std::to_string(o),
                                       "", {{Relation::kOutputOf, inference}}));
    }
  }
  return std::move(b.graph_);
}

}  // namespace rmtc::bench
