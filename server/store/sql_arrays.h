// PostgreSQL array literals for statement parameters: libpqxx 6.4 has no
// array parameters, so arrays travel as text ({"a","b"}) and are cast in
// SQL ($1::text[], $1::uuid[]).
#pragma once

#include <string>
#include <vector>

namespace rmtc::store {

// {"a","b"}, with quotes and backslashes escaped.
inline std::string TextArrayLiteral(const std::vector<std::string>& items) {
  std::string out = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out.push_back(',');
    out.push_back('"');
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
    out.push_back('"');
  }
  return out + "}";
}

}  // namespace rmtc::store
