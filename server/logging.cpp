#include "logging.h"

#include <google/protobuf/stubs/logging.h>
#include <grpc/support/log.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

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

}  // namespace

void SetUpLogging(const std::string& level, const std::string& format) {
  auto logger = spdlog::stderr_logger_mt("rmtcd");
  if (format == "json") {
    logger->set_formatter(std::make_unique<JsonFormatter>());
  } else {
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ %v");
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
