// Fuzz target: SigV4 signing, with the general header signer (signSigV4) and the signed IVS
// Chat call (signIvsChatRequest).
//   input, one field per line ('\n'):
//     1 accessKeyId   2 secretAccessKey   3 sessionToken   4 region   5 service (general signer)
//     6 endpoint host (empty: ivschat.{region}.amazonaws.com)   7 endpoint base path
//     8 operation (empty: CreateChatToken)
//     9 signing time in epoch milliseconds (decimal text, optional '-', wraps modulo 2^64, so
//       every int64 is reachable)
//     10 flags: 'n' normalizePath, 's' the time is in seconds for the general signer (the full
//        int64 range of SigV4Options::epochSeconds; the IVS call still takes it as milliseconds)
//     11 method   12 path   13 query as name=value pairs joined with '&' (taken as decoded text)
//     then header lines "name:value" up to an empty line, then the body (any bytes), which is
//     also the body of the IVS call
// Invariants:
//   - a problem names one of the documented fields and is a fixed sentence (printable ASCII);
//     it never contains the secret or the session token: signing again with another secret or
//     token of the same shape (every visible character shifted), or with sentinels of the same
//     validity, gives the same problem, and that problem does not contain the sentinels;
//   - with another secret, a success gives the same canonical request, string to sign, headers
//     and Host/path, and only a different signature;
//   - a success is self-consistent: 64 hex digits of signature, the Authorization header as
//     SigV4 writes it, the string to sign hashing the canonical request, the payload hash last,
//     the x-amz-date of the signing time (rounded down to the second);
//   - signIvsChatRequest is the general signer on `POST {basePath}/{operation}` with the
//     headers content-type: application/json and host: the call's Host: when both sign, the
//     Authorization headers and dates are equal; when the IVS call has a problem with the
//     credentials, region or time, the general signer reports the same one; an IVS success
//     whose path the general signer accepts is a general success.
#include <climits>
#include <set>

#include "core/ivs_signed_request.hpp"
#include "core/sha256.hpp"
#include "core/sigv4.hpp"
#include "fuzz_support.hpp"
#include "support/general_sigv4_signer.hpp"

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

