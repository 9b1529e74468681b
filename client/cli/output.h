// How rmtc shows records: JSON documents for machines, text for people,
// and a trace as an indented tree or Graphviz dot.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "rmtc/types.h"

namespace rmtc::cli {

// {"id", "kind", "name", "version", "uri", "sha256", "facility",
//  "created_at" (RFC 3339, UTC), "created_by", "attributes" (object),
//  "external_ids": [{"system", "id"}]}
nlohmann::json ToJson(const Artefact& artefact);

// ToJson plus "existed".
nlohmann::json ToJson(const Registered& registered);

// {"root", "direction", "nodes": [{"id", "kind", "name", "version", "depth", ...}],
//  "edges": [{"from" (derived), "to" (source), "relation"}], "partial"}
nlohmann::json TraceToJson(const std::string& root, Direction direction,
                           const TraceResult& trace);

// "2026-11-26T07:00:00.123456Z"
std::string FormatTime(Time time);
inline std::string FormatTime(std::chrono::system_clock::time_point time) {  // now()
  return FormatTime(std::chrono::time_point_cast<std::chrono::microseconds>(time));
}

// One line: id, kind, name and version, for lists.
void PrintLine(std::ostream& out, const Artefact& artefact, bool existed = false);

// Every field, one per line, for `rmtc show`.
void PrintDetails(std::ostream& out, const Artefact& artefact);

// "1 asset", "2 assets"; `plural` defaults to `singular` + "s".
std::string Count(std::int64_t n, std::string_view singular,
                  std::string_view plural = "");
// "1 dataset", "3 inferences", "1 set of weights".
std::string Count(std::int64_t n, Kind kind);

// The trace as an indented tree from the root: each node under the one it
// was reached from, with the relation between them. Upstream a line reads
// "RELATION: source" (the parent RELATION the source: "output_of: inference");
// downstream "<- RELATION: derived" (the derived RELATION the parent:
// "<- contains: dataset" under an asset the dataset contains). A node
// reached again is printed once more, marked, without its subtree.
void PrintTree(std::ostream& out, const std::string& root, Direction direction,
               const TraceResult& trace);

// The trace as a Graphviz digraph; edges point from derived to source.
void PrintDot(std::ostream& out, const TraceResult& trace);

}  // namespace rmtc::cli
