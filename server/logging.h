// spdlog to stderr, as text for people or one JSON object per line for log
// shippers.
#pragma once

#include <string>
#include <string_view>

namespace rmtc::server {

// `level`: trace, debug, info, warn, error, off. `format`: text or json.
// Every message has known secrets masked (common/secrets.h); text lines
// have control characters escaped (json quotes them), so each log call
// writes exactly one line.
void SetUpLogging(const std::string& level, const std::string& format);

// `text` with control characters written as \n, \r, \t or \xHH.
std::string EscapedForLog(std::string_view text);

}  // namespace rmtc::server
