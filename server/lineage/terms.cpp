#include "lineage/terms.h"

#include "common/strings.h"
#include "vocabulary/names.h"

namespace rmtc::lineage {

static_assert(vocabulary::kTermKindNames.size() == kTermKindCount);
static_assert(static_cast<int>(TermKind::kFinding) == kTermKindCount - 1);

std::string_view TermKindName(TermKind kind) {
  return vocabulary::NameAt(vocabulary::kTermKindNames, static_cast<int>(kind));
}

Path PathOf(const records::Uuid& at) {
  return std::make_shared<const PathLink>(PathLink{at, nullptr, 1});
}

Path Prepend(const records::Uuid& at, const Path& rest) {
  return std::make_shared<const PathLink>(
      PathLink{at, rest, rest ? rest->length + 1 : 1});
}

std::vector<records::Uuid> ToVector(const Path& path) {
  std::vector<records::Uuid> out;
  for (const PathLink* link = path.get(); link != nullptr; link = link->next.get()) {
    out.push_back(link->id);
  }
  return out;
}

std::string TermCore::Key() const {
  return StrCat(static_cast<int>(kind), "|", value, "|", static_cast<int>(field), "|",
                static_cast<int>(training), "|", static_cast<int>(consent_key), "|",
                static_cast<int>(consent_value), "|",
                refused_since.time_since_epoch().count(), "|", static_cast<int>(effect),
                "|", rule, "|", licence_id, "|", party, "|", message, "|",
                StrJoin(list, ",", [](const std::string& s) { return s; }));
}

const TermCore* TermCores::Intern(TermCore core) {
  std::string key = core.Key();
  auto it = by_key_.find(key);
  if (it == by_key_.end()) {
    it =
        by_key_.emplace(std::move(key), std::make_unique<const TermCore>(std::move(core)))
            .first;
  }
  return it->second.get();
}

std::size_t Term::IdentityHash::operator()(const Identity& id) const {
  return std::hash<const void*>()(id.core) ^
         (std::hash<const void*>()(id.risk_via) << 1) ^
         static_cast<std::size_t>(id.flags) * 0x9e3779b97f4a7c15ull;
}

Term::Identity Term::Id() const {
  return {core, risk_via,
          (risk ? 1 : 0) | (open ? 2 : 0) | (via_outputs ? 4 : 0) | (adapted ? 8 : 0)};
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
