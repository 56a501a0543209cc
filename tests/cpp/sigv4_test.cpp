// SigV4: (a) the official aws-c-auth test suite (tests/fixtures/aws-sigv4-test-suite), every
// header-signing vector at every stage; (b) CreateChatToken vectors computed by the independent
// oracle @smithy/signature-v4 (tests/fixtures/sigv4-create-chat-token.json); (c) an error result
// for each bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/create_chat_token.hpp"
#include "core/ivs_signed_request.hpp"
#include "core/rfc3339.hpp"
#include "core/sigv4.hpp"
#include "core_results.hpp"
#include "support/general_sigv4_signer.hpp"

namespace {

namespace fs = std::filesystem;
using ivschat::AwsCredentials;
using ivschat::HttpField;
using ivschat::SigV4Options;
using ivschat::SigV4Request;
using ivschat::SigV4Result;

std::optional<std::string> readFile(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

std::string lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

std::string trimNewlines(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

std::string trimSpace(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  std::size_t start = 0;
  while (start < text.size() && text[start] == ' ') ++start;
  return text.substr(start);
}

// ---------------------------------------------------------------------------------------------
// (a) The official suite
// ---------------------------------------------------------------------------------------------

// Vectors of the suite this signer does not reproduce, each with the reason; a vector listed here
// is skipped by name with its reason, never silently. The signer has no x-amz-content-sha256
// signing (context.json "sign_body"): no IVS Chat call uses it.
const std::map<std::string, std::string>& unsupportedVectors() {
  static const std::map<std::string, std::string> kUnsupported = {
      {"post-sts-header-after", "signs x-amz-content-sha256 (sign_body), which IVS Chat does not use"},
      {"post-x-www-form-urlencoded", "signs x-amz-content-sha256 (sign_body), which IVS Chat does not use"},
      {"post-x-www-form-urlencoded-parameters", "signs x-amz-content-sha256 (sign_body), which IVS Chat does not use"},
  };
  return kUnsupported;
}

// The cases of aws-c-auth's v4 folder at the vendored commit (tests/fixtures/aws-sigv4-test-suite/
// README.md): fewer means a case folder went missing.
constexpr std::size_t kSuiteCaseCount = 38;

constexpr const char* kSuiteMissing = "";

fs::path suiteFolder() { return fs::path(IVSCHAT_FIXTURES_DIR) / "aws-sigv4-test-suite" / "v4"; }

// Read when the tests are registered, so each vector is its own test (and its own ctest). Every
// folder is a case: one that lost a file fails instead of dropping out.
std::vector<std::string> suiteVectorNames() {
  std::vector<std::string> names;
  std::error_code error;
  const fs::path folder = suiteFolder();
  if (fs::is_directory(folder, error)) {
    for (const auto& entry : fs::directory_iterator(folder, error)) {
      if (entry.is_directory(error)) names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  // One placeholder keeps the suite instantiated; its test fails and says where it looked.
  if (names.empty()) names.emplace_back(kSuiteMissing);
  return names;
}

std::string percentDecode(std::string_view text) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex(text[i + 1]) >= 0 && hex(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// request.txt: `METHOD target HTTP/1.1`, header lines (a line starting with a space or tab
// continues the previous value: obs-fold, replaced by one space as RFC 9112 allows), a blank
// line, then the body. The target may contain raw spaces (get-space-*), so the method is
// before the first space and the version after the last.
struct RawRequest {
  SigV4Request request;
  bool valid = false;
};

RawRequest parseRawRequest(const std::string& text) {
  RawRequest out;
  std::vector<std::string> lines;
  std::size_t pos = 0;
  std::size_t bodyStart = std::string::npos;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    pos = end + 1;
    if (line.empty() && !lines.empty()) {
      bodyStart = pos;
      break;
    }
    lines.push_back(std::move(line));
  }
  if (lines.empty()) return out;
  const std::string& requestLine = lines[0];
  const std::size_t firstSpace = requestLine.find(' ');
  const std::size_t lastSpace = requestLine.rfind(' ');
  if (firstSpace == std::string::npos || lastSpace <= firstSpace) return out;
  SigV4Request& request = out.request;
  request.method = requestLine.substr(0, firstSpace);
  const std::string target = requestLine.substr(firstSpace + 1, lastSpace - firstSpace - 1);
  const std::size_t question = target.find('?');
  request.path = target.substr(0, question);
  if (question != std::string::npos) {
    const std::string query = target.substr(question + 1);
    std::size_t start = 0;
    while (start <= query.size()) {
      std::size_t amp = query.find('&', start);
      if (amp == std::string::npos) amp = query.size();
      const std::string pair = query.substr(start, amp - start);
      if (!pair.empty()) {
        const std::size_t eq = pair.find('=');
        request.query.emplace_back(percentDecode(pair.substr(0, eq)),
                                   eq == std::string::npos ? "" : percentDecode(pair.substr(eq + 1)));
      }
      start = amp + 1;
    }
  }
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if ((line[0] == ' ' || line[0] == '\t') && !request.headers.empty()) {
      request.headers.back().second += " " + line;
      continue;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) return out;
    request.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  if (bodyStart != std::string::npos && bodyStart < text.size()) {
    request.body = text.substr(bodyStart);
  }
  out.valid = true;
  return out;
}

std::string headerValue(const std::vector<HttpField>& headers, const std::string& name) {
  for (const auto& [key, value] : headers) {
    if (lower(key) == name) return value;
  }
  return {};
}

class OfficialSigV4Suite : public ::testing::TestWithParam<std::string> {};

TEST_P(OfficialSigV4Suite, HeaderSigningAtEveryStage) {
  const std::string name = GetParam();
  ASSERT_NE(name, kSuiteMissing) << "The AWS SigV4 test suite is missing: no case folder in "
                                 << suiteFolder().string();
  const fs::path dir = suiteFolder() / name;
  const auto requestText = readFile(dir / "request.txt");
  const auto contextText = readFile(dir / "context.json");
  const auto expectedCanonical = readFile(dir / "header-canonical-request.txt");
  const auto expectedStringToSign = readFile(dir / "header-string-to-sign.txt");
  const auto expectedSignature = readFile(dir / "header-signature.txt");
  const auto signedText = readFile(dir / "header-signed-request.txt");
  ASSERT_TRUE(requestText && contextText && expectedCanonical && expectedStringToSign && expectedSignature &&
              signedText)
      << "incomplete vector " << dir.string();
  if (const auto found = unsupportedVectors().find(name); found != unsupportedVectors().end()) {
    GTEST_SKIP() << name << " is not supported: " << found->second;
  }

  const RawRequest raw = parseRawRequest(*requestText);
  ASSERT_TRUE(raw.valid) << "cannot parse " << (dir / "request.txt").string();
  const auto context = nlohmann::json::parse(*contextText);
  ASSERT_FALSE(context.value("sign_body", false)) << name << " needs sign_body: list it in unsupportedVectors";
  ASSERT_FALSE(context.value("omit_session_token", false)) << name << " needs omit_session_token";
  const std::string accessKeyId = context.at("credentials").at("access_key_id").get<std::string>();
  const std::string secretAccessKey = context.at("credentials").at("secret_access_key").get<std::string>();
  const std::string sessionToken = context.at("credentials").value("token", "");
  const AwsCredentials credentials{accessKeyId, secretAccessKey, sessionToken};
  SigV4Options options;
  options.region = context.at("region").get<std::string>();
  options.service = context.at("service").get<std::string>();
  const auto timestamp = ivschat::parseRfc3339(context.at("timestamp").get<std::string>());
  ASSERT_TRUE(timestamp.has_value());
  options.epochSeconds = timestamp->epochSeconds;
  options.normalizePath = context.value("normalize", true);

  const SigV4Result result = ivschat::signSigV4(raw.request, credentials, options);
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.canonicalRequest, trimNewlines(*expectedCanonical));
  EXPECT_EQ(result.stringToSign, trimNewlines(*expectedStringToSign));
  EXPECT_EQ(result.signature, trimSpace(*expectedSignature));

  // The signed request: its Authorization header, and every header it carries is among ours.
  const RawRequest signedRequest = parseRawRequest(*signedText);
  ASSERT_TRUE(signedRequest.valid);
  EXPECT_EQ(result.authorization, trimSpace(headerValue(signedRequest.request.headers, "authorization")));
  EXPECT_EQ(result.headers.size(), signedRequest.request.headers.size());
  for (const auto& [headerName, value] : signedRequest.request.headers) {
    const bool present = std::any_of(result.headers.begin(), result.headers.end(), [&](const HttpField& field) {
      return lower(field.first) == lower(headerName) && trimSpace(field.second) == trimSpace(value);
    });
    EXPECT_TRUE(present) << "signed request header " << headerName << " missing or different";
  }
}

INSTANTIATE_TEST_SUITE_P(AwsCAuthV4, OfficialSigV4Suite, ::testing::ValuesIn(suiteVectorNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           if (info.param == kSuiteMissing) return std::string("SuiteNotFound");
                           std::string id = info.param;
                           for (char& c : id) {
                             const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                                (c >= '0' && c <= '9');
                             if (!alnum) c = '_';
                           }
                           return id;
                         });

TEST(OfficialSigV4SuiteFiles, HoldEveryCase) {
  EXPECT_EQ(suiteVectorNames().size(), kSuiteCaseCount) << "cases in " << suiteFolder().string();
}

// Five signatures as AWS publishes them (the suite's and the AWS SDK's own tests quote them),
// checked against the vendored suite files so a damaged copy of the suite cannot pass unnoticed.
TEST(OfficialSigV4SuiteFiles, MatchTheSignaturesQuotedInTheReference) {
  const fs::path folder = suiteFolder();
  ASSERT_TRUE(fs::is_directory(folder)) << "suite not found at " << folder.string();
  const std::map<std::string, std::string> quoted = {
      {"get-vanilla", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
      {"post-vanilla", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"},
      {"post-vanilla-query", "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"},
      {"get-vanilla-query-order-key-case",
       "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"},
      {"get-vanilla-with-session-token",
       "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8"},
  };
  for (const auto& [name, signature] : quoted) {
    const auto text = readFile(folder / name / "header-signature.txt");
    ASSERT_TRUE(text.has_value()) << name << " missing from " << folder.string();
    EXPECT_EQ(trimSpace(*text), signature) << name;
  }
}

// ---------------------------------------------------------------------------------------------
// General signer behaviour beyond the suite
// ---------------------------------------------------------------------------------------------

constexpr const char* kExampleSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
AwsCredentials exampleCredentials() { return {"AKIDEXAMPLE", kExampleSecret, ""}; }

SigV4Options exampleOptions() {
  SigV4Options options;
  options.region = "us-east-1";
  options.service = "service";
  options.epochSeconds = 1440938160;  // 2015-08-30T12:36:00Z, the suite's time
  return options;
}

SigV4Request vanillaGet() {
  SigV4Request request;
  request.method = "GET";
  request.path = "/";
  request.headers = {{"Host", "example.amazonaws.com"}};
  return request;
}

TEST(SigV4Signer, UnsignableHeadersAreSentButNeverSigned) {
  const SigV4Result plain = ivschat::signSigV4(vanillaGet(), exampleCredentials(), exampleOptions());
  ASSERT_TRUE(plain.ok) << plain.error;
  SigV4Request noisy = vanillaGet();
  const std::vector<HttpField> extra = {
      {"User-Agent", "Mozilla/5.0"},     {"sec-fetch-mode", "cors"},  {"Connection", "keep-alive"},
      {"Proxy-Authorization", "Basic x"}, {"X-Amzn-Trace-Id", "Root=1"}, {"Referer", "https://a/"},
      {"Transfer-Encoding", "chunked"},  {"Upgrade", "websocket"},    {"TE", "trailers"},
      {"Expect", "100-continue"},        {"Cache-Control", "no-cache"}, {"Pragma", "no-cache"},
      {"Keep-Alive", "timeout=5"},       {"Max-Forwards", "3"},        {"From", "a@b.c"},
      {"Trailer", "Expires"},
  };
  noisy.headers.insert(noisy.headers.end(), extra.begin(), extra.end());
  const SigV4Result result = ivschat::signSigV4(noisy, exampleCredentials(), exampleOptions());
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.signedHeaders, "host;x-amz-date");
  EXPECT_EQ(result.signature, plain.signature);
  for (const auto& field : extra) {
    EXPECT_NE(std::find(result.headers.begin(), result.headers.end(), field), result.headers.end())
        << field.first << " should still be sent";
  }
  for (const auto& field : extra) EXPECT_TRUE(ivschat::isUnsignableHeader(lower(field.first)));
  EXPECT_FALSE(ivschat::isUnsignableHeader("content-type"));
  EXPECT_FALSE(ivschat::isUnsignableHeader("content-length"));
  EXPECT_FALSE(ivschat::isUnsignableHeader("host"));
  EXPECT_FALSE(ivschat::isUnsignableHeader("secret"));  // "sec-" is a prefix with the dash
}

TEST(SigV4Signer, SignerOwnedHeadersFromTheCallerAreReplaced) {
  SigV4Request request = vanillaGet();
  request.headers.emplace_back("X-Amz-Date", "19990101T000000Z");
  request.headers.emplace_back("Authorization", "AWS4-HMAC-SHA256 stale");
  const SigV4Result result = ivschat::signSigV4(request, exampleCredentials(), exampleOptions());
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.signature, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  ASSERT_EQ(result.headers.size(), 3u);
  EXPECT_EQ(result.headers[0], (HttpField{"Host", "example.amazonaws.com"}));
  EXPECT_EQ(result.headers[1], (HttpField{"x-amz-date", "20150830T123600Z"}));
  EXPECT_EQ(result.headers[2].first, "authorization");
  EXPECT_EQ(result.headers[2].second, result.authorization);
}

TEST(SigV4Signer, CanonicalValuesTrimAndCollapseSpacesAndTabs) {
  SigV4Request request = vanillaGet();
  request.headers.emplace_back("My-Header", " \t a \t\t b  c \t");
  request.headers.emplace_back("my-header", "");
  const SigV4Result result = ivschat::signSigV4(request, exampleCredentials(), exampleOptions());
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_NE(result.canonicalRequest.find("\nmy-header:a b c,\n"), std::string::npos)
      << result.canonicalRequest;
}

std::string uriEncoded(std::string_view text, bool keepSlash) {
  std::string out;
  ivschat::TextSink sink{out};
  ivschat::appendUriEncoded(sink, text, keepSlash);
  return out;
}

TEST(SigV4Signer, PathAndQueryEncoding) {
  EXPECT_EQ(uriEncoded("a b/c~d%e\xE1\x88\xB4", true), "a%20b/c~d%25e%E1%88%B4");
  EXPECT_EQ(uriEncoded("a/b=c&d+e", false), "a%2Fb%3Dc%26d%2Be");
  EXPECT_EQ(ivschat::normalizeSigV4Path("/a/./b/../c//d/"), "/a/c/d/");
  EXPECT_EQ(ivschat::normalizeSigV4Path("/a/b/.."), "/a");
  EXPECT_EQ(ivschat::normalizeSigV4Path("/../.."), "/");
  SigV4Request request = vanillaGet();
  request.query = {{"b", "2"}, {"a", "z"}, {"a", "y"}, {"c d", ""}};
  const SigV4Result result = ivschat::signSigV4(request, exampleCredentials(), exampleOptions());
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.canonicalRequest.substr(0, result.canonicalRequest.find("\nhost")),
            "GET\n/\na=y&a=z&b=2&c%20d=");
}

std::string amzDate(std::int64_t epochSeconds) {
  std::array<char, 16> date{};
  return ivschat::formatAmzDate(epochSeconds, date) ? std::string(date.data(), date.size()) : std::string();
}

TEST(SigV4Signer, AmzDate) {
  EXPECT_EQ(amzDate(0), "19700101T000000Z");
  EXPECT_EQ(amzDate(1440938160), "20150830T123600Z");
  EXPECT_EQ(amzDate(253402300799), "99991231T235959Z");
  EXPECT_EQ(amzDate(253402300800), "");
  EXPECT_EQ(amzDate(-1), "");
}

TEST(SigV4Signer, CanonicalHeaderValuesInOnePass) {
  const auto canonical = [](std::string_view value) {
    std::string out;
    ivschat::TextSink sink{out};
    ivschat::appendCanonicalHeaderValue(sink, value);
    return out;
  };
  EXPECT_EQ(canonical(""), "");
  EXPECT_EQ(canonical(" \t "), "");
  EXPECT_EQ(canonical("a"), "a");
  EXPECT_EQ(canonical("  a  b\t\tc  "), "a b c");
}

// ---------------------------------------------------------------------------------------------
// (b) CreateChatToken against the @smithy/signature-v4 oracle: the general signer at every stage,
// and the IVS composition (which hashes the canonical request as it writes it) to the same
// signature.
// ---------------------------------------------------------------------------------------------

nlohmann::json readCreateChatTokenVectors() {
  const std::string path = std::string(IVSCHAT_FIXTURES_DIR) + "/sigv4-create-chat-token.json";
  const auto text = readFile(path);
  if (!text) throw std::runtime_error("cannot open " + path);
  return nlohmann::json::parse(*text);
}

struct Credentials {
  std::string accessKeyId, secretAccessKey, sessionToken;
  AwsCredentials view() const { return {accessKeyId, secretAccessKey, sessionToken}; }
};

Credentials credentialsFrom(const nlohmann::json& value) {
  return {value.at("accessKeyId").get<std::string>(), value.at("secretAccessKey").get<std::string>(),
          value.value("sessionToken", "")};
}

// An endpoint URL of the vectors as the JS shim passes it (js/backend/sign.js: WHATWG URL's
// host, lower-case and without a default port, and the path without its trailing '/').
struct EndpointParts {
  std::string origin, host, basePath;
};
EndpointParts splitEndpoint(const std::string& url) {
  if (url.empty()) return {};
  const std::size_t authority = url.find("://") + 3;
  const std::size_t path = url.find('/', authority);
  const std::string scheme = lower(url.substr(0, authority - 3));
  EndpointParts parts;
  parts.host = lower(url.substr(authority, path == std::string::npos ? std::string::npos : path - authority));
  const std::string defaultPort = scheme == "https" ? ":443" : ":80";
  if (parts.host.size() > defaultPort.size() &&
      parts.host.compare(parts.host.size() - defaultPort.size(), defaultPort.size(), defaultPort) == 0) {
    parts.host.resize(parts.host.size() - defaultPort.size());
  }
  parts.origin = scheme + "://" + parts.host;
  parts.basePath = path == std::string::npos ? "" : url.substr(path);
  while (!parts.basePath.empty() && parts.basePath.back() == '/') parts.basePath.pop_back();
  return parts;
}

TEST(CreateChatTokenSigning, MatchesTheSmithyOracle) {
  const auto document = readCreateChatTokenVectors();
  const auto& vectors = document.at("vectors");
  ASSERT_GE(vectors.size(), 4u);
  for (const auto& vector : vectors) {
    SCOPED_TRACE(vector.at("name").get<std::string>());
    const auto& expected = vector.at("expected");
    const std::string body = expected.at("body").get<std::string>();
    const std::string region = vector.at("region").get<std::string>();
    const EndpointParts endpoint = splitEndpoint(vector.at("endpoint").get<std::string>());
    const Credentials credentials = credentialsFrom(vector.at("credentials"));
    const std::int64_t epochMillis = vector.at("epochMillis").get<std::int64_t>();

    const ivschat::SignedIvsRequest composed = ivschat::signIvsChatRequest(
        "CreateChatToken", body, region, {endpoint.host, endpoint.basePath}, credentials.view(), epochMillis);
    ASSERT_FALSE(composed.problem) << composed.problem->message;
    const std::string origin = endpoint.origin.empty() ? "https://" + composed.host : endpoint.origin;
    EXPECT_EQ(origin + composed.path, expected.at("url").get<std::string>());

    // The same request through the general signer shows every stage.
    SigV4Request request;
    request.method = "POST";
    request.path = composed.path;
    request.headers = {{"content-type", "application/json"}, {"host", composed.host}};
    request.body = body;
    SigV4Options options;
    options.region = region;
    options.service = "ivschat";
    options.epochSeconds = epochMillis / 1000;
    const SigV4Result general = ivschat::signSigV4(request, credentials.view(), options);
    ASSERT_TRUE(general.ok) << general.error;
    EXPECT_EQ(general.canonicalRequest, expected.at("canonicalRequest").get<std::string>());
    EXPECT_EQ(general.stringToSign, expected.at("stringToSign").get<std::string>());
    EXPECT_EQ(general.signature, expected.at("signature").get<std::string>());
    EXPECT_EQ(composed.authorization, general.authorization);
    EXPECT_EQ(std::string(composed.amzDate.data(), composed.amzDate.size()), general.amzDate);
    std::vector<HttpField> expectedHeaders;
    for (const auto& header : expected.at("headers")) {
      expectedHeaders.emplace_back(header.at(0).get<std::string>(), header.at(1).get<std::string>());
    }
    // What the JS shim sends: content-type, host, x-amz-date, x-amz-security-token, authorization.
    std::vector<HttpField> sent = {{"content-type", "application/json"}, {"host", composed.host},
                                   {"x-amz-date", general.amzDate}};
    if (!credentials.sessionToken.empty()) sent.emplace_back("x-amz-security-token", credentials.sessionToken);
    sent.emplace_back("authorization", composed.authorization);
    EXPECT_EQ(sent, expectedHeaders);
  }
}

TEST(CreateChatTokenSigning, OracleBodiesAreWhatTheCoreBuilds) {
  // The vectors sign bodies built by the generator; the core must build the same bytes from the
  // same request, or the JS differential test would compare different things.
  const auto document = readCreateChatTokenVectors();
  for (const auto& vector : document.at("vectors")) {
    SCOPED_TRACE(vector.at("name").get<std::string>());
    const auto validation = ivschat::testing::validateText(vector.at("request").dump());
    ASSERT_TRUE(validation.ok());
    EXPECT_EQ(*validation.body, vector.at("expected").at("body").get<std::string>());
  }
}

std::string signatureOf(const ivschat::SignedIvsRequest& request) {
  return request.authorization.substr(request.authorization.rfind('=') + 1);
}

ivschat::SignedIvsRequest signEmpty(const AwsCredentials& credentials, std::int64_t epochMillis,
                                    std::string_view region = "us-east-1", ivschat::IvsEndpoint endpoint = {}) {
  return ivschat::signIvsChatRequest("CreateChatToken", "{}", region, endpoint, credentials, epochMillis);
}

TEST(CreateChatTokenSigning, CachedSigningKeysNeverMixCredentialsDatesRegionsOrServices) {
  // The signing key is cached per (secret, date, region, service) in a few slots: cycling
  // through more combinations than slots, in changing orders, must give each combination the
  // signature of the oracle vector it came from every time.
  const auto document = readCreateChatTokenVectors();
  const auto& vectors = document.at("vectors");
  ASSERT_GE(vectors.size(), 4u);
  for (int round = 0; round < 3; ++round) {
    for (std::size_t k = 0; k < vectors.size(); ++k) {
      const auto& vector = vectors.at(round % 2 == 0 ? k : vectors.size() - 1 - k);
      SCOPED_TRACE(vector.at("name").get<std::string>());
      const EndpointParts endpoint = splitEndpoint(vector.at("endpoint").get<std::string>());
      const Credentials credentials = credentialsFrom(vector.at("credentials"));
      const auto signedRequest = ivschat::signIvsChatRequest(
          "CreateChatToken", vector.at("expected").at("body").get<std::string>(), vector.at("region").get<std::string>(),
          {endpoint.host, endpoint.basePath}, credentials.view(), vector.at("epochMillis").get<std::int64_t>());
      ASSERT_FALSE(signedRequest.problem);
      EXPECT_EQ(signatureOf(signedRequest), vector.at("expected").at("signature").get<std::string>());
    }
  }
  // Two secrets that differ only in their last character sign differently on the same day.
  const std::string firstSecret = kExampleSecret;
  std::string secondSecret = firstSecret;
  secondSecret.back() = secondSecret.back() == 'a' ? 'b' : 'a';
  const auto a = signEmpty({"AKIDEXAMPLE", firstSecret, ""}, 1000);
  const auto b = signEmpty({"AKIDEXAMPLE", secondSecret, ""}, 1000);
  const auto again = signEmpty({"AKIDEXAMPLE", firstSecret, ""}, 1000);
  ASSERT_FALSE(a.problem || b.problem || again.problem);
  EXPECT_NE(signatureOf(a), signatureOf(b));
  EXPECT_EQ(signatureOf(a), signatureOf(again));

  // Nor services: the same secret, day and region signing for ivschat and for CloudWatch Logs,
  // each first with a cold cache, then with the other's key cached, give the same signatures.
  const AwsCredentials credentials{"AKIDEXAMPLE", firstSecret, ""};
  const auto logs = [&] { return ivschat::signAwsJsonRequest("logs", "Logs_20140328.GetLogEvents", "{}", "us-east-1", {}, credentials, 1000); };
  const auto evict = [&] {
    for (const char* region : {"eu-west-1", "eu-west-2", "eu-west-3", "eu-north-1"}) signEmpty(credentials, 1000, region);
  };
  evict();
  const auto ivsCold = signEmpty(credentials, 1000);
  evict();
  const auto logsCold = logs();
  const auto ivsWarm = signEmpty(credentials, 1000);
  const auto logsWarm = logs();
  ASSERT_FALSE(ivsCold.problem || logsCold.problem || ivsWarm.problem || logsWarm.problem);
  EXPECT_EQ(signatureOf(ivsCold), signatureOf(ivsWarm));
  EXPECT_EQ(signatureOf(logsCold), signatureOf(logsWarm));
}

TEST(CreateChatTokenSigning, MillisecondsRoundDownToTheSecond) {
  const AwsCredentials credentials = exampleCredentials();
  const auto early = signEmpty(credentials, 1000);
  const auto late = signEmpty(credentials, 1999);
  const auto next = signEmpty(credentials, 2000);
  ASSERT_FALSE(early.problem || late.problem || next.problem);
  EXPECT_EQ(std::string(early.amzDate.data(), 16), "19700101T000001Z");
  EXPECT_EQ(signatureOf(early), signatureOf(late));
  EXPECT_NE(signatureOf(early), signatureOf(next));
}

// ---------------------------------------------------------------------------------------------
// (c) Errors: each bad input gives a problem naming the field, never an exception, and the
// message never contains the secret, the session token or a signature. (The endpoint URL itself
// is read by the runtime's URL parser in JS: tests/backend/sign.test.js.)
// ---------------------------------------------------------------------------------------------

constexpr const char* kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr const char* kToken = "SESSIONTOKENEXAMPLEVALUE";

struct BadInput {
  const char* label;
  std::string accessKeyId = "AKIDEXAMPLE";
  std::string secretAccessKey = kSecret;
  std::string sessionToken = kToken;
  std::string region = "us-east-1";
  std::string host;
  std::string basePath;
  std::int64_t epochMillis = 1700000000000;
  const char* field = "";
};

BadInput bad(const char* label, const char* field) {
  BadInput input;
  input.label = label;
  input.field = field;
  return input;
}

TEST(CreateChatTokenSigning, EveryBadInputIsAProblem) {
  std::vector<BadInput> cases;
  const auto add = [&cases](BadInput input) { cases.push_back(std::move(input)); };
  for (const char* key : {"", "AKID/X", "AKID,X", "AKID X", "AKID\n", "AKID\xC3\xA9"}) {
    BadInput c = bad("access key", "accessKeyId");
    c.accessKeyId = key;
    add(c);
  }
  for (const std::string secret : {std::string(""), std::string(kSecret) + "\n", std::string("abc def"),
                                   std::string("abc\0def", 7), std::string("s\xE2\x82\xAC")}) {
    BadInput c = bad("secret", "secretAccessKey");
    c.secretAccessKey = secret;
    add(c);
  }
  for (const char* token : {"abc\r\nX-Injected: 1", "abc def"}) {
    BadInput c = bad("session token", "sessionToken");
    c.sessionToken = token;
    add(c);
  }
  for (const char* region : {"", "US-EAST-1", "us_east_1", "us-east-1.evil.com", "us-east-1\n", "us-east-1/x"}) {
    BadInput c = bad("region", "region");
    c.region = region;
    add(c);
  }
  for (const char* host : {"exa mple.com", "h/x", "a@b", "h\r\nx", "h\xC3\xB6st"}) {
    BadInput c = bad("host", "endpoint");
    c.host = host;
    add(c);
  }
  for (const char* path : {"a", "/a/../b", "/a/./b", "/a//b", "/a b", "/a?b", "/a#b", "/\x01"}) {
    BadInput c = bad("base path", "endpoint");
    c.host = "127.0.0.1:4566";
    c.basePath = path;
    add(c);
  }
  for (const std::int64_t time : {std::int64_t{-1}, std::int64_t{253402300800000}}) {
    BadInput c = bad("time", "time");
    c.epochMillis = time;
    add(c);
  }
  for (const BadInput& c : cases) {
    SCOPED_TRACE(std::string(c.label) + " " + c.field);
    const auto result = ivschat::signIvsChatRequest("CreateChatToken", "{}", c.region, {c.host, c.basePath},
                                                    {c.accessKeyId, c.secretAccessKey, c.sessionToken}, c.epochMillis);
    ASSERT_TRUE(result.problem);
    EXPECT_STREQ(result.problem->field, c.field) << result.problem->message;
    EXPECT_FALSE(result.problem->message.empty());
    EXPECT_TRUE(result.authorization.empty());
    EXPECT_EQ(result.problem->message.find(kSecret), std::string::npos);
    EXPECT_EQ(result.problem->message.find(kToken), std::string::npos);
    EXPECT_EQ(result.problem->message.find("abc"), std::string::npos);  // no piece of a bad secret/token
    EXPECT_EQ(result.problem->message.find("Signature"), std::string::npos);
  }
}

TEST(CreateChatTokenSigning, TheSameInputsWithGoodValuesSign) {
  // Guards the table above: each failure comes from the one bad value, not the rest.
  const auto result = signEmpty({"AKIDEXAMPLE", kSecret, kToken}, 1700000000000);
  ASSERT_FALSE(result.problem);
  EXPECT_EQ(result.host, "ivschat.us-east-1.amazonaws.com");
  EXPECT_EQ(result.path, "/CreateChatToken");
  EXPECT_NE(result.authorization.find("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,"), std::string::npos);
  for (const auto& [host, path] : std::vector<std::pair<const char*, const char*>>{
           {"example.com:65535", ""}, {"127.0.0.1:4566", "/"}, {"[::1]", ""}, {"example.com", "/a/%2F/b"},
           {"example.com.", "/x"}}) {
    std::string basePath = path;
    while (!basePath.empty() && basePath.back() == '/') basePath.pop_back();
    const auto ok = signEmpty({"AKIDEXAMPLE", kSecret, kToken}, 1700000000000, "us-east-1", {host, basePath});
    EXPECT_FALSE(ok.problem) << host << path << ": " << (ok.problem ? ok.problem->message : "");
  }
}

TEST(SigV4Signer, EveryBadRequestIsAnErrorResult) {
  struct Case {
    const char* label;
    SigV4Request request;
    SigV4Options options;
    const char* field;
  };
  auto with = [](auto change) {
    SigV4Request request = vanillaGet();
    change(request);
    return request;
  };
  SigV4Options badService = exampleOptions();
  badService.service = "Service!";
  SigV4Options badTime = exampleOptions();
  badTime.epochSeconds = -5;
  const std::vector<Case> cases = {
      {"no host header", with([](SigV4Request& r) { r.headers.clear(); }), exampleOptions(), "headers"},
      {"empty host header", with([](SigV4Request& r) { r.headers[0].second = ""; }), exampleOptions(),
       "headers"},
      {"header value with LF",
       with([](SigV4Request& r) { r.headers.emplace_back("x-a", std::string("a\nb") + kToken); }),
       exampleOptions(), "headers"},
      {"header value with CR", with([](SigV4Request& r) { r.headers.emplace_back("x-a", "a\rb"); }),
       exampleOptions(), "headers"},
      {"header value with NUL",
       with([](SigV4Request& r) { r.headers.emplace_back("x-a", std::string("a\0b", 3)); }),
       exampleOptions(), "headers"},
      {"header name with a space", with([](SigV4Request& r) { r.headers.emplace_back("x a", "1"); }),
       exampleOptions(), "headers"},
      {"empty header name", with([](SigV4Request& r) { r.headers.emplace_back("", "1"); }),
       exampleOptions(), "headers"},
      {"header name with ':'", with([](SigV4Request& r) { r.headers.emplace_back("x:a", "1"); }),
       exampleOptions(), "headers"},
      {"empty method", with([](SigV4Request& r) { r.method = ""; }), exampleOptions(), "method"},
      {"method with a space", with([](SigV4Request& r) { r.method = "GET /"; }), exampleOptions(),
       "method"},
      {"relative path", with([](SigV4Request& r) { r.path = "example"; }), exampleOptions(), "path"},
      {"empty path", with([](SigV4Request& r) { r.path = ""; }), exampleOptions(), "path"},
      {"path with '?'", with([](SigV4Request& r) { r.path = "/a?b"; }), exampleOptions(), "path"},
      {"path with a newline", with([](SigV4Request& r) { r.path = "/a\nb"; }), exampleOptions(), "path"},
      {"bad service", vanillaGet(), badService, "service"},
      {"negative time", vanillaGet(), badTime, "time"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    SigV4Result result;
    EXPECT_NO_THROW(result = ivschat::signSigV4(c.request, exampleCredentials(), c.options));
    EXPECT_FALSE(result.ok);
    EXPECT_EQ(result.errorField, c.field) << result.error;
    EXPECT_FALSE(result.error.empty());
    EXPECT_TRUE(result.signature.empty());
    EXPECT_TRUE(result.headers.empty());
    EXPECT_EQ(result.error.find(kToken), std::string::npos);
  }
}

}  // namespace
