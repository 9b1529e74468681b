// The store and the domain on a real PostgreSQL that the harness starts
// (a throwaway embedded cluster) and removes.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <set>
#include <thread>

#include "common/call_scope.h"
#include "lineage/licensing.h"
#include "lineage/provenance_graph.h"
#include "store/migrator.h"
#include "store/pg_lineage_store.h"
#include "store/pg_rights_store.h"
#include "store/request_sweep.h"
#include "store/transaction_runner.h"
#include "support/test_cluster.h"

namespace rmtc {
namespace {

using records::Kind;
using records::Relation;
using records::Uuid;

testing::TestCluster* cluster = nullptr;

class ClusterEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { cluster = new testing::TestCluster(); }
  void TearDown() override {
    delete cluster;
    cluster = nullptr;
  }
};

records::NewArtefact Item(Kind kind, std::string name, std::string sha256 = "") {
  records::NewArtefact a;
  a.kind = kind;
  a.name = std::move(name);
  a.sha256 = std::move(sha256);
  return a;
}

records::SourceRef From(Relation relation, const Uuid& id) {
  return {relation, id.ToString(), std::nullopt};
}

records::SourceRef FromIndex(Relation relation, std::int64_t index) {
  return {relation, "", index};
}

std::string Digest(char c) { return std::string(64, c); }

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = cluster->CreateDatabase();
    store_ = std::make_unique<store::PgLineageStore>(url_, 4);
    graph_ = std::make_unique<lineage::ProvenanceGraph>(*store_);
  }

  int Count(const std::string& table) {
    return std::stoi(testing::TestCluster::Query(url_, "SELECT count(*) FROM " + table));
  }

  // Registers one artefact and returns its id.
  Uuid Add(records::NewArtefact item) {
    auto result = graph_->Register({{}, {std::move(item)}});
    EXPECT_TRUE(result.ok()) << result.status();
    return result->artefacts.at(0).id;
  }

  std::string url_;
  std::unique_ptr<store::PgLineageStore> store_;
  std::unique_ptr<lineage::ProvenanceGraph> graph_;
};

TEST_F(StoreTest, RegisterStoresArtefactsEdgesAndExternalIds) {
  auto dataset = Item(Kind::kDataset, "plates-2026", Digest('a'));
  dataset.version = "v3";
  dataset.uri = "s3://studio/plates/2026";
  dataset.facility = "wellington";
  dataset.attributes = R"({"frames": 1200, "show": "RMTC"})";
  dataset.external_ids = {{"shotgrid", "Version:1234"}};
  auto plate = Item(Kind::kAsset, "plate_0010.exr", Digest('b'));
  auto contains = Item(Kind::kAsset, "plate_0020.exr");
  dataset.sources = {};
  auto with_member = Item(Kind::kDataset, "plates-2026-graded");
  with_member.sources = {FromIndex(Relation::kDerivedFrom, 0),
                         FromIndex(Relation::kContains, 1),
                         FromIndex(Relation::kContains, 2)};
  auto result =
      graph_->Register({{"", "", "td@studio"}, {dataset, plate, contains, with_member}});
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->artefacts.size(), 4u);
  EXPECT_EQ(Count("artefact"), 4);
  EXPECT_EQ(Count("edge"), 3);
  EXPECT_EQ(Count("external_id"), 1);

  const auto& stored = result->artefacts[0];
  EXPECT_EQ(stored.kind, Kind::kDataset);
  EXPECT_EQ(stored.name, "plates-2026");
  EXPECT_EQ(stored.version, "v3");
  EXPECT_EQ(stored.uri, "s3://studio/plates/2026");
  EXPECT_EQ(stored.sha256, Digest('a'));
  EXPECT_EQ(stored.facility, "wellington");
  EXPECT_EQ(stored.created_by, "td@studio");
  EXPECT_EQ(stored.attributes, R"({"show": "RMTC", "frames": 1200})");
  ASSERT_EQ(stored.external_ids.size(), 1u);
  EXPECT_EQ(stored.external_ids[0].id, "Version:1234");

  auto fetched = graph_->Get(stored.id.ToString());
  ASSERT_TRUE(fetched.ok());
  EXPECT_EQ(fetched->attributes, stored.attributes);
  EXPECT_EQ(fetched->created_at, stored.created_at);
  const auto age = std::chrono::system_clock::now() - fetched->created_at;
  EXPECT_LT(std::chrono::abs(age), std::chrono::minutes(5));

  const auto graded = result->artefacts[3].id.ToString();
  EXPECT_EQ(testing::TestCluster::Query(
                url_,
                "SELECT string_agg(relation::text, ',' ORDER BY relation) FROM edge "
                "WHERE derived_id = '" +
                    graded + "'"),
            "derived_from,contains,contains");
}

