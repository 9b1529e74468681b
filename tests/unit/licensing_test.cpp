// Licence expressions and the licensing evaluation, without a database: the
// rules of docs/licensing.md on small graphs built by hand.
#include <gtest/gtest.h>

#include <set>

#include "common/strings.h"
#include "lineage/licensing_evaluator.h"
#include "lineage/spdx.h"
#include "lineage/terms_in_force.h"
#include "records/licence_terms.h"

namespace rmtc::lineage {
namespace {

using records::ConsentKey;
using records::ConsentValue;
using records::FieldOfUse;
using records::IntendedUse;
using records::Kind;
using records::Policy;
using records::Relation;
using records::Timestamp;
using records::TrainingPermission;
using records::Uuid;
using records::Verdict;

// ---- SPDX expressions ------------------------------------------------------

bool Known(std::string_view id) {
  static const std::set<std::string, std::less<>> kKnown = {
      "MIT",          "Apache-2.0",   "CC-BY-4.0",
      "CC-BY-NC-4.0", "GPL-2.0-only", "LicenseRef-Vendor-7"};
  return kKnown.count(id) > 0;
}

std::string Error(std::string_view text) {
  auto parsed = ParseLicenceExpression(text, Known);
  EXPECT_FALSE(parsed.ok()) << text;
  return std::string(parsed.status().message());
}

TEST(Spdx, ParsesIntoAlternatives) {
  auto single = ParseLicenceExpression("MIT", Known);
  ASSERT_TRUE(single.ok());
  EXPECT_EQ(single->alternatives, (std::vector<std::set<std::string>>{{"MIT"}}));
  EXPECT_FALSE(single->HasChoice());

  auto either = ParseLicenceExpression("MIT OR CC-BY-NC-4.0", Known);
  ASSERT_TRUE(either.ok());
  EXPECT_TRUE(either->HasChoice());
  EXPECT_EQ(either->alternatives.size(), 2u);

  auto mixed = ParseLicenceExpression(
      "(MIT OR Apache-2.0) AND CC-BY-4.0 AND LicenseRef-Vendor-7", Known);
  ASSERT_TRUE(mixed.ok());
  EXPECT_EQ(mixed->alternatives, (std::vector<std::set<std::string>>{
                                     {"Apache-2.0", "CC-BY-4.0", "LicenseRef-Vendor-7"},
                                     {"CC-BY-4.0", "LicenseRef-Vendor-7", "MIT"}}));
  EXPECT_EQ(mixed->licence_ids,
            (std::vector<std::string>{"MIT", "Apache-2.0", "CC-BY-4.0",
                                      "LicenseRef-Vendor-7"}));

  auto with = ParseLicenceExpression("GPL-2.0-only WITH Classpath-exception-2.0", Known);
  ASSERT_TRUE(with.ok());
  EXPECT_EQ(with->exceptions, (std::vector<std::string>{"Classpath-exception-2.0"}));
  EXPECT_FALSE(ParseLicenceExpression("MIT OR MIT", Known)->HasChoice());
}

TEST(Spdx, RefusesWithThePositionOfTheError) {
  EXPECT_EQ(
      Error("CC-BY-5.0"),
      "expression: unknown licence 'CC-BY-5.0' (add it with rmtc license add, or check "
      "the SPDX id) at position 1");
  EXPECT_EQ(Error("MIT or Apache-2.0"),
            "expression: operators are upper case: 'OR', not 'or' at position 5");
  EXPECT_EQ(Error("MIT AND (Apache-2.0"),
            "expression: expected ')' to close the '(' at position 9, found 'the end' at "
            "position 20");
  EXPECT_EQ(Error("MIT AND"),
            "expression: expected a licence id, found 'the end' at position 8");
  EXPECT_EQ(Error("MIT Apache-2.0"),
            "expression: expected AND, OR or the end, found 'Apache-2.0' at position 5");
  EXPECT_EQ(Error("MIT / Apache-2.0"),
            "expression: unexpected character '/' at position 5");
  EXPECT_EQ(Error(""), "expression: is empty");
  EXPECT_EQ(
      Error("MIT WITH"),
      "expression: expected an exception id after WITH, found 'the end' at position 9");
  std::string many;
  for (int i = 0; i < 7; ++i)
    many += std::string(i ? " AND " : "") + "(MIT OR Apache-2.0)";
  EXPECT_NE(Error(many).find("expands to more than 64 alternatives"), std::string::npos);
}

TEST(LicenceTerms, JsonRoundTripAndStrictParsing) {
  auto terms = records::TermsFromJson(
      "terms", R"({"field_of_use": "non-commercial", "attribution": true,
      "share_alike": "CC-BY-SA", "purpose_limit": ["research"], "training": "not-allowed"})");
  ASSERT_TRUE(terms.ok()) << terms.status();
  EXPECT_EQ(terms->field_of_use, FieldOfUse::kNonCommercial);
  EXPECT_EQ(terms->training, TrainingPermission::kNotAllowed);
  auto again = records::TermsFromJson("terms", records::TermsToJson(*terms));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->share_alike, "CC-BY-SA");
  EXPECT_EQ(again->purpose_limit, std::vector<std::string>{"research"});
  // Missing keys fail closed.
  EXPECT_EQ(records::TermsFromJson("t", "{}")->field_of_use, FieldOfUse::kUnknown);
  EXPECT_EQ(records::TermsFromJson("t", "{}")->training, TrainingPermission::kUnknown);
  EXPECT_EQ(std::string(records::TermsFromJson("terms", R"({"field": "commercial"})")
                            .status()
                            .message()),
            "terms.field: is not a licence term (docs/licensing.md lists them)");
  EXPECT_EQ(
      std::string(records::TermsFromJson("terms", R"({"field_of_use": "personal"})")
                      .status()
                      .message()),
      "terms.field_of_use: must be commercial, non-commercial, academic-only or unknown");
  EXPECT_FALSE(records::TermsFromJson("terms", R"({"attribution": "yes"})").ok());
  EXPECT_FALSE(records::TermsFromJson("terms", "[]").ok());
}

// ---- Evaluation ------------------------------------------------------------

Timestamp Day(int days) {
  return Timestamp(std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::days(20000 + days)));
}

