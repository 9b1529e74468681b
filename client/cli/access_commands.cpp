// rmtc token create | ls | revoke, and rmtc whoami.
#include <iostream>
#include <memory>

#include "commands.h"
#include "output.h"

namespace rmtc::cli {
namespace {

struct TokenArgs {
  std::string name;
  std::string role;
  std::string facility;
  std::string expires;
};

nlohmann::json TokenToJson(const AccessToken& t) {
  nlohmann::json out = {{"id", t.id},
                        {"name", t.name},
                        {"role", RoleName(t.role)},
                        {"facility", t.facility},
                        {"created_at", FormatTime(t.created_at)},
                        {"created_by", t.created_by}};
  out["expires_at"] = t.expires_at ? nlohmann::json(FormatTime(*t.expires_at)) : nullptr;
  out["revoked_at"] = t.revoked_at ? nlohmann::json(FormatTime(*t.revoked_at)) : nullptr;
  if (t.revoked_at) out["revoked_by"] = t.revoked_by;
  return out;
}

void PrintTokenLine(std::ostream& out, const AccessToken& t) {
  out << t.name << "  " << RoleName(t.role)
      << (t.facility.empty() ? "" : "  facility " + t.facility)
      << (t.expires_at ? "  expires " + FormatTime(*t.expires_at) : "")
      << (t.revoked_at ? "  REVOKED " + FormatTime(*t.revoked_at) : "") << "\n";
}

int RunTokenCreate(const Globals& globals, const TokenArgs& a) {
  NewToken token{.name = a.name, .role = *RoleFromName(a.role), .facility = a.facility};
  if (!a.expires.empty()) {
    token.expires_at = ParseTime(a.expires);
    if (!token.expires_at) {
      return Report(globals, "token create",
                    "--expires: '" + a.expires + "' is not a date (YYYY-MM-DD) or time",
                    kExitUsage);
    }
  }
  int exit_code = kExitOk;
  auto client = ConnectOrReport(globals, exit_code);
  if (!client) return exit_code;
  auto created = client->CreateToken(token);
  if (!created) return Report(globals, "token create", created.error());
  if (globals.json) {
    auto doc = TokenToJson(created->token);
    doc["secret"] = created->secret;
    PrintJson(doc);
  } else {
    std::cout << created->secret << "\n";
    std::cerr << "token '" << created->token.name << "' ("
              << RoleName(created->token.role)
              << "): the secret above is shown once; rmtcd keeps only its digest\n";
  }
  return kExitOk;
}

int RunTokenList(const Globals& globals) {
  int exit_code = kExitOk;
  auto client = ConnectOrReport(globals, exit_code);
  if (!client) return exit_code;
  auto tokens = client->ListTokens();
  if (!tokens) return Report(globals, "token ls", tokens.error());
  if (globals.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& t : *tokens) list.push_back(TokenToJson(t));
    PrintJson({{"tokens", list}});
  } else {
    for (const auto& t : *tokens) PrintTokenLine(std::cout, t);
  }
  return kExitOk;
}

int RunTokenRevoke(const Globals& globals, const std::string& name) {
  int exit_code = kExitOk;
  auto client = ConnectOrReport(globals, exit_code);
  if (!client) return exit_code;
  auto revoked = client->RevokeToken(name);
  if (!revoked) return Report(globals, "token revoke", revoked.error());
  if (globals.json) {
    PrintJson(TokenToJson(*revoked));
  } else {
    PrintTokenLine(std::cout, *revoked);
  }
  return kExitOk;
}

int RunWhoAmI(const Globals& globals) {
  int exit_code = kExitOk;
  auto client = ConnectOrReport(globals, exit_code);
  if (!client) return exit_code;
  auto caller = client->WhoAmI();
  if (!caller) return Report(globals, "whoami", caller.error());
  if (globals.json) {
    PrintJson({{"principal", caller->principal},
               {"role", RoleName(caller->role)},
               {"facility", caller->facility},
               {"auth", caller->auth}});
  } else {
    std::cout << caller->principal << "  " << RoleName(caller->role)
              << (caller->facility.empty() ? "" : "  facility " + caller->facility)
              << "  (" << caller->auth << ")\n";
  }
  return kExitOk;
}

}  // namespace

void AddAccessCommands(CLI::App& app, const Globals& globals, Runner& run) {
  auto* token = app.add_subcommand("token", "Access tokens: who may call rmtcd (admin)");
  token->require_subcommand(1);
  token->footer(
      "Roles, each allowing what the ones before it allow:\n"
      "  reader    get, find, list, trace, chain, check, impact\n"
      "  recorder  + register, record runs and inferences, import\n"
      "  rights    + licences, attachments, elections, consents, clearances\n"
      "  admin     + access tokens\n"
      "A token with --facility writes only that facility's artefacts.\n\n"
      "Examples:\n"
      "  rmtc token create --name nuke-farm --role recorder --facility wellington\n"
      "  rmtc token create --name legal --role rights --expires 2027-06-30\n"
      "  rmtc token ls\n"
      "  rmtc token revoke nuke-farm\n"
      "The first admin token: rmtcd token create --name NAME --role admin, run\n"
      "where rmtcd's database is, or rmtcd --bootstrap-token-file.\n");
  auto args = std::make_shared<TokenArgs>();
  auto* create = token->add_subcommand(
      "create",
      "Create a token; prints its secret once (give it as --token or RMTC_TOKEN)");
  create->add_option("--name", args->name, "A unique name (e.g. nuke-farm)")->required();
  create->add_option("--role", args->role, "reader, recorder, rights or admin")
      ->required()
      ->check(CLI::IsMember({"reader", "recorder", "rights", "admin"}));
  create->add_option("--facility", args->facility,
                     "Bind it to one facility: it writes only that facility's artefacts");
  create->add_option("--expires", args->expires,
                     "When it stops working: YYYY-MM-DD or RFC 3339 (default never)");
  create->callback([&globals, &run, args] {
    run = [&globals, args] { return RunTokenCreate(globals, *args); };
  });
  auto* list = token->add_subcommand("ls", "List tokens (never their secrets)");
  list->callback(
      [&globals, &run] { run = [&globals] { return RunTokenList(globals); }; });
  auto name = std::make_shared<std::string>();
  auto* revoke = token->add_subcommand(
      "revoke", "Revoke a token: calls with it are UNAUTHENTICATED from now on");
  revoke->add_option("name", *name, "The token's name")->required();
  revoke->callback([&globals, &run, name] {
    run = [&globals, name] { return RunTokenRevoke(globals, *name); };
  });

  auto* whoami = app.add_subcommand(
      "whoami", "Who rmtcd takes this caller for: the token's name, role and facility");
  whoami->callback([&globals, &run] { run = [&globals] { return RunWhoAmI(globals); }; });
}

}  // namespace rmtc::cli
