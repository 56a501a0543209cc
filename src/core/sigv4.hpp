#pragma once
// AWS Signature Version 4 (header signing), and the signed CreateChatToken request built on it.
//
// The general signer follows the rules the official test suite (awslabs/aws-c-auth
// aws-signing-test-suite/v4) checks:
//   - canonical URI: the path as given (the request line's path) with each byte outside
//     A-Z a-z 0-9 - . _ ~ and '/' written as %XX, after removing '.', '..' and empty segments
//     when normalizePath is set; a path that is already %-encoded is therefore encoded again,
//     as every AWS service except S3 expects;
//   - canonical query: names and values are taken decoded, encoded the same way, sorted by
//     name then value, joined as name=value with '&';
//   - canonical headers: lower-case names, values trimmed with inner runs of spaces and tabs
//     collapsed to one space, repeated headers joined with ',' in the order given, sorted by
//     name; headers that proxies or browsers add or rewrite are never signed (the list of the
//     AWS SDK for JavaScript: authorization, cache-control, connection, expect, from,
//     keep-alive, max-forwards, pragma, referer, te, trailer, transfer-encoding, upgrade,
//     user-agent, x-amzn-trace-id, proxy-*, sec-*).
// Nothing here throws for bad input: every problem comes back in the result's `error`, which
// never contains a secret, a session token or a signature.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ivschat {

struct AwsCredentials {
  std::string accessKeyId;
  std::string secretAccessKey;
  std::string sessionToken;  // empty for long-term credentials
};

/// A header or query parameter as (name, value); lists of them keep the order given.
using HttpField = std::pair<std::string, std::string>;

/// The request to sign.
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
  bool signBody = false;          // add and sign x-amz-content-sha256 (the body's hash)
  bool omitSessionToken = false;  // add x-amz-security-token without signing it (some services)
};

/// Every stage of a signature. When `ok` is false only `error` and `errorField` are set.
struct SigV4Result {
  bool ok = false;
  std::string error;            // what is wrong, for people; never quotes a secret
  std::string errorField;       // the input at fault: accessKeyId, secretAccessKey,
                                // sessionToken, region, service, time, method, path, query,
                                // headers
  std::string amzDate;          // 20150830T123600Z
  std::string credentialScope;  // 20150830/us-east-1/service/aws4_request
  std::string canonicalRequest;
  std::string stringToSign;
  std::string signedHeaders;    // host;x-amz-date
  std::string signature;        // 64 lower-case hex digits
  std::string authorization;    // the Authorization header value
  /// The headers to send: the request's own (minus any authorization, x-amz-date and the
  /// headers the signer sets itself) in their order, then x-amz-date, x-amz-security-token
  /// (with a session token), x-amz-content-sha256 (with signBody) and authorization.
  std::vector<HttpField> headers;
};

/// Signs `request` with SigV4 in the Authorization header.
SigV4Result signSigV4(const SigV4Request& request, const AwsCredentials& credentials,
                      const SigV4Options& options);

/// SigV4's URI encoding: every byte except A-Z a-z 0-9 - . _ ~ (and '/' when `keepSlash`)
/// becomes %XX with upper-case hex.
std::string sigV4UriEncode(std::string_view text, bool keepSlash);

/// The path with '.', '..' and empty segments removed, as the AWS SDKs normalize it: a leading
/// '/' is kept, a trailing '/' is kept when any segment remains.
std::string normalizeSigV4Path(std::string_view path);

/// Whether a header (lower-case name) is one SigV4 never signs (see the list above).
bool isUnsignableHeader(std::string_view lowerCaseName) noexcept;

/// `YYYYMMDDTHHMMSSZ` for a time in 1970-01-01 .. 9999-12-31; empty outside that range.
std::string formatAmzDate(std::int64_t epochSeconds);

/// An http(s) endpoint URL, parsed and put in the form `fetch` sends (WHATWG URL rules):
/// scheme and host lower-cased, the default port dropped, a trailing '/' dropped.
struct ParsedEndpoint {
  bool ok = false;
  std::string error;       // why the URL is not usable
  std::string scheme;      // "http" or "https"
  std::string host;        // lower-case name, dotted IPv4, or [canonical IPv6]
  std::uint16_t port = 0;  // explicit non-default port, else 0
  std::string hostHeader;  // host, plus ":port" when the port is not the scheme's default
  std::string origin;      // scheme://hostHeader
  std::string basePath;    // "" or a path such as "/stage/ivs", no trailing '/'
};

/// Parses an endpoint such as `https://ivschat.us-east-1.amazonaws.com` or
/// `http://127.0.0.1:4566/base`. Rejected: other schemes, user info, a query or fragment,
/// non-ASCII or malformed hosts, ports outside 1-65535, and base paths with characters that
/// would be re-encoded, '.'/'..' or empty segments (a URL parser would rewrite those, so the
/// path sent would no longer be the path signed).
ParsedEndpoint parseEndpointUrl(std::string_view url);

/// A request ready for `fetch`.
struct SignedHttpRequest {
  bool ok = false;
  std::string error;       // when !ok: what is wrong; never quotes a secret or token
  std::string errorField;  // when !ok: accessKeyId, secretAccessKey, sessionToken, region,
                           // endpoint or time
  std::string method;      // "POST"
  std::string url;         // origin + base path + "/CreateChatToken"
  /// content-type, host, x-amz-date, x-amz-security-token (with a session token),
  /// authorization: lower-case names, in this order.
  std::vector<HttpField> headers;
  std::string body;
  SigV4Result signing;     // every stage of the signature, for tests and diagnostics
};

/// Signs `POST /CreateChatToken` for IVS Chat (service `ivschat`) with `body` as built by
/// buildCreateChatTokenBody(). `endpoint` empty means controlPlaneUrl(region); otherwise an
/// http(s) URL, possibly with a port and a base path. Signs content-type;host;x-amz-date
/// (+ x-amz-security-token). `epochMillis` is the signing time (rounded down to the second).
SignedHttpRequest signCreateChatTokenRequest(std::string_view body, std::string_view region,
                                             std::string_view endpoint,
                                             const AwsCredentials& credentials,
                                             std::int64_t epochMillis);

}  // namespace ivschat