// Builds a graph: artefacts, edges, licences, attachments, consents.
class GraphBuilder {
 public:
  GraphBuilder() {
    Licence("CC0-1.0", R"({"field_of_use": "commercial", "training": "allowed",
                           "results_unrestricted": true})");
    Licence("CC-BY-4.0", R"({"field_of_use": "commercial", "attribution": true,
                             "notice": true, "training": "allowed"})");
    Licence("CC-BY-NC-4.0", R"({"field_of_use": "non-commercial", "attribution": true,
                                "training": "allowed"})");
    Licence("CC-BY-ND-4.0", R"({"field_of_use": "commercial", "attribution": true,
                                "no_derivatives": true, "training": "allowed"})");
    Licence("CC-BY-SA-4.0", R"({"field_of_use": "commercial", "attribution": true,
                                "share_alike": "CC-BY-SA", "training": "allowed"})");
    Licence("CDLA-Sharing-1.0",
            R"({"field_of_use": "commercial", "share_alike": "CDLA-Sharing",
                                    "training": "allowed", "results_unrestricted": true})");
    Licence("CDLA-Permissive-2.0",
            R"({"field_of_use": "commercial", "include_licence_text": true,
                                       "training": "allowed", "results_unrestricted": true})");
    Licence("MIT",
            R"({"field_of_use": "commercial", "notice": true, "training": "allowed"})");
    Licence("OpenRAIL-M", R"({"field_of_use": "commercial", "training": "allowed",
                              "use_restrictions": ["no medical advice"]})");
    Licence("Llama-2", R"({"field_of_use": "commercial", "training": "allowed",
                           "no_training_on_outputs": true})");
    Licence("Llama-3", R"({"field_of_use": "commercial", "training": "allowed",
                           "naming_prefix": "Llama 3"})");
    Licence("ASWF-Digital-Assets-1.0",
            R"({"field_of_use": "non-commercial", "training": "unknown",
                "purpose_limit": ["education", "research", "development"]})");
    Licence("No-Training",
            R"({"field_of_use": "commercial", "training": "not-allowed"})");
  }

  void Licence(const std::string& id, const std::string& terms,
               std::optional<Timestamp> until = std::nullopt,
               std::optional<Timestamp> revoked = std::nullopt) {
    records::Licence l;
    l.id = id;
    l.terms = *records::TermsFromJson("terms", terms);
    l.valid_until = until;
    l.revoked_at = revoked;
    graph.licences[id] = l;
  }

  Uuid Node(Kind kind, const std::string& name, const std::string& expression = "",
            const std::string& attribution = "") {
    const Uuid id = Uuid::NewV7();
    RightsNode node{.id = id, .kind = kind, .name = name};
    if (!expression.empty()) {
      auto parsed = ParseLicenceExpression(expression, [&](std::string_view l) {
        return graph.licences.count(std::string(l)) > 0;
      });
      EXPECT_TRUE(parsed.ok()) << expression;
      node.attachments.push_back(
          {id, expression, parsed->licence_ids, attribution, Day(0), ""});
    }
    graph.nodes[id] = node;
    return id;
  }

  void Edge(const Uuid& derived, Relation relation, const Uuid& source) {
    graph.edges.push_back({derived, source, relation});
  }

  void Consent(const Uuid& on, const std::string& party, ConsentKey key,
               ConsentValue value, Timestamp from) {
    records::ConsentRecord record;
    record.artefact = on;
    record.party = party;
    record.values[static_cast<int>(key)] = value;
    record.effective_at = from;
    graph.nodes[on].consents.push_back(record);
  }

  void Elect(const Uuid& on, const std::string& licence, Timestamp at) {
    graph.nodes[on].elections.push_back({on, licence, at, ""});
  }

  // A clearance by `party` lifting `rules` on what derives from `artefact`;
  // the caller narrows it further through the returned reference.
  records::Clearance& Clear(const Uuid& artefact, const std::string& party,
                            std::vector<std::string> rules,
                            std::vector<IntendedUse> uses = {}) {
    records::Clearance c;
    c.id = Uuid::NewV7();
    c.party = party;
    c.evidence = "contract SH-2026-014";
    c.artefact = artefact;
    c.rules = std::move(rules);
    c.uses = std::move(uses);
    c.created_at = Day(1);
    graph.clearances.push_back(c);
    return graph.clearances.back();
  }

  UseCheck Check(const Uuid& id, IntendedUse use, Policy policy = Policy::kStrict,
                 Timestamp at = Day(100)) {
    return LicensingEvaluator(graph, at, policy).Check(id, use);
  }

  LicensingChain Chain(const Uuid& id, Timestamp at = Day(100)) {
    return LicensingEvaluator(graph, at, Policy::kStrict).Chain(id);
  }

  UseCheck CheckWith(const Uuid& id, IntendedUse use,
                     records::EvaluationSettings settings) {
    return LicensingEvaluator(graph, std::move(settings)).Check(id, use);
  }

  void MadeAt(const std::vector<Uuid>& ids, Timestamp at) {
    for (const auto& id : ids) graph.nodes[id].created_at = at;
  }

  // data <- run <- weights <- inference <- output, all recorded at `made`:
  // {run, output}.
  std::pair<Uuid, Uuid> TrainAndInferAt(const Uuid& data, const std::string& prefix,
                                        Timestamp made) {
    const Uuid output = TrainAndInfer(data, prefix);
    Uuid run;
    for (auto& [id, node] : graph.nodes) {
      if (node.name.rfind(prefix, 0) == 0 && node.created_at == Timestamp{} &&
          id != data) {
        node.created_at = made;
        if (node.kind == Kind::kRun) run = id;
      }
    }
    return {run, output};
  }

  // A fine-tune of `data` and an inference with it: returns the output.
  Uuid TrainAndInfer(const Uuid& data, const std::string& prefix = "") {
    const Uuid run = Node(Kind::kRun, prefix + "run");
    Edge(run, Relation::kTrainedOn, data);
    const Uuid weights = Node(Kind::kWeights, prefix + "weights");
    Edge(weights, Relation::kProducedBy, run);
    const Uuid inference = Node(Kind::kInference, prefix + "inference");
    Edge(inference, Relation::kUses, weights);
    const Uuid output = Node(Kind::kAsset, prefix + "output");
    Edge(output, Relation::kOutputOf, inference);
    return output;
  }

  RightsGraph graph;
};

const records::Reason* FindRule(const UseCheck& check, const std::string& rule) {
  for (const auto& r : check.reasons) {
    if (r.rule == rule) return &r;
  }
  return nullptr;
}

TEST(Licensing, NonCommercialDataReachesAFineTuneAndItsOutputs) {
  GraphBuilder g;
  const Uuid data = g.Node(Kind::kDataset, "nc plates", "CC-BY-NC-4.0", "Ngaio Artist");
  const Uuid output = g.TrainAndInfer(data);

  auto commercial = g.Check(output, IntendedUse::kCommercialProduction);
  EXPECT_EQ(commercial.verdict, Verdict::kDenied);
  const auto* why = FindRule(commercial, "field-of-use");
  ASSERT_NE(why, nullptr);
  EXPECT_EQ(why->licence_id, "CC-BY-NC-4.0");
  ASSERT_EQ(why->path.size(), 5u);  // output <- inference <- weights <- run <- data
  EXPECT_EQ(why->path.front(), output);
  EXPECT_EQ(why->path.back(), data);
  EXPECT_NE(why->message.find("reached this artefact through training"),
            std::string::npos)
      << why->message;
  EXPECT_NE(why->message.find("dataset 'nc plates'"), std::string::npos) << why->message;

  EXPECT_EQ(g.Check(output, IntendedUse::kInternalResearch).verdict, Verdict::kAllowed);
  EXPECT_EQ(
      g.Check(output, IntendedUse::kCommercialProduction, Policy::kPermissive).verdict,
      Verdict::kReview);
  // The dataset itself: the term binds directly, whatever the policy.
  EXPECT_EQ(g.Check(data, IntendedUse::kClientDelivery, Policy::kPermissive).verdict,
            Verdict::kDenied);
}

TEST(Licensing, PermissiveResultsLicenceDoesNotReachTheModel) {
  GraphBuilder g;
  const Uuid data = g.Node(Kind::kDataset, "cdla data", "CDLA-Permissive-2.0");
  const Uuid output = g.TrainAndInfer(data);
  for (auto use : {IntendedUse::kCommercialProduction, IntendedUse::kClientDelivery,
                   IntendedUse::kPublicRelease}) {
    auto check = g.Check(output, use);
    EXPECT_EQ(check.verdict, Verdict::kAllowed);
    EXPECT_TRUE(check.obligations.empty());
  }
  auto chain = g.Chain(output);
  EXPECT_EQ(chain.field_of_use, FieldOfUse::kCommercial);
  for (const auto& term : chain.terms) EXPECT_NE(term.licence_id, "CDLA-Permissive-2.0");
  // The data itself still carries its own obligation when shared.
  EXPECT_EQ(g.Check(data, IntendedUse::kClientDelivery).obligations.size(), 1u);
}

TEST(Licensing, OpenRailRestrictionsReachFineTunesAndOutputs) {
  GraphBuilder g;
  const Uuid base = g.Node(Kind::kWeights, "sd-base", "OpenRAIL-M");
  const Uuid data = g.Node(Kind::kDataset, "studio plates", "CC0-1.0");
  const Uuid run = g.Node(Kind::kRun, "fine-tune");
  g.Edge(run, Relation::kTrainedOn, data);
  g.Edge(run, Relation::kBase, base);
  const Uuid tuned = g.Node(Kind::kWeights, "tuned");
  g.Edge(tuned, Relation::kProducedBy, run);
  const Uuid inference = g.Node(Kind::kInference, "comp");
  g.Edge(inference, Relation::kUses, tuned);
  const Uuid frame = g.Node(Kind::kAsset, "frame");
  g.Edge(frame, Relation::kOutputOf, inference);

  for (const Uuid& id : {tuned, frame}) {
    auto chain = g.Chain(id);
    bool found = false;
    for (const auto& term : chain.terms) {
      if (term.kind == "use-restriction" && term.value == "no medical advice") {
        found = true;
        EXPECT_EQ(term.path.back(), base);
      }
    }
    EXPECT_TRUE(found);
    auto delivery = g.Check(id, IntendedUse::kClientDelivery);
    EXPECT_EQ(delivery.verdict, Verdict::kAllowed);
    ASSERT_FALSE(delivery.obligations.empty());
    EXPECT_NE(delivery.obligations[0].message.find("pass it on"), std::string::npos);
  }
}

TEST(Licensing, NoDerivativesAllowsInternalUseNotDelivery) {
  GraphBuilder g;
  const Uuid original = g.Node(Kind::kAsset, "scan", "CC-BY-ND-4.0", "Scan Co");
  const Uuid cleaned = g.Node(Kind::kAsset, "cleaned scan");
  g.Edge(cleaned, Relation::kDerivedFrom, original);
  EXPECT_EQ(g.Check(cleaned, IntendedUse::kInternalResearch).verdict, Verdict::kAllowed);
  auto delivery = g.Check(cleaned, IntendedUse::kClientDelivery);
  EXPECT_EQ(delivery.verdict, Verdict::kDenied);
  ASSERT_NE(FindRule(delivery, "no-derivatives"), nullptr);
  // The original, unchanged, may be shared (with credit).
  auto as_is = g.Check(original, IntendedUse::kClientDelivery);
  EXPECT_EQ(as_is.verdict, Verdict::kAllowed);
  EXPECT_EQ(as_is.credits, std::vector<std::string>{"Scan Co"});
}

