// spdlog to stderr, as text for people or one JSON object per line for log
// shippers.
#pragma once

#include <string>

namespace rmtc::server {

// `level`: trace, debug, info, warn, error, off. `format`: text or json.
void SetUpLogging(const std::string& level, const std::string& format);

}  // namespace rmtc::server
