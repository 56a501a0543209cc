#include "core/sigv4.hpp"

#include <algorithm>
#include <array>

#include "core/create_chat_token.hpp"
#include "core/rfc3339.hpp"
#include "core/sha256.hpp"

namespace ivschat {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kScopeTerminator = "aws4_request";
constexpr std::string_view kDateHeader = "x-amz-date";
constexpr std::string_view kTokenHeader = "x-amz-security-token";
constexpr std::string_view kContentHashHeader = "x-amz-content-sha256";
constexpr std::string_view kAuthorizationHeader = "authorization";
// 9999-12-31T23:59:59Z: the last second an 8-digit date can name.
constexpr std::int64_t kMaxEpochSeconds = 253402300799;

constexpr std::array<std::string_view, 15> kUnsignableHeaders = {
    "authorization", "cache-control",     "connection", "expect",  "from",
    "keep-alive",    "max-forwards",      "pragma",     "referer", "te",
    "trailer",       "transfer-encoding", "upgrade",    "user-agent", "x-amzn-trace-id",
};

bool isAsciiDigit(unsigned char c) noexcept { return c >= '0' && c <= '9'; }
bool isAsciiAlpha(unsigned char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool isHexDigit(unsigned char c) noexcept {
  return isAsciiDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool isUnreserved(unsigned char c) noexcept {
  return isAsciiAlpha(c) || isAsciiDigit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}
bool isVisibleAscii(unsigned char c) noexcept { return c >= 0x21 && c <= 0x7E; }
// RFC 9110 tchar: what a method or header name may consist of.
bool isTokenChar(unsigned char c) noexcept {
  if (isAsciiAlpha(c) || isAsciiDigit(c)) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}
unsigned char toLowerAscii(unsigned char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c - 'A' + 'a') : c;
}
std::string lowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(toLowerAscii(static_cast<unsigned char>(c)));
  return out;
}
bool isToken(std::string_view text) noexcept {
  if (text.empty()) return false;
  for (const char c : text) {
    if (!isTokenChar(static_cast<unsigned char>(c))) return false;
  }
  return true;
}
// Region and service names: [a-z0-9-]+. They go into the scope and, for the default endpoint,
// into a host name, so nothing else may pass.
bool isScopeName(std::string_view text) noexcept {
  if (text.empty()) return false;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (!((u >= 'a' && u <= 'z') || isAsciiDigit(u) || u == '-')) return false;
  }
  return true;
}
bool allVisibleAscii(std::string_view text) noexcept {
  for (const char c : text) {
    if (!isVisibleAscii(static_cast<unsigned char>(c))) return false;
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

void appendUriEncoded(std::string& out, std::string_view text, bool keepSlash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (isUnreserved(u) || (keepSlash && u == '/')) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0x0FU]);
    }
  }
}

// Trims spaces and tabs and collapses inner runs of them to one space (SigV4 "trimall").
void appendCanonicalHeaderValue(std::string& out, std::string_view value) {
  bool pendingSpace = false;
  bool started = false;
  for (const char c : value) {
    if (c == ' ' || c == '\t') {
      pendingSpace = started;
      continue;
    }
    if (pendingSpace) out.push_back(' ');
    pendingSpace = false;
    started = true;
    out.push_back(c);
  }
}

SigV4Result sigV4Failure(std::string field, std::string message) {
  SigV4Result result;
  result.errorField = std::move(field);
  result.error = std::move(message);
  return result;
}

// Checks the credentials; returns the field at fault and why, or an empty field.
std::pair<std::string, std::string> checkCredentials(const AwsCredentials& credentials) {
  if (credentials.accessKeyId.empty()) return {"accessKeyId", "The access key id is empty."};
  for (const char c : credentials.accessKeyId) {
    // '/' and ',' would break the Credential=... part of the Authorization header.
    if (!isVisibleAscii(static_cast<unsigned char>(c)) || c == '/' || c == ',') {
      return {"accessKeyId",
              "The access key id contains a character that cannot appear in the Authorization "
              "header; only visible ASCII characters other than '/' and ',' are allowed."};
    }
  }
  if (credentials.secretAccessKey.empty()) {
    return {"secretAccessKey", "The secret access key is empty."};
  }
  if (!allVisibleAscii(credentials.secretAccessKey)) {
    return {"secretAccessKey",
            "The secret access key contains whitespace, a control character or a non-ASCII "
            "character (a stray newline from a file or an environment variable?)."};
  }
  if (!allVisibleAscii(credentials.sessionToken)) {
    return {"sessionToken",
            "The session token contains whitespace, a control character or a non-ASCII "
            "character, so it cannot be sent as the x-amz-security-token header."};
  }
  return {};
}