TEST(Licensing, WithdrawnConsentDeniesFromItsEffectiveTime) {
  GraphBuilder g;
  const Uuid artwork = g.Node(Kind::kAsset, "concept art", "CC-BY-4.0", "Aroha Painter");
  const Uuid set = g.Node(Kind::kDataset, "art set");
  g.Edge(set, Relation::kContains, artwork);
  const Uuid output = g.TrainAndInfer(set);
  g.Consent(artwork, "Aroha Painter", ConsentKey::kAiTraining, ConsentValue::kAllowed,
            Day(1));
  g.Consent(artwork, "Aroha Painter", ConsentKey::kAiTraining, ConsentValue::kNotAllowed,
            Day(50));
  EXPECT_EQ(
      g.Check(output, IntendedUse::kInternalResearch, Policy::kStrict, Day(10)).verdict,
      Verdict::kAllowed);
  auto after = g.Check(output, IntendedUse::kInternalResearch, Policy::kStrict, Day(60));
  EXPECT_EQ(after.verdict, Verdict::kDenied);
  const auto* why = FindRule(after, "consent");
  ASSERT_NE(why, nullptr);
  EXPECT_EQ(why->party, "Aroha Painter");
  EXPECT_EQ(why->path.back(), artwork);
  // Training on the set directly is refused too; research on it is not.
  EXPECT_EQ(g.Check(set, IntendedUse::kTraining, Policy::kStrict, Day(60)).verdict,
            Verdict::kDenied);
  EXPECT_EQ(
      g.Check(set, IntendedUse::kInternalResearch, Policy::kStrict, Day(60)).verdict,
      Verdict::kAllowed);
  // Constrained counts as not allowed.
  g.Consent(artwork, "Aroha Painter", ConsentKey::kAiTraining, ConsentValue::kConstrained,
            Day(70));
  EXPECT_EQ(
      g.Check(output, IntendedUse::kInternalResearch, Policy::kStrict, Day(80)).verdict,
      Verdict::kDenied);
}

TEST(Licensing, ALicenceOutsideItsWindowOrRevokedGrantsNothing) {
  GraphBuilder g;
  g.Licence("LicenseRef-Vendor",
            R"({"field_of_use": "commercial", "training": "allowed"})", Day(30));
  g.Licence("LicenseRef-Pulled",
            R"({"field_of_use": "commercial", "training": "allowed"})", std::nullopt,
            Day(40));
  const Uuid stock = g.Node(Kind::kAsset, "stock plate", "LicenseRef-Vendor");
  const Uuid pulled = g.Node(Kind::kAsset, "pulled plate", "LicenseRef-Pulled");
  EXPECT_EQ(
      g.Check(stock, IntendedUse::kClientDelivery, Policy::kStrict, Day(20)).verdict,
      Verdict::kAllowed);
  auto expired = g.Check(stock, IntendedUse::kClientDelivery, Policy::kStrict, Day(31));
  EXPECT_EQ(expired.verdict, Verdict::kDenied);
  ASSERT_NE(FindRule(expired, "licence-not-in-force"), nullptr);
  EXPECT_NE(FindRule(expired, "licence-not-in-force")
                ->message.find("LicenseRef-Vendor expired on"),
            std::string::npos);
  EXPECT_EQ(
      g.Check(pulled, IntendedUse::kInternalResearch, Policy::kStrict, Day(39)).verdict,
      Verdict::kAllowed);
  EXPECT_EQ(
      g.Check(pulled, IntendedUse::kInternalResearch, Policy::kStrict, Day(41)).verdict,
      Verdict::kDenied);
}

TEST(Licensing, AnElectionSettlesAnOr) {
  GraphBuilder g;
  const Uuid model = g.Node(Kind::kModel, "dual", "MIT OR CC-BY-NC-4.0");
  auto open = g.Check(model, IntendedUse::kCommercialProduction);
  EXPECT_EQ(open.verdict, Verdict::kReview);
  ASSERT_NE(FindRule(open, "field-of-use"), nullptr);
  EXPECT_NE(FindRule(open, "field-of-use")->message.find("unless another alternative"),
            std::string::npos);
  g.Elect(model, "MIT", Day(10));
  EXPECT_EQ(g.Check(model, IntendedUse::kCommercialProduction).verdict,
            Verdict::kAllowed);
  g.Elect(model, "CC-BY-NC-4.0", Day(20));
  EXPECT_EQ(g.Check(model, IntendedUse::kCommercialProduction).verdict, Verdict::kDenied);
  // As of before the second election, MIT was the choice.
  EXPECT_EQ(g.Check(model, IntendedUse::kCommercialProduction, Policy::kStrict, Day(15))
                .verdict,
            Verdict::kAllowed);
}

TEST(Licensing, ASourceWithNoLicenceAsksForReview) {
  GraphBuilder g;
  const Uuid unknown = g.Node(Kind::kDataset, "found on a drive");
  const Uuid output = g.TrainAndInfer(unknown);
  for (const Uuid& id : {unknown, output}) {
    auto check = g.Check(id, IntendedUse::kInternalResearch);
    EXPECT_EQ(check.verdict, Verdict::kReview);
    ASSERT_NE(FindRule(check, "no-licence"), nullptr);
  }
  // A derived asset takes its licence from its source and needs none itself.
  const Uuid source = g.Node(Kind::kAsset, "licensed", "CC0-1.0");
  const Uuid derived = g.Node(Kind::kAsset, "derived");
  g.Edge(derived, Relation::kDerivedFrom, source);
  EXPECT_EQ(g.Check(derived, IntendedUse::kPublicRelease).verdict, Verdict::kAllowed);
}

TEST(Licensing, DiamondKeepsThePathThatCarriesTheTerm) {
  GraphBuilder g;
  // The same NC asset sits in the training set and in the evaluation set.
  const Uuid asset = g.Node(Kind::kAsset, "nc asset", "CC-BY-NC-4.0", "A. Artist");
  const Uuid train = g.Node(Kind::kDataset, "train set");
  g.Edge(train, Relation::kContains, asset);
  const Uuid eval = g.Node(Kind::kDataset, "eval set");
  g.Edge(eval, Relation::kContains, asset);
  const Uuid run = g.Node(Kind::kRun, "run");
  g.Edge(run, Relation::kEvaluatedOn, eval);
  g.Edge(run, Relation::kTrainedOn, train);
  auto check = g.Check(run, IntendedUse::kCommercialProduction);
  EXPECT_EQ(check.verdict, Verdict::kDenied);
  const auto* why = FindRule(check, "field-of-use");
  ASSERT_NE(why, nullptr);
  EXPECT_EQ(why->path, (std::vector<Uuid>{run, train, asset}));

  // Evaluated only: the run is asked about (evaluating is a use), its
  // weights carry nothing.
  const Uuid run2 = g.Node(Kind::kRun, "eval only run");
  g.Edge(run2, Relation::kEvaluatedOn, eval);
  g.Edge(run2, Relation::kTrainedOn, g.Node(Kind::kDataset, "clean", "CC0-1.0"));
  EXPECT_EQ(g.Check(run2, IntendedUse::kCommercialProduction).verdict, Verdict::kReview);
  const Uuid weights2 = g.Node(Kind::kWeights, "eval only weights");
  g.Edge(weights2, Relation::kProducedBy, run2);
  EXPECT_EQ(g.Check(weights2, IntendedUse::kCommercialProduction).verdict,
            Verdict::kAllowed);
  // ...unless the evaluation data refuses data mining.
  g.Consent(asset, "A. Artist", ConsentKey::kDataMining, ConsentValue::kNotAllowed,
            Day(1));
  auto mined = g.Check(run2, IntendedUse::kInternalResearch);
  EXPECT_EQ(mined.verdict, Verdict::kDenied);
  EXPECT_EQ(FindRule(mined, "consent")->path, (std::vector<Uuid>{run2, eval, asset}));
}

TEST(Licensing, AChainFiftyDeepKeepsItsTerms) {
  GraphBuilder g;
  Uuid weights = g.Node(Kind::kWeights, "Llama 3 8B", "Llama-3");
  const Uuid data = g.Node(Kind::kDataset, "dialogue", "CC0-1.0");
  for (int i = 1; i <= 50; ++i) {
    const Uuid run = g.Node(Kind::kRun, "ft " + std::to_string(i));
    g.Edge(run, Relation::kBase, weights);
    g.Edge(run, Relation::kTrainedOn, data);
    weights = g.Node(Kind::kWeights,
                     i == 50 ? "studio-tuned" : "Llama 3 ft " + std::to_string(i));
    g.Edge(weights, Relation::kProducedBy, run);
  }
  auto release = g.Check(weights, IntendedUse::kPublicRelease);
  EXPECT_EQ(release.verdict, Verdict::kReview);
  const auto* naming = FindRule(release, "naming");
  ASSERT_NE(naming, nullptr);
  EXPECT_EQ(naming->path.size(), 101u);  // 50 weights and 50 runs above the base
  EXPECT_EQ(g.Check(weights, IntendedUse::kCommercialProduction).verdict,
            Verdict::kAllowed);
}

