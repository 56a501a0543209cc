#pragma once
// Reading what comes back from CreateChatToken: the success body and AWS error responses.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ivschat {

struct ChatTokenResponse {
  bool ok = false;
  std::string error;  // why the body is unusable; never quotes the body (it holds a secret)
  std::string token;
  std::int64_t tokenExpirationMillis = 0;
  std::int64_t sessionExpirationMillis = 0;
};

/// Parses `{ token, tokenExpirationTime, sessionExpirationTime }`: the token a non-empty
/// string, the times RFC 3339 strings. Other members are ignored.
ChatTokenResponse parseCreateChatTokenResponse(std::string_view body);

struct AwsFieldProblem {
  std::string name;
  std::string message;
};

struct AwsError {
  int status = 0;
  std::string type;     // e.g. ValidationException; never empty
  std::string message;  // body `message` or `Message`, else empty
  std::string reason;   // ValidationException reason, else empty
  std::vector<AwsFieldProblem> fieldList;
  std::string resourceId;
  std::string resourceType;
};

/// The error type as the AWS SDKs read it: `X-Amzn-ErrorType` first, then body `code`, then
/// body `__type`; keep what is before the first ':' and then what is after the last '#'. When
/// none is present the type comes from the HTTP status.
AwsError parseAwsError(int status, std::string_view errorTypeHeader, std::string_view body);

/// `aws.protocoltests#ValidationException:http://...` -> `ValidationException`.
std::string sanitizeErrorType(std::string_view raw);

/// The type the service uses for an HTTP status when the response names none.
std::string errorTypeForStatus(int status);

}  // namespace ivschat
