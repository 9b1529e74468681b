// rmtc license | consent | clearance | chain | check | impact.
#include <iostream>
#include <map>
#include <memory>

#include "commands.h"
#include "output.h"
#include "vocabulary/names.h"

namespace rmtc::cli {
namespace {

using nlohmann::json;

const std::vector<std::string> kUses = {"internal-research", "commercial-production",
                                        "client-delivery", "public-release", "training"};

// A check for a flag that takes a value by name: `parse` must know it, in
// kebab-case or camelCase. CLI11 puts the flag before the message.
template <typename Parse>
CLI::Validator NamedValue(Parse parse, std::string listing) {
  return CLI::Validator(
      [parse, listing](std::string& value) -> std::string {
        if (parse(value)) return "";
        return "'" + value + "' is not " + listing;
      },
      "VALUE");
}

const FlagNames kLicenceFlags = {{"licence.id", "id"},
                                 {"licence.name", "--name"},
                                 {"licence.url", "--url"},
                                 {"licence.text_sha256", "--text-file"},
                                 {"licence.licensor", "--licensor"},
                                 {"licence.licensee", "--licensee"},
                                 {"licence.notes", "--notes"},
                                 {"licence.jurisdictions", "--jurisdiction"},
                                 {"licence.valid_from", "--valid-from"},
                                 {"licence.valid_until", "--valid-until"},
                                 {"valid_from", "--valid-from"},
                                 {"licence.terms.use_restrictions", "--use-restriction"},
                                 {"licence.terms.purpose_limit", "--purpose"},
                                 {"licence.terms.attribution_how", "--attribution-how"},
                                 {"licence.terms.share_alike", "--share-alike"},
                                 {"licence.terms.naming_prefix", "--naming-prefix"}};

const FlagNames kCheckFlags = {{"jurisdiction", "--jurisdiction"}};

const FlagNames kConsentFlags = {{"artefact_id", "artefact"},
                                 {"party", "--party"},
                                 {"note", "--note"},
                                 {"effective_at", "--at"},
                                 {"request_id", "--request-id"}};

const FlagNames kRequestIdFlag = {{"request_id", "--request-id"}};

constexpr char kRequestIdHelp[] =
    "Makes the call safe to repeat: the same id returns the first answer";

std::optional<Client> Connect(const Globals& globals, int& exit_code) {
  return ConnectOrReport(globals, exit_code);
}

// Reads an optional time flag; on a bad one reports it and sets `exit_code`.
bool ReadTime(const Globals& globals, std::string_view what, const char* flag,
              const std::string& text, std::optional<Time>& out, int& exit_code) {
  if (text.empty()) return true;
  out = ParseTime(text);
  if (!out) {
    exit_code = Report(globals, what,
                       std::string(flag) + " '" + text +
                           "': expected a date or time such as 2026-11-26 or "
                           "2026-11-26T07:30:00Z",
                       kExitUsage);
    return false;
  }
  return true;
}

std::string OptionalTimeText(const std::optional<Time>& t) {
  return t ? FormatTime(*t) : "";
}

json TermsToJson(const LicenceTerms& t) {
  return {{"field_of_use", FieldOfUseName(t.field_of_use)},
          {"attribution", t.attribution},
          {"attribution_how", t.attribution_how},
          {"share_alike", t.share_alike},
          {"notice", t.notice},
          {"naming_prefix", t.naming_prefix},
          {"include_licence_text", t.include_licence_text},
          {"no_derivatives", t.no_derivatives},
          {"use_restrictions", t.use_restrictions},
          {"no_training_on_outputs", t.no_training_on_outputs},
          {"purpose_limit", t.purpose_limit},
          {"training", TrainingPermissionName(t.training)},
          {"results_unrestricted", t.results_unrestricted},
          {"survives_expiry", SurvivesExpiryName(t.survives_expiry)}};
}

json LicenceToJson(const Licence& l) {
  return {{"id", l.id},
          {"name", l.name},
          {"url", l.url},
          {"text_sha256", l.text_sha256},
          {"terms", TermsToJson(l.terms)},
          {"valid_from", OptionalTimeText(l.valid_from)},
          {"valid_until", OptionalTimeText(l.valid_until)},
          {"licensor", l.licensor},
          {"licensee", l.licensee},
          {"jurisdictions", l.jurisdictions},
          {"revoked_at", OptionalTimeText(l.revoked_at)},
          {"notes", l.notes},
          {"created_at", FormatTime(l.created_at)}};
}

json PathJson(const std::vector<std::string>& path) { return path; }

json NodesJson(const std::vector<PathNode>& nodes) {
  json out = json::array();
  for (const auto& n : nodes)
    out.push_back({{"id", n.id}, {"kind", KindName(n.kind)}, {"name", n.name}});
  return out;
}

// Every source with its whole path: the API shares steps between paths,
// --json spells each out so that jq needs no tree walking.
json SourcesJson(const SourceTree& tree) {
  json out = json::array();
  for (std::size_t i = 0; i < tree.sources.size(); ++i) {
    auto path = tree.PathTo(i);
    out.push_back({{"artefact_id", path.empty() ? "" : path.back()}, {"path", path}});
  }
  return out;
}

json UsesJson(const std::vector<IntendedUse>& uses) {
  json out = json::array();
  for (const auto use : uses) out.push_back(IntendedUseName(use));
  return out;
}

json ClearanceRefJson(const ClearanceRef& c) {
  return {{"id", c.id},
          {"party", c.party},
          {"evidence", c.evidence},
          {"uses", UsesJson(c.uses)}};
}

json ReasonJson(const Reason& r) {
  json out = {{"effect", VerdictName(r.effect)},
              {"rule", r.rule},
              {"message", r.message},
              {"licence_id", r.licence_id},
              {"party", r.party},
              {"path", PathJson(r.path)},
              {"source_count", r.sources.sources.size()},
              {"sources", SourcesJson(r.sources)}};
  if (r.clearance) out["clearance"] = ClearanceRefJson(*r.clearance);
  return out;
}

// "client-delivery, public-release", or "every use".
std::string UsesText(const std::vector<IntendedUse>& uses) {
  std::string text;
  for (const auto use : uses) {
    text += (text.empty() ? "" : ", ") + std::string(IntendedUseName(use));
  }
  return text.empty() ? "every use" : text;
}

// "clearance ID from PARTY for USES; evidence: EVIDENCE"
std::string ClearanceRefText(const ClearanceRef& c) {
  return "clearance " + c.id + " from " + c.party + " for " + UsesText(c.uses) +
         "; evidence: " + c.evidence;
}

}  // namespace

json CheckToJson(const std::string& id, const UseCheck& c) {
  json reasons = json::array(), obligations = json::array(), cleared = json::array();
  for (const auto& r : c.reasons) reasons.push_back(ReasonJson(r));
  for (const auto& r : c.obligations) obligations.push_back(ReasonJson(r));
  for (const auto& r : c.cleared) cleared.push_back(ReasonJson(r));
  return {{"artefact_id", id},
          {"verdict", VerdictName(c.verdict)},
          {"use", IntendedUseName(c.use)},
          {"policy", PolicyName(c.policy)},
          {"as_of", FormatTime(c.as_of)},
          {"jurisdiction", c.jurisdiction},
          {"reasons", reasons},
          {"obligations", obligations},
          {"cleared", cleared},
          {"credits", c.credits},
          {"nodes", NodesJson(c.nodes)}};
}

int VerdictExit(Verdict verdict) {
  // A verdict this CLI does not know (from a newer rmtcd) needs review.
  return verdict == Verdict::kAllowed  ? kExitOk
         : verdict == Verdict::kDenied ? kExitDenied
                                       : kExitReview;
}

void PrintCheck(std::ostream& out, const UseCheck& c) {
  out << VerdictName(c.verdict) << " for " << IntendedUseName(c.use)
      << (c.jurisdiction.empty() ? "" : " in " + c.jurisdiction) << " (policy "
      << PolicyName(c.policy) << ", as of " << FormatTime(c.as_of) << ")\n";
  for (const auto& r : c.reasons) {
    out << "  " << VerdictName(r.effect) << "  " << r.rule << ": " << r.message << "\n";
  }
  if (!c.cleared.empty()) {
    out << "cleared:\n";
    for (const auto& r : c.cleared) {
      out << "  CLEARED  " << r.rule << ": " << r.message << "\n";
      if (r.clearance) out << "    by " << ClearanceRefText(*r.clearance) << "\n";
    }
  }
  if (!c.obligations.empty()) {
    out << "obligations:\n";
    for (const auto& r : c.obligations)
      out << "  " << r.rule << ": " << r.message << "\n";
  }
  if (!c.credits.empty()) {
    out << "credits:";
    for (const auto& credit : c.credits) out << " " << credit << ";";
    out << "\n";
  }
}

namespace {

// ---- rmtc license ----------------------------------------------------------

struct LicenceArgs {
  std::string id, like, name, url, text_file, field_of_use, training, share_alike,
      naming_prefix, attribution_how, valid_from, valid_until, licensor, licensee, notes,
      survives_expiry;
  bool attribution = false, notice = false, include_text = false, no_derivatives = false,
       no_training_on_outputs = false, results_unrestricted = false;
  std::vector<std::string> use_restrictions, purposes, jurisdictions;
};

int RunLicenceAdd(const Globals& globals, const LicenceArgs& a, const CLI::App& cmd) {
  int exit_code = kExitOk;
  auto client = Connect(globals, exit_code);
  if (!client) return exit_code;
  Licence licence;
  if (!a.like.empty()) {
    auto model = client->GetLicence(a.like);
    if (!model) return Report(globals, "license add", model.error());
    licence = *model;
    licence.valid_from.reset();
    licence.valid_until.reset();
    licence.revoked_at.reset();
  }
  licence.id = a.id;
  if (!a.name.empty()) licence.name = a.name;
  if (cmd.count("--url")) licence.url = a.url;
  if (!a.text_file.empty()) {
    std::string error;
    auto digest = Sha256OfFile(a.text_file, error);
    if (!digest) return Report(globals, "license add", error, kExitInvalid);
    licence.text_sha256 = *digest;
  }
  auto& t = licence.terms;
  if (!a.field_of_use.empty()) t.field_of_use = *FieldOfUseFromName(a.field_of_use);
  if (!a.training.empty()) t.training = *TrainingPermissionFromName(a.training);
  if (!a.survives_expiry.empty()) {
    t.survives_expiry = *SurvivesExpiryFromName(a.survives_expiry);
  }
  if (cmd.count("--attribution")) t.attribution = a.attribution;
  if (cmd.count("--attribution-how")) t.attribution_how = a.attribution_how;
  if (cmd.count("--share-alike")) t.share_alike = a.share_alike;
  if (cmd.count("--notice")) t.notice = a.notice;
  if (cmd.count("--naming-prefix")) t.naming_prefix = a.naming_prefix;
  if (cmd.count("--include-text")) t.include_licence_text = a.include_text;
  if (cmd.count("--no-derivatives")) t.no_derivatives = a.no_derivatives;
  if (cmd.count("--use-restriction")) t.use_restrictions = a.use_restrictions;
  if (cmd.count("--no-training-on-outputs"))
    t.no_training_on_outputs = a.no_training_on_outputs;
  if (cmd.count("--purpose")) t.purpose_limit = a.purposes;
  if (cmd.count("--results-unrestricted"))
    t.results_unrestricted = a.results_unrestricted;
  if (!ReadTime(globals, "license add", "--valid-from", a.valid_from, licence.valid_from,
                exit_code) ||
      !ReadTime(globals, "license add", "--valid-until", a.valid_until,
                licence.valid_until, exit_code)) {
    return exit_code;
  }
  if (cmd.count("--licensor")) licence.licensor = a.licensor;
  if (cmd.count("--licensee")) licence.licensee = a.licensee;
  if (cmd.count("--jurisdiction")) licence.jurisdictions = a.jurisdictions;
  if (cmd.count("--notes")) licence.notes = a.notes;
  auto added = client->AddLicence(licence);
  if (!added)
    return Report(globals, "license add", WithFlagNames(added.error(), kLicenceFlags));
  if (globals.json) {
    PrintJson(LicenceToJson(*added));
  } else {
    std::cout << added->id << "  " << added->name << "\n";
  }
  return kExitOk;
}

void PrintLicence(std::ostream& out, const Licence& l) {
  const auto& t = l.terms;
  auto field = [&](const char* name, const std::string& value) {
    if (!value.empty())
      out << name << std::string(22 - std::string(name).size(), ' ') << value << "\n";
  };
  auto flag = [&](const char* name, bool value) {
    if (value) field(name, "yes");
  };
  auto list = [](const std::vector<std::string>& items) {
    std::string s;
    for (const auto& i : items) s += (s.empty() ? "" : "; ") + i;
    return s;
  };
  field("id", l.id);
  field("name", l.name);
  field("url", l.url);
  field("text sha256", l.text_sha256);
  field("field of use", std::string(FieldOfUseName(t.field_of_use)));
  field("training", std::string(TrainingPermissionName(t.training)));
  flag("results unrestricted", t.results_unrestricted);
  field("survives expiry", std::string(SurvivesExpiryName(t.survives_expiry)));
  flag("attribution", t.attribution);
  field("attribution how", t.attribution_how);
  field("share-alike", t.share_alike);
  flag("notice", t.notice);
  field("naming prefix", t.naming_prefix);
  flag("include licence text", t.include_licence_text);
  flag("no derivatives", t.no_derivatives);
  field("use restrictions", list(t.use_restrictions));
  flag("no training on outputs", t.no_training_on_outputs);
  field("purpose limit", list(t.purpose_limit));
  field("valid from", OptionalTimeText(l.valid_from));
  field("valid until", OptionalTimeText(l.valid_until));
  field("licensor", l.licensor);
  field("licensee", l.licensee);
  field("jurisdictions", list(l.jurisdictions));
  field("revoked at", OptionalTimeText(l.revoked_at));
  field("notes", l.notes);
}

void AddLicenceCommands(CLI::App& app, const Globals& globals, Runner& run) {
  auto* license =
      app.add_subcommand("license", "The licence registry and licences on artefacts");
  license->require_subcommand(1);
  license->footer(
      "Examples:\n"
      "  rmtc license ls                                   # the registry\n"
      "  rmtc license show CC-BY-NC-4.0\n"
      "  rmtc license attach PLATES_ID 'CC-BY-NC-4.0' --attribution 'Ngaio Artist'\n"
      "  rmtc license elect MODEL_ID MIT                   # after 'Apache-2.0 OR MIT'\n"
      "See rmtc license COMMAND --help.\n");

  auto add_args = std::make_shared<LicenceArgs>();
  auto* add = license->add_subcommand(
      "add", "Add a licence (a vendor agreement, a show licence...)");
  add->footer(
      "Licences are never edited: new terms need a new id. --like copies the terms of\n"
      "a registered licence; the flags then change them.\n\n"
      "Examples:\n"
      "  rmtc license add LicenseRef-Stock-Plates-2026 --like "
      "LicenseRef-RMTC-Studio-Internal \\\n"
      "      --name 'Stock plates, vendor agreement 2026' --licensor 'Plate Co' \\\n"
      "      --valid-until 2027-06-30 --attribution\n"
      "  rmtc license add LicenseRef-Show-X-Scans --name 'Show X scans' --field-of-use "
      "commercial \\\n"
      "      --training not-allowed --no-derivatives\n"
      "Values are printed in kebab-case (not-allowed); camelCase (notAllowed) is "
      "accepted too.\n");
  auto& a = *add_args;
  add->add_option("id", a.id, "SPDX id or LicenseRef-...")->required();
  add->add_option("--like", a.like, "Start from the terms of this registered licence");
  add->add_option("--name", a.name, "Its full name (required unless --like)");
  add->add_option("--url", a.url, "Where its text is published");
  add->add_option("--text-file", a.text_file, "The licence text, for its sha256");
  add->add_option("--field-of-use", a.field_of_use,
                  "commercial, non-commercial, academic-only, unknown")
      ->check(
          CLI::IsMember({"commercial", "non-commercial", "academic-only", "unknown"}));
  add->add_option(
         "--training", a.training,
         "Training on the material: allowed, not-allowed (or notAllowed), unknown")
      ->check(NamedValue(TrainingPermissionFromName, "allowed, not-allowed or unknown"));
  add->add_option("--survives-expiry", a.survives_expiry,
                  "Whether work made during its term keeps its rights after it expires: "
                  "derivatives-made-during-term, or none (default: work made during the "
                  "term asks for review once it has expired)")
      ->check(NamedValue(SurvivesExpiryFromName, "none or derivatives-made-during-term"));
  add->add_flag("--results-unrestricted{true},--results-restricted{false}",
                a.results_unrestricted,
                "Whether its terms stop at trained models (CDLA-Permissive-2.0 style)");
  add->add_flag("--attribution{true},--no-attribution{false}", a.attribution,
                "Whether users must credit the rights holder");
  add->add_option("--attribution-how", a.attribution_how,
                  "The credit line it prescribes");
  add->add_option("--share-alike", a.share_alike, "Family adapted material must stay in");
  add->add_flag("--notice{true},--no-notice{false}", a.notice,
                "Keep notices, state changes");
  add->add_option("--naming-prefix", a.naming_prefix,
                  "Derived models' names must begin with this");
  add->add_flag("--include-text{true},--no-include-text{false}", a.include_text,
                "Copies must include the licence text");
  add->add_flag("--no-derivatives{true},--derivatives{false}", a.no_derivatives,
                "Adapted material may not be shared");
  add->add_option("--use-restriction", a.use_restrictions,
                  "A use-based restriction. Repeatable");
  add->add_flag("--no-training-on-outputs{true},--training-on-outputs{false}",
                a.no_training_on_outputs, "Outputs may not train other models");
  add->add_option("--purpose", a.purposes, "Allowed only for this purpose. Repeatable");
  add->add_option("--valid-from", a.valid_from,
                  "Start of validity (date or RFC 3339 time)");
  add->add_option("--valid-until", a.valid_until, "End of validity");
  add->add_option("--licensor", a.licensor, "Who grants it (credited by default)");
  add->add_option("--licensee", a.licensee,
                  "Who it is granted to (checked against rmtcd --studio)");
  add->add_option("--jurisdiction", a.jurisdictions,
                  "Where it applies: an ISO 3166 alpha-2 code (NZ). Repeatable; none: "
                  "anywhere");
  add->add_option("--notes", a.notes, "Free text for the legal team");
  add->callback([&globals, &run, add_args, add] {
    run = [&globals, add_args, add]() -> int {
      if (add_args->name.empty() && add_args->like.empty()) {
        return Report(globals, "license add", "give --name (or --like a licence to copy)",
                      kExitUsage);
      }
      return RunLicenceAdd(globals, *add_args, *add);
    };
  });

  auto show_id = std::make_shared<std::string>();
  auto* show = license->add_subcommand("show", "Show a licence and its terms");
  show->footer("Example:\n  rmtc license show CC-BY-NC-4.0\n");
  show->add_option("id", *show_id, "The licence id")->required();
  show->callback([&globals, &run, show_id] {
    run = [&globals, show_id]() -> int {
      int exit_code = kExitOk;
      auto client = Connect(globals, exit_code);
      if (!client) return exit_code;
      auto licence = client->GetLicence(*show_id);
      if (!licence) return Report(globals, "license show", licence.error());
      if (globals.json) {
        PrintJson(LicenceToJson(*licence));
      } else {
        PrintLicence(std::cout, *licence);
      }
      return kExitOk;
    };
  });

  auto* ls = license->add_subcommand("ls", "List the licence registry");
  ls->footer("Example:\n  rmtc license ls\n");
  ls->callback([&globals, &run] {
    run = [&globals]() -> int {
      int exit_code = kExitOk;
      auto client = Connect(globals, exit_code);
      if (!client) return exit_code;
      std::vector<Licence> all;
      std::string token;
      do {
        auto page = client->ListLicences(1000, token);
        if (!page) return Report(globals, "license ls", page.error());
        for (auto& l : page->licences) all.push_back(std::move(l));
        token = page->next_page_token;
      } while (!token.empty());
      if (globals.json) {
        json list = json::array();
        for (const auto& l : all) list.push_back(LicenceToJson(l));
        PrintJson({{"licences", list}});
        return kExitOk;
      }
      for (const auto& l : all) {
        std::cout << l.id << "  " << FieldOfUseName(l.terms.field_of_use) << "  training "
                  << TrainingPermissionName(l.terms.training)
                  << (l.revoked_at ? "  REVOKED" : "") << "  " << l.name << "\n";
      }
      return kExitOk;
    };
  });

  auto attach_args = std::make_shared<std::array<std::string, 5>>();
  auto* attach = license->add_subcommand(
      "attach", "Put a licence expression in force on an artefact");
  attach->footer(
      "SPDX expressions: AND, OR, WITH, parentheses, LicenseRef-. With OR, record the\n"
      "choice with rmtc license elect.\n\n"
      "Examples:\n"
      "  rmtc license attach PLATES_ID 'CC-BY-4.0' --attribution 'Aroha Painter'\n"
      "  rmtc license attach MODEL_ID 'Apache-2.0 OR MIT'\n");
  attach->add_option("artefact", (*attach_args)[0], "The artefact's id")->required();
  attach->add_option("expression", (*attach_args)[1], "An SPDX licence expression")
      ->required();
  attach->add_option("--attribution", (*attach_args)[2],
                     "Whom attribution credits (default: the licensor)");
  attach->add_option(
      "--from", (*attach_args)[3],
      "In force from this time, for an agreement recorded late (default: now)");
  attach->add_option("--request-id", (*attach_args)[4], kRequestIdHelp);
  attach->callback([&globals, &run, attach_args] {
    run = [&globals, attach_args]() -> int {
      int exit_code = kExitOk;
      const auto& [artefact, expression, attribution, from_text, request_id] =
          *attach_args;
      std::optional<Time> from;
      if (!ReadTime(globals, "license attach", "--from", from_text, from, exit_code)) {
        return exit_code;
      }
      auto client = Connect(globals, exit_code);
      if (!client) return exit_code;
      auto attached =
          client->AttachLicence(artefact, expression, attribution, from, {request_id});
      if (!attached) {
        return Report(globals, "license attach",
                      WithFlagNames(attached.error(), kRequestIdFlag));
      }
      if (globals.json) {
        PrintJson({{"artefact_id", attached->artefact_id},
                   {"expression", attached->expression},
                   {"licence_ids", attached->licence_ids},
                   {"attribution", attached->attribution},
                   {"attached_at", FormatTime(attached->attached_at)},
                   {"attached_by", attached->attached_by}});
      } else {
        std::cout << attached->artefact_id << "  " << attached->expression << "  (from "
                  << FormatTime(attached->attached_at) << ")\n";
      }
      return kExitOk;
    };
  });

  auto elect_args = std::make_shared<std::array<std::string, 3>>();
  auto* elect =
      license->add_subcommand("elect", "Choose one alternative of an OR expression");
  elect->footer("Example:\n  rmtc license elect MODEL_ID MIT\n");
  elect->add_option("artefact", (*elect_args)[0], "The artefact's id")->required();
  elect->add_option("licence", (*elect_args)[1], "The licence chosen")->required();
  elect->add_option("--request-id", (*elect_args)[2], kRequestIdHelp);
  elect->callback([&globals, &run, elect_args] {
    run = [&globals, elect_args]() -> int {
      int exit_code = kExitOk;
      auto client = Connect(globals, exit_code);
      if (!client) return exit_code;
      auto elected =
          client->ElectLicence((*elect_args)[0], (*elect_args)[1], {(*elect_args)[2]});
      if (!elected) {
        return Report(globals, "license elect",
                      WithFlagNames(elected.error(), kRequestIdFlag));
      }
      if (globals.json) {
        PrintJson({{"artefact_id", elected->artefact_id},
                   {"licence_id", elected->licence_id},
                   {"elected_at", FormatTime(elected->elected_at)},
                   {"elected_by", elected->elected_by}});
      } else {
        std::cout << elected->artefact_id << "  elected " << elected->licence_id << "\n";
      }
      return kExitOk;
    };
  });

  auto revoke_args = std::make_shared<std::array<std::string, 3>>();
  auto* revoke = license->add_subcommand(
      "revoke", "Record that a licence grants nothing from a time on");
  revoke->footer(
      "Example:\n  rmtc license revoke LicenseRef-Stock-Plates-2026 --at 2026-12-01\n");
  revoke->add_option("id", (*revoke_args)[0], "The licence id")->required();
  revoke->add_option("--at", (*revoke_args)[1], "From when (default: now)");
  revoke->add_option("--request-id", (*revoke_args)[2], kRequestIdHelp);
  revoke->callback([&globals, &run, revoke_args] {
    run = [&globals, revoke_args]() -> int {
      int exit_code = kExitOk;
      std::optional<Time> at;
      if (!ReadTime(globals, "license revoke", "--at", (*revoke_args)[1], at,
                    exit_code)) {
        return exit_code;
      }
      auto client = Connect(globals, exit_code);
      if (!client) return exit_code;
      auto revoked = client->RevokeLicence((*revoke_args)[0], at, {(*revoke_args)[2]});
      if (!revoked) {
        return Report(globals, "license revoke",
                      WithFlagNames(revoked.error(), kRequestIdFlag));
      }
      if (globals.json) {
        PrintJson(LicenceToJson(*revoked));
      } else {
        std::cout << revoked->id << "  revoked from "
                  << OptionalTimeText(revoked->revoked_at) << "\n";
      }
      return kExitOk;
    };
  });
}

// ---- rmtc consent -------------------------------------------------------------

struct ConsentArgs {
  std::string artefact, party, ai_training, ai_generative_training, data_mining,
      ai_inference, at, note, request_id;
};

json ConsentToJson(const ConsentRecord& r) {
  auto value = [](const std::optional<ConsentValue>& v) {
    return v ? json(ConsentValueName(*v)) : json(nullptr);
  };
  return {{"artefact_id", r.artefact_id},
          {"party", r.consent.party},
          {"ai_training", value(r.consent.ai_training)},
          {"ai_generative_training", value(r.consent.ai_generative_training)},
          {"data_mining", value(r.consent.data_mining)},
          {"ai_inference", value(r.consent.ai_inference)},
          {"effective_at", FormatTime(r.effective_at)},
          {"recorded_at", FormatTime(r.recorded_at)},
          {"recorded_by", r.recorded_by},
          {"note", r.consent.note}};
}

void PrintConsent(std::ostream& out, const ConsentRecord& r) {
  out << FormatTime(r.effective_at) << "  " << r.consent.party;
  auto key = [&](const char* name, const std::optional<ConsentValue>& v) {
    if (v) out << "  " << name << "=" << ConsentValueName(*v);
  };
  key("ai_training", r.consent.ai_training);
  key("ai_generative_training", r.consent.ai_generative_training);
  key("data_mining", r.consent.data_mining);
  key("ai_inference", r.consent.ai_inference);
  if (!r.consent.note.empty()) out << "  (" << r.consent.note << ")";
  out << "\n";
}

void AddConsentCommands(CLI::App& app, const Globals& globals, Runner& run) {
  auto* consent = app.add_subcommand("consent", "Artists' and rights holders' consents");
  consent->require_subcommand(1);
  consent->footer(
      "Examples:\n"
      "  rmtc consent set ARTWORK_ID --party 'Aroha Painter' --ai-training not-allowed\n"
      "  rmtc consent history ARTWORK_ID\n"
      "See rmtc consent set --help and rmtc consent history --help.\n");
  auto args = std::make_shared<ConsentArgs>();
  auto* set = consent->add_subcommand("set", "Record a party's consent on an artefact");
  set->footer(
      "Values: allowed, not-allowed, constrained (constrained counts as not-allowed).\n"
      "C2PA's spelling notAllowed is accepted too; rmtc prints not-allowed.\n"
      "Keys not given keep the party's earlier statement. A later record supersedes\n"
      "an earlier one from its --at time on; the history is kept.\n\n"
      "Example:\n"
      "  rmtc consent set ARTWORK_ID --party 'Aroha Painter' --ai-training not-allowed "
      "\\\n"
      "      --ai-generative-training not-allowed --at 2026-12-01\n");
  const auto values = NamedValue(ConsentValueFromName,
                                 "allowed, not-allowed (or notAllowed) or constrained");
  set->add_option("artefact", args->artefact, "The artefact's id")->required();
  set->add_option("--party", args->party, "Who speaks: artist, studio, vendor")
      ->required();
  set->add_option("--ai-training", args->ai_training, "Training AI models")
      ->check(values);
  set->add_option("--ai-generative-training", args->ai_generative_training,
                  "Training generative AI models")
      ->check(values);
  set->add_option("--data-mining", args->data_mining, "Text and data mining (evaluation)")
      ->check(values);
  set->add_option("--ai-inference", args->ai_inference, "Use as input to AI inference")
      ->check(values);
  set->add_option("--at", args->at, "Effective from (default: now)");
  set->add_option("--note", args->note,
                  "Where the consent comes from (a contract, an email)");
  set->add_option("--request-id", args->request_id, kRequestIdHelp);
  set->callback([&globals, &run, args] {
    run = [&globals, args]() -> int {
      Consent c;
      c.party = args->party;
      c.note = args->note;
      auto value = [](const std::string& s) -> std::optional<ConsentValue> {
        if (s.empty()) return std::nullopt;
        return ConsentValueFromName(s);
      };
      c.ai_training = value(args->ai_training);
      c.ai_generative_training = value(args->ai_generative_training);
      c.data_mining = value(args->data_mining);
      c.ai_inference = value(args->ai_inference);
      if (!c.ai_training && !c.ai_generative_training && !c.data_mining &&
          !c.ai_inference) {
        return Report(globals, "consent set",
                      "give at least one of --ai-training, --ai-generative-training, "
                      "--data-mining, --ai-inference",
                      kExitUsage);
      }
      int exit_code = kExitOk;
      if (!ReadTime(globals, "consent set", "--at", args->at, c.effective_at,
                    exit_code)) {
        return exit_code;
      }
      auto client = Connect(globals, exit_code);
      if (!client) return exit_code;
      auto recorded = client->SetConsent(args->artefact, c, {args->request_id});
      if (!recorded) {
        return Report(globals, "consent set",
                      WithFlagNames(recorded.error(), kConsentFlags));
      }
      if (globals.json) {
        PrintJson(ConsentToJson(*recorded));
      } else {
        PrintConsent(std::cout, *recorded);
      }
      return kExitOk;
    };
  });
  auto id = std::make_shared<std::string>();
  auto* history =
      consent->add_subcommand("history", "Every consent record on an artefact");
  history->footer("Example:\n  rmtc consent history ARTWORK_ID\n");
  history->add_option("artefact", *id, "The artefact's id")->required();
  history->callback([&globals, &run, id] {
    run = [&globals, id]() -> int {
      int exit_code = kExitOk;
      auto client = Connect(globals, exit_code);
      if (!client) return exit_code;
      auto records = client->ConsentHistory(*id);
      if (!records) return Report(globals, "consent history", records.error());
      if (globals.json) {
        json list = json::array();
        for (const auto& r : *records) list.push_back(ConsentToJson(r));
        PrintJson({{"artefact_id", *id}, {"records", list}});
      } else {
        for (const auto& r : *records) PrintConsent(std::cout, r);
      }
      return kExitOk;
    };
  });
}

// ---- rmtc chain | check | impact -----------------------------------------------

struct CheckArgs {
  std::string id, use, as_of, policy, jurisdiction;
};

std::string PathText(const std::vector<std::string>& path,
                     const std::vector<PathNode>& nodes) {
  std::map<std::string, const PathNode*> by_id;
  for (const auto& n : nodes) by_id[n.id] = &n;
  std::string text;
  for (const auto& id : path) {
    if (!text.empty()) text += " <- ";
    auto it = by_id.find(id);
    text += it == by_id.end()
                ? id
                : std::string(KindName(it->second->kind)) + " '" + it->second->name + "'";
  }
  return text;
}

void AddQuestionCommands(CLI::App& app, const Globals& globals, Runner& run) {
  auto chain_args = std::make_shared<std::array<std::string, 2>>();
  auto* chain = app.add_subcommand(
      "chain", "The licensing chain of an artefact: every term and where it comes from");
  chain->footer(
      "Example:\n  rmtc chain FRAME_ID\n  rmtc chain FRAME_ID --as-of 2026-06-30 "
      "--json\n");
  chain->add_option("id", (*chain_args)[0], "The artefact's id")->required();
  chain->add_option("--as-of", (*chain_args)[1], "As of this time (default: now)");
  chain->callback([&globals, &run, chain_args] {
    run = [&globals, chain_args]() -> int {
      int exit_code = kExitOk;
      std::optional<Time> as_of;
      if (!ReadTime(globals, "chain", "--as-of", (*chain_args)[1], as_of, exit_code)) {
        return exit_code;
      }
      auto client = Connect(globals, exit_code);
      if (!client) return exit_code;
      auto result = client->Chain((*chain_args)[0], as_of);
      if (!result) return Report(globals, "chain", result.error());
      if (globals.json) {
        json terms = json::array();
        for (const auto& t : result->terms) {
          terms.push_back({{"kind", t.kind},
                           {"value", t.value},
                           {"risk", t.risk},
                           {"open", t.open},
                           {"effect", VerdictName(t.effect)},
                           {"message", t.message},
                           {"licence_id", t.licence_id},
                           {"party", t.party},
                           {"evaluation", t.evaluation},
                           {"path", PathJson(t.path)},
                           {"source_count", t.sources.sources.size()},
                           {"sources", SourcesJson(t.sources)}});
          json cleared = json::array();
          for (const auto& c : t.clearances) cleared.push_back(ClearanceRefJson(c));
          terms.back()["clearances"] = cleared;
        }
        PrintJson({{"artefact_id", (*chain_args)[0]},
                   {"field_of_use", FieldOfUseName(result->field_of_use)},
                   {"credits", result->credits},
                   {"terms", terms},
                   {"nodes", NodesJson(result->nodes)},
                   {"as_of", FormatTime(result->as_of)}});
        return kExitOk;
      }
      std::cout << "field of use: " << FieldOfUseName(result->field_of_use) << "\n";
      if (!result->credits.empty()) {
        std::cout << "credits:";
        for (const auto& c : result->credits) std::cout << " " << c << ";";
        std::cout << "\n";
      }
      for (const auto& t : result->terms) {
        std::cout << "  " << t.kind;
        if (!t.value.empty()) std::cout << " " << t.value;
        if (!t.licence_id.empty()) std::cout << "  [" << t.licence_id << "]";
        if (!t.party.empty()) std::cout << "  [" << t.party << "]";
        if (t.risk) std::cout << "  (risk)";
        if (t.open) std::cout << "  (open: not elected)";
        if (t.evaluation) std::cout << "  (evaluation data: judges this run only)";
        if (t.kind == "finding")
          std::cout << "  " << VerdictName(t.effect) << ": " << t.message;
        std::cout << "\n      via " << PathText(t.path, result->nodes) << "\n";
        if (t.sources.sources.size() > 1) {
          std::cout << "      and " << t.sources.sources.size() - 1
                    << " more sources (--json lists each with its path)\n";
        }
        for (const auto& c : t.clearances) {
          std::cout << "      cleared by " << ClearanceRefText(c) << "\n";
        }
      }
      return kExitOk;
    };
  });

  auto check_args = std::make_shared<CheckArgs>();
  auto* check = app.add_subcommand(
      "check", "May this artefact be used for this? ALLOWED, REVIEW or DENIED");
  check->footer(
      "Exits 0 for ALLOWED, 5 for DENIED, 6 for REVIEW, so a pipeline can gate on it.\n"
      "Every reason names its rule, the licence or consent, and the path to it.\n\n"
      "Examples:\n"
      "  rmtc check FRAME_ID --use client-delivery\n"
      "  rmtc check WEIGHTS_ID --use commercial-production --policy permissive --json\n"
      "  rmtc check FRAME_ID --use client-delivery --jurisdiction NZ\n");
  check->add_option("id", check_args->id, "The artefact's id")->required();
  check
      ->add_option("--use", check_args->use,
                   "internal-research, commercial-production, client-delivery, "
                   "public-release or training")
      ->required()
      ->check(CLI::IsMember(kUses));
  check->add_option("--as-of", check_args->as_of, "As of this time (default: now)");
  check->add_option("--jurisdiction", check_args->jurisdiction,
                    "Where the use happens: an ISO 3166 alpha-2 code (NZ); licences "
                    "limited to other territories deny it");
  check
      ->add_option(
          "--policy", check_args->policy,
          "strict (training risks enforced) or permissive (they ask for review); "
          "default: the server's")
      ->check(CLI::IsMember({"strict", "permissive"}));
  check->callback([&globals, &run, check_args] {
    run = [&globals, check_args]() -> int {
      int exit_code = kExitOk;
      std::optional<Time> as_of;
      if (!ReadTime(globals, "check", "--as-of", check_args->as_of, as_of, exit_code)) {
        return exit_code;
      }
      auto client = Connect(globals, exit_code);
      if (!client) return exit_code;
      std::optional<Policy> policy;
      if (!check_args->policy.empty()) policy = PolicyFromName(check_args->policy);
      auto result =
          client->CheckUse(check_args->id, *IntendedUseFromName(check_args->use), as_of,
                           policy, check_args->jurisdiction);
      if (!result) {
        return Report(globals, "check", WithFlagNames(result.error(), kCheckFlags));
      }
      if (globals.json) {
        PrintJson(CheckToJson(check_args->id, *result));
      } else {
        PrintCheck(std::cout, *result);
      }
      return VerdictExit(result->verdict);
    };
  });

  auto impact_args = std::make_shared<std::array<std::string, 3>>();
  auto impact_limit = std::make_shared<int>(1000);
  auto* impact = app.add_subcommand(
      "impact",
      "Everything downstream whose verdict depends on an artefact, licence or party");
  impact->footer(
      "Examples:\n"
      "  rmtc impact --party 'Aroha Painter'      # after an artist withdraws consent\n"
      "  rmtc impact --license LicenseRef-Stock-Plates-2026\n"
      "  rmtc impact DATASET_ID --json\n"
      "A licence or party nothing names is not found (exit 2), with the closest "
      "names.\n");
  auto* by_id = impact->add_option("id", (*impact_args)[0], "An artefact's id");
  auto* by_licence = impact->add_option("--license", (*impact_args)[1], "A licence id");
  auto* by_party = impact->add_option("--party", (*impact_args)[2], "A party");
  by_id->excludes(by_licence)->excludes(by_party);
  by_licence->excludes(by_party);
  impact->add_option("--limit", *impact_limit, "At most this many artefacts listed")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  impact->callback([&globals, &run, impact_args, impact_limit] {
    run = [&globals, impact_args, impact_limit]() -> int {
      const auto& [id, licence, party] = *impact_args;
      if (id.empty() + licence.empty() + party.empty() != 2) {
        return Report(globals, "impact", "give an artefact id, --license or --party",
                      kExitUsage);
      }
      int exit_code = kExitOk;
      auto client = Connect(globals, exit_code);
      if (!client) return exit_code;
      ImpactTarget target{id, licence, party};
      std::vector<ImpactNode> nodes;
      std::map<Kind, std::int64_t> counts;
      std::int64_t total = 0;
      std::string token;
      do {
        const int want = std::min(10000, *impact_limit - static_cast<int>(nodes.size()));
        auto page = client->Impact(target, want, token);
        if (!page) {
          return Report(globals, "impact",
                        WithFlagNames(page.error(), {{"licence_id", "--license"},
                                                     {"party", "--party"},
                                                     {"artefact_id", "id"}}));
        }
        for (auto& n : page->nodes) nodes.push_back(std::move(n));
        counts = page->counts;
        total = page->total;
        token = page->next_page_token;
      } while (!token.empty() && static_cast<int>(nodes.size()) < *impact_limit);
      if (globals.json) {
        json by_kind = json::object();
        for (const auto& [kind, n] : counts) by_kind[std::string(KindName(kind))] = n;
        json list = json::array();
        for (const auto& n : nodes) {
          list.push_back({{"id", n.artefact.id},
                          {"kind", KindName(n.artefact.kind)},
                          {"name", n.artefact.name},
                          {"direct", n.direct}});
        }
        PrintJson({{"total", total},
                   {"counts", by_kind},
                   {"nodes", list},
                   {"more", !token.empty()}});
        return kExitOk;
      }
      std::cout << Count(total, "artefact") << " affected";
      const char* separator = ": ";
      for (const auto& [kind, n] : counts) {
        std::cout << separator << Count(n, kind);
        separator = ", ";
      }
      std::cout << "\n";
      for (const auto& n : nodes) PrintLine(std::cout, n.artefact, false);
      if (!token.empty()) std::cerr << "(more artefacts follow; raise --limit)\n";
      return kExitOk;
    };
  });
}

// ---- rmtc clearance ------------------------------------------------------------

const FlagNames kClearanceFlags = {{"clearance.artefact_id", "artefact"},
                                   {"clearance.downstream_id", "--downstream"},
                                   {"clearance.party", "--party"},
                                   {"clearance.evidence", "--evidence"},
                                   {"clearance.rules", "--lifts"},
                                   {"clearance.uses", "--use"},
                                   {"clearance.licence_id", "--license"},
                                   {"clearance.rights_holder", "--rights-holder"},
                                   {"clearance.facility", "--facility"},
                                   {"clearance.project", "--project"},
                                   {"clearance.valid_from", "--valid-from"},
                                   {"clearance.valid_until", "--valid-until"},
                                   {"valid_from", "--valid-from"},
                                   {"clearance.note", "--note"},
                                   {"artefact_id", "--artefact"},
                                   {"party", "--party"},
                                   {"request_id", "--request-id"}};

struct ClearanceArgs {
  std::string artefact, downstream, party, evidence, licence, rights_holder, facility,
      project, valid_from, valid_until, note, request_id;
  std::vector<std::string> rules, uses;
};

json ClearanceToJson(const Clearance& c) {
  return {{"id", c.id},
          {"party", c.party},
          {"evidence", c.evidence},
          {"valid_from", OptionalTimeText(c.valid_from)},
          {"valid_until", OptionalTimeText(c.valid_until)},
          {"artefact_id", c.artefact_id},
          {"downstream_id", c.downstream_id},
          {"facility", c.facility},
          {"project", c.project},
          {"uses", UsesJson(c.uses)},
          {"rules", c.rules},
          {"licence_id", c.licence_id},
          {"rights_holder", c.rights_holder},
          {"note", c.note},
          {"revoked_at", OptionalTimeText(c.revoked_at)},
          {"created_at", FormatTime(c.created_at)},
          {"created_by", c.created_by}};
}

void PrintClearance(std::ostream& out, const Clearance& c) {
  auto field = [&](const char* name, const std::string& value) {
    if (!value.empty())
      out << name << std::string(16 - std::string(name).size(), ' ') << value << "\n";
  };
  std::string rules;
  for (const auto& r : c.rules) rules += (rules.empty() ? "" : ", ") + r;
  field("id", c.id);
  field("party", c.party);
  field("evidence", c.evidence);
  field("lifts", rules);
  field("licence", c.licence_id);
  field("rights holder", c.rights_holder);
  field("uses", UsesText(c.uses));
  field("artefact", c.artefact_id);
  field("downstream of", c.downstream_id);
  field("facility", c.facility);
  field("project", c.project);
  field("valid from", OptionalTimeText(c.valid_from));
  field("valid until", OptionalTimeText(c.valid_until));
  field("revoked at", OptionalTimeText(c.revoked_at));
  field("note", c.note);
  field("created",
        FormatTime(c.created_at) + (c.created_by.empty() ? "" : " by " + c.created_by));
}

// One line: id, party, what it lifts, on what, for which uses.
void PrintClearanceLine(std::ostream& out, const Clearance& c) {
  std::string rules;
  for (const auto& r : c.rules) rules += (rules.empty() ? "" : ",") + r;
  out << c.id << "  " << c.party << "  lifts " << rules
      << (c.licence_id.empty() ? "" : " of " + c.licence_id) << "  on " << c.artefact_id
      << (c.downstream_id.empty() ? "" : " via " + c.downstream_id) << "  for "
      << UsesText(c.uses) << (c.revoked_at ? "  REVOKED" : "") << "\n";
}

int RunClearanceAdd(const Globals& globals, const ClearanceArgs& a) {
  Clearance c;
  c.artefact_id = a.artefact;
  c.downstream_id = a.downstream;
  c.party = a.party;
  c.evidence = a.evidence;
  c.rules = a.rules;
  for (const auto& use : a.uses) c.uses.push_back(*IntendedUseFromName(use));
  c.licence_id = a.licence;
  c.rights_holder = a.rights_holder;
  c.facility = a.facility;
  c.project = a.project;
  c.note = a.note;
  int exit_code = kExitOk;
  if (!ReadTime(globals, "clearance add", "--valid-from", a.valid_from, c.valid_from,
                exit_code) ||
      !ReadTime(globals, "clearance add", "--valid-until", a.valid_until, c.valid_until,
                exit_code)) {
    return exit_code;
  }
  auto client = Connect(globals, exit_code);
  if (!client) return exit_code;
  auto added = client->AddClearance(c, {a.request_id});
  if (!added) {
    return Report(globals, "clearance add",
                  WithFlagNames(added.error(), kClearanceFlags));
  }
  if (globals.json) {
    PrintJson(ClearanceToJson(*added));
  } else {
    PrintClearanceLine(std::cout, *added);
  }
  return kExitOk;
}

// The rules a clearance can lift, wrapped at 80 columns, indented by two.
std::string ClearableRules() {
  std::string text, line = " ";
  for (const auto rule : vocabulary::kClearableRuleNames) {
    if (line.size() + rule.size() + 2 > 78) {
      text += line + "\n";
      line = " ";
    }
    line += " " + std::string(rule) + ",";
  }
  line.back() = '.';
  return text + line + "\n";
}

void AddClearanceCommands(CLI::App& app, const Globals& globals, Runner& run) {
  auto* clearance = app.add_subcommand(
      "clearance", "Clearances: a rights holder's grant that lifts terms (the evidence)");
  clearance->require_subcommand(1);
  clearance->footer(
      "A clearance never deletes a term: rmtc check lists what it lifts under\n"
      "'cleared', and rmtc chain names it next to the term, with its evidence.\n\n"
      "Examples:\n"
      "  rmtc clearance add PLATES_ID --party 'Ngaio Artist' --evidence 'contract "
      "SH-2026-014' \\\n"
      "      --lifts field-of-use --license CC-BY-NC-4.0 --use client-delivery\n"
      "  rmtc clearance ls --artefact PLATES_ID\n"
      "  rmtc clearance show CLEARANCE_ID\n"
      "  rmtc clearance revoke CLEARANCE_ID --at 2027-01-01\n"
      "See rmtc clearance COMMAND --help.\n");

  auto args = std::make_shared<ClearanceArgs>();
  auto* add = clearance->add_subcommand(
      "add", "Record a clearance: who grants it, the evidence, what it lifts, where");
  add->footer(
      "It lifts a reason of rmtc check when the reason's rule is one of --lifts, its\n"
      "term came to the checked artefact through ARTEFACT (and through --downstream,\n"
      "or the checked artefact is it), the use is one of --use (default: every\n"
      "use), and --license, --rights-holder, --facility and --project match when\n"
      "given. Obligations (credit, notices) stay. Rules it can lift:\n" +
      ClearableRules() +
      "\n"
      "Examples:\n"
      "  # A commercial licence bought for an NC dataset, for delivery to the client:\n"
      "  rmtc clearance add PLATES_ID --party 'Ngaio Artist' --evidence 'contract "
      "SH-2026-014' \\\n"
      "      --lifts field-of-use --license CC-BY-NC-4.0 \\\n"
      "      --use client-delivery --use commercial-production\n"
      "  # After relicensing: v1 (CC-BY-NC-4.0) superseded by v2 (CC-BY-4.0):\n"
      "  rmtc clearance add V1_ID --downstream V2_ID --party 'Ngaio Artist' \\\n"
      "      --evidence https://legal.example/relicence-v2.pdf --lifts field-of-use\n");
  add->add_option("artefact", args->artefact,
                  "The cleared artefact: terms from it or upstream of it")
      ->required();
  add->add_option("--party", args->party, "Who grants it (the rights holder, a vendor)")
      ->required();
  add->add_option("--evidence", args->evidence, "A contract id, document digest or URL")
      ->required();
  add->add_option("--lifts", args->rules,
                  "A rule it lifts (field-of-use, consent, ...). Repeatable")
      ->required();
  add->add_option("--use", args->uses,
                  "Only for this use. Repeatable (default: every use)")
      ->check(CLI::IsMember(kUses));
  add->add_option("--license", args->licence, "Only terms of this licence");
  add->add_option("--rights-holder", args->rights_holder,
                  "Only terms whose rights holder (the credit, or consenting party) is "
                  "this");
  add->add_option("--downstream", args->downstream,
                  "Only for this artefact and what is built from it");
  add->add_option("--facility", args->facility,
                  "Only where the checked artefact's "
                  "facility is this");
  add->add_option("--project", args->project,
                  "Only where the checked artefact's attribute project is this");
  add->add_option("--valid-from", args->valid_from, "In force from (default: always)");
  add->add_option("--valid-until", args->valid_until, "In force until (default: no end)");
  add->add_option("--note", args->note, "Free text for the legal team");
  add->add_option("--request-id", args->request_id, kRequestIdHelp);
  add->callback([&globals, &run, args] {
    run = [&globals, args]() -> int { return RunClearanceAdd(globals, *args); };
  });

  auto show_id = std::make_shared<std::string>();
  auto* show = clearance->add_subcommand("show", "Show one clearance");
  show->footer("Example:\n  rmtc clearance show CLEARANCE_ID --json\n");
  show->add_option("id", *show_id, "The clearance's id")->required();
  show->callback([&globals, &run, show_id] {
    run = [&globals, show_id]() -> int {
      int exit_code = kExitOk;
      auto client = Connect(globals, exit_code);
      if (!client) return exit_code;
      auto found = client->GetClearance(*show_id);
      if (!found) return Report(globals, "clearance show", found.error());
      if (globals.json) {
        PrintJson(ClearanceToJson(*found));
      } else {
        PrintClearance(std::cout, *found);
      }
      return kExitOk;
    };
  });

  auto filter = std::make_shared<ClearanceFilter>();
  auto* ls = clearance->add_subcommand("ls", "List clearances, by id");
  ls->footer(
      "Examples:\n"
      "  rmtc clearance ls --artefact PLATES_ID   # naming it, cleared or downstream\n"
      "  rmtc clearance ls --party 'Ngaio Artist'\n");
  ls->add_option("--artefact", filter->artefact_id,
                 "Those naming this artefact (cleared or downstream)");
  ls->add_option("--party", filter->party, "Those granted by this party");
  ls->callback([&globals, &run, filter] {
    run = [&globals, filter]() -> int {
      int exit_code = kExitOk;
      auto client = Connect(globals, exit_code);
      if (!client) return exit_code;
      std::vector<Clearance> all;
      std::string token;
      do {
        auto page = client->ListClearances(*filter, 1000, token);
        if (!page) {
          return Report(globals, "clearance ls",
                        WithFlagNames(page.error(), kClearanceFlags));
        }
        for (auto& c : page->clearances) all.push_back(std::move(c));
        token = page->next_page_token;
      } while (!token.empty());
      if (globals.json) {
        json list = json::array();
        for (const auto& c : all) list.push_back(ClearanceToJson(c));
        PrintJson({{"clearances", list}});
        return kExitOk;
      }
      for (const auto& c : all) PrintClearanceLine(std::cout, c);
      return kExitOk;
    };
  });

  auto revoke_args = std::make_shared<std::array<std::string, 2>>();
  auto* revoke = clearance->add_subcommand(
      "revoke", "Record that a clearance lifts nothing from a time on");
  revoke->footer(
      "Revoking again is harmless: the earliest revocation counts. rmtc check --as-of\n"
      "a moment before it still shows what the clearance lifted then.\n\n"
      "Example:\n  rmtc clearance revoke CLEARANCE_ID --at 2027-01-01\n");
  revoke->add_option("id", (*revoke_args)[0], "The clearance's id")->required();
  revoke->add_option("--at", (*revoke_args)[1], "From when (default: now)");
  revoke->callback([&globals, &run, revoke_args] {
    run = [&globals, revoke_args]() -> int {
      int exit_code = kExitOk;
      std::optional<Time> at;
      if (!ReadTime(globals, "clearance revoke", "--at", (*revoke_args)[1], at,
                    exit_code)) {
        return exit_code;
      }
      auto client = Connect(globals, exit_code);
      if (!client) return exit_code;
      auto revoked = client->RevokeClearance((*revoke_args)[0], at);
      if (!revoked) return Report(globals, "clearance revoke", revoked.error());
      if (globals.json) {
        PrintJson(ClearanceToJson(*revoked));
      } else {
        std::cout << revoked->id << "  revoked from "
                  << OptionalTimeText(revoked->revoked_at) << "\n";
      }
      return kExitOk;
    };
  });
}

}  // namespace

void AddLicensingCommands(CLI::App& app, const Globals& globals, Runner& run) {
  AddLicenceCommands(app, globals, run);
  AddConsentCommands(app, globals, run);
  AddClearanceCommands(app, globals, run);
  AddQuestionCommands(app, globals, run);
}

}  // namespace rmtc::cli