TEST(Licensing, ShareAlikeFamiliesInConflict) {
  GraphBuilder g;
  const Uuid a = g.Node(Kind::kAsset, "sa asset", "CC-BY-SA-4.0", "SA Author");
  const Uuid b = g.Node(Kind::kAsset, "cdla asset", "CDLA-Sharing-1.0");
  const Uuid set = g.Node(Kind::kDataset, "mixed");
  g.Edge(set, Relation::kContains, a);
  g.Edge(set, Relation::kContains, b);
  auto delivery = g.Check(set, IntendedUse::kClientDelivery);
  EXPECT_EQ(delivery.verdict, Verdict::kDenied);
  ASSERT_NE(FindRule(delivery, "share-alike-conflict"), nullptr);
  EXPECT_EQ(g.Check(set, IntendedUse::kInternalResearch).verdict, Verdict::kAllowed);
  // One family is an obligation, not a conflict.
  auto single = g.Check(a, IntendedUse::kClientDelivery);
  EXPECT_EQ(single.verdict, Verdict::kAllowed);
  bool obliged = false;
  for (const auto& o : single.obligations) obliged |= o.rule == "share-alike";
  EXPECT_TRUE(obliged);
}

TEST(Licensing, TrainingGatesAndOutputClauses) {
  GraphBuilder g;
  const Uuid closed = g.Node(Kind::kDataset, "no-training data", "No-Training");
  const Uuid output = g.TrainAndInfer(closed);
  auto check = g.Check(output, IntendedUse::kInternalResearch);
  EXPECT_EQ(check.verdict, Verdict::kDenied);
  ASSERT_NE(FindRule(check, "training-not-allowed"), nullptr);
  EXPECT_EQ(g.Check(closed, IntendedUse::kTraining).verdict, Verdict::kDenied);

  const Uuid aswf = g.Node(Kind::kDataset, "aswf scenes", "ASWF-Digital-Assets-1.0");
  EXPECT_EQ(g.Check(aswf, IntendedUse::kTraining).verdict, Verdict::kReview);
  EXPECT_EQ(g.Check(aswf, IntendedUse::kInternalResearch).verdict, Verdict::kAllowed);
  EXPECT_EQ(g.Check(aswf, IntendedUse::kCommercialProduction).verdict, Verdict::kDenied);

  const Uuid llama = g.Node(Kind::kWeights, "llama 2", "Llama-2");
  const Uuid inference = g.Node(Kind::kInference, "captioning");
  g.Edge(inference, Relation::kUses, llama);
  const Uuid captions = g.Node(Kind::kDataset, "captions");
  g.Edge(captions, Relation::kOutputOf, inference);
  EXPECT_EQ(g.Check(captions, IntendedUse::kCommercialProduction).verdict,
            Verdict::kAllowed);
  auto train_on_outputs = g.Check(captions, IntendedUse::kTraining);
  EXPECT_EQ(train_on_outputs.verdict, Verdict::kDenied);
  ASSERT_NE(FindRule(train_on_outputs, "no-training-on-outputs"), nullptr);
}

TEST(Licensing, TrainingOnOutputsIsCaughtOnTheNewModel) {
  GraphBuilder g;
  const Uuid llama = g.Node(Kind::kWeights, "llama 2", "Llama-2");
  const Uuid inference = g.Node(Kind::kInference, "captioning");
  g.Edge(inference, Relation::kUses, llama);
  const Uuid captions = g.Node(Kind::kDataset, "captions");
  g.Edge(captions, Relation::kOutputOf, inference);
  const Uuid run = g.Node(Kind::kRun, "student");
  g.Edge(run, Relation::kTrainedOn, captions);
  auto check = g.Check(run, IntendedUse::kInternalResearch);
  EXPECT_EQ(check.verdict, Verdict::kDenied);
  ASSERT_NE(FindRule(check, "no-training-on-outputs"), nullptr);
}

TEST(Licensing, CollectingIsNotAdapting) {
  GraphBuilder g;
  const Uuid scan = g.Node(Kind::kAsset, "scan", "CC-BY-ND-4.0", "Scan Co");
  const Uuid set = g.Node(Kind::kDataset, "reference set");
  g.Edge(set, Relation::kContains, scan);
  const Uuid exr = g.Node(Kind::kAsset, "scan as exr");
  g.Edge(exr, Relation::kVariantOf, scan);
  EXPECT_EQ(g.Check(set, IntendedUse::kClientDelivery).verdict, Verdict::kAllowed);
  // A format conversion is not an adaptation either.
  EXPECT_EQ(g.Check(exr, IntendedUse::kClientDelivery).verdict, Verdict::kAllowed);
  const Uuid graded = g.Node(Kind::kAsset, "graded scan");
  g.Edge(graded, Relation::kDerivedFrom, scan);
  const Uuid graded_set = g.Node(Kind::kDataset, "graded set");
  g.Edge(graded_set, Relation::kContains, graded);
  EXPECT_EQ(g.Check(graded_set, IntendedUse::kClientDelivery).verdict, Verdict::kDenied);
}

TEST(Licensing, AnElectedLicenceThatLapsesLeavesTheOthersOpen) {
  GraphBuilder g;
  g.Licence("LicenseRef-Short",
            R"({"field_of_use": "commercial", "training": "allowed"})", Day(30));
  const Uuid model = g.Node(Kind::kModel, "dual", "LicenseRef-Short OR CC-BY-NC-4.0");
  g.Elect(model, "LicenseRef-Short", Day(10));
  EXPECT_EQ(g.Check(model, IntendedUse::kCommercialProduction, Policy::kStrict, Day(20))
                .verdict,
            Verdict::kAllowed);
  // After it expires, the non-commercial alternative is all there is.
  EXPECT_EQ(g.Check(model, IntendedUse::kCommercialProduction, Policy::kStrict, Day(40))
                .verdict,
            Verdict::kDenied);
  EXPECT_EQ(
      g.Check(model, IntendedUse::kInternalResearch, Policy::kStrict, Day(40)).verdict,
      Verdict::kAllowed);
}

TEST(Licensing, AShareAlikeConflictIsSoftenedOnlyWhenEveryFamilyIsARisk) {
  GraphBuilder g;
  g.Licence("LicenseRef-Other-SA",
            R"({"field_of_use": "commercial", "share_alike": "Other-SA",
                                       "training": "allowed"})");
  const Uuid sa = g.Node(Kind::kDataset, "sa data", "CC-BY-SA-4.0", "A");
  const Uuid other = g.Node(Kind::kDataset, "other sa data", "LicenseRef-Other-SA");
  // Both families reach the run only through training: the conflict is a risk.
  const Uuid run = g.Node(Kind::kRun, "run");
  g.Edge(run, Relation::kTrainedOn, sa);
  g.Edge(run, Relation::kTrainedOn, other);
  EXPECT_EQ(g.Check(run, IntendedUse::kClientDelivery, Policy::kStrict).verdict,
            Verdict::kDenied);
  EXPECT_EQ(g.Check(run, IntendedUse::kClientDelivery, Policy::kPermissive).verdict,
            Verdict::kReview);
  // One family binds directly (the base weights' own licence): the conflict
  // binds even under the permissive policy.
  const Uuid base = g.Node(Kind::kWeights, "sa base", "CC-BY-SA-4.0", "B");
  const Uuid tune = g.Node(Kind::kRun, "tune");
  g.Edge(tune, Relation::kBase, base);
  g.Edge(tune, Relation::kTrainedOn, other);
  EXPECT_EQ(g.Check(tune, IntendedUse::kClientDelivery, Policy::kPermissive).verdict,
            Verdict::kDenied);
}

TEST(Licensing, ChainListsCreditsAndEveryTermWithItsPath) {
  GraphBuilder g;
  const Uuid a = g.Node(Kind::kAsset, "a", "CC-BY-4.0", "Mere");
  const Uuid b = g.Node(Kind::kAsset, "b", "CC-BY-NC-4.0", "Tane");
  const Uuid set = g.Node(Kind::kDataset, "set");
  g.Edge(set, Relation::kContains, a);
  g.Edge(set, Relation::kContains, b);
  auto chain = g.Chain(set);
  EXPECT_EQ(chain.field_of_use, FieldOfUse::kNonCommercial);
  EXPECT_EQ(std::set<std::string>(chain.credits.begin(), chain.credits.end()),
            (std::set<std::string>{"Mere", "Tane"}));
  for (const auto& term : chain.terms) {
    ASSERT_EQ(term.path.size(), 2u);
    EXPECT_EQ(term.path.front(), set);
  }
}

// ---- Clearances (docs/licensing.md §12) -----------------------------------

const records::Reason* FindCleared(const UseCheck& check, const std::string& rule) {
  for (const auto& r : check.cleared) {
    if (r.rule == rule) return &r;
  }
  return nullptr;
}

