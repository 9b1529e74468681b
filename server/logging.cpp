#include "logging.h"

#include <google/protobuf/stubs/logging.h>
#include <grpc/support/log.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>
#include <string_view>

#include "common/secrets.h"

namespace rmtc::server {
namespace {

// {"time":"2026-11-26T06:22:53.123Z","level":"info","msg":"..."}: each
// line a complete JSON document, whatever the message holds.
class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto since_epoch = msg.time.time_since_epoch();
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - seconds);
    const std::time_t t = seconds.count();
    std::tm utc{};
    gmtime_r(&t, &utc);
    char stamp[40];
    const std::size_t n = std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &utc);
    std::snprintf(stamp + n, sizeof stamp - n, ".%03dZ",
                  static_cast<int>(millis.count()));
    const auto level = spdlog::level::to_string_view(msg.level);
    nlohmann::json line = {{"time", stamp},
                           {"level", std::string(level.data(), level.size())},
                           {"msg", std::string(msg.payload.data(), msg.payload.size())},
                           {"thread", msg.thread_id}};
    const std::string text =
        line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    dest.append(text.data(), text.data() + text.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

// A control character as text: \n, \r, \t, else \xHH. C1 controls (UTF-8
// C2 80..C2 9F) count too: some terminals act on them like ESC sequences.
void AppendEscaped(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const bool c1 = c == 0xc2 && i + 1 < text.size() &&
                    static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                    static_cast<unsigned char>(text[i + 1]) <= 0x9f;
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f || c1) {
      const auto shown = c1 ? static_cast<unsigned char>(text[++i]) : c;
      out += "\\x";
      out.push_back(kHex[shown >> 4]);
      out.push_back(kHex[shown & 15]);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
}

// What every log line's message goes through, whatever the format: known
// secrets masked (common/secrets.h) and, where the format does not quote
// it itself, control characters escaped, so that a value from a request
// can never start a line of its own (a forged "critical").
class SafeFormatter final : public spdlog::formatter {
 public:
  SafeFormatter(std::unique_ptr<spdlog::formatter> inner, bool escape)
      : inner_(std::move(inner)), escape_(escape) {}
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const std::string masked =
        Masked(std::string_view(msg.payload.data(), msg.payload.size()));
    std::string safe;
    if (escape_) {
      safe.reserve(masked.size());
      AppendEscaped(safe, masked);
    }
    spdlog::details::log_msg copy = msg;
    copy.payload = escape_ ? spdlog::string_view_t(safe.data(), safe.size())
                           : spdlog::string_view_t(masked.data(), masked.size());
    inner_->format(copy, dest);
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<SafeFormatter>(inner_->clone(), escape_);
  }

 private:
  std::unique_ptr<spdlog::formatter> inner_;
  const bool escape_;
};

}  // namespace

std::string EscapedForLog(std::string_view text) {
  std::string out;
  AppendEscaped(out, text);
  return out;
}

void SetUpLogging(const std::string& level, const std::string& format) {
  auto logger = spdlog::stderr_logger_mt("rmtcd");
  if (format == "json") {
    // JSON quoting escapes control characters itself.
    logger->set_formatter(
        std::make_unique<SafeFormatter>(std::make_unique<JsonFormatter>(), false));
  } else {
    logger->set_formatter(std::make_unique<SafeFormatter>(
        std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ %v"),
        true));
  }
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
  // Protobuf prints its own complaints (a request with invalid UTF-8) to
  // stderr; route them through spdlog so every line keeps the format.
  google::protobuf::SetLogHandler(
      [](google::protobuf::LogLevel level, const char*, int, const std::string& message) {
        spdlog::log(level >= google::protobuf::LOGLEVEL_ERROR ? spdlog::level::warn
                                                              : spdlog::level::debug,
                    "protobuf: {}", message);
      });
  // gRPC's too: with TLS, every failed handshake (a client with the wrong
  // CA or no certificate, a port scan) is one of them. The client's fault,
  // so a warning.
  gpr_set_log_function([](gpr_log_func_args* args) {
    spdlog::log(args->severity == GPR_LOG_SEVERITY_ERROR ? spdlog::level::warn
                                                         : spdlog::level::debug,
                "grpc: {}", args->message);
  });
}

}  // namespace rmtc::server
