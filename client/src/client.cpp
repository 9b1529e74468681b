#include "rmtc/client.h"

#include <grpcpp/grpcpp.h>
#include <openssl/rand.h>
#include <pwd.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cstdlib>
#include <random>
#include <string_view>
#include <thread>
#include <vector>

#include "client_impl.h"
#include "convert.h"
#include "vocabulary/hex.h"

namespace rmtc {

std::string RequestIdOf(const WriteOptions& write) {
  if (!write.request_id.empty()) return write.request_id;
  std::array<unsigned char, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    std::random_device random;
    for (auto& b : bytes) b = static_cast<unsigned char>(random());
  }
  return "rmtc-client-" + vocabulary::HexEncode(bytes.data(), bytes.size());
}

namespace {

template <typename Request>
void PrepareWrite(Request& request, const ClientOptions& options,
                  const WriteOptions& write) {
  request.set_request_id(RequestIdOf(write));
  request.set_created_by(CreatedBy(options));
}

}  // namespace

std::string CreatedBy(const ClientOptions& options) {
  if (!options.created_by.empty()) return options.created_by;
  if (const char* user = std::getenv("USER"); user != nullptr && *user != '\0')
    return user;
  if (const passwd* pw = getpwuid(geteuid()); pw != nullptr) return pw->pw_name;
  return "";
}

Client::Client(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

namespace {

constexpr char kAddressForms[] =
    "give HOST:PORT, [IPv6]:PORT, unix:PATH or unix-abstract:NAME (e.g. 127.0.0.1:50051)";

std::string AddressError(std::string_view address, std::string_view why) {
  return "address: '" + std::string(address) + "' " + std::string(why) + ": " +
         kAddressForms;
}

// Why `host_port` is not HOST:PORT or [IPv6]:PORT with a port in 1..65535;
// "" if it is.
std::string HostPortProblem(std::string_view host_port) {
  std::string_view host, port;
  if (host_port.starts_with('[')) {
    const auto close = host_port.find(']');
    if (close == std::string_view::npos || close == 1)
      return "has an unclosed or empty [IPv6]";
    host = host_port.substr(1, close - 1);
    if (close + 1 == host_port.size()) return "has no port";
    if (host_port[close + 1] != ':') return "has something other than :PORT after ]";
    port = host_port.substr(close + 2);
  } else {
    const auto colon = host_port.rfind(':');
    if (colon == std::string_view::npos) return "has no port";
    host = host_port.substr(0, colon);
    port = host_port.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      return "looks like an IPv6 address without brackets ([::1]:50051)";
    }
    for (char c : host) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' &&
          c != '_') {
        return "is not a host name or IP address with a port";
      }
    }
  }
  if (host.empty()) return "has no host";
  if (port.empty()) return "has no port";
  long number = 0;
  for (char c : port) {
    if (!std::isdigit(static_cast<unsigned char>(c)) || port.size() > 5) {
      return "has a port that is not a number from 1 to 65535";
    }
    number = number * 10 + (c - '0');
  }
  if (number < 1 || number > 65535)
    return "has a port that is not a number from 1 to 65535";
  return "";
}

// The targets gRPC dials, checked before a channel is made: a channel to a
// malformed target would only ever say "unavailable".
std::string AddressProblem(std::string_view address) {
  auto after = [&](std::string_view scheme) { return address.substr(scheme.size()); };
  if (address.empty()) return "address: is empty: " + std::string(kAddressForms);
  if (address.starts_with("unix-abstract:")) {
    return after("unix-abstract:").empty() ? AddressError(address, "names no socket")
                                           : "";
  }
  if (address.starts_with("unix:")) {
    const auto path = after("unix:");
    if (path.empty() || path == "//")
      return AddressError(address, "names no socket path");
    if (path.starts_with("//") && !path.substr(2).starts_with('/')) {
      return AddressError(address, "is unix:// with a path that is not absolute");
    }
    return "";
  }
  std::vector<std::string_view> targets;
  std::string_view list = address;
  if (address.starts_with("dns:")) {
    list = after("dns:");
    if (list.starts_with("//")) {  // dns://AUTHORITY/HOST:PORT
      const auto slash = list.find('/', 2);
      if (slash == std::string_view::npos)
        return AddressError(address, "has no HOST:PORT");
      list = list.substr(slash + 1);
    }
    targets.push_back(list);
  } else if (address.starts_with("ipv4:") || address.starts_with("ipv6:")) {
    list = address.substr(5);
    for (std::size_t start = 0;;) {  // comma-separated addresses
      const auto comma = list.find(',', start);
      targets.push_back(list.substr(start, comma - start));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
  } else if (const auto scheme = address.find("://"); scheme != std::string_view::npos) {
    return AddressError(address, "has a scheme gRPC does not dial (" +
                                     std::string(address.substr(0, scheme)) + "://)");
  } else {
    targets.push_back(address);
  }
  for (auto target : targets) {
    if (auto problem = HostPortProblem(target); !problem.empty()) {
      return AddressError(address, problem);
    }
  }
  return "";
}

// What to say when nothing answers: the default address is the one
// script/server listens on, so only there is starting it the likely fix.
std::string UnreachableMessage(const std::string& address, bool timed_out) {
  std::string message = "cannot reach rmtcd at " + address;
  if (timed_out) message += " within the timeout";
  if (address == ClientOptions{}.address) {
    return message + " (is it running? start it with script/server)";
  }
  return message + " (is rmtcd running and listening there?)";
}

}  // namespace

