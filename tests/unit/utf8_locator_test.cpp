#include "rpc/utf8_locator.h"

#include <gtest/gtest.h>

#include "rmtc/v1/lineage.pb.h"

namespace rmtc::rpc {
namespace {

TEST(Utf8Locator, NamesTheFieldAndItemHoldingInvalidUtf8) {
  v1::RegisterArtefactsRequest request;
  request.set_request_id("r1");
  for (int i = 0; i < 3; ++i) request.add_artefacts()->set_name("fine");
  request.mutable_artefacts(2)->add_sources()->set_id("ok");
  request.mutable_artefacts(2)->add_sources()->set_id("caf\xE9");
  // Serialising logs protobuf's complaint but still writes the bytes, as a
  // careless client would send them.
  const std::string bytes = request.SerializeAsString();
  v1::RegisterArtefactsRequest parsed;
  ASSERT_FALSE(parsed.ParseFromString(bytes));
  EXPECT_EQ(FindInvalidUtf8(*request.GetDescriptor(), bytes),
            "artefacts[2].sources[1].id");

  request.mutable_artefacts(2)->mutable_sources(1)->set_id("ok");
  request.mutable_artefacts(1)->set_name("\xFF");
  EXPECT_EQ(FindInvalidUtf8(*request.GetDescriptor(), request.SerializeAsString()),
            "artefacts[1].name");
  request.set_created_by("\xC0\xAF");
  EXPECT_EQ(FindInvalidUtf8(*request.GetDescriptor(), request.SerializeAsString()),
            "artefacts[1].name");
  request.mutable_artefacts(1)->set_name("fine");
  EXPECT_EQ(FindInvalidUtf8(*request.GetDescriptor(), request.SerializeAsString()),
            "created_by");
}

TEST(Utf8Locator, NothingToFindInValidOrGarbledBytes) {
  v1::TraceRequest request;
  request.set_id("0190c4d2-7b1e-7c3a-9f00-123456789abc");
  EXPECT_EQ(FindInvalidUtf8(*request.GetDescriptor(), request.SerializeAsString()),
            std::nullopt);
  EXPECT_EQ(FindInvalidUtf8(*request.GetDescriptor(), "\xFF\xFF\xFF"), std::nullopt);
}

}  // namespace
}  // namespace rmtc::rpc
