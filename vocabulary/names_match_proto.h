// Compile-time checks that names.h has a name for every value of the wire's
// enumerations: included by the server's and the client's proto
// conversions, so a proto value added without its name fails both builds.
#pragma once

#include "rmtc/v1/access.pb.h"
#include "rmtc/v1/artefact.pb.h"
#include "rmtc/v1/checks.pb.h"
#include "rmtc/v1/licensing.pb.h"
#include "vocabulary/names.h"

namespace rmtc::vocabulary {

// Proto values run 0 (UNSPECIFIED) .. MAX without gaps; a table holds 1..MAX.
static_assert(kKindNames.size() == v1::Kind_MAX, "a Kind without a name");
static_assert(kRelationNames.size() == v1::Relation_MAX, "a Relation without a name");
static_assert(kFieldOfUseNames.size() == v1::FieldOfUse_MAX,
              "a FieldOfUse without a name");
static_assert(kTrainingPermissionNames.size() == v1::TrainingPermission_MAX,
              "a TrainingPermission without a name");
static_assert(kConsentValueNames.size() == v1::ConsentValue_MAX,
              "a ConsentValue without a name");
static_assert(kIntendedUseNames.size() == v1::IntendedUse_MAX,
              "an IntendedUse without a name");
static_assert(kPolicyNames.size() == v1::Policy_MAX, "a Policy without a name");
static_assert(kVerdictNames.size() == v1::Verdict_MAX, "a Verdict without a name");
static_assert(kSurvivesExpiryNames.size() == v1::SurvivesExpiry_MAX,
              "a SurvivesExpiry without a name");
static_assert(kRoleNames.size() == v1::Role_MAX, "a Role without a name");
// Spot checks that the order is the proto's.
static_assert(v1::KIND_ASSET == 6 && kKindNames[v1::KIND_ASSET - 1] == "asset");
static_assert(kRelationNames[v1::RELATION_SUPERSEDES - 1] == "supersedes");
static_assert(kConsentValueNames[v1::CONSENT_VALUE_NOT_ALLOWED - 1] == "not-allowed");
static_assert(kIntendedUseNames[v1::INTENDED_USE_TRAINING - 1] == "training");
static_assert(kVerdictNames[v1::VERDICT_DENIED - 1] == "DENIED");
static_assert(kRoleNames[v1::ROLE_ADMIN - 1] == "admin");

}  // namespace rmtc::vocabulary