namespace {

// Why a connection that failed did, for a TLS client: the channel's state
// does not say, the answer to one call does.
Error ConnectFailure(const Client::Impl& impl, bool timed_out) {
  Error unreachable{ErrorCode::kUnavailable,
                    UnreachableMessage(impl.options.address, timed_out)};
  if (impl.options.tls_ca_file.empty()) return unreachable;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  const auto status = impl.health->Check(&context, request, &response);
  const Error explained = ExplainTlsFailure(impl.options, ErrorOf(status));
  if (explained.message.starts_with("TLS ")) return explained;
  unreachable.message += " (" + status.error_message() + ")";
  return unreachable;
}

}  // namespace

Result<Client> Client::Connect(const ClientOptions& options) {
  if (auto problem = AddressProblem(options.address); !problem.empty()) {
    return Error{ErrorCode::kInvalidArgument, problem};
  }
  auto credentials = ChannelCredentialsFor(options);
  if (!credentials) return credentials.error();
  auto impl = std::make_shared<Impl>();
  impl->options = options;
  if (impl->options.token.empty()) {
    if (const char* token = std::getenv("RMTC_TOKEN"); token != nullptr) {
      impl->options.token = token;
    }
  }
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(kMaxMessageBytes);
  args.SetMaxSendMessageSize(kMaxMessageBytes);
  if (!options.tls_server_name.empty()) {
    args.SetSslTargetNameOverride(options.tls_server_name);
  }
  impl->channel = grpc::CreateCustomChannel(options.address, *credentials, args);
  impl->lineage = v1::Lineage::NewStub(impl->channel);
  impl->licensing = v1::Licensing::NewStub(impl->channel);
  impl->access = v1::Access::NewStub(impl->channel);
  impl->audit = v1::Audit::NewStub(impl->channel);
  impl->health = grpc::health::v1::Health::NewStub(impl->channel);
  // Watch the channel rather than wait for it: a refused connection shows
  // as TRANSIENT_FAILURE at once, while WaitForConnected would keep retrying
  // until the timeout.
  const auto deadline = std::chrono::system_clock::now() + options.timeout;
  for (auto state = impl->channel->GetState(/*try_to_connect=*/true);
       state != GRPC_CHANNEL_READY; state = impl->channel->GetState(true)) {
    if (state == GRPC_CHANNEL_TRANSIENT_FAILURE || state == GRPC_CHANNEL_SHUTDOWN) {
      return ConnectFailure(*impl, false);
    }
    if (!impl->channel->WaitForStateChange(state, deadline)) {
      return ConnectFailure(*impl, true);
    }
  }
  return Client(std::move(impl));
}

const ClientOptions& Client::options() const { return impl_->options; }

Result<std::vector<Registered>> Client::Register(
    const std::vector<NewArtefact>& artefacts, const WriteOptions& write) const {
  v1::RegisterArtefactsRequest request;
  PrepareWrite(request, impl_->options, write);
  for (const auto& a : artefacts) ToProto(a, request.add_artefacts());
  auto response = WithRetries<v1::RegisterArtefactsResponse>(
      *impl_, [&](grpc::ClientContext* context, auto* out) {
        return impl_->lineage->RegisterArtefacts(context, request, out);
      });
  if (!response) return response.error();
  std::vector<Registered> out;
  for (const auto& r : response->artefacts()) out.push_back(FromProto(r));
  return out;
}

Result<RecordedRun> Client::RecordTrainingRun(const TrainingRun& run,
                                              const WriteOptions& write) const {
  v1::RecordTrainingRunRequest request;
  PrepareWrite(request, impl_->options, write);
  ToProto(run.run, request.mutable_run());
  for (const auto& id : run.trained_on) request.add_trained_on(id);
  for (const auto& id : run.evaluated_on) request.add_evaluated_on(id);
  for (const auto& id : run.base) request.add_base(id);
  for (const auto& w : run.weights) ToProto(w, request.add_weights());
  if (run.check) GuardrailToProto(*run.check, request.mutable_check());
  auto response = WithRetries<v1::RecordTrainingRunResponse>(
      *impl_, [&](grpc::ClientContext* context, auto* out) {
        return impl_->lineage->RecordTrainingRun(context, request, out);
      });
  if (!response) return response.error();
  RecordedRun out{FromProto(response->run()), {}, std::nullopt};
  for (const auto& w : response->weights()) out.weights.push_back(FromProto(w));
  if (response->has_check()) out.check = UseCheckFromProto(response->check());
  return out;
}

