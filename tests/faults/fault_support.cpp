#include "faults/fault_support.h"

#include <fstream>
#include <sstream>
#include <thread>

#include "grpc/health/v1/health.grpc.pb.h"
#include "support/process.h"
#include "vocabulary/names.h"

namespace rmtc::faults {

std::shared_ptr<grpc::Channel> OpenChannel(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 * 1024 * 1024);
  // Reconnect quickly once rmtcd is back; the default backoff grows to 2 min.
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 500);
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

std::unique_ptr<grpc::ClientContext> DeadlineIn(std::chrono::seconds limit) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + limit);
  context->AddMetadata("authorization", "Bearer " + testing::TestToken());
  return context;
}

std::string CodeName(grpc::StatusCode code) {
  const int i = static_cast<int>(code);
  return std::string(
      vocabulary::NameAt(vocabulary::kStatusCodeNames, i, "CODE_" + std::to_string(i)));
}

bool WaitUntil(const std::function<bool()>& done, std::chrono::seconds limit,
               std::chrono::milliseconds every) {
  const auto deadline = Clock::now() + limit;
  for (;;) {
    if (done()) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(every);
  }
}

int HealthOf(const std::string& address) {
  auto stub = grpc::health::v1::Health::NewStub(OpenChannel(address));
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  auto context = DeadlineIn(std::chrono::seconds(5));
  if (!stub->Check(context.get(), request, &response).ok()) return -1;
  return response.status();
}

std::int64_t ResidentKiB(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("VmRSS:")) {
      std::istringstream fields(line.substr(6));
      std::int64_t kib = -1;
      fields >> kib;
      return kib;
    }
  }
  return -1;
}

std::string SqlArray(const std::vector<std::string>& values, const std::string& type) {
  std::string out = "ARRAY[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += '\'';
    for (char c : values[i]) {
      out += c;
      if (c == '\'') out += '\'';
    }
    out += '\'';
  }
  return out + "]::" + type + "[]";
}

void ServerAddress::Set(std::string address) {
  std::lock_guard lock(mu_);
  address_ = std::move(address);
  ++generation_;
}

std::pair<std::string, int> ServerAddress::Get() const {
  std::lock_guard lock(mu_);
  return {address_, generation_};
}

void CallLog::Add(Call call) {
  std::lock_guard lock(mu_);
  calls_.push_back(std::move(call));
}

std::vector<CallLog::Call> CallLog::Calls() const {
  std::lock_guard lock(mu_);
  return calls_;
}

int CallLog::Count(grpc::StatusCode code) const {
  std::lock_guard lock(mu_);
  int n = 0;
  for (const auto& call : calls_) n += call.code == code;
  return n;
}

std::string CallLog::Summary() const {
  std::map<std::string, int> counts;
  {
    std::lock_guard lock(mu_);
    for (const auto& call : calls_) ++counts[call.method + " " + CodeName(call.code)];
  }
  std::string out;
  for (const auto& [what, n] : counts) {
    if (!out.empty()) out += ", ";
    out += what + ": " + std::to_string(n);
  }
  return out;
}

std::string CallLog::Messages() const {
  std::map<std::string, int> counts;
  {
    std::lock_guard lock(mu_);
    for (const auto& call : calls_) {
      if (call.code != grpc::StatusCode::OK)
        ++counts[CodeName(call.code) + ": " + call.message];
    }
  }
  std::string out;
  for (const auto& [message, n] : counts)
    out += "  " + std::to_string(n) + " x " + message + "\n";
  return out;
}

std::string Describe(const std::vector<CallLog::Call>& calls, Clock::time_point zero,
                     std::size_t limit) {
  auto ms = [&](Clock::time_point t) {
    return std::to_string(
        std::chrono::duration_cast<std::chrono::milliseconds>(t - zero).count());
  };
  std::string out;
  for (std::size_t i = 0; i < calls.size() && i < limit; ++i) {
    const auto& call = calls[i];
    out += "  " + call.method + " " + CodeName(call.code) + " [" + ms(call.started) +
           " ms .. " + ms(call.ended) + " ms]: " + call.message + "\n";
  }
  if (calls.size() > limit)
    out += "  ... and " + std::to_string(calls.size() - limit) + " more\n";
  return out;
}

}  // namespace rmtc::faults
