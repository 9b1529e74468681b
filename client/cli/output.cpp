#include "output.h"

#include <algorithm>
#include <ctime>
#include <map>
#include <set>
#include <tuple>

#include "vocabulary/time_text.h"

namespace rmtc::cli {
namespace {

std::string Quoted(const std::string& text) {
  return nlohmann::json(text).dump(-1, ' ', false,
                                   nlohmann::json::error_handler_t::replace);
}

std::string Label(const Artefact& a) {
  std::string label = std::string(KindName(a.kind)) + " " + Quoted(a.name);
  if (!a.version.empty()) label += " " + a.version;
  return label + "  " + a.id;
}

// Children order in a tree, so the same graph always prints the same way.
auto SortKey(Relation relation, const Artefact& a) {
  return std::make_tuple(static_cast<int>(relation), static_cast<int>(a.kind), a.name,
                         a.id);
}

}  // namespace

std::string Count(std::int64_t n, std::string_view singular, std::string_view plural) {
  std::string noun(n == 1           ? singular
                   : plural.empty() ? std::string(singular) + "s"
                                    : plural);
  return std::to_string(n) + " " + noun;
}

std::string Count(std::int64_t n, Kind kind) {
  if (kind == Kind::kWeights) return Count(n, "set of weights", "sets of weights");
  return Count(n, KindName(kind));
}

std::string FormatTime(Time time) {
  return vocabulary::FormatRfc3339(time.time_since_epoch().count());
}

nlohmann::json ToJson(const Artefact& a) {
  nlohmann::json external = nlohmann::json::array();
  for (const auto& ext : a.external_ids) {
    external.push_back({{"system", ext.system}, {"id", ext.id}});
  }
  auto attributes =
      nlohmann::json::parse(a.attributes.empty() ? "{}" : a.attributes, nullptr, false);
  return {{"id", a.id},
          {"kind", KindName(a.kind)},
          {"name", a.name},
          {"version", a.version},
          {"uri", a.uri},
          {"sha256", a.sha256},
          {"facility", a.facility},
          {"created_at", FormatTime(a.created_at)},
          {"created_by", a.created_by},
          {"attributes",
           attributes.is_discarded() ? nlohmann::json(a.attributes) : attributes},
          {"external_ids", external}};
}

nlohmann::json ToJson(const Registered& r) {
  auto json = ToJson(r.artefact);
  json["existed"] = r.existed;
  return json;
}

nlohmann::json TraceToJson(const std::string& root, Direction direction,
                           const TraceResult& trace) {
  nlohmann::json nodes = nlohmann::json::array();
  for (const auto& node : trace.nodes) {
    nodes.push_back({{"id", node.artefact.id},
                     {"kind", KindName(node.artefact.kind)},
                     {"name", node.artefact.name},
                     {"version", node.artefact.version},
                     {"uri", node.artefact.uri},
                     {"sha256", node.artefact.sha256},
                     {"facility", node.artefact.facility},
                     {"created_at", FormatTime(node.artefact.created_at)},
                     {"depth", node.depth}});
  }
  nlohmann::json edges = nlohmann::json::array();
  for (const auto& edge : trace.edges) {
    edges.push_back({{"from", edge.derived_id},
                     {"to", edge.source_id},
                     {"relation", RelationName(edge.relation)}});
  }
  return {{"root", root},
          {"direction", direction == Direction::kUpstream ? "upstream" : "downstream"},
          {"nodes", nodes},
          {"edges", edges},
          {"partial", trace.partial}};
}

void PrintLine(std::ostream& out, const Artefact& a, bool existed) {
  out << a.id << "  " << KindName(a.kind) << "  " << Quoted(a.name);
  if (!a.version.empty()) out << "  " << a.version;
  if (existed) out << "  (already registered)";
  out << "\n";
}

void PrintDetails(std::ostream& out, const Artefact& a) {
  auto field = [&](const char* name, const std::string& value) {
    if (!value.empty())
      out << name << std::string(12 - std::string(name).size(), ' ') << value << "\n";
  };
  field("id", a.id);
  field("kind", std::string(KindName(a.kind)));
  field("name", a.name);
  field("version", a.version);
  field("uri", a.uri);
  field("sha256", a.sha256);
  field("facility", a.facility);
  field("created", FormatTime(a.created_at));
  field("created by", a.created_by);
  for (const auto& ext : a.external_ids) field("external", ext.system + ":" + ext.id);
  if (!a.attributes.empty() && a.attributes != "{}") field("attributes", a.attributes);
}

void PrintTree(std::ostream& out, const std::string& root, Direction direction,
               const TraceResult& trace) {
  std::map<std::string, const Artefact*> by_id;
  for (const auto& node : trace.nodes) by_id[node.artefact.id] = &node.artefact;
  // For each node, the nodes one step further from the root.
  std::map<std::string, std::vector<std::pair<Relation, const Artefact*>>> next;
  for (const auto& edge : trace.edges) {
    const bool up = direction == Direction::kUpstream;
    const std::string& from = up ? edge.derived_id : edge.source_id;
    const std::string& to = up ? edge.source_id : edge.derived_id;
    if (auto it = by_id.find(to); it != by_id.end())
      next[from].emplace_back(edge.relation, it->second);
  }
  for (auto& [id, children] : next) {
    std::sort(children.begin(), children.end(), [](const auto& x, const auto& y) {
      return SortKey(x.first, *x.second) < SortKey(y.first, *y.second);
    });
  }
  auto root_it = by_id.find(root);
  if (root_it == by_id.end()) return;
  std::set<std::string> shown;
  // Depth-first, with an explicit stack: lineage can be thousands deep.
  struct Frame {
    const Artefact* node;
    std::string prefix;  // drawn before this node's own connector
    std::string line;    // its connector and relation
  };
  std::vector<Frame> stack{{root_it->second, "", ""}};
  while (!stack.empty()) {
    Frame frame = std::move(stack.back());
    stack.pop_back();
    const bool repeat = !shown.insert(frame.node->id).second;
    out << frame.prefix << frame.line << Label(*frame.node)
        << (repeat ? "  (shown above)" : "") << "\n";
    if (repeat) continue;
    const auto& children = next[frame.node->id];
    const std::string child_prefix =
        frame.line.empty()
            ? frame.prefix
            : frame.prefix + (frame.line.starts_with("└") ? "    " : "│   ");
    // Relations are named from the derived side; going down, the child is
    // the derived one, so its line reads back to the parent.
    const std::string arrow = direction == Direction::kDownstream ? "<- " : "";
    for (std::size_t i = children.size(); i-- > 0;) {
      const bool last = i + 1 == children.size();
      stack.push_back({children[i].second, child_prefix,
                       std::string(last ? "└── " : "├── ") + arrow +
                           std::string(RelationName(children[i].first)) + ": "});
    }
  }
  if (trace.partial) out << "(partial: more nodes follow; raise --limit)\n";
}

void PrintDot(std::ostream& out, const TraceResult& trace) {
  auto escape = [](const std::string& text) {
    std::string s;
    for (char c : text) {
      if (c == '"' || c == '\\') s.push_back('\\');
      s.push_back(c);
    }
    return s;
  };
  std::vector<const TraceNode*> nodes;
  for (const auto& node : trace.nodes) nodes.push_back(&node);
  std::sort(nodes.begin(), nodes.end(), [](const TraceNode* x, const TraceNode* y) {
    return std::make_tuple(x->depth, static_cast<int>(x->artefact.kind), x->artefact.name,
                           x->artefact.id) <
           std::make_tuple(y->depth, static_cast<int>(y->artefact.kind), y->artefact.name,
                           y->artefact.id);
  });
  std::map<std::string, std::size_t> order;
  for (std::size_t i = 0; i < nodes.size(); ++i) order[nodes[i]->artefact.id] = i;
  std::vector<const Edge*> edges;
  for (const auto& edge : trace.edges) edges.push_back(&edge);
  std::sort(edges.begin(), edges.end(), [&](const Edge* x, const Edge* y) {
    return std::make_tuple(order[x->derived_id], order[x->source_id],
                           static_cast<int>(x->relation)) <
           std::make_tuple(order[y->derived_id], order[y->source_id],
                           static_cast<int>(y->relation));
  });
  out << "digraph lineage {\n"
      << "  rankdir=LR;\n"
      << "  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
      << "  edge [fontname=\"Helvetica\", fontsize=10];\n";
  for (const TraceNode* node : nodes) {
    const auto& a = node->artefact;
    std::string label = std::string(KindName(a.kind)) + "\\n" + escape(a.name);
    if (!a.version.empty()) label += "\\n" + escape(a.version);
    out << "  \"" << a.id << "\" [label=\"" << label << "\"];\n";
  }
  for (const Edge* edge : edges) {
    out << "  \"" << edge->derived_id << "\" -> \"" << edge->source_id << "\" [label=\""
        << RelationName(edge->relation) << "\"];\n";
  }
  out << "}\n";
}

}  // namespace rmtc::cli
