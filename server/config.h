// rmtcd's settings: command-line flags, each also an RMTC_* environment
// variable (the flag wins).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace rmtc::server {

struct Config {
  std::string listen = "127.0.0.1:50051";
  std::string data_dir;                // the embedded cluster's home; "" = default
  std::string database_url;            // "" = run the embedded cluster
  std::string database_password_file;  // its first line: the database password
  int max_statement_s = 300;           // any statement, whatever the call's deadline
  std::string log_level = "info";
  std::string log_format = "text";
  int database_pool = 8;  // connections, and worker threads
  int connect_timeout_s = 60;
  int shutdown_grace_s = 5;               // for calls in flight when asked to stop
  std::string licence_policy = "strict";  // how training risks count
  bool enforce_checks = false;            // a DENIED guardrail refuses the record
  std::string consent_withdrawal =
      "deny";          // a consent refused after the work: deny|review
  std::string studio;  // whom licences must be granted to ("" : any)
  std::vector<std::string> studio_aliases;  // other names the studio holds them under
  bool probe = false;                       // check a running rmtcd's health and exit
};

// Parses flags and environment. Returns nullopt after printing help or an
// error; `exit_code` then says how to exit (0 for --help, 2 for bad usage).
std::optional<Config> ParseConfig(int argc, char** argv, int& exit_code);

}  // namespace rmtc::server
