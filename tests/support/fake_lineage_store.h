// A LineageStore in memory, for tests of the domain without a database
// (unit tests, the request fuzzer). It holds the artefacts it is told to,
// remembers every batch it was asked to write (so a refusal can prove it
// wrote nothing) and the last query of each read, and answers reads with
// what the test sets. It also keeps the edges it is told to, which only
// FakeRightsStore walks (Trace answers stay what the test sets).
// Header-only: the fuzz build links no test library.
#pragma once

#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "store/lineage_store.h"

namespace rmtc::testing {

class FakeLineageStore final : public store::LineageStore {
 public:
  // What the fake knows of an artefact it holds.
  struct Held {
    records::Kind kind = records::Kind::kDataset;
    std::string name;
    bool generative = false;          // the run attribute the licensing rules read
    records::Timestamp created_at{};  // when it was recorded (default: long ago)
  };

  // Holds a new artefact of `kind` and returns its id.
  records::Uuid Add(records::Kind kind, std::string name = "", bool generative = false) {
    const records::Uuid id = records::Uuid::NewV7();
    held_[id] = {kind, std::move(name), generative};
    return id;
  }
  void Hold(const records::Uuid& id, records::Kind kind) {
    held_[id] = {kind, "", false};
  }
  bool Holds(const records::Uuid& id) const { return held_.count(id) > 0; }
  void RecordedAt(const records::Uuid& id, records::Timestamp at) {
    held_.at(id).created_at = at;
  }
  // nullptr if not held.
  const Held* Find(const records::Uuid& id) const {
    const auto it = held_.find(id);
    return it == held_.end() ? nullptr : &it->second;
  }
  // An edge from `derived` to `source`, as a write would store it.
  void Link(const records::Uuid& derived, records::Relation relation,
            const records::Uuid& source) {
    edges.push_back({derived, source, relation});
  }

  absl::StatusOr<std::unordered_map<records::Uuid, records::Kind>> KindsOf(
      const std::vector<records::Uuid>& ids) override {
    std::unordered_map<records::Uuid, records::Kind> out;
    for (const auto& id : ids) {
      if (auto it = held_.find(id); it != held_.end()) out.emplace(id, it->second.kind);
    }
    return out;
  }

  // Every item is new: the answer echoes the batch.
  absl::StatusOr<records::WriteResult> Write(const records::WriteBatch& batch) override {
    writes.push_back(batch);
    records::WriteResult result;
    for (const auto& item : batch.items) {
      records::Artefact a;
      a.id = item.id;
      a.kind = item.kind;
      a.name = item.name;
      result.artefacts.push_back(a);
      result.existed.push_back(false);
    }
    return result;
  }

  absl::StatusOr<bool> RequestSeen(const std::string&) override { return false; }
  absl::StatusOr<std::optional<records::Artefact>> Get(const records::Uuid&) override {
    return std::nullopt;
  }
  absl::StatusOr<std::vector<records::Artefact>> FindBySha256(
      const std::string& sha256, std::optional<records::Kind>) override {
    last_sha256 = sha256;
    return std::vector<records::Artefact>{};
  }
  absl::StatusOr<std::vector<records::Artefact>> FindByExternalId(
      const records::ExternalId&) override {
    return std::vector<records::Artefact>{};
  }
  // `list_answer` as a table in (created_at, id) order: the rows after the
  // query's position, at most its limit.
  absl::StatusOr<std::vector<records::Artefact>> List(
      const records::ListQuery& query) override {
    last_list = query;
    ++list_reads;
    std::vector<records::Artefact> rows;
    for (const auto& a : list_answer) {
      if (query.after && std::tie(a.created_at, a.id) <=
                             std::tie(query.after->created_at, query.after->id)) {
        continue;
      }
      if (static_cast<int>(rows.size()) == query.limit) break;
      rows.push_back(a);
    }
    return rows;
  }
  absl::StatusOr<records::TraceResult> Trace(const records::TraceQuery& query) override {
    last_trace = query;
    return trace_answer;
  }

  std::vector<records::Edge> edges;  // derived -> source, as Link was told
  std::vector<records::WriteBatch> writes;
  std::string last_sha256;
  records::ListQuery last_list;
  std::vector<records::Artefact> list_answer;
  int list_reads = 0;
  records::TraceQuery last_trace;
  records::TraceResult trace_answer;

 private:
  std::unordered_map<records::Uuid, Held> held_;
};

}  // namespace rmtc::testing
