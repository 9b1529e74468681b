// The domain without a database: a fake store that remembers what it was
// asked to write, so every refusal can also prove it wrote nothing.
#include "lineage/provenance_graph.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "support/fake_lineage_store.h"

namespace rmtc::lineage {
namespace {

using records::Kind;
using records::Relation;
using records::Uuid;

using FakeStore = testing::FakeLineageStore;

records::NewArtefact Item(std::optional<Kind> kind, std::string name) {
  records::NewArtefact a;
  a.kind = kind;
  a.name = std::move(name);
  return a;
}

records::SourceRef FromId(Relation relation, const Uuid& id) {
  return {relation, id.ToString(), std::nullopt};
}

records::SourceRef FromIndex(Relation relation, std::int64_t index) {
  return {relation, "", index};
}

class ProvenanceGraphTest : public ::testing::Test {
 protected:
  // Expects `status` to be `code` with exactly `message`, and no write.
  void ExpectRefused(const absl::Status& status, absl::StatusCode code,
                     const std::string& message) {
    EXPECT_EQ(status.code(), code) << status;
    EXPECT_EQ(std::string(status.message()), message);
    EXPECT_TRUE(store_.writes.empty()) << "a refused request reached the store";
  }

  absl::Status Register(std::vector<records::NewArtefact> items) {
    return graph_.Register({{}, std::move(items)}).status();
  }