// SigV4's signing key depends only on the secret, the date, the region and the service, so it is
// derived once and reused, as the AWS SDKs do: a signature then hashes only its own text. The
// cache holds the derived key (scoped to one day, region and service), never the secret: entries
// are found by a SHA-256 of the four inputs.
struct CachedSigningKey {
  Sha256::Digest id{};
  HmacSha256Key key;
  bool used = false;
};
constexpr std::size_t kSigningKeyCacheSize = 4;
thread_local std::array<CachedSigningKey, kSigningKeyCacheSize> signingKeyCache;
thread_local std::size_t nextSigningKeySlot = 0;

const HmacSha256Key& signingKey(const std::string& secretAccessKey, std::string_view shortDate,
                                std::string_view region, std::string_view service) {
  // '\n' separates the parts unambiguously: none of them can contain it (checked before).
  Sha256 idHash;
  idHash.update(secretAccessKey).update("\n").update(shortDate).update("\n").update(region);
  const Sha256::Digest id = idHash.update("\n").update(service).digest();
  for (const CachedSigningKey& entry : signingKeyCache) {
    if (entry.used && entry.id == id) return entry.key;
  }
  std::string secretKey;
  secretKey.reserve(4 + secretAccessKey.size());
  secretKey.append("AWS4").append(secretAccessKey);
  Sha256::Digest key = hmacSha256(secretKey, shortDate);
  std::fill(secretKey.begin(), secretKey.end(), '\0');  // do not leave a copy of the secret
  key = hmacSha256(key, region);
  key = hmacSha256(key, service);
  key = hmacSha256(key, kScopeTerminator);
  CachedSigningKey& slot = signingKeyCache[nextSigningKeySlot];
  nextSigningKeySlot = (nextSigningKeySlot + 1) % kSigningKeyCacheSize;
  slot.id = id;
  slot.key = HmacSha256Key(key);
  slot.used = true;
  std::fill(key.begin(), key.end(), std::uint8_t{0});
  return slot.key;
}

struct CanonicalHeader {
  std::string name;   // lower case
  std::string value;  // canonical form; repeated headers joined with ','
};

}  // namespace

std::string sigV4UriEncode(std::string_view text, bool keepSlash) {
  std::string out;
  out.reserve(text.size() + text.size() / 2);
  appendUriEncoded(out, text, keepSlash);
  return out;
}

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

std::string formatAmzDate(std::int64_t epochSeconds) {
  if (epochSeconds < 0 || epochSeconds > kMaxEpochSeconds) return {};
  // YYYY-MM-DDTHH:MM:SS.mmmZ -> YYYYMMDDTHHMMSSZ
  const std::string iso = formatRfc3339Millis(epochSeconds * 1000);
  std::string out;
  out.reserve(16);
  for (std::size_t i = 0; i < 19; ++i) {
    if (iso[i] != '-' && iso[i] != ':') out.push_back(iso[i]);
  }
  out.push_back('Z');
  return out;
}

