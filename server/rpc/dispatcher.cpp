#include "rpc/dispatcher.h"

#include <grpcpp/support/proto_buffer_reader.h>
#include <openssl/evp.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/secrets.h"
#include "common/call_scope.h"
#include "common/secrets.h"
#include "common/strings.h"
#include "rpc/tls.h"
#include "rpc/utf8_locator.h"
#include "vocabulary/hex.h"
#include "vocabulary/names.h"

namespace rmtc::rpc {
namespace {

// Codes that mean the caller sent something wrong: a warning, not an error
// of the service.
bool IsCallerError(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE:
    case grpc::StatusCode::CANCELLED:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return true;
    default:
      return false;
  }
}

std::string CodeName(grpc::StatusCode code) {
  const int i = static_cast<int>(code);
  return std::string(
      vocabulary::NameAt(vocabulary::kStatusCodeNames, i, StrCat("CODE_", i)));
}

// The verified client certificate's common name and subject alternative
// names (empty without TLS client authentication).
std::vector<std::string> ClientCertificateNames(const grpc::ServerContextBase& context) {
  std::vector<std::string> names;
  const auto certificate = ClientCertificateOf(context);
  if (!certificate) return names;
  if (!certificate->common_name.empty()) names.push_back(certificate->common_name);
  for (const auto& san : certificate->alternative_names) names.push_back(san);
  return names;
}

// Who the call counts against for --max-calls-per-principal, known before
// the call is admitted (which may need the database, and must not run on
// gRPC's thread): its token's digest (the token itself is kept nowhere),
// else its certificate's names. "" for a call with neither, which counts
// against nobody: under --auth open it runs as everyone's "open", and
// otherwise it is refused at once.
std::string CallerKey(const grpc::ServerContextBase& context) {
  const auto& metadata = context.client_metadata();
  if (auto it = metadata.find("authorization"); it != metadata.end()) {
    const auto digest =
        auth::DigestOf(std::string_view(it->second.data(), it->second.size()));
    return StrCat("token:", std::string(digest.begin(), digest.end()));
  }
  const auto names = ClientCertificateNames(context);
  return names.empty() ? ""
                       : StrCat("cert:", StrJoin(names, "\n",
                                                 [](const std::string& n) { return n; }));
}

// " client=CN=... SAN=..." for a caller with a verified certificate.
std::string ClientText(const grpc::ServerContextBase& context) {
  const auto certificate = ClientCertificateOf(context);
  return certificate ? StrCat(" client=", Describe(*certificate)) : "";
}

}  // namespace

Dispatcher::Dispatcher(int threads, std::size_t max_queued,
                       auth::Authenticator& authenticator, RequestBytes bytes,
                       std::size_t max_per_caller)
    : authenticator_(authenticator),
      max_queued_(max_queued),
      max_bytes_(bytes),
      max_per_caller_(max_per_caller) {
  for (int i = 0; i < threads; ++i) workers_.emplace_back([this] { RunWorker(); });
}

Dispatcher::~Dispatcher() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (auto& worker : workers_) worker.join();
}

grpc::ServerUnaryReactor* Dispatcher::Enqueue(grpc::CallbackServerContext* context,
                                              const char* method,
                                              std::size_t request_bytes, Work work) {
  // DefaultReactor() may be called once per call.
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  Call call{context,
            reactor,
            method,
            std::chrono::steady_clock::now(),
            std::move(work),
            request_bytes,
            max_per_caller_ > 0 ? CallerKey(*context) : std::string()};
  const char* overloaded = nullptr;
  std::optional<grpc::Status> refused;
  {
    std::unique_lock lock(mu_);
    if (stopping_ || queue_.size() >= max_queued_) {
      overloaded = "rmtcd is overloaded: too many calls waiting; retry with backoff";
    } else if (!queue_.empty() && waiting_bytes_ + request_bytes > max_bytes_.waiting) {
      overloaded =
          "rmtcd is overloaded: too many bytes of requests waiting; retry with "
          "backoff";
    } else if (refused = CountLocked(call); !refused) {
      waiting_bytes_ += request_bytes;
      queue_.push_back(std::move(call));
      lock.unlock();
      ready_.notify_one();
      return reactor;
    }
  }
  if (refused) {
    // The caller's own doing, like a denied call: warn, rate-limited.
    LogRefused(call, *refused, 0.0);
    reactor->Finish(*refused);
    return reactor;
  }
  Finish(call, grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, overloaded));
  return reactor;
}

