// What "the same request" means for request ids, for every write that takes
// one (lineage and licensing): the SHA-256 of the request without its
// request_id, serialised deterministically.
#pragma once

#include <google/protobuf/message_lite.h>

#include <string>

namespace rmtc::rpc {

// SHA-256 (32 raw bytes) of `message` serialised deterministically.
std::string DeterministicSha256(const google::protobuf::MessageLite& message);

// The digest a request id is claimed with: the request, its id cleared.
template <typename Request>
std::string RequestDigest(const Request& request) {
  Request copy = request;
  copy.clear_request_id();
  return DeterministicSha256(copy);
}

}  // namespace rmtc::rpc
