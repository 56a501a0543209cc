// Fuzz target: SigV4 signing (the general header signer and the signed CreateChatToken request)
// and endpoint URL parsing.
//   input, one field per line ('\n'):
//     1 accessKeyId   2 secretAccessKey   3 sessionToken   4 region   5 service
//     6 endpoint URL (empty: the default one for the region)
//     7 signing time in epoch milliseconds (decimal text, optional '-', wraps modulo 2^64)
//     8 flags: 'n' normalizePath, 'b' signBody, 'o' omitSessionToken
//     9 method   10 path   11 query as name=value pairs joined with '&' (taken as decoded text)
//     then header lines "name:value" up to an empty line, then the body (any bytes)
// Invariants:
//   - errors name a known field and are fixed sentences (printable ASCII);
//   - the secret never shows: signing again with another secret of the same shape (every
//     visible character shifted) gives the same error, or on success the same canonical request,
//     string to sign, headers and URL, and only a different signature; the session token never
//     shows in an error either (same check);
//   - a success is self-consistent: 64 hex digits of signature, the Authorization header as
//     SigV4 writes it, the string to sign hashing the canonical request, the payload hash last;
//   - parseEndpointUrl() is a fixed point: origin + basePath parses to the same endpoint.
#include <climits>
#include <set>

#include "core/create_chat_token.hpp"
#include "core/sha256.hpp"
#include "core/sigv4.hpp"
#include "fuzz_support.hpp"

using namespace ivschat;

namespace {

// Decimal digits (others skipped) as an unsigned 64-bit number that wraps, then taken modulo
// 2^64 as a signed one, so every int64 is reachable: "9223372036854775808" is INT64_MIN.
std::int64_t integerFrom(std::string_view line) {
  bool negative = false;
  if (!line.empty() && line.front() == '-') {
    negative = true;
    line.remove_prefix(1);
  }
  std::uint64_t value = 0;
  for (const char c : line.substr(0, 24)) {
    if (c >= '0' && c <= '9') value = value * 10U + static_cast<std::uint64_t>(c - '0');
  }
  if (negative) value = 0U - value;
  return static_cast<std::int64_t>(value);  // modulo 2^64 (C++20 rule; what every compiler does)
}

// Another text of the same shape: every visible ASCII character moved 47 places around the
// 94 visible characters (so none stays), everything else kept. Validity checks see no change.
std::string shifted(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x21 && u <= 0x7E) c = static_cast<char>(0x21 + (u - 0x21 + 47) % 94);
  }
  return out;
}

void checkError(const std::string& error, const std::string& field,
                std::initializer_list<const char*> fields) {
  FUZZ_CHECK(!error.empty());
  FUZZ_CHECK(fuzz::isPrintableAscii(error));
  bool known = false;
  for (const char* name : fields) known = known || field == name;
  FUZZ_CHECK(known);
}

void checkSigned(const SigV4Result& result, const AwsCredentials& credentials,
                 std::string_view body) {
  FUZZ_CHECK(result.error.empty() && result.errorField.empty());
  FUZZ_CHECK(result.signature.size() == 64 && fuzz::isLowerHex(result.signature));
  FUZZ_CHECK(result.amzDate.size() == 16);
  FUZZ_CHECK(result.authorization == "AWS4-HMAC-SHA256 Credential=" + credentials.accessKeyId +
                                         "/" + result.credentialScope +
                                         ", SignedHeaders=" + result.signedHeaders +
                                         ", Signature=" + result.signature);
  FUZZ_CHECK(result.stringToSign == "AWS4-HMAC-SHA256\n" + result.amzDate + "\n" +
                                        result.credentialScope + "\n" +
                                        sha256Hex(result.canonicalRequest));
  const std::string payloadHash = sha256Hex(body);
  FUZZ_CHECK(result.canonicalRequest.size() >= payloadHash.size() &&
             result.canonicalRequest.compare(result.canonicalRequest.size() - payloadHash.size(),
                                             payloadHash.size(), payloadHash) == 0);
  FUZZ_CHECK(!result.headers.empty());
  FUZZ_CHECK(result.headers.back().first == "authorization" &&
             result.headers.back().second == result.authorization);
  bool hasDate = false;
  for (const auto& [name, value] : result.headers) {
    hasDate = hasDate || (name == "x-amz-date" && value == result.amzDate);
  }
  FUZZ_CHECK(hasDate);
  FUZZ_CHECK(result.signedHeaders.find("host") != std::string::npos);
}