  FakeStore store_;
  ProvenanceGraph graph_{store_};
};

TEST_F(ProvenanceGraphTest, RegisterPlansIdsEdgesAndDefaults) {
  const Uuid dataset = store_.Add(Kind::kDataset);
  auto plate = Item(Kind::kAsset, "plate_0010.exr");
  plate.sha256 = std::string(64, 'A');
  auto subset = Item(Kind::kDataset, "plates-subset");
  subset.sources = {FromId(Relation::kDerivedFrom, dataset),
                    FromIndex(Relation::kContains, 0)};
  auto result = graph_.Register({{"req-1", "digest", "td@studio"}, {plate, subset}});
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(store_.writes.size(), 1u);
  const auto& batch = store_.writes[0];
  EXPECT_EQ(batch.request_id, "req-1");
  EXPECT_EQ(batch.method, "RegisterArtefacts");
  EXPECT_EQ(batch.created_by, "td@studio");
  ASSERT_EQ(batch.items.size(), 2u);
  EXPECT_EQ(batch.items[0].sha256, std::string(64, 'a'));
  EXPECT_EQ(batch.items[0].attributes, "{}");
  EXPECT_EQ(batch.items[0].label, "artefacts[0]");
  EXPECT_NE(batch.items[0].id, batch.items[1].id);
  ASSERT_EQ(batch.items[1].sources.size(), 2u);
  EXPECT_EQ(std::get<Uuid>(batch.items[1].sources[0].source), dataset);
  EXPECT_EQ(std::get<std::size_t>(batch.items[1].sources[1].source), 0u);
}

TEST_F(ProvenanceGraphTest, RefusesEmptyAndOversizedBatches) {
  ExpectRefused(Register({}), absl::StatusCode::kInvalidArgument,
                "artefacts: at least one is required");
  std::vector<records::NewArtefact> many(kMaxBatchItems + 1, Item(Kind::kAsset, "a"));
  ExpectRefused(Register(many), absl::StatusCode::kInvalidArgument,
                "artefacts: 10001 items is over the limit of 10000 per request");
}

TEST_F(ProvenanceGraphTest, RefusesBadFieldsNamingTheItem) {
  auto ok = Item(Kind::kAsset, "fine");
  ExpectRefused(Register({ok, Item(std::nullopt, "x")}),
                absl::StatusCode::kInvalidArgument,
                "artefacts[1].kind: is required (dataset, model, weights, run, "
                "inference or asset)");
  ExpectRefused(Register({ok, ok, Item(Kind::kAsset, "")}),
                absl::StatusCode::kInvalidArgument,
                "artefacts[2].name: is required and must not be empty");
  ExpectRefused(Register({Item(Kind::kAsset, std::string(513, 'n'))}),
                absl::StatusCode::kInvalidArgument,
                "artefacts[0].name: is 513 bytes; the limit is 512");
  ExpectRefused(Register({Item(Kind::kAsset, "caf\xE9")}),
                absl::StatusCode::kInvalidArgument,
                "artefacts[0].name: is not valid UTF-8");
  auto bad_sha = ok;
  bad_sha.sha256 = "abc";
  ExpectRefused(Register({ok, bad_sha}), absl::StatusCode::kInvalidArgument,
                "artefacts[1].sha256: 'abc' is not 64 hex digits (3 characters given)");
  auto bad_attributes = ok;
  bad_attributes.attributes = "[]";
  ExpectRefused(Register({bad_attributes}), absl::StatusCode::kInvalidArgument,
                "artefacts[0].attributes: must be a JSON object, not array");
  auto bad_ext = ok;
  bad_ext.external_ids = {{"shotgrid", ""}};
  ExpectRefused(Register({bad_ext}), absl::StatusCode::kInvalidArgument,
                "artefacts[0].external_ids[0].id: is required and must not be empty");
  auto bad_uri = ok;
  bad_uri.uri = std::string(2049, 'u');
  ExpectRefused(Register({bad_uri}), absl::StatusCode::kInvalidArgument,
                "artefacts[0].uri: is 2049 bytes; the limit is 2048");
  auto spaced_key = ok;
  spaced_key.item_key = "line 7";
  ExpectRefused(
      Register({ok, spaced_key}), absl::StatusCode::kInvalidArgument,
      "artefacts[1].item_key: holds byte 32 at offset 4; an item key is printable "
      "ASCII without spaces");
  auto long_key = ok;
  long_key.item_key = std::string(129, 'k');
  ExpectRefused(Register({long_key}), absl::StatusCode::kInvalidArgument,
                "artefacts[0].item_key: is 129 bytes; the limit is 128");
}

TEST_F(ProvenanceGraphTest, ItemKeyReachesTheStore) {
  auto keyed = Item(Kind::kAsset, "plate");
  keyed.item_key = "plates.jsonl:plate-10";
  ASSERT_TRUE(Register({Item(Kind::kAsset, "unkeyed"), keyed}).ok());
  ASSERT_EQ(store_.writes.size(), 1u);
  EXPECT_EQ(store_.writes[0].items[0].item_key, "");
  EXPECT_EQ(store_.writes[0].items[1].item_key, "plates.jsonl:plate-10");
}

TEST_F(ProvenanceGraphTest, RefusesBadSources) {
  const Uuid dataset = store_.Add(Kind::kDataset);
  auto no_relation = Item(Kind::kDataset, "d");
  no_relation.sources = {{std::nullopt, dataset.ToString(), std::nullopt}};
  ExpectRefused(Register({no_relation}), absl::StatusCode::kInvalidArgument,
                "artefacts[0].sources[0].relation: is required");

  auto bad_uuid = Item(Kind::kDataset, "d");
  bad_uuid.sources = {{Relation::kDerivedFrom, "not-a-uuid", std::nullopt}};
  ExpectRefused(Register({bad_uuid}), absl::StatusCode::kInvalidArgument,
                "artefacts[0].sources[0].id: 'not-a-uuid' is not a UUID "
                "(8-4-4-4-12 hex digits)");

  auto both = Item(Kind::kDataset, "d");
  both.sources = {{Relation::kDerivedFrom, dataset.ToString(), 0}};
  ExpectRefused(Register({Item(Kind::kDataset, "first"), both}),
                absl::StatusCode::kInvalidArgument,
                "artefacts[1].sources[0]: give either id or batch_index, not both");

  auto forward = Item(Kind::kDataset, "d");
  forward.sources = {FromIndex(Relation::kDerivedFrom, 1)};
  ExpectRefused(Register({Item(Kind::kDataset, "a"), forward}),
                absl::StatusCode::kInvalidArgument,
                "artefacts[1].sources[0].batch_index: 1 must point at an earlier "
                "item (0..0)");
  auto first = Item(Kind::kDataset, "d");
  first.sources = {FromIndex(Relation::kDerivedFrom, 0)};
  ExpectRefused(Register({first}), absl::StatusCode::kInvalidArgument,
                "artefacts[0].sources[0].batch_index: 0 must point at an earlier "
                "item, and this is the first");

  const Uuid missing = Uuid::NewV7();
  auto dangling = Item(Kind::kDataset, "d");
  dangling.sources = {FromId(Relation::kDerivedFrom, dataset),
                      FromId(Relation::kDerivedFrom, missing)};
  ExpectRefused(Register({dangling}), absl::StatusCode::kNotFound,
                "artefacts[0].sources[1].id: no artefact " + missing.ToString());

  auto wrong_kinds = Item(Kind::kAsset, "a");
  wrong_kinds.sources = {FromId(Relation::kTrainedOn, dataset)};
  ExpectRefused(Register({wrong_kinds}), absl::StatusCode::kFailedPrecondition,
                "artefacts[0].sources[0]: trained_on goes from a run to a dataset, "
                "not from an asset to a dataset");

  auto wrong_in_batch = Item(Kind::kWeights, "w");
  wrong_in_batch.sources = {FromIndex(Relation::kProducedBy, 0)};
  ExpectRefused(Register({Item(Kind::kDataset, "d"), wrong_in_batch}),
                absl::StatusCode::kFailedPrecondition,
                "artefacts[1].sources[0]: produced_by goes from weights to a run, "
                "not from weights to a dataset");
}

TEST_F(ProvenanceGraphTest, RefusesRepeatedExternalIdsAndBadContext) {
  auto a = Item(Kind::kAsset, "a");
  a.external_ids = {{"shotgrid", "1234"}};
  ExpectRefused(Register({a, Item(Kind::kAsset, "b"), a}),
                absl::StatusCode::kInvalidArgument,
                "artefacts[2].external_ids[0]: shotgrid:1234 is also given at "
                "artefacts[0].external_ids[0]");
  auto status = graph_.Register({{std::string(129, 'r'), "", ""}, {a}}).status();
  ExpectRefused(status, absl::StatusCode::kInvalidArgument,
                "request_id: is 129 bytes; the limit is 128");
}

TEST_F(ProvenanceGraphTest, RecordTrainingRunWiresTheRun) {
  const Uuid data = store_.Add(Kind::kDataset);
  const Uuid holdout = store_.Add(Kind::kDataset);
  const Uuid base = store_.Add(Kind::kWeights);
  TrainingRunCommand command{
      {},
      std::nullopt,
      Item(std::nullopt, "finetune-42"),
      {data.ToString()},
      {holdout.ToString()},
      {base.ToString()},
      {Item(std::nullopt, "ckpt-1000"), Item(Kind::kWeights, "ckpt-2000")}};
  auto result = graph_.RecordTrainingRun(command);
  ASSERT_TRUE(result.ok()) << result.status();
  const auto& items = store_.writes.at(0).items;
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].kind, Kind::kRun);
  EXPECT_EQ(items[0].label, "run");
  ASSERT_EQ(items[0].sources.size(), 3u);
  EXPECT_EQ(items[0].sources[0].relation, Relation::kTrainedOn);
  EXPECT_EQ(items[0].sources[1].relation, Relation::kEvaluatedOn);
  EXPECT_EQ(items[0].sources[2].relation, Relation::kBase);
  for (int w = 1; w <= 2; ++w) {
    EXPECT_EQ(items[w].kind, Kind::kWeights);
    ASSERT_EQ(items[w].sources.size(), 1u);
    EXPECT_EQ(items[w].sources[0].relation, Relation::kProducedBy);
    EXPECT_EQ(std::get<std::size_t>(items[w].sources[0].source), 0u);
  }
  EXPECT_EQ(store_.writes[0].method, "RecordTrainingRun");
}

