// Finds where a request holds invalid UTF-8. Protobuf refuses to parse such
// a request (proto3 strings must be UTF-8) and gRPC would answer a bare
// INTERNAL; this walks the raw wire format instead, so the client hears
// which field of which item is wrong.
#pragma once

#include <google/protobuf/descriptor.h>

#include <optional>
#include <string>
#include <string_view>

namespace rmtc::rpc {

// The path of the first string field of `bytes` (a serialised `type`
// message) whose value is not UTF-8, e.g. "artefacts[3].name"; nullopt if
// every string is valid or the bytes are not a message at all.
std::optional<std::string> FindInvalidUtf8(const google::protobuf::Descriptor& type,
                                           std::string_view bytes);

}  // namespace rmtc::rpc