Result<RecordedInference> Client::RecordInference(const Inference& inference,
                                                  const WriteOptions& write) const {
  v1::RecordInferenceRequest request;
  PrepareWrite(request, impl_->options, write);
  ToProto(inference.inference, request.mutable_inference());
  for (const auto& id : inference.uses) request.add_uses(id);
  for (const auto& id : inference.inputs) request.add_inputs(id);
  for (const auto& o : inference.outputs) ToProto(o, request.add_outputs());
  if (inference.check) GuardrailToProto(*inference.check, request.mutable_check());
  auto response = WithRetries<v1::RecordInferenceResponse>(
      *impl_, [&](grpc::ClientContext* context, auto* out) {
        return impl_->lineage->RecordInference(context, request, out);
      });
  if (!response) return response.error();
  RecordedInference out{FromProto(response->inference()), {}, std::nullopt};
  for (const auto& o : response->outputs()) out.outputs.push_back(FromProto(o));
  if (response->has_check()) out.check = UseCheckFromProto(response->check());
  return out;
}

Result<Artefact> Client::Get(const std::string& id) const {
  v1::GetArtefactRequest request;
  request.set_id(id);
  auto response =
      WithRetries<v1::Artefact>(*impl_, [&](grpc::ClientContext* context, auto* out) {
        return impl_->lineage->GetArtefact(context, request, out);
      });
  if (!response) return response.error();
  return FromProto(*response);
}

namespace {

Result<std::vector<Artefact>> Find(const Client::Impl& impl,
                                   const v1::FindArtefactsRequest& request) {
  auto response = WithRetries<v1::FindArtefactsResponse>(
      impl, [&](grpc::ClientContext* context, auto* out) {
        return impl.lineage->FindArtefacts(context, request, out);
      });
  if (!response) return response.error();
  std::vector<Artefact> out;
  for (const auto& a : response->artefacts()) out.push_back(FromProto(a));
  return out;
}

}  // namespace

Result<std::vector<Artefact>> Client::FindBySha256(const std::string& sha256,
                                                   std::optional<Kind> kind) const {
  v1::FindArtefactsRequest request;
  request.set_sha256(sha256);
  if (kind) request.set_kind(static_cast<v1::Kind>(KindToProto(*kind)));
  return Find(*impl_, request);
}

Result<std::vector<Artefact>> Client::FindByExternalId(
    const ExternalId& external_id) const {
  v1::FindArtefactsRequest request;
  request.mutable_external_id()->set_system(external_id.system);
  request.mutable_external_id()->set_id(external_id.id);
  return Find(*impl_, request);
}

Result<ArtefactPage> Client::List(const ListOptions& options) const {
  v1::ListArtefactsRequest request;
  if (options.kind) request.set_kind(static_cast<v1::Kind>(KindToProto(*options.kind)));
  request.set_name_contains(options.name_contains);
  request.set_facility(options.facility);
  if (options.created_after)
    SetTimestamp(*options.created_after, request.mutable_created_after());
  if (options.created_before) {
    SetTimestamp(*options.created_before, request.mutable_created_before());
  }
  request.set_page_size(options.page_size);
  request.set_page_token(options.page_token);
  auto response = WithRetries<v1::ListArtefactsResponse>(
      *impl_, [&](grpc::ClientContext* context, auto* out) {
        return impl_->lineage->ListArtefacts(context, request, out);
      });
  if (!response) return response.error();
  ArtefactPage page;
  for (const auto& a : response->artefacts()) page.artefacts.push_back(FromProto(a));
  page.next_page_token = response->next_page_token();
  return page;
}

Result<TraceResult> Client::Trace(const std::string& id,
                                  const TraceOptions& options) const {
  v1::TraceRequest request;
  request.set_id(id);
  request.set_direction(options.direction == Direction::kDownstream
                            ? v1::DIRECTION_DOWNSTREAM
                            : v1::DIRECTION_UPSTREAM);
  request.set_max_depth(options.max_depth);
  for (Relation r : options.relations) {
    request.add_relations(static_cast<v1::Relation>(RelationToProto(r)));
  }
  request.set_max_nodes(options.max_nodes);
  request.set_page_token(options.page_token);
  auto response = WithRetries<v1::TraceResponse>(
      *impl_, [&](grpc::ClientContext* context, auto* out) {
        return impl_->lineage->Trace(context, request, out);
      });
  if (!response) return response.error();
  TraceResult result;
  for (const auto& node : response->nodes()) {
    result.nodes.push_back({FromProto(node.artefact()), node.depth()});
  }
  for (const auto& edge : response->edges()) {
    result.edges.push_back(
        {edge.derived_id(), edge.source_id(), RelationFromProto(edge.relation())});
  }
  result.partial = response->partial();
  result.next_page_token = response->next_page_token();
  return result;
}

Result<bool> Client::Healthy() const {
  grpc::health::v1::HealthCheckRequest request;
  auto response = WithRetries<grpc::health::v1::HealthCheckResponse>(
      *impl_, [&](grpc::ClientContext* context, auto* out) {
        return impl_->health->Check(context, request, out);
      });
  if (!response) return response.error();
  return response->status() == grpc::health::v1::HealthCheckResponse::SERVING;
}

const char* Version() { return RMTC_VERSION; }

}  // namespace rmtc
