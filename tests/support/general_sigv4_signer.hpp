#pragma once
// The general SigV4 signer: any method, path, query and headers, built on core/sigv4.hpp's
// stages. Only the tests and the fuzz target use it (the official suite's requests, and the
// signed IVS call checked against it); the shipped calls sign their fixed requests with the
// stages directly (core/ivs_signed_request.hpp), so it is not in the core.
//
// The rules of the official suite (awslabs/aws-c-auth aws-signing-test-suite/v4) beyond the
// stages':
//   - canonical URI: the path as given, after removing '.', '..' and empty segments when
//     normalizePath is set, then URI-encoded (a path already %-encoded is encoded again, as
//     every AWS service except S3 expects);
//   - canonical query: names and values are taken decoded, encoded the same way, sorted by
//     name then value, joined as name=value with '&';
//   - canonical headers: lower-case names, repeated headers joined with ',' in the order given,
//     sorted by name; headers that proxies or browsers add or rewrite are never signed (the list
//     of the AWS SDK for JavaScript: authorization, cache-control, connection, expect, from,
//     keep-alive, max-forwards, pragma, referer, te, trailer, transfer-encoding, upgrade,
//     user-agent, x-amzn-trace-id, proxy-*, sec-*).
// Nothing here throws for bad input: every problem comes back in the result (errorField: one of
// sigv4.hpp's fields, or service, method, path, query, headers), never with a secret in it.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/sigv4.hpp"

namespace ivschat {

/// A header or query parameter as (name, value); lists of them keep the order given.
using HttpField = std::pair<std::string, std::string>;

struct SigV4Request {
  std::string method;              // e.g. "GET", "POST"
  std::string path;                // as on the request line, e.g. "/", "/example space/"
  std::vector<HttpField> query;    // decoded names and values, in order
  std::vector<HttpField> headers;  // names in any case; must include host
  std::string body;                // the exact bytes sent
};

struct SigV4Options {
  std::string region;             // [a-z0-9-]+
  std::string service;            // [a-z0-9-]+, e.g. "ivschat"
  std::int64_t epochSeconds = 0;  // signing time, 1970-01-01 .. 9999-12-31 (injectable clock)
  bool normalizePath = true;      // remove '.', '..' and empty path segments before encoding
};

/// Every stage of a signature. When `ok` is false only `error` and `errorField` are set.
struct SigV4Result {
  bool ok = false;
  std::string error;
  std::string errorField;
  std::string amzDate;          // 20150830T123600Z
  std::string credentialScope;  // 20150830/us-east-1/service/aws4_request
  std::string canonicalRequest;
  std::string stringToSign;
  std::string signedHeaders;    // host;x-amz-date
  std::string signature;        // 64 lower-case hex digits
  std::string authorization;    // the Authorization header value
  /// The headers to send: the request's own (minus any authorization, x-amz-date and the
  /// headers the signer sets itself) in their order, then x-amz-date, x-amz-security-token
  /// (with a session token) and authorization.
  std::vector<HttpField> headers;
};

SigV4Result signSigV4(const SigV4Request& request, const AwsCredentials& credentials,
                      const SigV4Options& options);

/// The path with '.', '..' and empty segments removed, as the AWS SDKs normalize it: a leading
/// '/' is kept, a trailing '/' is kept when any segment remains.
std::string normalizeSigV4Path(std::string_view path);

/// Whether a header (lower-case name) is one SigV4 never signs (see the list at the top).
bool isUnsignableHeader(std::string_view lowerCaseName) noexcept;

}  // namespace ivschat
