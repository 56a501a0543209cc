#pragma once
// A signed IVS Chat control-plane call: `POST {base path}/{Operation}` with a JSON body, SigV4
// for the service `ivschat`, signing content-type;host;x-amz-date (+ x-amz-security-token with
// temporary credentials). Built straight from sigv4.hpp's stages: the headers are fixed and
// already in canonical order, and the canonical request is hashed as it is written.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/sigv4.hpp"

namespace ivschat {

/// Where the call goes. The caller parses the endpoint URL (the runtime's URL parser, so that
/// what is signed is what fetch sends) and passes its parts.
struct IvsEndpoint {
  std::string_view host;      // the Host header (name, plus ":port" when not the default); empty:
                              // ivschat.{region}.amazonaws.com
  std::string_view basePath;  // "" or a path such as "/stage/ivs", without a trailing '/'
};

struct SignedIvsRequest {
  std::optional<SigV4Problem> problem;  // set when an input is unusable (fields: those of
                                        // sigv4.hpp, plus endpoint)
  std::string host;                     // the Host header
  std::string path;                     // basePath + "/" + operation
  std::array<char, 16> amzDate{};       // the x-amz-date header
  std::string authorization;            // the Authorization header
};

/// Signs `body` for `operation` (e.g. "CreateChatToken") at `epochMillis` (rounded down to the
/// second). The content-type is application/json; the x-amz-security-token header, when the
/// credentials have a session token, is the token itself.
SignedIvsRequest signIvsChatRequest(std::string_view operation, std::string_view body, std::string_view region,
                                    const IvsEndpoint& endpoint, const AwsCredentials& credentials,
                                    std::int64_t epochMillis);

/// An AWS JSON protocol call (awsJson1_1, as CloudWatch Logs speaks it): `POST {base path}/`
/// with `Content-Type: application/x-amz-json-1.1` and `X-Amz-Target: {target}`, SigV4 for
/// `service`, signing content-type;host;x-amz-date(;x-amz-security-token);x-amz-target. The
/// default host is `{service}.{region}.amazonaws.com`; `path` comes back as basePath + "/".
SignedIvsRequest signAwsJsonRequest(std::string_view service, std::string_view target, std::string_view body,
                                    std::string_view region, const IvsEndpoint& endpoint,
                                    const AwsCredentials& credentials, std::int64_t epochMillis);

/// The content type of signAwsJsonRequest's calls.
inline constexpr std::string_view kAwsJson11ContentType = "application/x-amz-json-1.1";

}  // namespace ivschat