TEST(Clearances, ACommercialLicenceBoughtForNcDataAllowsDelivery) {
  GraphBuilder g;
  const Uuid data = g.Node(Kind::kDataset, "nc plates", "CC-BY-NC-4.0", "Ngaio Artist");
  const Uuid output = g.TrainAndInfer(data);
  ASSERT_EQ(g.Check(output, IntendedUse::kClientDelivery).verdict, Verdict::kDenied);

  auto& c = g.Clear(data, "Ngaio Artist", {"field-of-use"},
                    {IntendedUse::kClientDelivery, IntendedUse::kCommercialProduction});
  c.licence_id = "CC-BY-NC-4.0";
  c.rights_holder = "Ngaio Artist";
  const Uuid id = c.id;
  auto delivery = g.Check(output, IntendedUse::kClientDelivery);
  EXPECT_EQ(delivery.verdict, Verdict::kAllowed);
  EXPECT_EQ(FindRule(delivery, "field-of-use"), nullptr);
  // The term is not deleted: it is listed as cleared, with its evidence.
  const auto* cleared = FindCleared(delivery, "field-of-use");
  ASSERT_NE(cleared, nullptr);
  EXPECT_EQ(cleared->effect, Verdict::kDenied);
  EXPECT_EQ(cleared->licence_id, "CC-BY-NC-4.0");
  ASSERT_TRUE(cleared->clearance.has_value());
  EXPECT_EQ(cleared->clearance->id, id);
  EXPECT_EQ(cleared->clearance->party, "Ngaio Artist");
  EXPECT_EQ(cleared->clearance->evidence, "contract SH-2026-014");
  EXPECT_EQ(cleared->path.back(), data);
  // The obligations stay: the clearance lifts a restriction, not the credit.
  auto data_delivery = g.Check(data, IntendedUse::kClientDelivery);
  EXPECT_EQ(data_delivery.verdict, Verdict::kAllowed);
  EXPECT_EQ(data_delivery.credits, std::vector<std::string>{"Ngaio Artist"});
  EXPECT_FALSE(data_delivery.obligations.empty());

  // A use outside the clearance's uses is still denied.
  auto release = g.Check(output, IntendedUse::kPublicRelease);
  EXPECT_EQ(release.verdict, Verdict::kDenied);
  EXPECT_NE(FindRule(release, "field-of-use"), nullptr);
  EXPECT_TRUE(release.cleared.empty());

  // The chain keeps the term and names the clearance next to it.
  auto chain = g.Chain(output);
  bool found = false;
  for (const auto& t : chain.terms) {
    if (t.kind != "field-of-use") continue;
    found = true;
    ASSERT_EQ(t.clearances.size(), 1u);
    EXPECT_EQ(t.clearances[0].id, id);
    EXPECT_EQ(t.clearances[0].uses.size(), 2u);
  }
  EXPECT_TRUE(found);
}

TEST(Clearances, AnotherPartysTermIsNotLifted) {
  GraphBuilder g;
  const Uuid a = g.Node(Kind::kAsset, "a", "CC-BY-NC-4.0", "Ngaio Artist");
  const Uuid b = g.Node(Kind::kAsset, "b", "CC-BY-NC-4.0", "Tane Painter");
  const Uuid set = g.Node(Kind::kDataset, "set");
  g.Edge(set, Relation::kContains, a);
  g.Edge(set, Relation::kContains, b);
  g.Clear(set, "Ngaio Artist", {"field-of-use"}).rights_holder = "Ngaio Artist";
  auto check = g.Check(set, IntendedUse::kClientDelivery);
  EXPECT_EQ(check.verdict, Verdict::kDenied);
  ASSERT_EQ(check.cleared.size(), 1u);
  EXPECT_EQ(check.cleared[0].path.back(), a);
  const auto* denied = FindRule(check, "field-of-use");
  ASSERT_NE(denied, nullptr);
  EXPECT_EQ(denied->path.back(), b);
}

TEST(Clearances, InForceOnlyWithinItsWindowAndUntilRevoked) {
  GraphBuilder g;
  const Uuid data = g.Node(Kind::kDataset, "nc plates", "CC-BY-NC-4.0", "Ngaio Artist");
  auto& c = g.Clear(data, "Ngaio Artist", {"field-of-use"});
  c.valid_from = Day(50);
  c.valid_until = Day(200);
  c.revoked_at = Day(150);
  const auto use = IntendedUse::kCommercialProduction;
  EXPECT_EQ(g.Check(data, use, Policy::kStrict, Day(49)).verdict, Verdict::kDenied);
  EXPECT_EQ(g.Check(data, use, Policy::kStrict, Day(50)).verdict, Verdict::kAllowed);
  EXPECT_EQ(g.Check(data, use, Policy::kStrict, Day(149)).verdict, Verdict::kAllowed);
  EXPECT_EQ(g.Check(data, use, Policy::kStrict, Day(150)).verdict, Verdict::kDenied);
  g.graph.clearances.back().revoked_at.reset();
  EXPECT_EQ(g.Check(data, use, Policy::kStrict, Day(199)).verdict, Verdict::kAllowed);
  EXPECT_EQ(g.Check(data, use, Policy::kStrict, Day(200)).verdict, Verdict::kDenied);
  // The chain names the clearance while it is in force, and only then.
  auto lifted = [&](Timestamp at) {
    for (const auto& t : g.Chain(data, at).terms) {
      if (t.kind == "field-of-use") return t.clearances.size();
    }
    return std::size_t{99};
  };
  EXPECT_EQ(lifted(Day(100)), 1u);
  EXPECT_EQ(lifted(Day(200)), 0u);
}

TEST(Clearances, FindingsAreLiftedOnlyWhenNamed) {
  GraphBuilder g;
  const Uuid art = g.Node(Kind::kAsset, "concept art", "CC-BY-4.0", "Aroha Painter");
  const Uuid set = g.Node(Kind::kDataset, "art set");
  g.Edge(set, Relation::kContains, art);
  g.Consent(art, "Aroha Painter", ConsentKey::kAiTraining, ConsentValue::kNotAllowed,
            Day(50));
  const Uuid output = g.TrainAndInfer(set);
  g.Clear(art, "Aroha Painter", {"field-of-use", "no-derivatives"});
  EXPECT_EQ(g.Check(output, IntendedUse::kClientDelivery).verdict, Verdict::kDenied);
  g.Clear(art, "Aroha Painter", {"consent"}).rights_holder = "Aroha Painter";
  auto check = g.Check(output, IntendedUse::kClientDelivery);
  EXPECT_EQ(check.verdict, Verdict::kAllowed);
  ASSERT_NE(FindCleared(check, "consent"), nullptr);
  EXPECT_EQ(FindCleared(check, "consent")->party, "Aroha Painter");
}

TEST(Clearances, ARelicensedVersionIsAllowedWithTheRightsHoldersClearance) {
  GraphBuilder g;
  const Uuid v1 = g.Node(Kind::kAsset, "plate v1", "CC-BY-NC-4.0", "Ngaio Artist");
  const Uuid v2 = g.Node(Kind::kAsset, "plate v2", "CC-BY-4.0", "Ngaio Artist");
  g.Edge(v2, Relation::kSupersedes, v1);
  const Uuid comp = g.Node(Kind::kAsset, "comp");
  g.Edge(comp, Relation::kDerivedFrom, v2);
  const auto use = IntendedUse::kClientDelivery;
  // Today: v1's NC term reaches v2 through supersedes, with no way out.
  EXPECT_EQ(g.Check(v2, use).verdict, Verdict::kDenied);
  EXPECT_EQ(g.Check(comp, use).verdict, Verdict::kDenied);

  auto& c = g.Clear(v1, "Ngaio Artist", {"field-of-use"});
  c.downstream = v2;
  c.licence_id = "CC-BY-NC-4.0";
  auto v2_check = g.Check(v2, use);
  EXPECT_EQ(v2_check.verdict, Verdict::kAllowed);
  ASSERT_NE(FindCleared(v2_check, "field-of-use"), nullptr);
  EXPECT_EQ(g.Check(comp, use).verdict, Verdict::kAllowed);
  // v1 itself is not v2 or built from it: still non-commercial.
  EXPECT_EQ(g.Check(v1, use).verdict, Verdict::kDenied);
}

}  // namespace
}  // namespace rmtc::lineage