std::optional<grpc::Status> Dispatcher::CountLocked(const Call& call) {
  if (call.caller.empty()) return std::nullopt;
  std::size_t& calls = calls_of_[call.caller];
  if (calls < max_per_caller_) {
    ++calls;
    return std::nullopt;
  }
  // Names the limit, never the token (the caller is not even known yet).
  return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                      StrCat("this caller already has ", calls,
                             " calls running or waiting, as many as one principal may "
                             "(rmtcd --max-calls-per-principal ",
                             max_per_caller_, "); retry when one has finished"));
}

void Dispatcher::Uncount(const Call& call) {
  if (call.caller.empty()) return;
  std::lock_guard lock(mu_);
  if (auto it = calls_of_.find(call.caller); it != calls_of_.end() && --it->second == 0) {
    calls_of_.erase(it);
  }
}

std::deque<Dispatcher::Call>::iterator Dispatcher::NextRunnable() {
  if (stopping_ || running_bytes_ == 0) return queue_.begin();
  return std::find_if(queue_.begin(), queue_.end(), [this](const Call& call) {
    return running_bytes_ + call.request_bytes <= max_bytes_.running;
  });
}

void Dispatcher::RunWorker() {
  for (;;) {
    Call call;
    {
      std::unique_lock lock(mu_);
      auto next = queue_.end();
      ready_.wait(lock, [&] {
        next = NextRunnable();
        return next != queue_.end() || (stopping_ && queue_.empty());
      });
      if (next == queue_.end()) return;
      call = std::move(*next);
      queue_.erase(next);
      waiting_bytes_ -= call.request_bytes;
      running_bytes_ += call.request_bytes;
    }
    grpc::Status status;
    if (call.context->IsCancelled()) {
      status = grpc::Status(grpc::StatusCode::CANCELLED, "the client cancelled the call");
    } else if (call.context->deadline() < std::chrono::system_clock::now()) {
      status = grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                            "the deadline passed before the call was served");
    } else {
      try {
        status = RunInScope(call);
      } catch (const std::exception& e) {
        spdlog::error("{}: unexpected exception: {}", call.method, e.what());
        status = grpc::Status(grpc::StatusCode::INTERNAL,
                              StrCat(call.method, ": internal error"));
      }
    }
    // Before the answer, so that the caller's next call finds its place.
    Uncount(call);
    Finish(call, status);
    {
      std::lock_guard lock(mu_);
      running_bytes_ -= call.request_bytes;
    }
    // A call that waited for these bytes may run now.
    if (call.request_bytes > 0) ready_.notify_all();
  }
}

absl::StatusOr<records::Principal> Dispatcher::Admit(const Call& call) {
  // Read per call, never cached per connection: every call may carry a
  // different token (gRPC 1.51's AuthMetadataProcessor would not allow that).
  const auto& metadata = call.context->client_metadata();
  std::optional<std::string_view> authorization;
  if (auto it = metadata.find("authorization"); it != metadata.end()) {
    authorization = std::string_view(it->second.data(), it->second.size());
  }
  auto caller =
      authenticator_.Authenticate(authorization, ClientCertificateNames(*call.context));
  if (!caller.ok()) return caller.status();
  if (auto refused = auth::Authenticator::Authorize(*caller, call.method);
      !refused.ok()) {
    return refused;
  }
  return caller;
}

void Dispatcher::LogRefused(const Call& call, const grpc::Status& status, double ms) {
  long suppressed = 0;
  {
    std::lock_guard lock(denied_mu_);
    const auto now = std::chrono::steady_clock::now();
    if (now - denied_second_ >= std::chrono::seconds(1)) {
      denied_second_ = now;
      denied_logged_ = 0;
      suppressed = std::exchange(denied_suppressed_, 0);
    }
    if (denied_logged_ >= kDeniedPerSecond) {
      ++denied_suppressed_;
      return;
    }
    ++denied_logged_;
  }
  // The message names the principal and the role needed, never a token.
  spdlog::warn("rpc {} {} {:.2f} ms peer={}: {}{}", call.method,
               CodeName(status.error_code()), ms, call.context->peer(),
               status.error_message(),
               suppressed ? StrCat(" (", suppressed, " more refused calls not logged)")
                          : std::string());
}

