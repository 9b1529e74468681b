// librmtc's proto conversions fed what a newer rmtcd may send: enum numbers
// this library has no name for (proto3 enums are open), and times at the
// ends of the range. The library runs inside Maya and Nuke: it must map
// them to kUnknown and never throw.
#include <gtest/gtest.h>

#include <limits>

#include "convert.h"

namespace rmtc {
namespace {

TEST(ClientConvert, UnknownKindsAndRelationsAreKUnknown) {
  v1::Artefact artefact;
  artefact.set_kind(static_cast<v1::Kind>(42));
  const Artefact read = FromProto(artefact);
  EXPECT_EQ(read.kind, Kind::kUnknown);
  EXPECT_EQ(KindName(read.kind), "unknown");
  EXPECT_EQ(KindFromProto(-7), Kind::kUnknown);
  EXPECT_EQ(KindFromProto(6), Kind::kAsset);
  EXPECT_EQ(RelationFromProto(12), Relation::kUnknown);
  EXPECT_EQ(RelationName(RelationFromProto(12)), "unknown");
  EXPECT_EQ(RelationFromProto(11), Relation::kSupersedes);
  // A value cast by a caller is named, not thrown at.
  EXPECT_EQ(KindName(static_cast<Kind>(99)), "unknown");
  EXPECT_EQ(KindFromName("unknown"), std::nullopt);
  EXPECT_EQ(RelationFromName("unknown"), std::nullopt);
  // Sent back, kUnknown is a number rmtcd refuses, not "no filter".
  EXPECT_EQ(KindToProto(Kind::kUnknown), -1);
  EXPECT_EQ(RelationToProto(Relation::kUnknown), -1);
}

TEST(ClientConvert, UnknownLicensingValuesAreKUnknown) {
  v1::Licence licence;
  licence.mutable_terms()->set_field_of_use(static_cast<v1::FieldOfUse>(5));
  licence.mutable_terms()->set_training(static_cast<v1::TrainingPermission>(-1));
  const Licence read = FromProto(licence);
  EXPECT_EQ(read.terms.field_of_use, FieldOfUse::kUnknown);
  EXPECT_EQ(FieldOfUseName(read.terms.field_of_use), "unknown");
  EXPECT_EQ(read.terms.training, TrainingPermission::kUnknown);
  EXPECT_EQ(read.terms.survives_expiry, SurvivesExpiry::kNone);  // unset
  licence.mutable_terms()->set_survives_expiry(static_cast<v1::SurvivesExpiry>(3));
  EXPECT_EQ(FromProto(licence).terms.survives_expiry, SurvivesExpiry::kUnknown);
  EXPECT_EQ(SurvivesExpiryName(SurvivesExpiry::kUnknown), "unknown");
  EXPECT_EQ(SurvivesExpiryFromName("derivativesMadeDuringTerm"),
            SurvivesExpiry::kDerivativesMadeDuringTerm);

  v1::ConsentRecord consent;
  consent.set_ai_training(static_cast<v1::ConsentValue>(4));
  consent.set_data_mining(v1::CONSENT_VALUE_CONSTRAINED);
  const ConsentRecord record = FromProto(consent);
  ASSERT_TRUE(record.consent.ai_training.has_value());
  EXPECT_EQ(*record.consent.ai_training, ConsentValue::kUnknown);
  EXPECT_EQ(ConsentValueName(*record.consent.ai_training), "unknown");
  EXPECT_EQ(record.consent.data_mining, ConsentValue::kConstrained);
  EXPECT_EQ(record.consent.ai_inference, std::nullopt);
  EXPECT_EQ(ConsentValueFromName("unknown"), std::nullopt);
  EXPECT_EQ(ConsentToProto(ConsentValue::kUnknown), -1);

  v1::UseCheck check;
  check.set_verdict(static_cast<v1::Verdict>(4));
  check.set_use(static_cast<v1::IntendedUse>(6));
  check.set_policy(static_cast<v1::Policy>(3));
  check.add_reasons()->set_effect(static_cast<v1::Verdict>(9));
  check.add_nodes()->set_kind(static_cast<v1::Kind>(7));
  const UseCheck read_check = UseCheckFromProto(check);
  EXPECT_EQ(read_check.verdict, Verdict::kUnknown);
  EXPECT_EQ(VerdictName(read_check.verdict), "UNKNOWN");
  EXPECT_EQ(read_check.use, IntendedUse::kUnknown);
  EXPECT_EQ(IntendedUseName(read_check.use), "unknown");
  EXPECT_EQ(read_check.policy, Policy::kUnknown);
  EXPECT_EQ(PolicyName(read_check.policy), "unknown");
  EXPECT_EQ(read_check.reasons.at(0).effect, Verdict::kUnknown);
  EXPECT_EQ(read_check.nodes.at(0).kind, Kind::kUnknown);
  EXPECT_EQ(IntendedUseToProto(IntendedUse::kUnknown), -1);
  EXPECT_EQ(PolicyToProto(Policy::kUnknown), -1);
  EXPECT_EQ(IntendedUseToProto(IntendedUse::kTraining), v1::INTENDED_USE_TRAINING);
  // UNKNOWN is a real field of use: it goes out as itself.
  v1::LicenceTerms terms;
  TermsToProto({.field_of_use = FieldOfUse::kUnknown}, &terms);
  EXPECT_EQ(terms.field_of_use(), v1::FIELD_OF_USE_UNKNOWN);
}

TEST(ClientConvert, TimesCoverTheWholeRange) {
  google::protobuf::Timestamp proto;
  proto.set_seconds(253'402'300'799);  // 9999-12-31T23:59:59
  proto.set_nanos(123'456'789);
  const Time last = TimeFromProto(proto);
  EXPECT_EQ(last.time_since_epoch().count(), 253'402'300'799'123'456);
  google::protobuf::Timestamp back;
  SetTimestamp(last, &back);
  EXPECT_EQ(back.seconds(), 253'402'300'799);
  EXPECT_EQ(back.nanos(), 123'456'000);

  // Before 1970 with a fraction: nanos stay 0..999999999.
  SetTimestamp(Time(std::chrono::microseconds(-500'000)), &back);
  EXPECT_EQ(back.seconds(), -1);
  EXPECT_EQ(back.nanos(), 500'000'000);
  proto.set_seconds(-62'135'596'800);  // 0001-01-01
  proto.set_nanos(0);
  EXPECT_EQ(TimeFromProto(proto).time_since_epoch().count(), -62'135'596'800'000'000);

  // A broken peer's time is held to the range, never overflowed.
  proto.set_seconds(std::numeric_limits<std::int64_t>::max());
  proto.set_nanos(-5);
  EXPECT_EQ(TimeFromProto(proto).time_since_epoch().count(), 253'402'300'799'000'000);
}

}  // namespace
}  // namespace rmtc