TEST_F(StoreTest, SameKindAndDigestIsTheSameArtefact) {
  const Uuid first = Add(Item(Kind::kAsset, "plate.exr", Digest('c')));
  auto again =
      graph_->Register({{},
                        {Item(Kind::kAsset, "renamed.exr", Digest('C')),
                         Item(Kind::kWeights, "same bytes, other kind", Digest('c'))}});
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->existed[0]);
  EXPECT_EQ(again->artefacts[0].id, first);
  EXPECT_EQ(again->artefacts[0].name, "plate.exr");
  EXPECT_FALSE(again->existed[1]);
  EXPECT_EQ(Count("artefact"), 2);

  // Within one batch, the repeat maps to the first, and edges follow it.
  auto first_of_batch = Item(Kind::kAsset, "x", Digest('d'));
  auto repeat = Item(Kind::kAsset, "x again", Digest('d'));
  auto derived = Item(Kind::kAsset, "x graded");
  derived.sources = {FromIndex(Relation::kDerivedFrom, 1)};
  auto batch = graph_->Register({{}, {first_of_batch, repeat, derived}});
  ASSERT_TRUE(batch.ok()) << batch.status();
  EXPECT_EQ(batch->artefacts[0].id, batch->artefacts[1].id);
  EXPECT_TRUE(batch->existed[1]);
  EXPECT_EQ(Count("artefact"), 4);
  EXPECT_EQ(testing::TestCluster::Query(url_, "SELECT source_id::text FROM edge"),
            batch->artefacts[0].id.ToString());
}

records::NewArtefact Keyed(Kind kind, std::string name, std::string item_key) {
  auto a = Item(kind, std::move(name));
  a.item_key = std::move(item_key);
  return a;
}

TEST_F(StoreTest, ItemKeyFindsItsArtefactInAnyLaterWrite) {
  auto plate = Keyed(Kind::kAsset, "plate_0010.exr", "k-plate");
  plate.attributes = R"({"frame": 10, "show": "rmtc"})";
  plate.external_ids = {{"shotgrid", "Version/10"}, {"ftrack", "asset/10"}};
  auto first = graph_->Register({{}, {plate}});
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(first->existed[0]);
  const Uuid plate_id = first->artefacts[0].id;

  // The same content, written differently: attributes reordered and
  // spaced, external ids in another order. Its external ids are not
  // "taken": the item is the artefact that holds them.
  auto again = plate;
  again.attributes = R"({ "show":"rmtc","frame":10 })";
  again.external_ids = {{"ftrack", "asset/10"}, {"shotgrid", "Version/10"}};
  auto repeat = graph_->Register({{}, {again, Item(Kind::kAsset, "new neighbour")}});
  ASSERT_TRUE(repeat.ok()) << repeat.status();
  EXPECT_TRUE(repeat->existed[0]);
  EXPECT_EQ(repeat->artefacts[0].id, plate_id);
  EXPECT_EQ(repeat->artefacts[0].name, "plate_0010.exr");
  EXPECT_FALSE(repeat->existed[1]);
  EXPECT_EQ(Count("artefact"), 2);
  EXPECT_EQ(Count("item_key"), 1);

  // A source given by batch_index is the same source as the id it resolves
  // to, so a dataset is the same item whichever batch its member came in.
  auto set = Keyed(Kind::kDataset, "plates", "k-set");
  set.sources = {From(Relation::kContains, plate_id)};
  auto set_first = graph_->Register({{}, {set}});
  ASSERT_TRUE(set_first.ok()) << set_first.status();
  EXPECT_FALSE(set_first->existed[0]);
  set.sources = {FromIndex(Relation::kContains, 0), FromIndex(Relation::kContains, 0)};
  auto together = graph_->Register({{}, {plate, set}});
  ASSERT_TRUE(together.ok()) << together.status();
  EXPECT_TRUE(together->existed[0]);
  EXPECT_TRUE(together->existed[1]);
  EXPECT_EQ(together->artefacts[1].id, set_first->artefacts[0].id);
  EXPECT_EQ(Count("artefact"), 3);
  EXPECT_EQ(Count("edge"), 1);

  // One key twice in one write, same content: one artefact.
  auto twin = Keyed(Kind::kAsset, "twin", "k-twin");
  auto twins = graph_->Register({{}, {twin, twin}});
  ASSERT_TRUE(twins.ok()) << twins.status();
  EXPECT_FALSE(twins->existed[0]);
  EXPECT_TRUE(twins->existed[1]);
  EXPECT_EQ(twins->artefacts[0].id, twins->artefacts[1].id);
  EXPECT_EQ(Count("artefact"), 4);

  // A key on an item found by its sha256 binds to the stored artefact.
  const Uuid scan = Add(Item(Kind::kAsset, "scan.exr", Digest('e')));
  auto by_digest = Keyed(Kind::kAsset, "scan copy.exr", "k-scan");
  by_digest.sha256 = Digest('e');
  for (int run = 0; run < 2; ++run) {
    auto found = graph_->Register({{}, {by_digest}});
    ASSERT_TRUE(found.ok()) << found.status();
    EXPECT_TRUE(found->existed[0]);
    EXPECT_EQ(found->artefacts[0].id, scan);
  }
  EXPECT_EQ(Count("artefact"), 5);
  EXPECT_EQ(Count("item_key"), 4);
}

