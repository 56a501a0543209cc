// Fuzz target: reading an AWS error response.
//   input: line 1 the HTTP status (decimal text, optional '-'), line 2 the X-Amzn-ErrorType
//          header value (any bytes but '\n'), the rest the body (any bytes)
// Invariants:
//   - the status is kept; the type is never empty, valid UTF-8, without ':' or '#', without
//     surrounding blanks, and sanitizeErrorType leaves it unchanged (it is already clean);
//   - a header that sanitizes to something non-empty wins, else the body's code, then __type,
//     then the status;
//   - every string read is valid UTF-8 (they are shown to people and passed to JavaScript).
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

std::string stringMember(const json& object, const char* name) {
  const auto found = object.find(name);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = fuzz::splitLines(fuzz::asText(data, size), 2);
  const int status = statusFrom(parts[0]);
  const std::string_view header = parts[1];
  const std::string_view body = parts[2];

  const AwsError error = parseAwsError(status, header, body);
  FUZZ_CHECK(error.status == status);
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
  for (const AwsFieldProblem& problem : error.fieldList) {
    FUZZ_CHECK(isValidUtf8(problem.name) && isValidUtf8(problem.message));
  }

  // Where the type came from, worked out independently.
  const json document = json::parse(body, nullptr, /*allow_exceptions=*/false);
  const bool isObject = !document.is_discarded() && document.is_object();
  std::string expected = sanitizeErrorType(header);
  if (expected.empty() && isObject) expected = sanitizeErrorType(stringMember(document, "code"));
  if (expected.empty() && isObject) expected = sanitizeErrorType(stringMember(document, "__type"));
  if (expected.empty()) expected = errorTypeForStatus(status);
  FUZZ_CHECK(error.type == expected);
  if (!isObject) {
    FUZZ_CHECK(error.message.empty() && error.reason.empty() && error.fieldList.empty());
  } else {
    const std::string message = stringMember(document, "message");
    FUZZ_CHECK(error.message == (message.empty() ? stringMember(document, "Message") : message));
  }
  return 0;
}
