#include "core/ivs_signed_request.hpp"

namespace ivschat {
namespace {

bool isPlainHost(std::string_view host) noexcept {
  if (host.empty()) return false;
  for (const char c : host) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F || c == '/' || c == '?' || c == '#' || c == '@' || c == '\\') return false;
  }
  return true;
}

// A base path as sent: '/'-separated segments, none empty, '.' or '..' (a URL parser or the
// service would rewrite those, and the path signed would no longer be the path received).
bool isPlainBasePath(std::string_view path) noexcept {
  if (path.empty()) return true;
  if (path.front() != '/') return false;
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view segment = path.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    for (const char c : segment) {
      const auto u = static_cast<unsigned char>(c);
      if (u <= 0x20 || u >= 0x7F || c == '?' || c == '#') return false;
    }
    start = end + 1;
  }
  return true;
}

// The inputs both kinds of call check, in the order of the general signer
// (tests/support/general_sigv4_signer.cpp), so the first problem named does not depend on which
// signer finds it (fuzz/sigv4.cpp checks both); then the x-amz-date. False with out.problem set.
bool checkInputs(std::string_view region, const IvsEndpoint& endpoint, const AwsCredentials& credentials,
                 std::int64_t epochMillis, SignedIvsRequest& out) {
  if ((out.problem = checkCredentials(credentials))) return false;
  if (!isScopeName(region)) {
    out.problem = SigV4Problem{"region", "The region must be lower-case letters, digits and '-' (e.g. us-east-1)."};
    return false;
  }
  if (!endpoint.host.empty() && !isPlainHost(endpoint.host)) {
    out.problem = SigV4Problem{"endpoint", "The endpoint's host is not a plain host name (with an optional port)."};
    return false;
  }
  if (!isPlainBasePath(endpoint.basePath)) {
    out.problem = SigV4Problem{"endpoint",
                               "The endpoint's path must not contain empty, '.' or '..' segments, spaces or "
                               "control characters."};
    return false;
  }
  // Rounded down, so a time just before a second boundary signs that second.
  const std::int64_t seconds = epochMillis >= 0 ? epochMillis / 1000 : -((-(epochMillis + 1)) / 1000) - 1;
  if (!formatAmzDate(seconds, out.amzDate)) {
    out.problem = SigV4Problem{"time", "The signing time must be between 1970-01-01 and 9999-12-31."};
    return false;
  }
  return true;
}

// The host and path of a call: the endpoint's, else {service}.{region}.amazonaws.com; the base
// path, then "/" and `tail`.
void hostAndPath(std::string_view service, std::string_view region, const IvsEndpoint& endpoint, std::string_view tail,
                 SignedIvsRequest& out) {
  if (endpoint.host.empty()) {
    out.host.append(service).append(".").append(region).append(".amazonaws.com");
  } else {
    out.host.assign(endpoint.host);
  }
  out.path.reserve(endpoint.basePath.size() + tail.size() + 1);
  out.path.append(endpoint.basePath).append("/").append(tail);
}

// Signs the canonical request of `headers` (sorted, `count` of them) into out.authorization.
void signHeaders(std::string_view service, std::string_view region, const AwsCredentials& credentials,
                 const SignedHeader* headers, std::size_t count, std::string_view signedHeaders, std::string_view body,
                 SignedIvsRequest& out) {
  const std::string_view amzDate(out.amzDate.data(), out.amzDate.size());
  std::string canonicalUri;
  TextSink uriSink{canonicalUri};
  appendUriEncoded(uriSink, out.path, true);

  Sha256 canonicalHash;
  HashSink sink{canonicalHash};
  writeCanonicalRequest(sink, "POST", canonicalUri, "", headers, count, signedHeaders, toHex(sha256(body)));
  const std::string_view shortDate = amzDate.substr(0, 8);
  const std::string scope = credentialScope(shortDate, region, service);
  const HmacSha256Key& key = signingKey(credentials.secretAccessKey, shortDate, region, service);
  out.authorization = authorizationHeader(credentials.accessKeyId, scope, signedHeaders, key,
                                          stringToSign(amzDate, scope, canonicalHash.digest()));
}

}  // namespace

SignedIvsRequest signIvsChatRequest(std::string_view operation, std::string_view body, std::string_view region,
                                    const IvsEndpoint& endpoint, const AwsCredentials& credentials,
                                    std::int64_t epochMillis) {
  SignedIvsRequest out;
  if (!checkInputs(region, endpoint, credentials, epochMillis, out)) return out;
  hostAndPath("ivschat", region, endpoint, operation, out);
  const bool hasToken = !credentials.sessionToken.empty();
  const SignedHeader headers[] = {
      {"content-type", "application/json"},
      {"host", out.host},
      {"x-amz-date", std::string_view(out.amzDate.data(), out.amzDate.size())},
      {"x-amz-security-token", credentials.sessionToken},
  };
  const std::string_view signedHeaders =
      hasToken ? "content-type;host;x-amz-date;x-amz-security-token" : "content-type;host;x-amz-date";
  signHeaders("ivschat", region, credentials, headers, hasToken ? 4 : 3, signedHeaders, body, out);
  return out;
}

SignedIvsRequest signAwsJsonRequest(std::string_view service, std::string_view target, std::string_view body,
                                    std::string_view region, const IvsEndpoint& endpoint,
                                    const AwsCredentials& credentials, std::int64_t epochMillis) {
  SignedIvsRequest out;
  if (!checkInputs(region, endpoint, credentials, epochMillis, out)) return out;
  hostAndPath(service, region, endpoint, "", out);
  const bool hasToken = !credentials.sessionToken.empty();
  // Sorted by name; the token's header only with temporary credentials.
  SignedHeader headers[5] = {
      {"content-type", kAwsJson11ContentType},
      {"host", out.host},
      {"x-amz-date", std::string_view(out.amzDate.data(), out.amzDate.size())},
  };
  std::size_t count = 3;
  if (hasToken) headers[count++] = {"x-amz-security-token", credentials.sessionToken};
  headers[count++] = {"x-amz-target", target};
  const std::string_view signedHeaders = hasToken ? "content-type;host;x-amz-date;x-amz-security-token;x-amz-target"
                                                  : "content-type;host;x-amz-date;x-amz-target";
  signHeaders(service, region, credentials, headers, count, signedHeaders, body, out);
  return out;
}

}  // namespace ivschat