std::int64_t floorDiv1000(std::int64_t millis) {
  const std::int64_t q = millis / 1000;
  return millis % 1000 < 0 ? q - 1 : q;
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

constexpr const char* kGeneralFields[] = {"accessKeyId", "secretAccessKey", "sessionToken", "region", "service",
                                          "time",        "method",          "path",         "query",  "headers"};
constexpr const char* kIvsFields[] = {"accessKeyId", "secretAccessKey", "sessionToken", "region", "endpoint", "time"};

// `headerNames`: what a general signer's message may name (a bad header's name).
template <std::size_t N>
void checkProblem(std::string_view field, const std::string& message, const char* const (&fields)[N],
                  const AwsCredentials& credentials, const std::vector<HttpField>& headers = {}) {
  FUZZ_CHECK(!message.empty());
  FUZZ_CHECK(fuzz::isPrintableAscii(message));
  bool known = false;
  for (const char* name : fields) known = known || field == name;
  FUZZ_CHECK(known);
  // The secret and the token never show: `credentials` here hold the sentinels (see
  // sentinelCredentials), unless a header name (which a message may name) holds them.
  const auto quotable = [&headers](std::string_view secret) {
    for (const auto& header : headers) {
      if (fuzz::contains(header.first, secret)) return true;
    }
    return false;
  };
  for (const std::string_view secret : {credentials.secretAccessKey, credentials.sessionToken}) {
    if (!secret.empty() && !quotable(secret)) FUZZ_CHECK(!fuzz::contains(message, secret));
  }
  FUZZ_CHECK(!fuzz::contains(message, "Signature="));
}

// A secret or token of the same validity as `text` (empty; visible ASCII only; anything else,
// here a trailing space) whose text can be looked for in a message: a fixed sentence cannot
// hold it by chance, as it could hold a short secret (or "newline from a file").
constexpr std::string_view kSecretSentinel = "Zq8#secret-sentinel#8qZ";
constexpr std::string_view kTokenSentinel = "Zq8#token-sentinel#8qZ";
std::string sentinelLike(std::string_view text, std::string_view sentinel) {
  if (text.empty()) return {};
  bool visible = true;
  for (const char c : text) visible = visible && c >= 0x21 && c <= 0x7E;
  return std::string(sentinel) + (visible ? "" : " ");
}

void checkSigned(const SigV4Result& result, const AwsCredentials& credentials, const SigV4Request& request,
                 std::int64_t epochSeconds) {
  FUZZ_CHECK(result.error.empty() && result.errorField.empty());
  FUZZ_CHECK(result.signature.size() == 64 && fuzz::isLowerHex(result.signature));
  std::array<char, 16> date{};
  FUZZ_CHECK(formatAmzDate(epochSeconds, date));
  FUZZ_CHECK(result.amzDate == std::string(date.data(), date.size()));
  FUZZ_CHECK(result.credentialScope == result.amzDate.substr(0, 8) + "/" + result.credentialScope.substr(9));
  FUZZ_CHECK(result.authorization == "AWS4-HMAC-SHA256 Credential=" + std::string(credentials.accessKeyId) + "/" +
                                         result.credentialScope + ", SignedHeaders=" + result.signedHeaders +
                                         ", Signature=" + result.signature);
  FUZZ_CHECK(result.stringToSign == "AWS4-HMAC-SHA256\n" + result.amzDate + "\n" + result.credentialScope + "\n" +
                                        sha256Hex(result.canonicalRequest));
  const std::string payloadHash = sha256Hex(request.body);
  FUZZ_CHECK(result.canonicalRequest.size() >= payloadHash.size() &&
             result.canonicalRequest.compare(result.canonicalRequest.size() - payloadHash.size(), payloadHash.size(),
                                             payloadHash) == 0);
  FUZZ_CHECK(result.canonicalRequest.compare(0, request.method.size() + 1, request.method + "\n") == 0);
  FUZZ_CHECK(!result.headers.empty());
  FUZZ_CHECK(result.headers.back().first == "authorization" && result.headers.back().second == result.authorization);
  bool hasDate = false;
  bool hasToken = false;
  for (const auto& [name, value] : result.headers) {
    hasDate = hasDate || (name == "x-amz-date" && value == result.amzDate);
    hasToken = hasToken || (name == "x-amz-security-token" && value == credentials.sessionToken);
  }
  FUZZ_CHECK(hasDate);
  const std::string signedList = ";" + result.signedHeaders + ";";
  FUZZ_CHECK(fuzz::contains(signedList, ";host;") && fuzz::contains(signedList, ";x-amz-date;"));
  if (!credentials.sessionToken.empty()) {
    // The signer's own token header (a caller's x-amz-security-token is replaced), signed.
    FUZZ_CHECK(hasToken && fuzz::contains(signedList, ";x-amz-security-token;"));
  }
  FUZZ_CHECK(!fuzz::contains(signedList, ";authorization;") && !fuzz::contains(signedList, ";user-agent;"));
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

bool sameProblem(const std::optional<SigV4Problem>& a, const std::optional<SigV4Problem>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || (std::string_view(a->field) == b->field && a->message == b->message);
}

void checkIvsSigned(const SignedIvsRequest& result, const AwsCredentials& credentials, std::string_view region,
                    const IvsEndpoint& endpoint, std::string_view operation, std::int64_t epochMillis) {
  FUZZ_CHECK(!result.problem);
  FUZZ_CHECK(result.host == (endpoint.host.empty() ? "ivschat." + std::string(region) + ".amazonaws.com"
                                                   : std::string(endpoint.host)));
  FUZZ_CHECK(result.path == std::string(endpoint.basePath) + "/" + std::string(operation));
  std::array<char, 16> date{};
  FUZZ_CHECK(formatAmzDate(floorDiv1000(epochMillis), date));
  FUZZ_CHECK(result.amzDate == date);
  const std::string amzDate(date.data(), date.size());
  const std::string prefix = "AWS4-HMAC-SHA256 Credential=" + std::string(credentials.accessKeyId) + "/" +
                             amzDate.substr(0, 8) + "/" + std::string(region) + "/ivschat/aws4_request, " +
                             "SignedHeaders=content-type;host;x-amz-date" +
                             (credentials.sessionToken.empty() ? "" : ";x-amz-security-token") + ", Signature=";
  FUZZ_CHECK(result.authorization.size() == prefix.size() + 64);
  FUZZ_CHECK(result.authorization.compare(0, prefix.size(), prefix) == 0);
  FUZZ_CHECK(fuzz::isLowerHex(std::string_view(result.authorization).substr(prefix.size())));
}

// A path the general signer takes as it is: no control character, '?' or '#'.
bool generalPathChars(std::string_view path) {
  for (const char c : path) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F || c == '?' || c == '#') return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view rest = fuzz::asText(data, size);
  const std::string accessKeyId(fuzz::takeLine(rest));
  const std::string secretAccessKey(fuzz::takeLine(rest));
  const std::string sessionToken(fuzz::takeLine(rest));
  const std::string region(fuzz::takeLine(rest));
  const std::string service(fuzz::takeLine(rest));
  const std::string host(fuzz::takeLine(rest));
  const std::string basePath(fuzz::takeLine(rest));
  std::string operation(fuzz::takeLine(rest));
  if (operation.empty()) operation = "CreateChatToken";
  const std::int64_t timeValue = integerFrom(fuzz::takeLine(rest));
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
                               equals == std::string_view::npos ? std::string() : std::string(pair.substr(equals + 1)));
    query.remove_prefix(end == std::string_view::npos ? query.size() : end + 1);
  }
  while (!rest.empty()) {
    const std::string_view line = fuzz::takeLine(rest);
    if (line.empty()) break;
    const std::size_t colon = line.find(':');
    request.headers.emplace_back(std::string(line.substr(0, colon)),
                                 colon == std::string_view::npos ? std::string() : std::string(line.substr(colon + 1)));
  }
  request.body = std::string(rest);

  const AwsCredentials credentials{accessKeyId, secretAccessKey, sessionToken};
  const std::string shiftedSecret = shifted(secretAccessKey);
  const std::string shiftedToken = shifted(sessionToken);
  const AwsCredentials otherSecret{accessKeyId, shiftedSecret, sessionToken};
  const AwsCredentials otherToken{accessKeyId, secretAccessKey, shiftedToken};
  const std::string secretSentinel = sentinelLike(secretAccessKey, kSecretSentinel);
  const std::string tokenSentinel = sentinelLike(sessionToken, kTokenSentinel);
  const AwsCredentials sentinels{accessKeyId, secretSentinel, tokenSentinel};
  const bool timeInSeconds = fuzz::contains(flags, "s");
  const std::int64_t epochMillis = timeValue;

  // --- the general signer, on the input's request ---
  SigV4Options options;
  options.region = region;
  options.service = service;
  options.epochSeconds = timeInSeconds ? timeValue : floorDiv1000(timeValue);
  options.normalizePath = fuzz::contains(flags, "n");
  const SigV4Result general = signSigV4(request, credentials, options);
  if (general.ok) {
    checkSigned(general, credentials, request, options.epochSeconds);
    FUZZ_CHECK(general.credentialScope.substr(9) == region + "/" + service + "/aws4_request");
  } else {
    FUZZ_CHECK(general.signature.empty() && general.authorization.empty() && general.headers.empty());
    // The same problem with the sentinels, which it does not contain.
    const SigV4Result withSentinels = signSigV4(request, sentinels, options);
    FUZZ_CHECK(!withSentinels.ok && withSentinels.errorField == general.errorField &&
               withSentinels.error == general.error);
    checkProblem(general.errorField, general.error, kGeneralFields, sentinels, request.headers);
  }
  checkSecretOnlySigns(general, signSigV4(request, otherSecret, options));
  const SigV4Result tokenShifted = signSigV4(request, otherToken, options);
  FUZZ_CHECK(tokenShifted.ok == general.ok && tokenShifted.error == general.error &&
             tokenShifted.errorField == general.errorField);

  // --- the IVS call ---
  const IvsEndpoint endpoint{host, basePath};
  const SignedIvsRequest ivs = signIvsChatRequest(operation, request.body, region, endpoint, credentials, epochMillis);
  if (ivs.problem) {
    FUZZ_CHECK(ivs.authorization.empty());
    const SignedIvsRequest withSentinels =
        signIvsChatRequest(operation, request.body, region, endpoint, sentinels, epochMillis);
    FUZZ_CHECK(sameProblem(ivs.problem, withSentinels.problem));
    checkProblem(ivs.problem->field, ivs.problem->message, kIvsFields, sentinels);
  } else {
    checkIvsSigned(ivs, credentials, region, endpoint, operation, epochMillis);
  }
  const SignedIvsRequest ivsOtherSecret =
      signIvsChatRequest(operation, request.body, region, endpoint, otherSecret, epochMillis);
  FUZZ_CHECK(sameProblem(ivs.problem, ivsOtherSecret.problem));
  if (!ivs.problem) {
    FUZZ_CHECK(ivsOtherSecret.host == ivs.host && ivsOtherSecret.path == ivs.path && ivsOtherSecret.amzDate == ivs.amzDate);
    FUZZ_CHECK(ivsOtherSecret.authorization != ivs.authorization);
    const std::size_t cut = ivs.authorization.rfind('=');
    FUZZ_CHECK(ivsOtherSecret.authorization.compare(0, cut, ivs.authorization, 0, cut) == 0);
  }
  const SignedIvsRequest ivsOtherToken =
      signIvsChatRequest(operation, request.body, region, endpoint, otherToken, epochMillis);
  FUZZ_CHECK(sameProblem(ivs.problem, ivsOtherToken.problem));

  // --- the IVS call is the general signer on its own request ---
  SigV4Request composed;
  composed.method = "POST";
  composed.path = ivs.problem ? std::string(basePath) + "/" + operation : ivs.path;
  composed.headers = {{"content-type", "application/json"},
                      {"host", ivs.problem ? (host.empty() ? "ivschat." + region + ".amazonaws.com" : host) : ivs.host}};
  composed.body = request.body;
  SigV4Options composedOptions;
  composedOptions.region = region;
  composedOptions.service = "ivschat";
  composedOptions.epochSeconds = floorDiv1000(epochMillis);
  composedOptions.normalizePath = false;  // the IVS call signs its path as it is
  const SigV4Result viaGeneral = signSigV4(composed, credentials, composedOptions);
  if (ivs.problem) {
    const std::string_view field = ivs.problem->field;
    if (field == "accessKeyId" || field == "secretAccessKey" || field == "sessionToken" || field == "region" ||
        field == "time") {
      FUZZ_CHECK(!viaGeneral.ok && viaGeneral.errorField == field && viaGeneral.error == ivs.problem->message);
    }
  } else {
    if (generalPathChars(ivs.path)) FUZZ_CHECK(viaGeneral.ok);
    if (viaGeneral.ok) {
      FUZZ_CHECK(viaGeneral.authorization == ivs.authorization);
      FUZZ_CHECK(viaGeneral.amzDate == std::string(ivs.amzDate.data(), ivs.amzDate.size()));
      // With normalizePath, the same whenever normalizing leaves the path as it is.
      if (normalizeSigV4Path(ivs.path) == ivs.path) {
        composedOptions.normalizePath = true;
        FUZZ_CHECK(signSigV4(composed, credentials, composedOptions).authorization == ivs.authorization);
      }
    }
  }
  if (!viaGeneral.ok) {
    const std::string_view field = viaGeneral.errorField;
    if (field == "accessKeyId" || field == "secretAccessKey" || field == "sessionToken" || field == "region") {
      FUZZ_CHECK(ivs.problem && ivs.problem->field == field && ivs.problem->message == viaGeneral.error);
    }
  }
  return 0;
}