// With another secret: everything but the signature (and the Authorization header holding it)
// is the same, the signature differs.
void checkSecretOnlySigns(const SigV4Result& a, const SigV4Result& b) {
  FUZZ_CHECK(a.ok == b.ok);
  FUZZ_CHECK(a.error == b.error && a.errorField == b.errorField);
  if (!a.ok) return;
  FUZZ_CHECK(a.canonicalRequest == b.canonicalRequest);
  FUZZ_CHECK(a.stringToSign == b.stringToSign);
  FUZZ_CHECK(a.signedHeaders == b.signedHeaders && a.credentialScope == b.credentialScope);
  FUZZ_CHECK(a.signature != b.signature);
  FUZZ_CHECK(a.headers.size() == b.headers.size());
  for (std::size_t i = 0; i + 1 < a.headers.size(); ++i) FUZZ_CHECK(a.headers[i] == b.headers[i]);
}

void checkEndpoint(std::string_view url) {
  const ParsedEndpoint parsed = parseEndpointUrl(url);
  if (!parsed.ok) {
    FUZZ_CHECK(!parsed.error.empty() && fuzz::isPrintableAscii(parsed.error));
    return;
  }
  FUZZ_CHECK(parsed.error.empty());
  FUZZ_CHECK(parsed.scheme == "http" || parsed.scheme == "https");
  FUZZ_CHECK(!parsed.host.empty());
  for (const char c : parsed.host) FUZZ_CHECK(!(c >= 'A' && c <= 'Z') && fuzz::isPrintableAscii(std::string_view(&c, 1)));
  FUZZ_CHECK(parsed.port != (parsed.scheme == "https" ? 443 : 80));
  FUZZ_CHECK(parsed.hostHeader ==
             parsed.host + (parsed.port ? ":" + std::to_string(parsed.port) : std::string()));
  FUZZ_CHECK(parsed.origin == parsed.scheme + "://" + parsed.hostHeader);
  FUZZ_CHECK(parsed.basePath.empty() || (parsed.basePath.front() == '/' && parsed.basePath.back() != '/'));
  const ParsedEndpoint again = parseEndpointUrl(parsed.origin + parsed.basePath);
  FUZZ_CHECK(again.ok);
  FUZZ_CHECK(again.scheme == parsed.scheme && again.host == parsed.host &&
             again.port == parsed.port && again.hostHeader == parsed.hostHeader &&
             again.origin == parsed.origin && again.basePath == parsed.basePath);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view rest = fuzz::asText(data, size);
  AwsCredentials credentials;
  credentials.accessKeyId = std::string(fuzz::takeLine(rest));
  credentials.secretAccessKey = std::string(fuzz::takeLine(rest));
  credentials.sessionToken = std::string(fuzz::takeLine(rest));
  const std::string region(fuzz::takeLine(rest));
  const std::string service(fuzz::takeLine(rest));
  const std::string endpoint(fuzz::takeLine(rest));
  const std::int64_t epochMillis = integerFrom(fuzz::takeLine(rest));
  const std::string_view flags = fuzz::takeLine(rest);
  SigV4Request request;
  request.method = std::string(fuzz::takeLine(rest));
  request.path = std::string(fuzz::takeLine(rest));
  std::string_view query = fuzz::takeLine(rest);
  while (!query.empty()) {
    const std::size_t end = query.find('&');
    const std::string_view pair = query.substr(0, end);
    const std::size_t equals = pair.find('=');
    request.query.emplace_back(std::string(pair.substr(0, equals)),
                               equals == std::string_view::npos ? std::string()
                                                                : std::string(pair.substr(equals + 1)));
    query.remove_prefix(end == std::string_view::npos ? query.size() : end + 1);
  }
  while (!rest.empty()) {
    const std::string_view line = fuzz::takeLine(rest);
    if (line.empty()) break;
    const std::size_t colon = line.find(':');
    request.headers.emplace_back(std::string(line.substr(0, colon)),
                                 colon == std::string_view::npos ? std::string()
                                                                 : std::string(line.substr(colon + 1)));
  }
  request.body = std::string(rest);

  AwsCredentials otherSecret = credentials;
  otherSecret.secretAccessKey = shifted(credentials.secretAccessKey);
  AwsCredentials otherToken = credentials;
  otherToken.sessionToken = shifted(credentials.sessionToken);

  // The general signer.
  SigV4Options options;
  options.region = region;
  options.service = service;
  options.epochSeconds = epochMillis / 1000;
  options.normalizePath = flags.find('n') != std::string_view::npos;
  options.signBody = flags.find('b') != std::string_view::npos;
  options.omitSessionToken = flags.find('o') != std::string_view::npos;
  const SigV4Result general = signSigV4(request, credentials, options);
  if (general.ok) {
    checkSigned(general, credentials, request.body);
  } else {
    checkError(general.error, general.errorField,
               {"accessKeyId", "secretAccessKey", "sessionToken", "region", "service", "time",
                "method", "path", "query", "headers"});
  }
  checkSecretOnlySigns(general, signSigV4(request, otherSecret, options));
  const SigV4Result tokenShifted = signSigV4(request, otherToken, options);
  FUZZ_CHECK(tokenShifted.ok == general.ok && tokenShifted.error == general.error);

  // The CreateChatToken request.
  const SignedHttpRequest signedRequest =
      signCreateChatTokenRequest(request.body, region, endpoint, credentials, epochMillis);
  if (signedRequest.ok) {
    checkSigned(signedRequest.signing, credentials, request.body);
    const ParsedEndpoint parsed =
        parseEndpointUrl(endpoint.empty() ? controlPlaneUrl(region) : endpoint);
    FUZZ_CHECK(parsed.ok);
    FUZZ_CHECK(signedRequest.url == parsed.origin + parsed.basePath + "/CreateChatToken");
    FUZZ_CHECK(signedRequest.method == "POST" && signedRequest.body == request.body);
    FUZZ_CHECK(signedRequest.headers == signedRequest.signing.headers);
    FUZZ_CHECK(signedRequest.headers.size() == (credentials.sessionToken.empty() ? 4U : 5U));
    FUZZ_CHECK(signedRequest.headers[1].first == "host" &&
               signedRequest.headers[1].second == parsed.hostHeader);
  } else {
    checkError(signedRequest.error, signedRequest.errorField,
               {"accessKeyId", "secretAccessKey", "sessionToken", "region", "endpoint", "time"});
  }
  const SignedHttpRequest withOtherSecret =
      signCreateChatTokenRequest(request.body, region, endpoint, otherSecret, epochMillis);
  FUZZ_CHECK(withOtherSecret.ok == signedRequest.ok && withOtherSecret.error == signedRequest.error);
  if (signedRequest.ok) {
    checkSecretOnlySigns(signedRequest.signing, withOtherSecret.signing);
    FUZZ_CHECK(withOtherSecret.url == signedRequest.url);
  }
  const SignedHttpRequest withOtherToken =
      signCreateChatTokenRequest(request.body, region, endpoint, otherToken, epochMillis);
  FUZZ_CHECK(withOtherToken.ok == signedRequest.ok && withOtherToken.error == signedRequest.error);

  checkEndpoint(endpoint);
  return 0;
}
