#include "lineage/terms.h"

#include <algorithm>
#include <unordered_set>

#include "common/strings.h"
#include "vocabulary/names.h"

namespace rmtc::lineage {

static_assert(vocabulary::kTermKindNames.size() == kTermKindCount);
static_assert(static_cast<int>(TermKind::kFinding) == kTermKindCount - 1);

std::string_view TermKindName(TermKind kind) {
  return vocabulary::NameAt(vocabulary::kTermKindNames, static_cast<int>(kind));
}

Path PathOf(const records::Uuid& at) {
  return std::make_shared<const PathLink>(PathLink{at, nullptr, 1, {}});
}

Path Prepend(const records::Uuid& at, const Path& rest) {
  return std::make_shared<const PathLink>(
      PathLink{at, rest, rest ? rest->length + 1 : 1, {}});
}

Path MergeWays(const std::vector<Path>& ways) {
  const auto shortest = std::min_element(
      ways.begin(), ways.end(),
      [](const Path& a, const Path& b) { return a->length < b->length; });
  if (ways.size() == 1) return *shortest;
  auto merged = std::make_shared<PathLink>(**shortest);
  for (const Path& way : ways) {
    if (way == *shortest) continue;
    if (way->next) merged->others.push_back(way->next);
    merged->others.insert(merged->others.end(), way->others.begin(), way->others.end());
  }
  return merged;
}

records::SourceTree SourcesOf(const Path& path) {
  records::SourceTree tree;
  if (!path) return tree;
  std::unordered_map<records::Uuid, int> step_of;
  std::unordered_set<const PathLink*> seen;
  std::vector<bool> is_source;
  step_of.reserve(64);
  seen.reserve(64);
  // Breadth first over links: (link, the step one hop nearer the root).
  std::vector<std::pair<const PathLink*, int>> queue{{path.get(), -1}};
  queue.reserve(64);
  for (std::size_t next = 0; next < queue.size(); ++next) {
    const auto [link, toward] = queue[next];
    if (!seen.insert(link).second) continue;
    const auto [at, added] = step_of.try_emplace(link->id, tree.steps.size());
    const int step = at->second;
    if (added) {
      tree.steps.push_back(link->id);
      tree.toward.push_back(toward);
      is_source.push_back(false);
    }
    if (!link->next && !is_source[step]) {
      is_source[step] = true;
      tree.sources.push_back(step);
    }
    if (link->next) queue.emplace_back(link->next.get(), step);
    for (const Path& other : link->others) queue.emplace_back(other.get(), step);
  }
  return tree;
}

std::vector<records::Uuid> ToVector(const Path& path) {
  std::vector<records::Uuid> out;
  for (const PathLink* link = path.get(); link != nullptr; link = link->next.get()) {
    out.push_back(link->id);
  }
  return out;
}

std::size_t TermCore::Hash::operator()(const TermCore& c) const {
  std::size_t h = static_cast<std::size_t>(c.kind);
  auto mix = [&h](std::size_t v) { h = (h ^ v) * 0x100000001b3ull + (h >> 29); };
  const std::hash<std::string> text;
  for (const std::string* s : {&c.value, &c.rule, &c.message, &c.licence_id, &c.party})
    mix(text(*s));
  for (const auto& item : c.list) mix(text(item));
  mix(static_cast<std::size_t>(c.field) | static_cast<std::size_t>(c.training) << 8 |
      static_cast<std::size_t>(c.consent_key) << 16 |
      static_cast<std::size_t>(c.consent_value) << 24 |
      static_cast<std::size_t>(c.effect) << 32);
  mix(static_cast<std::size_t>(c.refused_since.time_since_epoch().count()));
  return h;
}

const TermCore* TermCores::Intern(TermCore core) {
  auto& bucket = cores_[TermCore::Hash()(core)];
  for (const auto& interned : bucket) {
    if (*interned == core) return interned.get();
  }
  bucket.push_back(std::make_unique<const TermCore>(std::move(core)));
  return bucket.back().get();
}

const absl::StatusOr<LicenceExpression>& TermCores::Parsed(
    const std::string& expression, const records::RightsGraph& graph) {
  auto it = expressions_.find(expression);
  if (it == expressions_.end()) {
    it = expressions_
             .emplace(expression, ParseLicenceExpression(
                                      expression,
                                      [&](std::string_view id) {
                                        return graph.licences.count(std::string(id)) > 0;
                                      }))
             .first;
  }
  return it->second;
}

std::size_t Term::IdentityHash::operator()(const Identity& id) const {
  return std::hash<const void*>()(id.core) ^
         (std::hash<const void*>()(id.risk_via) << 1) ^
         static_cast<std::size_t>(id.flags) * 0x9e3779b97f4a7c15ull;
}

Term::Identity Term::Id() const {
  return {core, risk_via,
          (risk ? 1 : 0) | (open ? 2 : 0) | (via_outputs ? 4 : 0) | (adapted ? 8 : 0) |
              (evaluation ? 16 : 0)};
}

Term Finding(TermCores& cores, records::Verdict effect, std::string rule,
             std::string message, const records::Uuid& at) {
  TermCore core{.kind = TermKind::kFinding};
  core.effect = effect;
  core.rule = std::move(rule);
  core.message = std::move(message);
  Term t;
  t.core = cores.Intern(std::move(core));
  t.path = PathOf(at);
  return t;
}

}  // namespace rmtc::lineage