SigV4Result signSigV4(const SigV4Request& request, const AwsCredentials& credentials,
                      const SigV4Options& options) {
  // --- validate everything first, so a failure never leaves a half-built result ---
  if (auto problem = checkCredentials(credentials); !problem.first.empty()) {
    return sigV4Failure(std::move(problem.first), std::move(problem.second));
  }
  if (!isScopeName(options.region)) {
    return sigV4Failure("region", "The region must be lower-case letters, digits and '-' "
                                  "(e.g. us-east-1).");
  }
  if (!isScopeName(options.service)) {
    return sigV4Failure("service", "The service name must be lower-case letters, digits and "
                                   "'-' (e.g. ivschat).");
  }
  const std::string amzDate = formatAmzDate(options.epochSeconds);
  if (amzDate.empty()) {
    return sigV4Failure("time", "The signing time must be between 1970-01-01 and 9999-12-31.");
  }
  if (!isToken(request.method)) {
    return sigV4Failure("method", "The method must be an HTTP token such as GET or POST.");
  }
  if (request.path.empty() || request.path.front() != '/') {
    return sigV4Failure("path", "The path must start with '/'.");
  }
  for (const char c : request.path) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F || c == '?' || c == '#') {
      return sigV4Failure("path", "The path contains a control character, '?' or '#'.");
    }
  }
  bool hasHost = false;
  for (const auto& [name, value] : request.headers) {
    if (!isToken(name)) {
      return sigV4Failure("headers", "A header name is empty or not an HTTP token.");
    }
    if (!isSendableHeaderValue(value)) {
      // The name is safe to show; the value may be a secret.
      return sigV4Failure("headers", "The value of header " + name +
                                         " contains a line break or a control character.");
    }
    if (lowerAscii(name) == "host") hasHost = hasHost || !value.empty();
  }
  if (!hasHost) return sigV4Failure("headers", "The request has no (non-empty) host header.");

  SigV4Result result;
  result.amzDate = amzDate;
  const std::string_view shortDate = std::string_view(amzDate).substr(0, 8);
  result.credentialScope.reserve(64);
  result.credentialScope.append(shortDate)
      .append("/")
      .append(options.region)
      .append("/")
      .append(options.service)
      .append("/")
      .append(kScopeTerminator);
  const std::string payloadHash = sha256Hex(request.body);
  const bool hasToken = !credentials.sessionToken.empty();

  // --- the headers to send: the caller's, without those the signer owns, then the signer's ---
  result.headers.reserve(request.headers.size() + 4);
  for (const auto& field : request.headers) {
    const std::string lower = lowerAscii(field.first);
    const bool ownedBySigner = lower == kAuthorizationHeader || lower == kDateHeader ||
                               (hasToken && lower == kTokenHeader) ||
                               (options.signBody && lower == kContentHashHeader);
    if (!ownedBySigner) result.headers.push_back(field);
  }
  result.headers.emplace_back(kDateHeader, amzDate);
  if (hasToken) result.headers.emplace_back(kTokenHeader, credentials.sessionToken);
  if (options.signBody) result.headers.emplace_back(kContentHashHeader, payloadHash);

  // --- canonical headers: every header sent except the unsignable ones ---
  std::vector<std::pair<std::string, std::string_view>> signable;
  signable.reserve(result.headers.size());
  for (const auto& [name, value] : result.headers) {
    std::string lower = lowerAscii(name);
    if (isUnsignableHeader(lower)) continue;
    if (options.omitSessionToken && lower == kTokenHeader) continue;
    signable.emplace_back(std::move(lower), value);
  }
  // Stable: repeated headers keep their order when joined.
  std::stable_sort(signable.begin(), signable.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<CanonicalHeader> canonical;
  for (const auto& [name, value] : signable) {
    if (canonical.empty() || canonical.back().name != name) {
      canonical.push_back({name, {}});
    } else {
      canonical.back().value.push_back(',');
    }
    appendCanonicalHeaderValue(canonical.back().value, value);
  }
  for (const auto& header : canonical) {
    if (!result.signedHeaders.empty()) result.signedHeaders.push_back(';');
    result.signedHeaders.append(header.name);
  }

  // --- canonical query: encoded pairs sorted by name, then value ---
  std::vector<std::pair<std::string, std::string>> query;
  query.reserve(request.query.size());
  for (const auto& [name, value] : request.query) {
    query.emplace_back(sigV4UriEncode(name, false), sigV4UriEncode(value, false));
  }
  std::sort(query.begin(), query.end());

  // --- canonical request ---
  std::string& canonicalRequest = result.canonicalRequest;
  canonicalRequest.reserve(256 + request.path.size() * 3 + result.signedHeaders.size() * 2);
  canonicalRequest.append(request.method).push_back('\n');
  if (options.normalizePath) {
    appendUriEncoded(canonicalRequest, normalizeSigV4Path(request.path), true);
  } else {
    appendUriEncoded(canonicalRequest, request.path, true);
  }
  canonicalRequest.push_back('\n');
  for (std::size_t i = 0; i < query.size(); ++i) {
    if (i > 0) canonicalRequest.push_back('&');
    canonicalRequest.append(query[i].first).append("=").append(query[i].second);
  }
  canonicalRequest.push_back('\n');
  for (const auto& header : canonical) {
    canonicalRequest.append(header.name).append(":").append(header.value).push_back('\n');
  }
  canonicalRequest.push_back('\n');
  canonicalRequest.append(result.signedHeaders).push_back('\n');
  canonicalRequest.append(payloadHash);

  // --- string to sign, key derivation, signature ---
  result.stringToSign.reserve(kAlgorithm.size() + 1 + 16 + 1 + result.credentialScope.size() + 65);
  result.stringToSign.append(kAlgorithm)
      .append("\n")
      .append(amzDate)
      .append("\n")
      .append(result.credentialScope)
      .append("\n")
      .append(sha256Hex(canonicalRequest));

  result.signature =
      toHex(signingKey(credentials.secretAccessKey, shortDate, options.region, options.service)
                .mac(result.stringToSign));

  result.authorization.reserve(128 + result.signedHeaders.size());
  result.authorization.append(kAlgorithm)
      .append(" Credential=")
      .append(credentials.accessKeyId)
      .append("/")
      .append(result.credentialScope)
      .append(", SignedHeaders=")
      .append(result.signedHeaders)
      .append(", Signature=")
      .append(result.signature);
  result.headers.emplace_back(kAuthorizationHeader, result.authorization);
  result.ok = true;
  return result;
}