namespace rmtc::lineage {
namespace {

// Issue 9 §1: credit follows the work into what a model makes.
TEST(Licensing, CreditReachesTheFramesAModelMakes) {
  GraphBuilder g;
  const Uuid a = g.Node(Kind::kDataset, "plates a", "CC-BY-4.0", "Aroha Painter");
  const Uuid b = g.Node(Kind::kDataset, "plates b", "CC-BY-4.0", "Ngaio Artist");
  const Uuid run = g.Node(Kind::kRun, "run");
  g.Edge(run, Relation::kTrainedOn, a);
  g.Edge(run, Relation::kTrainedOn, b);
  const Uuid weights = g.Node(Kind::kWeights, "weights");
  g.Edge(weights, Relation::kProducedBy, run);
  const Uuid inference = g.Node(Kind::kInference, "comp");
  g.Edge(inference, Relation::kUses, weights);
  const Uuid frame = g.Node(Kind::kAsset, "frame");
  g.Edge(frame, Relation::kOutputOf, inference);

  const std::vector<std::string> both{"Aroha Painter", "Ngaio Artist"};
  EXPECT_EQ(g.Chain(weights).credits, both);
  auto chain = g.Chain(frame);
  EXPECT_EQ(chain.credits, both);
  int attributions = 0;
  for (const auto& t : chain.terms) {
    if (t.kind != "attribution") continue;
    ++attributions;
    EXPECT_TRUE(t.risk) << "credit crosses `uses` as a risk of the model's use";
    EXPECT_EQ(t.path.front(), frame);
    EXPECT_TRUE(t.path.back() == a || t.path.back() == b);
  }
  EXPECT_EQ(attributions, 2);

  auto delivery = g.Check(frame, IntendedUse::kClientDelivery);
  EXPECT_EQ(delivery.verdict, Verdict::kAllowed);
  EXPECT_EQ(delivery.credits, both);
  std::set<std::string> obligations;
  for (const auto& o : delivery.obligations)
    obligations.insert(o.rule + ": " + o.message);
  auto has = [&](const std::string& prefix) {
    for (const auto& o : obligations)
      if (o.rfind(prefix, 0) == 0) return true;
    return false;
  };
  EXPECT_TRUE(
      has("attribution: credit Aroha Painter under CC-BY-4.0 (a risk: it "
          "reached this artefact through a model's use); via asset 'frame' <- "
          "inference 'comp' <- weights 'weights' <- run 'run' <- dataset "
          "'plates a'"))
      << ::testing::PrintToString(obligations);
  EXPECT_TRUE(has("attribution: credit Ngaio Artist under CC-BY-4.0"));
  EXPECT_TRUE(has("notice: keep CC-BY-4.0's notices and state changes"));
}

TEST(Licensing, AnElectedAlternativesCreditReachesTheOutput) {
  GraphBuilder g;
  const Uuid data =
      g.Node(Kind::kDataset, "dual", "CC-BY-4.0 OR CC-BY-NC-4.0", "Aroha Painter");
  const Uuid output = g.TrainAndInfer(data);
  // Not elected: the attribution is an open term of both alternatives.
  g.Elect(data, "CC-BY-4.0", Day(5));
  auto chain = g.Chain(output);
  bool credited = false;
  for (const auto& t : chain.terms) {
    if (t.kind == "attribution" && t.licence_id == "CC-BY-4.0") {
      credited = true;
      EXPECT_FALSE(t.open);
      EXPECT_EQ(t.path.back(), data);
    }
    EXPECT_NE(t.licence_id, "CC-BY-NC-4.0") << "the elected alternative excludes it";
  }
  EXPECT_TRUE(credited);
  EXPECT_EQ(chain.credits, std::vector<std::string>{"Aroha Painter"});
  EXPECT_EQ(g.Check(output, IntendedUse::kClientDelivery).verdict, Verdict::kAllowed);
}

// An obligation that also arrives by a binding way is not marked a risk.
TEST(Licensing, AnObligationBindsIfAnyWayBinds) {
  GraphBuilder g;
  const Uuid plate = g.Node(Kind::kAsset, "plate", "CC-BY-4.0", "Aroha Painter");
  const Uuid run = g.Node(Kind::kRun, "run");
  g.Edge(run, Relation::kTrainedOn, plate);
  const Uuid weights = g.Node(Kind::kWeights, "weights");
  g.Edge(weights, Relation::kProducedBy, run);
  const Uuid inference = g.Node(Kind::kInference, "img2img");
  g.Edge(inference, Relation::kUses, weights);
  g.Edge(inference, Relation::kInput, plate);
  const Uuid frame = g.Node(Kind::kAsset, "frame");
  g.Edge(frame, Relation::kOutputOf, inference);
  auto delivery = g.Check(frame, IntendedUse::kClientDelivery);
  int credits = 0;
  for (const auto& o : delivery.obligations) {
    if (o.rule != "attribution") continue;
    ++credits;
    EXPECT_EQ(o.message.find("a risk"), std::string::npos) << o.message;
    EXPECT_EQ(o.path, (std::vector<Uuid>{frame, inference, plate}));  // the shortest
    EXPECT_EQ(o.sources.sources.size(), 1u);  // one source, two ways
  }
  EXPECT_EQ(credits, 1);
}

// Issue 9 §2: a reason names every source behind it, not the first found.
TEST(Licensing, EverySourceOfAReasonIsNamed) {
  GraphBuilder g;
  const Uuid a = g.Node(Kind::kDataset, "nc a", "CC-BY-NC-4.0");
  const Uuid b = g.Node(Kind::kDataset, "nc b", "CC-BY-NC-4.0");
  const Uuid run = g.Node(Kind::kRun, "run");
  g.Edge(run, Relation::kTrainedOn, a);
  g.Edge(run, Relation::kTrainedOn, b);
  const Uuid weights = g.Node(Kind::kWeights, "weights");
  g.Edge(weights, Relation::kProducedBy, run);

  auto check = g.Check(weights, IntendedUse::kCommercialProduction);
  EXPECT_EQ(check.verdict, Verdict::kDenied);
  int field_of_use = 0;
  for (const auto& r : check.reasons) field_of_use += r.rule == "field-of-use";
  EXPECT_EQ(field_of_use, 1) << "one reason, grouped";
  const auto* why = FindRule(check, "field-of-use");
  ASSERT_NE(why, nullptr);
  ASSERT_EQ(why->sources.sources.size(), 2u);
  std::set<Uuid> origins;
  for (std::size_t i = 0; i < 2; ++i) {
    const auto path = why->sources.PathTo(i);
    EXPECT_EQ(path.size(), 3u);
    EXPECT_EQ(path.front(), weights);
    EXPECT_EQ(path[1], run);
    origins.insert(path.back());
  }
  EXPECT_EQ(origins, (std::set<Uuid>{a, b}));
  EXPECT_NE(why->message.find("; from 2 sources: dataset 'nc a', dataset 'nc b'; via "),
            std::string::npos)
      << why->message;

  // The chain lists the term once, with both sources.
  for (const auto& t : g.Chain(weights).terms) {
    if (t.kind == "field-of-use") {
      EXPECT_EQ(t.sources.sources.size(), 2u);
    }
  }
  // Obligations likewise (the attribution of both, nobody recorded: REVIEW).
  const auto* attribution =
      FindRule(g.Check(weights, IntendedUse::kClientDelivery), "attribution");
  ASSERT_NE(attribution, nullptr);
  EXPECT_EQ(attribution->sources.sources.size(), 2u);
}

// The reasons come out in a stable order: worst effect first, then by rule.
TEST(Licensing, ReasonsAreOrderedWorstFirst) {
  GraphBuilder g;
  const Uuid nc = g.Node(Kind::kDataset, "nc", "CC-BY-NC-4.0");
  const Uuid found = g.Node(Kind::kDataset, "found on a drive");
  const Uuid set = g.Node(Kind::kDataset, "set");
  g.Edge(set, Relation::kContains, found);
  g.Edge(set, Relation::kContains, nc);
  auto check = g.Check(set, IntendedUse::kCommercialProduction);
  ASSERT_EQ(check.reasons.size(), 2u);
  EXPECT_EQ(check.reasons[0].effect, Verdict::kDenied);
  EXPECT_EQ(check.reasons[1].rule, "no-licence");
}

// A reason with 1,000 sources names all of them, and the work grows with
// the subgraph, not with sources times depth: doubling the sources doubles
// the work, and a 40-deep chain below them adds a constant per level.
TEST(Licensing, AThousandSourcesCostLinearWork) {
  auto run = [](int sources, int depth) {
    GraphBuilder g;
    const Uuid set = g.Node(Kind::kDataset, "set");
    for (int i = 0; i < sources; ++i) {
      g.Edge(set, Relation::kContains,
             g.Node(Kind::kAsset, "a" + std::to_string(i), "CC-BY-NC-4.0"));
    }
    Uuid top = set;
    for (int d = 0; d < depth; ++d) {
      const Uuid next = g.Node(Kind::kDataset, "subset " + std::to_string(d));
      g.Edge(next, Relation::kDerivedFrom, top);
      top = next;
    }
    LicensingEvaluator evaluator(g.graph, Day(100), Policy::kStrict);
    auto check = evaluator.Check(top, IntendedUse::kClientDelivery);
    const auto* why = FindRule(check, "field-of-use");
    EXPECT_NE(why, nullptr);
    if (why != nullptr) {
      EXPECT_EQ(why->sources.sources.size(), static_cast<std::size_t>(sources));
      const auto last = why->sources.PathTo(sources - 1);
      EXPECT_EQ(last.size(), static_cast<std::size_t>(depth + 2));
      EXPECT_EQ(last.front(), top);
      EXPECT_NE(why->message.find(StrCat("; from ", sources, " sources: ")),
                std::string::npos);
      EXPECT_NE(why->message.find(StrCat(" and ", sources - 5, " more; via ")),
                std::string::npos);
    }
    return evaluator.stats();
  };
  const auto base = run(1000, 40);
  const auto twice = run(2000, 40);
  const auto deeper = run(1000, 80);
  // Sources times depth would be 40,000 and 80,000 terms carried.
  EXPECT_LT(base.terms_carried, 12000u);
  EXPECT_LT(twice.terms_carried, base.terms_carried * 21 / 10);
  EXPECT_LT(deeper.terms_carried, base.terms_carried * 12 / 10);
  EXPECT_LT(twice.steps_listed, base.steps_listed * 21 / 10);
}

// Issue 9 §5: evaluating on data is a use of it; the weights stay clean.
TEST(Licensing, EvaluationDataIsAUseOfIt) {
  GraphBuilder g;
  g.Licence("Vendor-Expired", R"({"field_of_use": "commercial", "training": "allowed"})",
            Day(50));
  const Uuid train = g.Node(Kind::kDataset, "clean", "CC0-1.0");
  auto evaluated_on = [&](const Uuid& eval, const std::string& name) {
    const Uuid run = g.Node(Kind::kRun, name);
    g.Edge(run, Relation::kTrainedOn, train);
    g.Edge(run, Relation::kEvaluatedOn, eval);
    const Uuid weights = g.Node(Kind::kWeights, name + " weights");
    g.Edge(weights, Relation::kProducedBy, run);
    return std::pair{run, weights};
  };
  const Uuid nc = g.Node(Kind::kDataset, "nc bench", "CC-BY-NC-4.0");
  const auto [nc_run, nc_weights] = evaluated_on(nc, "nc eval");
  auto check = g.Check(nc_run, IntendedUse::kCommercialProduction);
  EXPECT_EQ(check.verdict, Verdict::kReview);
  const auto* why = FindRule(check, "field-of-use");
  ASSERT_NE(why, nullptr);
  EXPECT_EQ(why->message,
            "CC-BY-NC-4.0 is non-commercial: no commercial-production (evaluation data: "
            "run 'nc eval' is evaluated_on it, itself a use; nothing of it reaches what "
            "the run makes); via run 'nc eval' <- dataset 'nc bench'");
  EXPECT_EQ(g.Check(nc_run, IntendedUse::kInternalResearch).verdict, Verdict::kAllowed);
  // The other half: its weights carry nothing of the evaluation data.
  EXPECT_EQ(g.Check(nc_weights, IntendedUse::kCommercialProduction).verdict,
            Verdict::kAllowed);
  for (const auto& t : g.Chain(nc_weights).terms) EXPECT_NE(t.licence_id, "CC-BY-NC-4.0");
  bool marked = false;
  for (const auto& t : g.Chain(nc_run).terms) marked |= t.evaluation;
  EXPECT_TRUE(marked);
  EXPECT_EQ(g.Chain(nc_run).field_of_use, FieldOfUse::kCommercial)
      << "evaluation data does not bind what the run makes";

  const auto [unlicensed_run, unlicensed_weights] =
      evaluated_on(g.Node(Kind::kDataset, "found on a drive"), "unlicensed eval");
  auto unlicensed = g.Check(unlicensed_run, IntendedUse::kClientDelivery);
  EXPECT_EQ(unlicensed.verdict, Verdict::kReview);
  ASSERT_NE(FindRule(unlicensed, "no-licence"), nullptr);
  EXPECT_EQ(g.Check(unlicensed_weights, IntendedUse::kClientDelivery).verdict,
            Verdict::kAllowed);

  const auto [expired_run, expired_weights] =
      evaluated_on(g.Node(Kind::kDataset, "old bench", "Vendor-Expired"), "late eval");
  // Made after the licence ended (made during its term is section 6's case).
  g.graph.nodes[expired_run].created_at = Day(60);
  g.graph.nodes[expired_weights].created_at = Day(60);
  auto expired = g.Check(expired_run, IntendedUse::kCommercialProduction);
  EXPECT_EQ(expired.verdict, Verdict::kReview) << "at most REVIEW through evaluation";
  ASSERT_NE(FindRule(expired, "licence-not-in-force"), nullptr);
  EXPECT_EQ(g.Check(expired_weights, IntendedUse::kCommercialProduction).verdict,
            Verdict::kAllowed);
}

// ---- Time: rights that survive, work that did not exist yet ---------------

TEST(LicenceTerms, SurvivesExpiryIsATermThatDefaultsToNone) {
  EXPECT_EQ(records::TermsFromJson("t", "{}")->survives_expiry,
            records::SurvivesExpiry::kNone);
  auto terms = records::TermsFromJson(
      "terms", R"({"survives_expiry": "derivatives-made-during-term"})");
  ASSERT_TRUE(terms.ok()) << terms.status();
  EXPECT_EQ(terms->survives_expiry, records::SurvivesExpiry::kDerivativesMadeDuringTerm);
  EXPECT_EQ(records::TermsFromJson("t", records::TermsToJson(*terms))->survives_expiry,
            records::SurvivesExpiry::kDerivativesMadeDuringTerm);
  EXPECT_EQ(
      std::string(records::TermsFromJson("terms", R"({"survives_expiry": "forever"})")
                      .status()
                      .message()),
      "terms.survives_expiry: must be none or derivatives-made-during-term");
  EXPECT_FALSE(records::TermsFromJson("terms", R"({"survives_expiry": true})").ok());
}

TEST(LicensingTime, WorkMadeDuringTheTermKeepsItsRightsWhereTheLicenceSaysSo) {
  GraphBuilder g;
  g.Licence("LicenseRef-Keeps",
            R"({"field_of_use": "non-commercial", "training": "allowed",
                "survives_expiry": "derivatives-made-during-term"})",
            Day(30));
  const Uuid plates = g.Node(Kind::kDataset, "vendor plates", "LicenseRef-Keeps");
  const auto [run, during] = g.TrainAndInferAt(plates, "during ", Day(20));
  const auto [late_run, after] = g.TrainAndInferAt(plates, "after ", Day(40));