TEST_F(ProvenanceGraphTest, RecordTrainingRunRefusals) {
  const Uuid data = store_.Add(Kind::kDataset);
  const Uuid asset = store_.Add(Kind::kAsset);
  auto run = [&](std::vector<std::string> trained_on,
                 std::vector<records::NewArtefact> weights,
                 std::optional<Kind> run_kind = std::nullopt) {
    return graph_
        .RecordTrainingRun({{},
                            std::nullopt,
                            Item(run_kind, "r"),
                            std::move(trained_on),
                            {},
                            {},
                            std::move(weights)})
        .status();
  };
  ExpectRefused(run({}, {Item(std::nullopt, "w")}), absl::StatusCode::kInvalidArgument,
                "trained_on: at least one is required");
  ExpectRefused(run({data.ToString()}, {}), absl::StatusCode::kInvalidArgument,
                "weights: at least one is required");
  ExpectRefused(run({data.ToString()}, {Item(std::nullopt, "w")}, Kind::kDataset),
                absl::StatusCode::kInvalidArgument, "run.kind: must be run, not dataset");
  ExpectRefused(run({data.ToString()}, {Item(Kind::kModel, "w")}),
                absl::StatusCode::kInvalidArgument,
                "weights[0].kind: must be weights, not model");
  ExpectRefused(run({data.ToString(), asset.ToString()}, {Item(std::nullopt, "w")}),
                absl::StatusCode::kFailedPrecondition,
                "trained_on[1]: trained_on goes from a run to a dataset, not from a "
                "run to an asset");
  const Uuid missing = Uuid::NewV7();
  ExpectRefused(run({missing.ToString()}, {Item(std::nullopt, "w")}),
                absl::StatusCode::kNotFound,
                "trained_on[0]: no artefact " + missing.ToString());
  ExpectRefused(run({"nope"}, {Item(std::nullopt, "w")}),
                absl::StatusCode::kInvalidArgument,
                "trained_on[0]: 'nope' is not a UUID (8-4-4-4-12 hex digits)");
}