grpc::Status Dispatcher::RunInScope(const Call& call) {
  grpc::CallbackServerContext* context = call.context;
  CallLimits limits{.deadline = SteadyDeadline(context->deadline()),
                    .cancelled = [context] { return context->IsCancelled(); },
                    .method = call.method};
  absl::StatusOr<records::Principal> caller;
  {
    const CallScope admitting(limits);  // the token lookup is bounded too
    caller = Admit(call);
  }
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  limits.principal = caller->name;
  const CallScope scope(std::move(limits));
  return call.work(*caller);
}

void Dispatcher::Finish(const Call& call, const grpc::Status& status) {
  const double ms = std::chrono::duration<double, std::milli>(
                        std::chrono::steady_clock::now() - call.received)
                        .count();
  const auto code = status.error_code();
  if (code == grpc::StatusCode::UNAUTHENTICATED ||
      code == grpc::StatusCode::PERMISSION_DENIED) {
    LogRefused(call, status, ms);
  } else if (code == grpc::StatusCode::OK) {
    if (spdlog::should_log(spdlog::level::debug)) {
      spdlog::debug("rpc {} OK {:.2f} ms peer={}{}", call.method, ms,
                    call.context->peer(), ClientText(*call.context));
    }
  } else {
    const auto level = IsCallerError(code) ? spdlog::level::warn : spdlog::level::err;
    spdlog::log(level, "rpc {} {} {:.2f} ms: {}", call.method, CodeName(code), ms,
                status.error_message());
  }
  call.reactor->Finish(status);
}

void Dispatcher::NoteRequestForAudit(const grpc::ByteBuffer& request) {
  std::vector<grpc::Slice> slices;
  if (!request.Dump(&slices).ok()) return;
  EVP_MD_CTX* sha = EVP_MD_CTX_new();
  EVP_DigestInit_ex(sha, EVP_sha256(), nullptr);
  for (const auto& slice : slices) EVP_DigestUpdate(sha, slice.begin(), slice.size());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(sha, digest, &length);
  EVP_MD_CTX_free(sha);
  CallScope::SetRequestSha256(vocabulary::HexEncode(digest, length));
}

grpc::Status Dispatcher::ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  // Masked: a database error may quote the connection string.
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      Masked(std::string(status.message())));
}

grpc::Status Dispatcher::Parse(const grpc::ByteBuffer& bytes,
                               google::protobuf::Message* message) {
  // Parsed from gRPC's own slices: a large request is not copied first.
  grpc::ByteBuffer shared(bytes);  // shares the slices, copies no bytes
  {
    grpc::ProtoBufferReader reader(&shared);
    if (reader.status().ok() && message->ParseFromZeroCopyStream(&reader)) {
      return grpc::Status::OK;
    }
  }
  std::vector<grpc::Slice> slices;
  if (!bytes.Dump(&slices).ok()) {
    return grpc::Status(grpc::StatusCode::INTERNAL, "cannot read the request");
  }
  std::string data;
  data.reserve(bytes.Length());
  for (const auto& slice : slices) {
    data.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  if (auto path = FindInvalidUtf8(*message->GetDescriptor(), data)) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        StrCat(*path, ": is not valid UTF-8"));
  }
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                      StrCat("the request is not a valid ",
                             message->GetDescriptor()->full_name(), " message"));
}

void Dispatcher::Serialise(const google::protobuf::Message& message,
                           grpc::ByteBuffer* bytes) {
  // Straight into the slice gRPC sends: a large answer is not copied twice.
  grpc::Slice slice(message.ByteSizeLong());
  message.SerializeWithCachedSizesToArray(const_cast<std::uint8_t*>(slice.begin()));
  *bytes = grpc::ByteBuffer(&slice, 1);
}

}  // namespace rmtc::rpc