  // As of day 60 the licence has expired: the plates grant nothing...
  auto source = g.Check(plates, IntendedUse::kInternalResearch);
  EXPECT_EQ(source.verdict, Verdict::kDenied);
  ASSERT_NE(FindRule(source, "licence-not-in-force"), nullptr);
  // ...but the model made on day 20 keeps the licence's terms, no more: its
  // outputs may serve research, not commercial work.
  auto research = g.Check(during, IntendedUse::kInternalResearch);
  EXPECT_EQ(research.verdict, Verdict::kAllowed);
  EXPECT_TRUE(research.reasons.empty());
  auto commercial = g.Check(during, IntendedUse::kCommercialProduction);
  EXPECT_EQ(commercial.verdict, Verdict::kDenied);
  ASSERT_NE(FindRule(commercial, "field-of-use"), nullptr);
  EXPECT_EQ(FindRule(commercial, "licence-not-in-force"), nullptr);
  EXPECT_EQ(FindRule(commercial, "field-of-use")->licence_id, "LicenseRef-Keeps");
  // The model made on day 40, after the expiry, has nothing to keep.
  auto late = g.Check(after, IntendedUse::kInternalResearch);
  EXPECT_EQ(late.verdict, Verdict::kDenied);
  ASSERT_NE(FindRule(late, "licence-not-in-force"), nullptr);
  EXPECT_EQ(FindRule(late, "licence-not-in-force")->path.back(), plates);
  // While the licence was in force, both were fine for research.
  EXPECT_EQ(
      g.Check(during, IntendedUse::kInternalResearch, Policy::kStrict, Day(25)).verdict,
      Verdict::kAllowed);
}

TEST(LicensingTime, ALicenceSilentAboutExpiryAsksForReviewOfWorkMadeDuringItsTerm) {
  GraphBuilder g;
  g.Licence("LicenseRef-Silent",
            R"({"field_of_use": "commercial", "training": "allowed"})", Day(30));
  g.Licence("LicenseRef-Pulled",
            R"({"field_of_use": "commercial", "training": "allowed",
                "survives_expiry": "derivatives-made-during-term"})",
            std::nullopt, Day(30));
  const Uuid plates = g.Node(Kind::kDataset, "stock plates", "LicenseRef-Silent");
  const auto [run, during] = g.TrainAndInferAt(plates, "silent ", Day(20));
  const auto [late_run, after] = g.TrainAndInferAt(plates, "late ", Day(40));

  auto review = g.Check(during, IntendedUse::kClientDelivery);
  EXPECT_EQ(review.verdict, Verdict::kReview);
  EXPECT_EQ(FindRule(review, "licence-not-in-force"), nullptr);
  const auto* why = FindRule(review, "licence-ended");
  ASSERT_NE(why, nullptr);
  EXPECT_EQ(why->licence_id, "LicenseRef-Silent");
  EXPECT_EQ(why->message,
            "run 'silent run' was made while LicenseRef-Silent was in force; it expired "
            "on " +
                FormatDate(Day(30)) +
                ", and it does not say that work made during its term keeps its rights "
                "(survives_expiry); via asset 'silent output' <- inference 'silent "
                "inference' <- weights 'silent weights' <- run 'silent run' <- dataset "
                "'stock plates'");
  EXPECT_EQ(g.Check(after, IntendedUse::kClientDelivery).verdict, Verdict::kDenied);

  // A revocation is no expiry: work made before it asks for review even
  // where the licence keeps rights past its expiry.
  const Uuid pulled = g.Node(Kind::kDataset, "pulled plates", "LicenseRef-Pulled");
  const auto [pulled_run, made] = g.TrainAndInferAt(pulled, "pulled ", Day(20));
  auto revoked = g.Check(made, IntendedUse::kClientDelivery);
  EXPECT_EQ(revoked.verdict, Verdict::kReview);
  ASSERT_NE(FindRule(revoked, "licence-ended"), nullptr);
  EXPECT_NE(FindRule(revoked, "licence-ended")
                ->message.find("it was revoked on " + FormatDate(Day(30))),
            std::string::npos);
  EXPECT_EQ(g.Check(pulled, IntendedUse::kInternalResearch).verdict, Verdict::kDenied);
}