TEST_F(ProvenanceGraphTest, RecordInferenceWiresInputsAndOutputs) {
  const Uuid weights = store_.Add(Kind::kWeights);
  const Uuid plate = store_.Add(Kind::kAsset);
  auto ok = graph_.RecordInference({{},
                                    std::nullopt,
                                    Item(std::nullopt, "nuke-session"),
                                    {weights.ToString()},
                                    {plate.ToString()},
                                    {Item(std::nullopt, "out.exr")}});
  ASSERT_TRUE(ok.ok()) << ok.status();
  const auto& items = store_.writes.at(0).items;
  EXPECT_EQ(items[0].kind, Kind::kInference);
  EXPECT_EQ(items[1].kind, Kind::kAsset);
  EXPECT_EQ(items[1].sources[0].relation, Relation::kOutputOf);
  store_.writes.clear();

  ExpectRefused(
      graph_.RecordInference({{}, std::nullopt, Item(std::nullopt, "i"), {}, {}, {}})
          .status(),
      absl::StatusCode::kInvalidArgument, "uses: at least one is required");
  ExpectRefused(
      graph_
          .RecordInference(
              {{}, std::nullopt, Item(std::nullopt, "i"), {plate.ToString()}, {}, {}})
          .status(),
      absl::StatusCode::kFailedPrecondition,
      "uses[0]: uses goes from an inference to weights, not from an "
      "inference to an asset");
  ExpectRefused(graph_
                    .RecordInference({{},
                                      std::nullopt,
                                      Item(std::nullopt, "i"),
                                      {weights.ToString()},
                                      {},
                                      {Item(Kind::kWeights, "o")}})
                    .status(),
                absl::StatusCode::kInvalidArgument,
                "outputs[0].kind: must be asset or dataset, not weights");
}

