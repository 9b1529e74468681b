// Client records <-> proto messages.
#pragma once

#include <chrono>

#include "rmtc/recording.h"
#include "rmtc/types.h"
#include "rmtc/v1/checks.pb.h"
#include "rmtc/v1/lineage.pb.h"

namespace rmtc {

void ToProto(const NewArtefact& artefact, v1::NewArtefact* proto);
Artefact FromProto(const v1::Artefact& proto);
Registered FromProto(const v1::Registered& proto);
void SetTimestamp(std::chrono::system_clock::time_point time,
                  google::protobuf::Timestamp* proto);
std::chrono::system_clock::time_point TimeFromProto(const google::protobuf::Timestamp& proto);
// In licensing.cpp.
UseCheck UseCheckFromProto(const v1::UseCheck& proto);
void GuardrailToProto(const Guardrail& guardrail, v1::Guardrail* proto);

}  // namespace rmtc