TEST(LicensingTime, AConsentWithdrawnAfterTheWorkIsTheStudiosChoice) {
  GraphBuilder g;
  const Uuid artwork = g.Node(Kind::kAsset, "concept art", "CC-BY-4.0", "Aroha Painter");
  const Uuid set = g.Node(Kind::kDataset, "art set");
  g.Edge(set, Relation::kContains, artwork);
  g.Consent(artwork, "Aroha Painter", ConsentKey::kAiTraining, ConsentValue::kAllowed,
            Day(1));
  g.Consent(artwork, "Aroha Painter", ConsentKey::kAiTraining, ConsentValue::kNotAllowed,
            Day(50));
  const auto [run, before] = g.TrainAndInferAt(set, "early ", Day(20));
  const auto [late_run, after] = g.TrainAndInferAt(set, "late ", Day(55));
  records::EvaluationSettings deny{.as_of = Day(60)};
  records::EvaluationSettings review{
      .as_of = Day(60), .consent_withdrawal = records::ConsentWithdrawal::kReview};

  // Strict studios (the default): a withdrawal denies what was made before it.
  auto denied = g.CheckWith(before, IntendedUse::kInternalResearch, deny);
  EXPECT_EQ(denied.verdict, Verdict::kDenied);
  ASSERT_NE(FindRule(denied, "consent"), nullptr);
  // Others review it.
  auto reviewed = g.CheckWith(before, IntendedUse::kInternalResearch, review);
  EXPECT_EQ(reviewed.verdict, Verdict::kReview);
  EXPECT_EQ(FindRule(reviewed, "consent"), nullptr);
  const auto* why = FindRule(reviewed, "consent-withdrawn");
  ASSERT_NE(why, nullptr);
  EXPECT_EQ(why->party, "Aroha Painter");
  EXPECT_EQ(why->message.substr(0, why->message.find("; via")),
            "Aroha Painter withdrew ai_training (not-allowed from " +
                FormatDate(Day(50)) + ") after run 'early run' was recorded (" +
                FormatDate(Day(20)) +
                ") as trained_on it; withdrawn consents ask for a review (rmtcd "
                "--consent-withdrawal)");
  // A model trained after the refusal is denied either way.
  EXPECT_EQ(g.CheckWith(after, IntendedUse::kInternalResearch, review).verdict,
            Verdict::kDenied);
  // A refusal that began before the work, and still holds, is no withdrawal
  // even if it was repeated later.
  g.Consent(artwork, "Aroha Painter", ConsentKey::kAiTraining, ConsentValue::kConstrained,
            Day(58));
  EXPECT_EQ(g.CheckWith(after, IntendedUse::kInternalResearch, review).verdict,
            Verdict::kDenied);
  EXPECT_EQ(g.CheckWith(before, IntendedUse::kInternalResearch, review).verdict,
            Verdict::kReview);
}

TEST(LicensingTime, ArtefactsRecordedAfterTheMomentAskedBringNothing) {
  GraphBuilder g;
  const Uuid set = g.Node(Kind::kDataset, "set");
  const Uuid nc = g.Node(Kind::kAsset, "nc art", "CC-BY-NC-4.0", "A. Artist");
  g.Edge(set, Relation::kContains, nc);
  g.MadeAt({set}, Day(10));
  g.MadeAt({nc}, Day(50));
  // As of day 20 the set held nothing recorded: no licence, nothing carried.
  auto then = g.Check(set, IntendedUse::kCommercialProduction, Policy::kStrict, Day(20));
  EXPECT_EQ(then.verdict, Verdict::kReview);
  ASSERT_NE(FindRule(then, "no-licence"), nullptr);
  EXPECT_EQ(FindRule(then, "field-of-use"), nullptr);
  EXPECT_TRUE(g.Chain(set, Day(20)).credits.empty());
  auto now = g.Check(set, IntendedUse::kCommercialProduction, Policy::kStrict, Day(60));
  EXPECT_EQ(now.verdict, Verdict::kDenied);
  ASSERT_NE(FindRule(now, "field-of-use"), nullptr);
}

// ---- Whom and where a licence was granted to -------------------------------

TEST(LicensingGrant, ALicenceGrantedToAnotherCompanyAsksForReview) {
  GraphBuilder g;
  g.Licence("LicenseRef-Other",
            R"({"field_of_use": "commercial", "training": "allowed"})");
  g.graph.licences["LicenseRef-Other"].licensee = "Other Co";
  const Uuid plate = g.Node(Kind::kAsset, "plate", "LicenseRef-Other");
  const auto [run, output] = g.TrainAndInferAt(plate, "other ", Day(5));
  const records::EvaluationSettings studio{.as_of = Day(100),
                                           .studio = "Rongotai Studio"};

  auto review = g.CheckWith(plate, IntendedUse::kInternalResearch, studio);
  EXPECT_EQ(review.verdict, Verdict::kReview);
  const auto* why = FindRule(review, "licensee");
  ASSERT_NE(why, nullptr);
  EXPECT_EQ(why->licence_id, "LicenseRef-Other");
  EXPECT_EQ(why->message,
            "LicenseRef-Other was granted to Other Co, not Rongotai Studio; via asset "
            "'plate'");
  // It travels like a field of use: through training, as a risk.
  auto downstream = g.CheckWith(output, IntendedUse::kInternalResearch, studio);
  EXPECT_EQ(downstream.verdict, Verdict::kReview);
  ASSERT_NE(FindRule(downstream, "licensee"), nullptr);
  EXPECT_NE(FindRule(downstream, "licensee")->message.find("through training"),
            std::string::npos);
  // The studio's own name (any case), one of its aliases, or no studio
  // configured: nothing to review.
  g.graph.licences["LicenseRef-Other"].licensee = "rongotai studio";
  EXPECT_EQ(g.CheckWith(plate, IntendedUse::kClientDelivery, studio).verdict,
            Verdict::kAllowed);
  g.graph.licences["LicenseRef-Other"].licensee = "Rongotai Studio Montreal Inc.";
  auto alias = studio;
  alias.studio_aliases = {"Rongotai Studio Montreal Inc."};
  EXPECT_EQ(g.CheckWith(plate, IntendedUse::kClientDelivery, alias).verdict,
            Verdict::kAllowed);
  EXPECT_EQ(g.CheckWith(plate, IntendedUse::kClientDelivery, studio).verdict,
            Verdict::kReview);
  EXPECT_EQ(g.Check(plate, IntendedUse::kClientDelivery).verdict, Verdict::kAllowed);
  // The chain lists whom it was granted to either way.
  bool listed = false;
  for (const auto& t : g.Chain(plate).terms) listed |= t.kind == "licensee";
  EXPECT_TRUE(listed);
}

TEST(LicensingGrant, AUseOutsideTheLicencesTerritoriesIsDenied) {
  GraphBuilder g;
  g.Licence("LicenseRef-AU-US",
            R"({"field_of_use": "commercial", "training": "allowed"})");
  g.graph.licences["LicenseRef-AU-US"].jurisdictions = {"AU", "US"};
  const Uuid plate = g.Node(Kind::kAsset, "plate", "LicenseRef-AU-US");
  const auto [run, output] = g.TrainAndInferAt(plate, "territory ", Day(5));
  records::EvaluationSettings nz{.as_of = Day(100), .jurisdiction = "NZ"};

  auto denied = g.CheckWith(plate, IntendedUse::kCommercialProduction, nz);
  EXPECT_EQ(denied.verdict, Verdict::kDenied);
  const auto* why = FindRule(denied, "jurisdiction");
  ASSERT_NE(why, nullptr);
  EXPECT_EQ(why->message,
            "LicenseRef-AU-US applies only in AU, US: not NZ; via asset 'plate'");
  auto au = nz;
  au.jurisdiction = "AU";
  EXPECT_EQ(g.CheckWith(plate, IntendedUse::kCommercialProduction, au).verdict,
            Verdict::kAllowed);
  EXPECT_EQ(g.Check(plate, IntendedUse::kCommercialProduction).verdict,
            Verdict::kAllowed);  // no jurisdiction asked
  // Through training it is a risk: enforced under strict, reviewed under
  // permissive.
  EXPECT_EQ(g.CheckWith(output, IntendedUse::kCommercialProduction, nz).verdict,
            Verdict::kDenied);
  auto permissive = nz;
  permissive.policy = Policy::kPermissive;
  EXPECT_EQ(g.CheckWith(output, IntendedUse::kCommercialProduction, permissive).verdict,
            Verdict::kReview);
  // A territory RMTC cannot compare (recorded as free text) asks for review.
  g.graph.licences["LicenseRef-AU-US"].jurisdictions = {"Australasia"};
  auto unreadable = g.CheckWith(plate, IntendedUse::kCommercialProduction, nz);
  EXPECT_EQ(unreadable.verdict, Verdict::kReview);
  ASSERT_NE(FindRule(unreadable, "jurisdiction"), nullptr);
}

}  // namespace
}  // namespace rmtc::lineage