namespace {

ParsedEndpoint endpointFailure(std::string message) {
  ParsedEndpoint result;
  result.error = std::move(message);
  return result;
}

// Parses the text between '[' and ']' and writes it the way the WHATWG URL serializer does
// (RFC 5952: lower-case, no leading zeros, the first longest run of two or more zero groups
// as "::"), since that is the Host header fetch will send.
bool canonicalIpv6(std::string_view text, std::string& out) {
  std::array<std::uint16_t, 8> pieces{};
  int count = 0;
  int compressAt = -1;
  std::size_t i = 0;
  if (text.substr(0, 2) == "::") {
    compressAt = 0;
    i = 2;
  } else if (!text.empty() && text.front() == ':') {
    return false;
  }
  while (i < text.size()) {
    if (count == 8) return false;
    if (text[i] == ':') {
      if (compressAt >= 0) return false;  // a second "::"
      ++i;
      compressAt = count;
      continue;
    }
    unsigned value = 0;
    std::size_t digits = 0;
    while (i < text.size() && digits < 4 && isHexDigit(static_cast<unsigned char>(text[i]))) {
      const auto c = static_cast<unsigned char>(text[i]);
      const unsigned digit = isAsciiDigit(c) ? static_cast<unsigned>(c - '0')
                                             : static_cast<unsigned>(toLowerAscii(c) - 'a' + 10);
      value = value * 16U + digit;
      ++digits;
      ++i;
    }
    if (digits == 0) return false;  // also rejects embedded IPv4 ('.') and zone ids ('%')
    pieces[static_cast<std::size_t>(count++)] = static_cast<std::uint16_t>(value);
    if (i < text.size()) {
      if (text[i] != ':') return false;
      ++i;
      if (i == text.size()) return false;  // a trailing single ':'
    }
  }
  if (compressAt >= 0) {
    const int moved = count - compressAt;
    for (int k = 0; k < moved; ++k) {
      pieces[static_cast<std::size_t>(7 - k)] = pieces[static_cast<std::size_t>(count - 1 - k)];
    }
    for (int k = compressAt; k < 8 - moved; ++k) pieces[static_cast<std::size_t>(k)] = 0;
  } else if (count != 8) {
    return false;
  }
  if (compressAt >= 0 && count == 8) return false;  // "::" must stand for at least one group
  int bestStart = -1;
  int bestLength = 1;  // only runs of two or more are compressed
  for (int k = 0; k < 8;) {
    if (pieces[static_cast<std::size_t>(k)] != 0) {
      ++k;
      continue;
    }
    int end = k;
    while (end < 8 && pieces[static_cast<std::size_t>(end)] == 0) ++end;
    if (end - k > bestLength) {
      bestStart = k;
      bestLength = end - k;
    }
    k = end;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('[');
  for (int k = 0; k < 8; ++k) {
    if (k == bestStart) {
      out.append(k == 0 ? "::" : ":");
      k += bestLength - 1;
      continue;
    }
    const unsigned piece = pieces[static_cast<std::size_t>(k)];
    bool leading = true;
    for (int shift = 12; shift >= 0; shift -= 4) {
      const unsigned nibble = (piece >> static_cast<unsigned>(shift)) & 0xFU;
      if (leading && nibble == 0 && shift > 0) continue;
      leading = false;
      out.push_back(kHex[nibble]);
    }
    if (k < 7) out.push_back(':');
  }
  out.push_back(']');
  return true;
}

// A dotted-decimal IPv4 address in the only form the URL parser leaves unchanged.
bool isCanonicalIpv4(std::string_view text) noexcept {
  int parts = 0;
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find('.', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view part = text.substr(start, end - start);
    if (part.empty() || part.size() > 3) return false;
    if (part.size() > 1 && part.front() == '0') return false;
    unsigned value = 0;
    for (const char c : part) {
      if (!isAsciiDigit(static_cast<unsigned char>(c))) return false;
      value = value * 10U + static_cast<unsigned>(c - '0');
    }
    if (value > 255) return false;
    ++parts;
    if (end == text.size()) break;
    start = end + 1;
  }
  return parts == 4;
}

// WHATWG "ends in a number": such a host is parsed as an IPv4 address.
bool endsInNumber(std::string_view host) noexcept {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  const std::size_t dot = host.rfind('.');
  const std::string_view last = dot == std::string_view::npos ? host : host.substr(dot + 1);
  if (last.empty()) return false;
  bool digits = true;
  for (const char c : last) digits = digits && isAsciiDigit(static_cast<unsigned char>(c));
  if (digits) return true;
  if (last.size() >= 2 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X')) {
    for (const char c : last.substr(2)) {
      if (!isHexDigit(static_cast<unsigned char>(c))) return false;
    }
    return true;
  }
  return false;
}

// A path character that a URL parser leaves as it is: unreserved, sub-delims, ':', '@', '/'
// and %XX escapes (checked by the caller).
bool isPlainPathChar(unsigned char c) noexcept {
  return isUnreserved(c) || std::string_view("!$&'()*+,;=:@/").find(static_cast<char>(c)) !=
                                std::string_view::npos;
}

bool isDotSegment(std::string_view segment) {
  const std::string lower = lowerAscii(segment);
  return lower == "." || lower == "%2e" || lower == ".." || lower == ".%2e" ||
         lower == "%2e." || lower == "%2e%2e";
}

}  // namespace

ParsedEndpoint parseEndpointUrl(std::string_view url) {
  const std::size_t schemeEnd = url.find("://");
  if (schemeEnd == std::string_view::npos) {
    return endpointFailure("The endpoint must be an absolute http:// or https:// URL.");
  }
  ParsedEndpoint result;
  result.scheme = lowerAscii(url.substr(0, schemeEnd));
  if (result.scheme != "http" && result.scheme != "https") {
    return endpointFailure("The endpoint must use http or https.");
  }
  const std::string_view rest = url.substr(schemeEnd + 3);
  if (rest.find_first_of("?#") != std::string_view::npos) {
    return endpointFailure("The endpoint must not have a query or a fragment.");
  }
  const std::size_t authorityEnd = rest.find('/');
  const std::string_view authority = rest.substr(0, authorityEnd);
  std::string_view path =
      authorityEnd == std::string_view::npos ? std::string_view() : rest.substr(authorityEnd);
  if (authority.find('@') != std::string_view::npos) {
    return endpointFailure("The endpoint must not contain user information ('@').");
  }

  // Host, then an optional port.
  std::string_view portText;
  bool hasPort = false;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos ||
        !canonicalIpv6(authority.substr(1, close - 1), result.host)) {
      return endpointFailure("The endpoint host is not a valid IPv6 address in brackets "
                             "(embedded IPv4 and zone ids are not supported).");
    }
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return endpointFailure("The endpoint host is malformed.");
      hasPort = true;
      portText = after.substr(1);
    }
  } else {
    const std::size_t colon = authority.find(':');
    const std::string_view host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      hasPort = true;
      portText = authority.substr(colon + 1);
    }
    if (host.empty()) return endpointFailure("The endpoint has no host.");
    for (const char c : host) {
      const auto u = static_cast<unsigned char>(c);
      if (!(isAsciiAlpha(u) || isAsciiDigit(u) || c == '-' || c == '.' || c == '_')) {
        return endpointFailure("The endpoint host may only contain ASCII letters, digits, '-', "
                               "'.' and '_' (write international names in their xn-- form).");
      }
    }
    if (endsInNumber(host) && !isCanonicalIpv4(host)) {
      return endpointFailure("The endpoint host looks like an IPv4 address but is not four "
                             "decimal numbers 0-255 such as 127.0.0.1.");
    }
    result.host = lowerAscii(host);
  }
  if (hasPort) {
    if (portText.empty() || portText.size() > 5) {
      return endpointFailure("The endpoint port must be a number from 1 to 65535.");
    }
    unsigned port = 0;
    for (const char c : portText) {
      if (!isAsciiDigit(static_cast<unsigned char>(c))) {
        return endpointFailure("The endpoint port must be a number from 1 to 65535.");
      }
      port = port * 10U + static_cast<unsigned>(c - '0');
    }
    if (port == 0 || port > 65535) {
      return endpointFailure("The endpoint port must be a number from 1 to 65535.");
    }
    const unsigned defaultPort = result.scheme == "https" ? 443U : 80U;
    if (port != defaultPort) result.port = static_cast<std::uint16_t>(port);
  }

  // Base path: kept exactly as written, so it must already be in the form a URL parser keeps.
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  for (std::size_t i = 0; i < path.size(); ++i) {
    const auto c = static_cast<unsigned char>(path[i]);
    if (c == '%') {
      if (i + 2 >= path.size() || !isHexDigit(static_cast<unsigned char>(path[i + 1])) ||
          !isHexDigit(static_cast<unsigned char>(path[i + 2]))) {
        return endpointFailure("The endpoint path has a '%' that is not followed by two hex "
                               "digits.");
      }
      i += 2;
    } else if (!isPlainPathChar(c)) {
      return endpointFailure("The endpoint path contains a character that must be "
                             "percent-encoded (space, quote, backslash, non-ASCII, ...).");
    }
  }
  if (!path.empty()) {
    std::size_t start = 1;  // path[0] == '/'
    while (start <= path.size()) {
      std::size_t end = path.find('/', start);
      if (end == std::string_view::npos) end = path.size();
      const std::string_view segment = path.substr(start, end - start);
      if (segment.empty() || isDotSegment(segment)) {
        return endpointFailure("The endpoint path must not contain empty, '.' or '..' "
                               "segments.");
      }
      start = end + 1;
    }
  }
  result.basePath = std::string(path);
  result.hostHeader = result.host;
  if (result.port != 0) result.hostHeader.append(":").append(std::to_string(result.port));
  result.origin = result.scheme + "://" + result.hostHeader;
  result.ok = true;
  return result;
}

