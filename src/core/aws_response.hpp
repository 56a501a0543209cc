#pragma once
// Reading what an IVS Chat call answers: the CreateChatToken body, and AWS error responses of
// any call (the same shape from a token backend built on this package).
#include <cstdint>
#include <string>
#include <string_view>

#include "core/json_scan.hpp"

namespace ivschat {

struct ChatTokenResponse {
  bool ok = false;
  const char* error = "";  // why the body is unusable; never quotes it (it holds a secret)
  std::string_view token;
  std::int64_t tokenExpirationMillis = 0;
  std::int64_t sessionExpirationMillis = 0;
};

/// Reads `{ token, tokenExpirationTime, sessionExpirationTime }`: the token a non-empty string,
/// the times RFC 3339 strings. Other members are ignored.
ChatTokenResponse readCreateChatTokenResponse(const JsonDocument& document);

struct AwsError {
  std::string type;  // e.g. ValidationException; never empty
  std::string_view message;  // body `message` or `Message`, else empty
  std::string_view reason;   // ValidationException reason, else empty
  std::string_view resourceId;
  std::string_view resourceType;
  /// ValidationException fieldList: an array of objects (read their `name` and `message`), or
  /// nullptr.
  const JsonValue* fieldList = nullptr;
  /// ThrottlingException `limit` (the quota hit, per second), or -1 when absent or not a whole number.
  std::int64_t limit = -1;
};

/// The error type as the AWS SDKs read it: `X-Amzn-ErrorType` first, then body `code`, then
/// body `__type`; keep what is before the first ':' and then what is after the last '#'. When
/// none is present the type comes from the HTTP status. `document` is the body's scan, which
/// need not be JSON at all.
AwsError readAwsError(int status, std::string_view errorTypeHeader, const JsonDocument& document);

/// `aws.protocoltests#ValidationException:http://...` -> `ValidationException`.
std::string sanitizeErrorType(std::string_view raw);

/// The type the service uses for an HTTP status when the response names none.
const char* errorTypeForStatus(int status) noexcept;

/// A member's text when it is a string, else "".
std::string_view stringMember(const JsonDocument& document, const JsonValue& object, std::string_view name) noexcept;

}  // namespace ivschat
