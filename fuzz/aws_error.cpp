// Fuzz target: reading an AWS error response.
//   input: line 1 the HTTP status (decimal text, optional '-'), line 2 the X-Amzn-ErrorType
//          header value (any bytes but '\n'), the rest the body (any bytes)
// Invariants, checked against nlohmann's own parse of the body:
//   - the type is never empty, valid UTF-8, without ':' or '#', without surrounding blanks, and
//     sanitizeErrorType leaves it unchanged (it is already clean);
//   - a header that sanitizes to something non-empty wins, else the body's code, then __type,
//     then the status;
//   - a body that is not a JSON object gives no message, reason, resource or field list; one
//     that is gives the DOM's string members (message, else Message; reason; resourceId;
//     resourceType) and its fieldList array, whose object items carry the DOM's name and
//     message;
//   - every string read is valid UTF-8 (they are shown to people and passed to JavaScript);
//   - the body is read as plain JSON (no markers): no value is a marker kind, and every
//     fieldList object, {"$bigint":"1"} included, is an object.
#include <climits>
#include <nlohmann/json.hpp>

#include "core/aws_response.hpp"
#include "core/utf8.hpp"
#include "fuzz_support.hpp"

using namespace ivschat;
using nlohmann::json;

namespace {

int statusFrom(std::string_view line) {
  bool negative = false;
  if (!line.empty() && line.front() == '-') {
    negative = true;
    line.remove_prefix(1);
  }
  long long value = 0;
  for (const char c : line.substr(0, 12)) {
    if (c >= '0' && c <= '9') value = value * 10 + (c - '0');
  }
  if (negative) value = -value;
  if (value < INT_MIN) return INT_MIN;
  if (value > INT_MAX) return INT_MAX;
  return static_cast<int>(value);
}

std::string domString(const json& object, const char* name) {
  const json* value = fuzz::domMember(object, name);
  return value && value->is_string() ? value->get<std::string>() : std::string();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = fuzz::splitLines(fuzz::asText(data, size), 2);
  const int status = statusFrom(parts[0]);
  const std::string_view header = parts[1];
  const std::string_view body = parts[2];

  const JsonDocument document = fuzz::scanStrict(body, fuzz::workspace());
  fuzz::checkNoMarker(document);
  const AwsError error = readAwsError(status, header, document);
  FUZZ_CHECK(!error.type.empty());
  FUZZ_CHECK(isValidUtf8(error.type));
  FUZZ_CHECK(error.type.find(':') == std::string::npos);
  FUZZ_CHECK(error.type.find('#') == std::string::npos);
  FUZZ_CHECK(error.type.front() != ' ' && error.type.front() != '\t');
  FUZZ_CHECK(error.type.back() != ' ' && error.type.back() != '\t');
  FUZZ_CHECK(sanitizeErrorType(error.type) == error.type);
  FUZZ_CHECK(isValidUtf8(error.message));
  FUZZ_CHECK(isValidUtf8(error.reason));
  FUZZ_CHECK(isValidUtf8(error.resourceId));
  FUZZ_CHECK(isValidUtf8(error.resourceType));
  if (error.fieldList) {
    FUZZ_CHECK(document.ok && error.fieldList->kind == JsonKind::Array);
    for (const JsonValue& item : document.children(*error.fieldList)) {
      if (item.kind != JsonKind::Object) continue;
      FUZZ_CHECK(isValidUtf8(stringMember(document, item, "name")));
      FUZZ_CHECK(isValidUtf8(stringMember(document, item, "message")));
    }
  }

  // Where the type came from, worked out independently.
  const json dom = json::parse(body, nullptr, /*allow_exceptions=*/false);
  const bool strict = !dom.is_discarded();
  if (!document.truncated) FUZZ_CHECK(document.ok == strict);
  const bool isObject = strict && dom.is_object() && !document.truncated;
  std::string expected = sanitizeErrorType(header);
  if (expected.empty() && isObject) expected = sanitizeErrorType(domString(dom, "code"));
  if (expected.empty() && isObject) expected = sanitizeErrorType(domString(dom, "__type"));
  if (expected.empty()) expected = errorTypeForStatus(status);
  FUZZ_CHECK(error.type == expected);
  if (!isObject) {
    FUZZ_CHECK(error.message.empty() && error.reason.empty() && error.resourceId.empty() &&
               error.resourceType.empty() && error.fieldList == nullptr);
    return 0;
  }
  const std::string message = domString(dom, "message");
  FUZZ_CHECK(error.message == (message.empty() ? domString(dom, "Message") : message));
  FUZZ_CHECK(error.reason == domString(dom, "reason"));
  FUZZ_CHECK(error.resourceId == domString(dom, "resourceId"));
  FUZZ_CHECK(error.resourceType == domString(dom, "resourceType"));

  const json* fieldList = fuzz::domMember(dom, "fieldList");
  const bool domList = fieldList && fieldList->is_array();
  if (!domList) {
    FUZZ_CHECK(error.fieldList == nullptr);
    return 0;
  }
  FUZZ_CHECK(error.fieldList != nullptr);
  FUZZ_CHECK(error.fieldList->size == fieldList->size());
  std::size_t index = 0;
  for (const JsonValue& item : document.children(*error.fieldList)) {
    FUZZ_CHECK(index < fieldList->size());
    const json& domItem = (*fieldList)[index++];
    // Every object is one ({"$bigint":"1"} included: the answer is read without markers).
    FUZZ_CHECK((item.kind == JsonKind::Object) == domItem.is_object());
    if (item.kind == JsonKind::Object) {
      FUZZ_CHECK(stringMember(document, item, "name") == domString(domItem, "name"));
      FUZZ_CHECK(stringMember(document, item, "message") == domString(domItem, "message"));
    }
  }
  FUZZ_CHECK(index == fieldList->size());
  return 0;
}
