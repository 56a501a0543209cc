#include "support/general_sigv4_signer.hpp"

#include <algorithm>
#include <array>

namespace ivschat {
namespace {

constexpr std::string_view kDateHeader = "x-amz-date";
constexpr std::string_view kTokenHeader = "x-amz-security-token";
constexpr std::string_view kAuthorizationHeader = "authorization";

constexpr std::array<std::string_view, 15> kUnsignableHeaders = {
    "authorization", "cache-control",     "connection", "expect",     "from",
    "keep-alive",    "max-forwards",      "pragma",     "referer",    "te",
    "trailer",       "transfer-encoding", "upgrade",    "user-agent", "x-amzn-trace-id",
};

bool isAsciiDigit(unsigned char c) noexcept { return c >= '0' && c <= '9'; }
bool isAsciiAlpha(unsigned char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
// RFC 9110 tchar: what a method or header name may consist of.
bool isTokenChar(unsigned char c) noexcept {
  if (isAsciiAlpha(c) || isAsciiDigit(c)) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}
std::string lowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}
bool isToken(std::string_view text) noexcept {
  if (text.empty()) return false;
  for (const char c : text) {
    if (!isTokenChar(static_cast<unsigned char>(c))) return false;
  }
  return true;
}
// A header value may hold tabs and bytes >= 0x80 (obs-text) but no other control character:
// CR or LF would split the header, NUL is rejected by every HTTP stack.
bool isSendableHeaderValue(std::string_view value) noexcept {
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && u != '\t') || u == 0x7F) return false;
  }
  return true;
}

SigV4Result failure(const SigV4Problem& problem) {
  SigV4Result result;
  result.errorField = problem.field;
  result.error = problem.message;
  return result;
}

}  // namespace

std::string normalizeSigV4Path(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = end + 1;
  }
  std::string out;
  out.reserve(path.size());
  if (!path.empty() && path.front() == '/') out.push_back('/');
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) out.push_back('/');
    out.append(segments[i]);
  }
  if (!segments.empty() && path.back() == '/') out.push_back('/');
  return out;
}

bool isUnsignableHeader(std::string_view lowerCaseName) noexcept {
  for (const std::string_view name : kUnsignableHeaders) {
    if (name == lowerCaseName) return true;
  }
  return lowerCaseName.substr(0, 6) == "proxy-" || lowerCaseName.substr(0, 4) == "sec-";
}

SigV4Result signSigV4(const SigV4Request& request, const AwsCredentials& credentials,
                      const SigV4Options& options) {
  // --- every input checked first, so a failure never leaves a half-built result ---
  if (const auto problem = checkCredentials(credentials)) return failure(*problem);
  if (!isScopeName(options.region)) {
    return failure({"region", "The region must be lower-case letters, digits and '-' (e.g. us-east-1)."});
  }
  if (!isScopeName(options.service)) {
    return failure({"service", "The service name must be lower-case letters, digits and '-' (e.g. ivschat)."});
  }
  std::array<char, 16> date{};
  if (!formatAmzDate(options.epochSeconds, date)) {
    return failure({"time", "The signing time must be between 1970-01-01 and 9999-12-31."});
  }
  if (!isToken(request.method)) return failure({"method", "The method must be an HTTP token such as GET or POST."});
  if (request.path.empty() || request.path.front() != '/') return failure({"path", "The path must start with '/'."});
  for (const char c : request.path) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F || c == '?' || c == '#') {
      return failure({"path", "The path contains a control character, '?' or '#'."});
    }
  }
  bool hasHost = false;
  for (const auto& [name, value] : request.headers) {
    if (!isToken(name)) return failure({"headers", "A header name is empty or not an HTTP token."});
    if (!isSendableHeaderValue(value)) {
      // The name is safe to show; the value may be a secret.
      return failure({"headers", "The value of header " + name + " contains a line break or a control character."});
    }
    if (lowerAscii(name) == "host") hasHost = hasHost || !value.empty();
  }
  if (!hasHost) return failure({"headers", "The request has no (non-empty) host header."});

  SigV4Result result;
  result.amzDate.assign(date.data(), date.size());
  const std::string_view shortDate = std::string_view(result.amzDate).substr(0, 8);
  result.credentialScope = credentialScope(shortDate, options.region, options.service);
  const bool hasToken = !credentials.sessionToken.empty();

  // --- the headers to send: the caller's, without those the signer owns, then the signer's ---
  result.headers.reserve(request.headers.size() + 3);
  for (const auto& field : request.headers) {
    const std::string lower = lowerAscii(field.first);
    const bool ownedBySigner = lower == kAuthorizationHeader || lower == kDateHeader || (hasToken && lower == kTokenHeader);
    if (!ownedBySigner) result.headers.push_back(field);
  }
  result.headers.emplace_back(kDateHeader, result.amzDate);
  if (hasToken) result.headers.emplace_back(kTokenHeader, credentials.sessionToken);

  // --- canonical headers: every header sent except the unsignable ones, repeats joined ---
  std::vector<std::pair<std::string, std::string_view>> signable;
  signable.reserve(result.headers.size());
  for (const auto& [name, value] : result.headers) {
    std::string lower = lowerAscii(name);
    if (!isUnsignableHeader(lower)) signable.emplace_back(std::move(lower), value);
  }
  std::stable_sort(signable.begin(), signable.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> joined;  // each name's values, canonical, joined with ','
  std::vector<std::string_view> names;
  for (const auto& [name, value] : signable) {
    if (names.empty() || names.back() != name) {
      names.push_back(name);
      joined.emplace_back();
    } else {
      joined.back().push_back(',');
    }
    TextSink sink{joined.back()};
    appendCanonicalHeaderValue(sink, value);
  }
  std::vector<SignedHeader> headers;
  for (std::size_t i = 0; i < names.size(); ++i) {
    headers.push_back({names[i], joined[i]});
    if (i > 0) result.signedHeaders.push_back(';');
    result.signedHeaders.append(names[i]);
  }

  // --- canonical URI and query ---
  std::string canonicalUri;
  TextSink uriSink{canonicalUri};
  appendUriEncoded(uriSink, options.normalizePath ? normalizeSigV4Path(request.path) : request.path, true);
  std::vector<std::pair<std::string, std::string>> query;
  for (const auto& [name, value] : request.query) {
    std::pair<std::string, std::string> encoded;
    TextSink nameSink{encoded.first};
    TextSink valueSink{encoded.second};
    appendUriEncoded(nameSink, name, false);
    appendUriEncoded(valueSink, value, false);
    query.push_back(std::move(encoded));
  }
  std::sort(query.begin(), query.end());
  std::string canonicalQuery;
  for (std::size_t i = 0; i < query.size(); ++i) {
    if (i > 0) canonicalQuery.push_back('&');
    canonicalQuery.append(query[i].first).append("=").append(query[i].second);
  }

  // --- the stages ---
  TextSink canonicalSink{result.canonicalRequest};
  writeCanonicalRequest(canonicalSink, request.method, canonicalUri, canonicalQuery, headers.data(), headers.size(),
                        result.signedHeaders, sha256Hex(request.body));
  result.stringToSign = stringToSign(result.amzDate, result.credentialScope, sha256(result.canonicalRequest));
  const HmacSha256Key& key = signingKey(credentials.secretAccessKey, shortDate, options.region, options.service);
  result.authorization = authorizationHeader(credentials.accessKeyId, result.credentialScope, result.signedHeaders,
                                             key, result.stringToSign, &result.signature);
  result.headers.emplace_back(kAuthorizationHeader, result.authorization);
  result.ok = true;
  return result;
}

}  // namespace ivschat
