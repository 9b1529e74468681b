#include "rpc/utf8_locator.h"

#include <google/protobuf/unknown_field_set.h>

#include <map>

#include "common/strings.h"
#include "lineage/validation.h"

namespace rmtc::rpc {
namespace {

using google::protobuf::FieldDescriptor;

constexpr int kMaxNesting = 32;

std::optional<std::string> Walk(const google::protobuf::Descriptor& type,
                                std::string_view bytes, const std::string& prefix,
                                int nesting) {
  google::protobuf::UnknownFieldSet fields;
  if (nesting > kMaxNesting ||
      !fields.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return std::nullopt;
  }
  std::map<int, int> seen;  // occurrences so far, for repeated indexes
  for (int i = 0; i < fields.field_count(); ++i) {
    const auto& field = fields.field(i);
    const FieldDescriptor* fd = type.FindFieldByNumber(field.number());
    const int occurrence = seen[field.number()]++;
    if (fd == nullptr ||
        field.type() != google::protobuf::UnknownField::TYPE_LENGTH_DELIMITED) {
      continue;
    }
    std::string path = StrCat(prefix, prefix.empty() ? "" : ".", fd->name());
    if (fd->is_repeated()) StrAppend(path, "[", occurrence, "]");
    const std::string& value = field.length_delimited();
    if (fd->type() == FieldDescriptor::TYPE_STRING) {
      if (!lineage::IsValidUtf8(value)) return path;
    } else if (fd->type() == FieldDescriptor::TYPE_MESSAGE) {
      if (auto found = Walk(*fd->message_type(), value, path, nesting + 1)) {
        return found;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> FindInvalidUtf8(const google::protobuf::Descriptor& type,
                                           std::string_view bytes) {
  return Walk(type, bytes, "", 0);
}

}  // namespace rmtc::rpc