TEST_F(ProvenanceGraphTest, TraceChecksLimitsAndPagesByToken) {
  const Uuid root = Uuid::NewV7();
  auto trace = [&](int depth, int nodes, std::string token = "") {
    return graph_.Trace({root.ToString(),
                         records::Direction::kUpstream,
                         depth,
                         {},
                         nodes,
                         std::move(token)});
  };
  ExpectRefused(trace(-1, 0).status(), absl::StatusCode::kInvalidArgument,
                "max_depth: -1 is out of range (1..100000, or 0 for no limit)");
  ExpectRefused(trace(0, 100001).status(), absl::StatusCode::kInvalidArgument,
                "max_nodes: 100001 is out of range (1..100000, or 0 for 1000)");
  ExpectRefused(trace(0, 0, "garbage").status(), absl::StatusCode::kInvalidArgument,
                "page_token: is not a token from this trace");
  ExpectRefused(trace(0, 0).status(), absl::StatusCode::kNotFound,
                "id: no artefact " + root.ToString());
  EXPECT_EQ(store_.last_trace.max_depth, kMaxTraceDepth);
  EXPECT_EQ(store_.last_trace.limit, kDefaultTraceNodes + 1);

  // Three nodes come back for a page of two: the third is cut, with its edge.
  records::TraceResult answer;
  const Uuid a = Uuid::NewV7(), b = Uuid::NewV7();
  answer.nodes = {{records::Artefact{.id = root}, 0},
                  {records::Artefact{.id = a}, 1},
                  {records::Artefact{.id = b}, 1}};
  answer.edges = {{root, a, Relation::kDerivedFrom}, {root, b, Relation::kDerivedFrom}};
  store_.trace_answer = answer;
  auto page = trace(3, 2);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_TRUE(page->partial);
  ASSERT_EQ(page->nodes.size(), 2u);
  ASSERT_EQ(page->edges.size(), 1u);
  EXPECT_EQ(page->edges[0].source, a);

  auto next = trace(3, 2, page->next_page_token);
  ASSERT_TRUE(next.ok());
  ASSERT_TRUE(store_.last_trace.after.has_value());
  EXPECT_EQ(store_.last_trace.after->depth, 1);
  EXPECT_EQ(store_.last_trace.after->id, a);
  // The same token does not continue a different trace.
  EXPECT_EQ(trace(4, 2, page->next_page_token).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ProvenanceGraphTest, ListChecksPageSizeRangeAndToken) {
  auto list = [&](ListRequest request) { return graph_.List(request).status(); };
  ExpectRefused(list({.page_size = 1001}), absl::StatusCode::kInvalidArgument,
                "page_size: 1001 is out of range (1..1000, or 0 for 100)");
  ExpectRefused(list({.page_token = "l1.x.y"}), absl::StatusCode::kInvalidArgument,
                "page_token: is not a token from this listing");
  const records::Timestamp t(std::chrono::microseconds(1'000'000));
  ExpectRefused(list({.created_after = t, .created_before = t}),
                absl::StatusCode::kInvalidArgument,
                "created_before: must be later than created_after");

  store_.list_answer.resize(3);
  for (auto& a : store_.list_answer) a.id = Uuid::NewV7();
  auto page = graph_.List({.page_size = 2});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->artefacts.size(), 2u);
  EXPECT_EQ(store_.last_list.limit, 3);
  ASSERT_FALSE(page->next_page_token.empty());
  // A token continues only the listing it came from.
  EXPECT_EQ(
      graph_
          .List(
              {.kind = Kind::kAsset, .page_size = 2, .page_token = page->next_page_token})
          .status()
          .code(),
      absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(graph_.List({.page_size = 2, .page_token = page->next_page_token}).ok());
  ASSERT_TRUE(store_.last_list.after.has_value());
  EXPECT_EQ(store_.last_list.after->id, store_.list_answer[1].id);
}

// --- Pages cut by bytes (lineage/page_budget.h) ------------------------------

// `count` stored artefacts with `attribute_bytes` of attributes each, oldest
// first.
void Fill(FakeStore& store, int count, std::size_t attribute_bytes) {
  for (int i = 0; i < count; ++i) {
    records::Artefact a{.id = Uuid::NewV7(), .name = "a" + std::to_string(i)};
    a.attributes = "{\"x\":\"" + std::string(attribute_bytes, 'x') + "\"}";
    store.list_answer.push_back(a);
  }
  // One created_at: the table's order is by id.
  std::sort(store.list_answer.begin(), store.list_answer.end(),
            [](const auto& x, const auto& y) { return x.id < y.id; });
}

TEST(PageBudgetTest, ListCutsPagesByBytesAndContinuesExactly) {
  FakeStore store;
  ProvenanceGraph graph(store, nullptr, {}, 64 * 1024);
  Fill(store, 100, 10'000);
  std::vector<Uuid> listed;
  ListRequest request{.page_size = 1000};
  for (int pages = 1;; ++pages) {
    ASSERT_LT(pages, 100) << "paging does not end";
    auto page = graph.List(request);
    ASSERT_TRUE(page.ok()) << page.status();
    std::size_t bytes = 0;
    for (const auto& a : page->artefacts) {
      listed.push_back(a.id);
      bytes += WireBytes(a);
    }
    EXPECT_LE(bytes, 64u * 1024);
    if (page->next_page_token.empty()) break;
    EXPECT_EQ(page->artefacts.size(), 6u);  // 6 x ~10 KB fit in 64 KiB, 7 do not
    request.page_token = page->next_page_token;
  }
  std::vector<Uuid> stored;
  for (const auto& a : store.list_answer) stored.push_back(a.id);
  EXPECT_EQ(listed, stored);  // each once, in order: the token resumes at the cut
}

TEST(PageBudgetTest, ListReadsLargeRowsInChunksAndSmallOnesAtOnce) {
  FakeStore large;
  ProvenanceGraph cut(large, nullptr, {}, 64 * 1024);
  Fill(large, 2000, 60'000);
  ASSERT_TRUE(cut.List({.page_size = 1000}).ok());
  EXPECT_EQ(large.list_reads, 1);
  EXPECT_EQ(large.last_list.limit, 64);  // not 1,001 rows of 60 KB
  FakeStore small;
  ProvenanceGraph whole(small, nullptr, {}, kDefaultPageBytes);
  Fill(small, 2000, 10);
  auto page = whole.List({.page_size = 1000});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->artefacts.size(), 1000u);
  EXPECT_EQ(small.list_reads, 2);  // 64 rows, then the rest of the page at once
}

TEST(PageBudgetTest, AnArtefactLargerThanTheBudgetComesAlone) {
  FakeStore store;
  ProvenanceGraph graph(store, nullptr, {}, kMinPageBytes);
  Fill(store, 3, 20'000);
  std::vector<std::size_t> sizes;
  ListRequest request;
  for (;;) {
    auto page = graph.List(request);
    ASSERT_TRUE(page.ok()) << page.status();
    sizes.push_back(page->artefacts.size());
    if (page->next_page_token.empty()) break;
    request.page_token = page->next_page_token;
  }
  EXPECT_EQ(sizes, (std::vector<std::size_t>{1, 1, 1}));
}

TEST(PageBudgetTest, TraceCutsByBytesWithTheEdgesOfItsNodes) {
  FakeStore store;
  ProvenanceGraph graph(store, nullptr, {}, kMinPageBytes);
  const Uuid root = Uuid::NewV7();
  records::TraceResult answer;
  answer.nodes.push_back({records::Artefact{.id = root}, 0});
  for (int i = 0; i < 20; ++i) {
    records::Artefact source{.id = Uuid::NewV7(), .uri = std::string(2000, 'u')};
    answer.nodes.push_back({source, 1});
    answer.edges.push_back({root, source.id, Relation::kDerivedFrom});
  }
  store.trace_answer = answer;
  auto page = graph.Trace({.id = root.ToString(), .max_nodes = 100});
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_TRUE(page->partial);
  ASSERT_FALSE(page->next_page_token.empty());
  // ~2.2 KB a source with its edge: the root and 6 sources fit in the
  // 15 KiB left of 16 KiB, 7 would not.
  ASSERT_EQ(page->nodes.size(), 7u);
  ASSERT_EQ(page->edges.size(), 6u);  // exactly the edges that reach kept nodes
  for (std::size_t i = 0; i < page->edges.size(); ++i) {
    EXPECT_EQ(page->edges[i].source, page->nodes[i + 1].artefact.id);
  }
  ASSERT_TRUE(graph
                  .Trace({.id = root.ToString(),
                          .max_nodes = 100,
                          .page_token = page->next_page_token})
                  .ok());
  ASSERT_TRUE(store.last_trace.after.has_value());
  EXPECT_EQ(store.last_trace.after->id, page->nodes.back().artefact.id);
}

TEST_F(ProvenanceGraphTest, FindNormalisesTheDigest) {
  ASSERT_TRUE(graph_.FindBySha256(std::string(64, 'F'), std::nullopt).ok());
  EXPECT_EQ(store_.last_sha256, std::string(64, 'f'));
  EXPECT_EQ(graph_.FindBySha256("", std::nullopt).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(graph_.FindByExternalId({"", "1"}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace rmtc::lineage