TEST_F(StoreTest, ItemKeyWithOtherContentIsRefusedAndWritesNothing) {
  const Uuid dataset = Add(Keyed(Kind::kDataset, "plates", "k-1"));
  const Uuid other = Add(Item(Kind::kDataset, "other plates"));
  const int artefacts = Count("artefact"), keys = Count("item_key");

  auto renamed = Keyed(Kind::kDataset, "plates v2", "k-1");
  auto result = graph_->Register({{}, {Keyed(Kind::kAsset, "fresh", "k-2"), renamed}});
  EXPECT_EQ(result.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(std::string(result.status().message()),
            "artefacts[1].item_key: 'k-1' already names artefact " + dataset.ToString() +
                ", registered with other content; use a new key for a new artefact");

  auto with_source = Keyed(Kind::kDataset, "plates", "k-1");
  with_source.sources = {From(Relation::kDerivedFrom, other)};
  EXPECT_EQ(graph_->Register({{}, {with_source}}).status().code(),
            absl::StatusCode::kAlreadyExists);

  auto in_batch = graph_->Register(
      {{}, {Keyed(Kind::kAsset, "a", "k-3"), Keyed(Kind::kAsset, "b", "k-3")}});
  EXPECT_EQ(in_batch.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(
      std::string(in_batch.status().message()),
      "artefacts[1].item_key: 'k-3' is also given at artefacts[0] with other content");

  EXPECT_EQ(Count("artefact"), artefacts);
  EXPECT_EQ(Count("item_key"), keys);
  EXPECT_EQ(Count("edge"), 0);
}

TEST_F(StoreTest, RequestIdReplaysTheFirstAnswerAndRefusesReuse) {
  lineage::RegisterCommand command{
      {"import-42", "digest-1", "td"},
      {Item(Kind::kDataset, "d1"), Item(Kind::kAsset, "a1")}};
  auto first = graph_->Register(command);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(first->replayed);
  auto second = graph_->Register(command);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_TRUE(second->replayed);
  ASSERT_EQ(second->artefacts.size(), 2u);
  EXPECT_EQ(second->artefacts[0].id, first->artefacts[0].id);
  EXPECT_EQ(second->artefacts[1].id, first->artefacts[1].id);
  EXPECT_EQ(second->existed, first->existed);
  EXPECT_EQ(Count("artefact"), 2);

  command.context.request_digest = "digest-2";
  auto reused = graph_->Register(command);
  EXPECT_EQ(reused.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(std::string(reused.status().message()),
            "request_id: 'import-42' was already used for a different "
            "RegisterArtefacts request; use a new id for a new request");
  EXPECT_EQ(Count("artefact"), 2);
  EXPECT_EQ(Count("write_request"), 1);
}

// Runs `fn` as a call admitted for `principal` (what the Dispatcher does).
template <typename Fn>
auto As(const std::string& principal, Fn&& fn) {
  const CallScope scope(CallLimits{.principal = principal, .method = "test"});
  return fn();
}

TEST_F(StoreTest, RequestIdsAreEachPrincipalsOwn) {
  const lineage::RegisterCommand command{{"nightly-ingest", "digest-1", "td"},
                                         {Item(Kind::kAsset, "plate")}};
  auto houdini = As("houdini", [&] { return graph_->Register(command); });
  auto nuke = As("nuke", [&] { return graph_->Register(command); });
  ASSERT_TRUE(houdini.ok() && nuke.ok()) << houdini.status() << nuke.status();
  EXPECT_FALSE(houdini->replayed);
  EXPECT_FALSE(nuke->replayed) << "another principal's id was taken for this one's";
  EXPECT_NE(houdini->artefacts[0].id, nuke->artefacts[0].id);
  auto untagged = graph_->Register(command);  // outside any call: principal ''
  ASSERT_TRUE(untagged.ok()) << untagged.status();
  EXPECT_FALSE(untagged->replayed);
  EXPECT_EQ(Count("artefact"), 3);

  auto again = As("houdini", [&] { return graph_->Register(command); });
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->artefacts[0].id, houdini->artefacts[0].id);
  auto changed = command;
  changed.context.request_digest = "digest-2";
  auto reused = As("nuke", [&] { return graph_->Register(changed); });
  EXPECT_EQ(reused.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(std::string(reused.status().message()),
            "request_id: 'nightly-ingest' was already used for a different "
            "RegisterArtefacts request; use a new id for a new request");
  EXPECT_EQ(Count("artefact"), 3);
  EXPECT_EQ(testing::TestCluster::Query(
                url_,
                "SELECT string_agg(principal, ',' ORDER BY principal) "
                "FROM write_request WHERE request_id = 'nightly-ingest'"),
            ",houdini,nuke");
}

TEST_F(StoreTest, ExpiredRequestIdsAreForgottenInBatchesAndThenMakeNewRequests) {
  const lineage::RegisterCommand first{{"weekly-ingest", "digest-1", "td"},
                                       {Item(Kind::kAsset, "plate")}};
  ASSERT_TRUE(As("houdini", [&] { return graph_->Register(first); }).ok());
  ASSERT_TRUE(
      As("houdini", [&] {
        return graph_->Register({{"fresh", "digest-1", "td"}, {Item(Kind::kAsset, "p")}});
      }).ok());
  // 2,500 more old claims: the sweep takes them in several batches.
  testing::TestCluster::Query(
      url_,
      "INSERT INTO write_request (principal, request_id, method, digest, created_at)"
      " SELECT 'farm', 'old-' || i, 'RegisterArtefacts', '\\x00',"
      " now() - interval '40 days' FROM generate_series(1, 2500) i RETURNING 1");
  testing::TestCluster::Query(url_,
                              "UPDATE write_request SET created_at = now() - interval "
                              "'31 days' WHERE request_id = 'weekly-ingest' RETURNING 1");
  store::ConnectionPool pool(url_, 1);
  const auto thirty_days = std::chrono::hours(24 * 30);
  auto forgotten = store::RequestSweep::SweepOnce(pool, thirty_days);
  ASSERT_TRUE(forgotten.ok()) << forgotten.status();
  EXPECT_EQ(*forgotten, 2501);
  EXPECT_EQ(Count("write_request"), 1) << "the fresh claim must stay";
  forgotten = store::RequestSweep::SweepOnce(pool, thirty_days);
  ASSERT_TRUE(forgotten.ok());
  EXPECT_EQ(*forgotten, 0);

  // Its id is free again: another request with it is new, not ALREADY_EXISTS.
  auto changed = first;
  changed.context.request_digest = "digest-2";
  auto reused = As("houdini", [&] { return graph_->Register(changed); });
  ASSERT_TRUE(reused.ok()) << reused.status();
  EXPECT_FALSE(reused->replayed);
}

TEST_F(StoreTest, TakenExternalIdRefusesTheWholeBatch) {
  auto tagged = Item(Kind::kAsset, "a");
  tagged.external_ids = {{"ftrack", "asset/9"}};
  const Uuid owner = Add(tagged);
  auto clash = Item(Kind::kAsset, "b");
  clash.external_ids = {{"ftrack", "asset/9"}};
  auto result = graph_->Register({{}, {Item(Kind::kAsset, "fine"), clash}});
  EXPECT_EQ(result.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(std::string(result.status().message()),
            "artefacts[1].external_ids[0]: ftrack:asset/9 already names artefact " +
                owner.ToString());
  EXPECT_EQ(Count("artefact"), 1);
  EXPECT_EQ(Count("external_id"), 1);
}

TEST_F(StoreTest, MissingSourceOrWrongKindsWriteNothing) {
  const Uuid dataset = Add(Item(Kind::kDataset, "d"));
  auto dangling = Item(Kind::kAsset, "a");
  dangling.sources = {From(Relation::kDerivedFrom, Uuid::NewV7())};
  auto missing = graph_->Register({{}, {Item(Kind::kAsset, "ok"), dangling}});
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  auto wrong = Item(Kind::kAsset, "a");
  wrong.sources = {From(Relation::kDerivedFrom, dataset)};
  auto refused = graph_->Register({{}, {Item(Kind::kAsset, "ok"), wrong}});
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Count("artefact"), 1);
  EXPECT_EQ(Count("edge"), 0);
}

TEST_F(StoreTest, RunAndInferenceTraceBackToTheirData) {
  const Uuid plates = Add(Item(Kind::kDataset, "plates"));
  const Uuid holdout = Add(Item(Kind::kDataset, "holdout"));
  const Uuid base = Add(Item(Kind::kModel, "sd-1.5"));
  auto run =
      graph_->RecordTrainingRun({{},
                                 std::nullopt,
                                 Item(Kind::kRun, "ft-1"),
                                 {plates.ToString()},
                                 {holdout.ToString()},
                                 {base.ToString()},
                                 {Item(Kind::kWeights, "ft-1.ckpt", Digest('e'))}});
  ASSERT_TRUE(run.ok()) << run.status();
  const Uuid weights = run->artefacts[1].id;
  const Uuid input = Add(Item(Kind::kAsset, "sh010_plate.exr"));
  auto inference = graph_->RecordInference({{},
                                            std::nullopt,
                                            Item(Kind::kInference, "nuke batch"),
                                            {weights.ToString()},
                                            {input.ToString()},
                                            {Item(Kind::kAsset, "sh010_comp.exr")}});
  ASSERT_TRUE(inference.ok()) << inference.status();
  const Uuid output = inference->artefacts[1].id;

  auto trace =
      graph_->Trace({output.ToString(), records::Direction::kUpstream, 0, {}, 0, ""});
  ASSERT_TRUE(trace.ok()) << trace.status();
  EXPECT_FALSE(trace->partial);
  std::map<Uuid, int> depth;
  for (const auto& node : trace->nodes) depth[node.artefact.id] = node.depth;
  EXPECT_EQ(depth.size(), 8u);
  EXPECT_EQ(depth[output], 0);
  EXPECT_EQ(depth[inference->artefacts[0].id], 1);
  EXPECT_EQ(depth[weights], 2);
  EXPECT_EQ(depth[input], 2);
  EXPECT_EQ(depth[run->artefacts[0].id], 3);
  EXPECT_EQ(depth[plates], 4);
  EXPECT_EQ(depth[holdout], 4);
  EXPECT_EQ(depth[base], 4);
  EXPECT_EQ(trace->nodes[0].artefact.id, output);
  EXPECT_EQ(trace->edges.size(), 7u);
  const records::Edge trained{run->artefacts[0].id, plates, Relation::kTrainedOn};
  EXPECT_NE(std::find(trace->edges.begin(), trace->edges.end(), trained),
            trace->edges.end());

  // Only training data: follow output_of, uses, produced_by, trained_on.
  auto data_only = graph_->Trace({output.ToString(),
                                  records::Direction::kUpstream,
                                  0,
                                  {Relation::kOutputOf, Relation::kUses,
                                   Relation::kProducedBy, Relation::kTrainedOn},
                                  0,
                                  ""});
  ASSERT_TRUE(data_only.ok());
  EXPECT_EQ(data_only->nodes.size(), 5u);
  EXPECT_EQ(data_only->nodes.back().artefact.id, plates);

  // Downstream from the training data reaches the output.
  auto impact =
      graph_->Trace({plates.ToString(), records::Direction::kDownstream, 0, {}, 0, ""});
  ASSERT_TRUE(impact.ok());
  EXPECT_EQ(impact->nodes.size(), 5u);
  EXPECT_EQ(impact->nodes.back().artefact.id, output);
  EXPECT_EQ(impact->nodes.back().depth, 4);

  auto shallow =
      graph_->Trace({output.ToString(), records::Direction::kUpstream, 2, {}, 0, ""});
  ASSERT_TRUE(shallow.ok());
  EXPECT_EQ(shallow->nodes.size(), 4u);
}

TEST_F(StoreTest, DiamondKeepsShortestDepthAndEveryEdge) {
  // top <- left <- bottom, top <- right <- bottom, and top <- bottom directly.
  const Uuid top = Add(Item(Kind::kAsset, "top"));
  auto left = Item(Kind::kAsset, "left");
  left.sources = {From(Relation::kDerivedFrom, top)};
  const Uuid l = Add(left);
  auto right = Item(Kind::kAsset, "right");
  right.sources = {From(Relation::kDerivedFrom, top)};
  const Uuid r = Add(right);
  auto bottom = Item(Kind::kAsset, "bottom");
  bottom.sources = {From(Relation::kDerivedFrom, l), From(Relation::kDerivedFrom, r),
                    From(Relation::kSupersedes, top)};
  const Uuid b = Add(bottom);
  auto trace = graph_->Trace({b.ToString(), records::Direction::kUpstream, 0, {}, 0, ""});
  ASSERT_TRUE(trace.ok());
  ASSERT_EQ(trace->nodes.size(), 4u);
  std::map<Uuid, int> depth;
  for (const auto& node : trace->nodes) depth[node.artefact.id] = node.depth;
  EXPECT_EQ(depth[top], 1);  // directly, not the two hops through left or right
  EXPECT_EQ(depth[l], 1);
  EXPECT_EQ(depth[r], 1);
  EXPECT_EQ(trace->edges.size(), 5u);
}

TEST_F(StoreTest, TracePagesCoverTheWholeSubgraphOnce) {
  // A dataset of 25 graded plates, each derived from a raw plate.
  std::vector<records::NewArtefact> items;
  auto dataset = Item(Kind::kDataset, "set");
  for (int i = 0; i < 25; ++i) {
    items.push_back(Item(Kind::kAsset, "raw" + std::to_string(i)));
    auto graded = Item(Kind::kAsset, "graded" + std::to_string(i));
    graded.sources = {FromIndex(Relation::kDerivedFrom, 2 * i)};
    items.push_back(graded);
    dataset.sources.push_back(FromIndex(Relation::kContains, 2 * i + 1));
  }
  items.push_back(dataset);
  auto registered = graph_->Register({{}, items});
  ASSERT_TRUE(registered.ok()) << registered.status();
  const Uuid root = registered->artefacts.back().id;

  auto whole =
      graph_->Trace({root.ToString(), records::Direction::kUpstream, 0, {}, 0, ""});
  ASSERT_TRUE(whole.ok());
  ASSERT_EQ(whole->nodes.size(), 51u);
  std::set<Uuid> seen;
  std::size_t edges = 0;
  std::string token;
  int pages = 0;
  do {
    auto page =
        graph_->Trace({root.ToString(), records::Direction::kUpstream, 0, {}, 7, token});
    ASSERT_TRUE(page.ok()) << page.status();
    ASSERT_LE(page->nodes.size(), 7u);
    for (const auto& node : page->nodes)
      EXPECT_TRUE(seen.insert(node.artefact.id).second);
    edges += page->edges.size();
    EXPECT_EQ(page->partial, !page->next_page_token.empty());
    token = page->next_page_token;
    ++pages;
  } while (!token.empty());
  EXPECT_EQ(seen.size(), 51u);
  EXPECT_EQ(pages, 8);
  EXPECT_EQ(edges, whole->edges.size());
  EXPECT_EQ(edges, 50u);
}

TEST_F(StoreTest, TraceOfUnknownIdIsNotFound) {
  auto trace = graph_->Trace(
      {Uuid::NewV7().ToString(), records::Direction::kUpstream, 0, {}, 0, ""});
  EXPECT_EQ(trace.status().code(), absl::StatusCode::kNotFound);
}

TEST_F(StoreTest, DeepChainIsOneQuery) {
  Uuid previous = Add(Item(Kind::kModel, "foundation"));
  for (int i = 0; i < 300; i += 100) {
    std::vector<records::NewArtefact> chain;
    for (int k = 0; k < 100; ++k) {
      auto model = Item(Kind::kModel, "ft-" + std::to_string(i + k));
      model.sources = {k == 0 ? From(Relation::kDerivedFrom, previous)
                              : FromIndex(Relation::kDerivedFrom, k - 1)};
      chain.push_back(model);
    }
    auto result = graph_->Register({{}, chain});
    ASSERT_TRUE(result.ok()) << result.status();
    previous = result->artefacts.back().id;
  }
  auto trace =
      graph_->Trace({previous.ToString(), records::Direction::kUpstream, 0, {}, 0, ""});
  ASSERT_TRUE(trace.ok());
  EXPECT_EQ(trace->nodes.size(), 301u);
  EXPECT_EQ(trace->nodes.back().depth, 300);
  EXPECT_EQ(trace->nodes.back().artefact.name, "foundation");
}

TEST_F(StoreTest, ListFiltersAndPages) {
  for (int i = 0; i < 12; ++i) {
    auto a = Item(i % 3 == 0 ? Kind::kDataset : Kind::kAsset,
                  (i % 2 ? "Plate_" : "matte_") + std::to_string(i));
    a.facility = i < 6 ? "wellington" : "montreal";
    Add(a);
  }
  auto all = graph_->List({});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->artefacts.size(), 12u);
  EXPECT_TRUE(all->next_page_token.empty());

  auto datasets = graph_->List({.kind = Kind::kDataset});
  EXPECT_EQ(datasets->artefacts.size(), 4u);
  auto plates = graph_->List({.name_contains = "pLATE"});
  EXPECT_EQ(plates->artefacts.size(), 6u);
  auto literal = graph_->List({.name_contains = "%"});
  EXPECT_EQ(literal->artefacts.size(), 0u);
  auto montreal = graph_->List({.facility = "montreal"});
  EXPECT_EQ(montreal->artefacts.size(), 6u);

  std::vector<Uuid> paged;
  std::string token;
  do {
    auto page = graph_->List({.page_size = 5, .page_token = token});
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& a : page->artefacts) paged.push_back(a.id);
    token = page->next_page_token;
  } while (!token.empty());
  ASSERT_EQ(paged.size(), 12u);
  for (std::size_t i = 0; i < paged.size(); ++i)
    EXPECT_EQ(paged[i], all->artefacts[i].id);

  const auto first_time = all->artefacts.front().created_at;
  const auto later = graph_->List({.created_after = first_time + std::chrono::hours(1)});
  EXPECT_EQ(later->artefacts.size(), 0u);
  const auto window =
      graph_->List({.created_after = first_time,
                    .created_before = first_time + std::chrono::hours(1)});
  EXPECT_EQ(window->artefacts.size(), 12u);
}

TEST_F(StoreTest, FindByDigestAndExternalId) {
  auto tagged = Item(Kind::kWeights, "w", Digest('f'));
  tagged.external_ids = {{"mlflow", "run/7/model"}};
  const Uuid w = Add(tagged);
  Add(Item(Kind::kAsset, "same bytes", Digest('f')));
  EXPECT_EQ(graph_->FindBySha256(Digest('F'), std::nullopt)->size(), 2u);
  auto weights_only = graph_->FindBySha256(Digest('f'), Kind::kWeights);
  ASSERT_EQ(weights_only->size(), 1u);
  EXPECT_EQ((*weights_only)[0].id, w);
  EXPECT_TRUE(graph_->FindBySha256(Digest('0'), std::nullopt)->empty());
  auto by_ext = graph_->FindByExternalId({"mlflow", "run/7/model"});
  ASSERT_EQ(by_ext->size(), 1u);
  EXPECT_EQ((*by_ext)[0].id, w);
  EXPECT_TRUE(graph_->FindByExternalId({"mlflow", "other"})->empty());
}

TEST_F(StoreTest, ConcurrentWritersOfOneDigestGetOneArtefact) {
  constexpr int kWriters = 6;
  std::vector<std::thread> threads;
  std::vector<Uuid> ids(kWriters);
  std::atomic<int> failures = 0;
  for (int t = 0; t < kWriters; ++t) {
    threads.emplace_back([&, t] {
      auto result = graph_->Register(
          {{}, {Item(Kind::kAsset, "racer " + std::to_string(t), Digest('9'))}});
      if (!result.ok()) {
        ++failures;
        return;
      }
      ids[t] = result->artefacts[0].id;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(Count("artefact"), 1);
  for (const auto& id : ids) EXPECT_EQ(id, ids[0]);
}

TEST_F(StoreTest, ConcurrentWritersOfOneItemKeyGetOneArtefact) {
  constexpr int kWriters = 6;
  std::vector<std::thread> threads;
  std::vector<Uuid> ids(kWriters);
  std::vector<bool> existed(kWriters);
  std::atomic<int> failures = 0;
  for (int t = 0; t < kWriters; ++t) {
    threads.emplace_back([&, t] {
      // Each writer also brings an item of its own, which must survive.
      auto result = graph_->Register({{},
                                      {Item(Kind::kAsset, "own " + std::to_string(t)),
                                       Keyed(Kind::kAsset, "contested", "k-race")}});
      if (!result.ok()) {
        ++failures;
        return;
      }
      ids[t] = result->artefacts[1].id;
      existed[t] = result->existed[1];
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(Count("artefact"), kWriters + 1);
  EXPECT_EQ(Count("item_key"), 1);
  for (const auto& id : ids) EXPECT_EQ(id, ids[0]);
  EXPECT_EQ(std::count(existed.begin(), existed.end(), false), 1);
}

TEST_F(StoreTest, ConcurrentRepeatsOfOneRequestWriteOnce) {
  constexpr int kWriters = 6;
  std::vector<std::thread> threads;
  std::vector<Uuid> ids(kWriters);
  for (int t = 0; t < kWriters; ++t) {
    threads.emplace_back([&, t] {
      auto result =
          graph_->Register({{"same-request", "d", ""}, {Item(Kind::kAsset, "x")}});
      ASSERT_TRUE(result.ok()) << result.status();
      ids[t] = result->artefacts[0].id;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(Count("artefact"), 1);
  for (const auto& id : ids) EXPECT_EQ(id, ids[0]);
}

TEST(Migrator, AppliesOnceAndRecordsTheVersion) {
  const std::string url = cluster->CreateDatabase(/*migrated=*/false);
  const auto& migrations = store::BuiltinMigrations();
  ASSERT_FALSE(migrations.empty());
  auto first = store::Migrate(url, migrations);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(*first, migrations.back().version);
  auto again = store::Migrate(url, migrations);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(testing::TestCluster::Query(url, "SELECT count(*) FROM schema_version"),
            std::to_string(migrations.size()));
}

TEST(Migrator, ConcurrentStartsAllSucceed) {
  const std::string url = cluster->CreateDatabase(/*migrated=*/false);
  std::vector<std::thread> threads;
  std::atomic<int> ok = 0;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      if (store::Migrate(url, store::BuiltinMigrations()).ok()) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 4);
  EXPECT_EQ(testing::TestCluster::Query(url, "SELECT count(*) FROM schema_version"),
            std::to_string(store::BuiltinMigrations().size()));
}

TEST(Migrator, RefusesANewerSchema) {
  const std::string url = cluster->CreateDatabase();
  testing::TestCluster::Query(
      url, "INSERT INTO schema_version (version, name) VALUES (9999, 'future')");
  auto result = store::Migrate(url, store::BuiltinMigrations());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(std::string(result.status().message())
                .find("the database schema is at version 9999, newer than this rmtcd"),
            std::string::npos)
      << result.status();
}

TEST(Migrator, FailedMigrationKeepsNothing) {
  const std::string url = cluster->CreateDatabase(/*migrated=*/false);
  std::vector<store::Migration> broken = {
      {1, "init", "CREATE TABLE a (x int); CREATE TABLE a (x int);"}};
  EXPECT_EQ(store::Migrate(url, broken).status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(testing::TestCluster::Query(
                url,
                "SELECT count(*) FROM pg_tables WHERE tablename IN ('a', "
                "'schema_version')"),
            "0");
}

TEST(Outage, CallsAnswerUnavailableAndRecoverWithoutRestart) {
  testing::TestCluster own;
  const std::string url = own.CreateDatabase();
  store::PgLineageStore store(url, 2);
  lineage::ProvenanceGraph graph(store);
  auto before = graph.Register({{}, {Item(Kind::kAsset, "before")}});
  ASSERT_TRUE(before.ok());
  own.Stop();
  auto during = graph.Get(before->artefacts[0].id.ToString());
  EXPECT_EQ(during.status().code(), absl::StatusCode::kUnavailable) << during.status();
  auto write = graph.Register({{}, {Item(Kind::kAsset, "during")}});
  EXPECT_EQ(write.status().code(), absl::StatusCode::kUnavailable) << write.status();
  EXPECT_EQ(store.Ping().code(), absl::StatusCode::kUnavailable);
  own.Start();
  auto after = graph.Get(before->artefacts[0].id.ToString());
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->name, "before");
  EXPECT_TRUE(graph.Register({{}, {Item(Kind::kAsset, "after")}}).ok());
  EXPECT_EQ(testing::TestCluster::Query(url, "SELECT count(*) FROM artefact"), "2");
}

TEST(Pool, EveryConnectionBusyIsResourceExhaustedNotUnavailable) {
  const std::string url = cluster->CreateDatabase();
  store::ConnectionPool pool(url, 1);
  auto held = pool.Acquire();
  ASSERT_TRUE(held.ok()) << held.status();
  auto waiting = pool.Acquire(std::chrono::milliseconds(50));
  EXPECT_EQ(waiting.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(waiting.status().message(),
            "all 1 database connections stayed busy for 50 ms; retry later, or raise "
            "--database-pool");
  { auto released = std::move(*held); }
  EXPECT_TRUE(pool.Acquire(std::chrono::milliseconds(50)).ok());
}

// After a database restart every idle connection is dead: one retry on a
// fresh connection must be enough, not a walk through the dead ones.
TEST(Pool, ARestartedDatabaseIsReachedOnTheFirstCall) {
  testing::TestCluster own;
  const std::string url = own.CreateDatabase();
  store::ConnectionPool pool(url, 3);
  {
    std::vector<store::ConnectionPool::Lease> leases;
    for (int i = 0; i < 3; ++i) {
      auto lease = pool.Acquire();
      ASSERT_TRUE(lease.ok()) << lease.status();
      leases.push_back(std::move(*lease));
    }
  }  // three idle connections
  own.Stop();
  own.Start();
  auto one = store::RunReadOnly<int>(pool, "test", [](pqxx::transaction_base& tx) {
    return tx.exec1("SELECT 1")[0].as<int>();
  });
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_EQ(*one, 1);
}

// Several rmtcd versions may share one database during an upgrade: a newer
// one may store an enum value or licence term this one has no name for.
// Every read that meets such a row answers INTERNAL naming the row (table
// and id), never a guess and never undefined behaviour.
TEST(UnreadableRows, EveryReadPathNamesTheRow) {
  const std::string url = cluster->CreateDatabase();
  store::ConnectionPool pool(url, 4, store::PgLineageStore::PrepareStatements);
  store::PgLineageStore lineage_store(pool);
  store::PgRightsStore rights_store(pool);
  lineage::Licensing licensing(lineage_store, rights_store, records::Policy::kStrict,
                               false);
  lineage::ProvenanceGraph graph(lineage_store, &licensing);
  auto added =
      graph.Register({{},
                      {Item(Kind::kAsset, "plate"), Item(Kind::kAsset, "comp"),
                       Item(Kind::kAsset, "consented"), Item(Kind::kAsset, "licensed")}});
  ASSERT_TRUE(added.ok()) << added.status();
  const std::string plate = added->artefacts[0].id.ToString();
  const std::string comp = added->artefacts[1].id.ToString();
  const std::string consented = added->artefacts[2].id.ToString();
  const std::string licensed = added->artefacts[3].id.ToString();
  const std::string hologram = "0190c4d2-7b1e-7c3a-9f00-00000000beef";
  auto sql = [&](const std::string& statement) {
    testing::TestCluster::Query(url, statement);
  };
  // What a newer rmtcd would do: new enum values, rows that use them.
  sql("ALTER TYPE artefact_kind ADD VALUE 'hologram'");
  sql("ALTER TYPE edge_relation ADD VALUE 'inspired_by'");
  sql("ALTER TYPE consent_value ADD VALUE 'revoked'");
  sql("INSERT INTO artefact (id, kind, name, sha256, created_by) VALUES ('" + hologram +
      "', 'hologram', 'holo', decode('" + Digest('e') + "', 'hex'), 'newer')");
  sql("INSERT INTO external_id (system, value, artefact_id) VALUES ('shotgrid', 'holo', "
      "'" +
      hologram + "')");
  sql("INSERT INTO edge (derived_id, source_id, relation) VALUES ('" + hologram + "', '" +
      plate + "', 'derived_from')");
  sql("INSERT INTO edge (derived_id, source_id, relation) VALUES ('" + comp + "', '" +
      plate + "', 'inspired_by')");
  sql("INSERT INTO consent (artefact_id, party, ai_training, effective_at, recorded_by) "
      "VALUES ('" +
      consented + "', 'An Artist', 'revoked', now(), 'newer')");
  const std::string consent_seq =
      testing::TestCluster::Query(url, "SELECT max(seq) FROM consent");
  sql("INSERT INTO licence (id, name, terms) VALUES ('LicenseRef-Newer', 'newer', "
      "'{\"field_of_use\": \"off-world\"}')");
  sql("INSERT INTO licence_attachment (artefact_id, expression, licence_ids, "
      "attached_by) "
      "VALUES ('" +
      licensed + "', 'LicenseRef-Newer', '{LicenseRef-Newer}', 'newer')");

  const std::string kind_row =
      "artefact " + hologram +
      ": kind 'hologram' is not a value "
      "this rmtcd knows (written by a newer rmtcd? upgrade this one)";
  const std::string edge_row =
      "edge " + comp + " -> " + plate + ": relation 'inspired_by'";
  const std::string consent_row = "consent " + consent_seq + ": ai_training 'revoked'";
  const std::string licence_row = "licence LicenseRef-Newer: terms.field_of_use";
  auto expect_internal = [](const absl::Status& status, const std::string& row,
                            const char* what) {
    EXPECT_EQ(status.code(), absl::StatusCode::kInternal) << what << ": " << status;
    EXPECT_NE(std::string(status.message()).find(row), std::string::npos)
        << what << ": " << status.message();
  };
  expect_internal(graph.Get(hologram).status(), kind_row, "get");
  expect_internal(graph.FindBySha256(Digest('e'), std::nullopt).status(), kind_row,
                  "find sha");
  expect_internal(graph.FindByExternalId({"shotgrid", "holo"}).status(), kind_row,
                  "find ext");
  expect_internal(graph.List({}).status(), kind_row, "list");
  expect_internal(
      graph.Trace({.id = plate, .direction = records::Direction::kDownstream}).status(),
      kind_row, "trace down");
  expect_internal(graph.Trace({.id = comp}).status(), edge_row, "trace up");
  expect_internal(licensing.Chain(hologram, std::nullopt).status(), kind_row, "chain");
  expect_internal(licensing.Chain(comp, std::nullopt).status(), edge_row, "chain edge");
  expect_internal(
      licensing
          .Check(comp, records::IntendedUse::kClientDelivery, std::nullopt, std::nullopt)
          .status(),
      edge_row, "check");
  expect_internal(licensing.Impact({.key = plate}).status(), kind_row, "impact");
  expect_internal(licensing.ConsentHistory(consented).status(), consent_row, "history");
  expect_internal(licensing.Chain(consented, std::nullopt).status(), consent_row,
                  "chain consent");
  expect_internal(licensing.GetLicence("LicenseRef-Newer").status(), licence_row,
                  "licence");
  expect_internal(licensing.ListLicences(1000, "").status(), licence_row, "licence list");
  expect_internal(licensing.Chain(licensed, std::nullopt).status(), licence_row,
                  "chain licence");
  // Rows this rmtcd can read still answer.
  EXPECT_TRUE(graph.Get(plate).ok());
  EXPECT_TRUE(licensing.Chain(plate, std::nullopt).ok());
}

// libpq reads the environment from any thread that connects; setenv() in a
// running server races with it. Settings go in the connection string.
const bool kConnectTimeoutInEnvironment = std::getenv("PGCONNECT_TIMEOUT") != nullptr;

TEST(Pool, LibpqSettingsLeaveTheEnvironmentAlone) {
  if (kConnectTimeoutInEnvironment) GTEST_SKIP() << "PGCONNECT_TIMEOUT was set at start";
  const std::string url = cluster->CreateDatabase(/*migrated=*/false);
  ASSERT_TRUE(store::Migrate(url, store::BuiltinMigrations()).ok());
  store::ConnectionPool pool(url, 1);
  auto one = store::RunReadOnly<int>(pool, "test", [](pqxx::transaction_base& tx) {
    return tx.exec1("SELECT 1")[0].as<int>();
  });
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_EQ(std::getenv("PGCONNECT_TIMEOUT"), nullptr);
}

}  // namespace
}  // namespace rmtc

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new rmtc::ClusterEnvironment);
  return RUN_ALL_TESTS();
}