SignedHttpRequest signCreateChatTokenRequest(std::string_view body, std::string_view region,
                                             std::string_view endpoint,
                                             const AwsCredentials& credentials,
                                             std::int64_t epochMillis) {
  SignedHttpRequest out;
  const auto fail = [&out](std::string field, std::string message) {
    out.errorField = std::move(field);
    out.error = std::move(message);
    return std::move(out);
  };
  // Same order as the checks in signSigV4, so the first problem reported does not depend on
  // which layer finds it.
  if (auto problem = checkCredentials(credentials); !problem.first.empty()) {
    return fail(std::move(problem.first), std::move(problem.second));
  }
  if (!isScopeName(region)) {
    return fail("region", "The region must be lower-case letters, digits and '-' "
                          "(e.g. us-east-1).");
  }
  const ParsedEndpoint parsed =
      parseEndpointUrl(endpoint.empty() ? controlPlaneUrl(region) : std::string(endpoint));
  if (!parsed.ok) return fail("endpoint", parsed.error);

  // Rounded down, so a time just before a second boundary signs that second.
  const std::int64_t seconds =
      epochMillis >= 0 ? epochMillis / 1000 : -((-(epochMillis + 1)) / 1000) - 1;

  SigV4Request request;
  request.method = "POST";
  request.path = parsed.basePath + "/CreateChatToken";
  request.headers = {{"content-type", "application/json"}, {"host", parsed.hostHeader}};
  request.body = std::string(body);
  SigV4Options options;
  options.region = std::string(region);
  options.service = "ivschat";
  options.epochSeconds = seconds;
  options.normalizePath = true;
  out.signing = signSigV4(request, credentials, options);
  if (!out.signing.ok) {
    return fail(out.signing.errorField, out.signing.error);
  }
  out.method = request.method;
  out.url = parsed.origin + request.path;
  out.headers = out.signing.headers;
  out.body = std::move(request.body);
  out.ok = true;
  return out;
}

}  // namespace ivschat
