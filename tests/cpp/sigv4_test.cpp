// SigV4: (a) the official aws-c-auth test suite, read in place from ../shared (or from
// $IVSCHAT_SIGV4_SUITE), every header-signing vector at every stage; (b) CreateChatToken
// vectors computed by the independent oracle @smithy/signature-v4
// (tests/fixtures/sigv4-create-chat-token.json); (c) an error result for each bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/create_chat_token.hpp"
#include "core/rfc3339.hpp"
#include "core/sigv4.hpp"

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

// Vectors of the suite this signer cannot reproduce, each with the reason. Every vector of
// aws-c-auth's v4 folder (commit 495329c2) is supported, so the list is empty; a vector added
// here is skipped by name with its reason, never silently.
const std::map<std::string, std::string>& unsupportedVectors() {
  static const std::map<std::string, std::string> kUnsupported = {};
  return kUnsupported;
}

constexpr const char* kSuiteMissing = "";

fs::path suiteFolder() {
  if (const char* overridden = std::getenv("IVSCHAT_SIGV4_SUITE"); overridden && *overridden) {
    const fs::path root(overridden);
    std::error_code ignored;
    if (fs::is_directory(root / "v4", ignored)) return root / "v4";
    return root;
  }
  return fs::path(IVSCHAT_SHARED_DIR) / "fixtures" / "aws-sigv4-test-suite" / "v4";
}

// Read when the tests are registered, so each vector is its own test (and its own ctest).
std::vector<std::string> suiteVectorNames() {
  std::vector<std::string> names;
  std::error_code error;
  const fs::path folder = suiteFolder();
  if (fs::is_directory(folder, error)) {
    for (const auto& entry : fs::directory_iterator(folder, error)) {
      if (entry.is_directory(error) && fs::exists(entry.path() / "request.txt", error)) {
        names.push_back(entry.path().filename().string());
      }
    }
  }
  std::sort(names.begin(), names.end());
  // One placeholder keeps the suite instantiated; its test skips and says where it looked.
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
  if (name == kSuiteMissing) {
    GTEST_SKIP() << "The AWS SigV4 test suite was not found at " << suiteFolder().string()
                 << " (it lives in ../shared/fixtures/aws-sigv4-test-suite, which a plain clone "
                    "does not have). Set IVSCHAT_SIGV4_SUITE to a copy of aws-c-auth's "
                    "tests/aws-signing-test-suite to run it.";
  }
  if (const auto found = unsupportedVectors().find(name); found != unsupportedVectors().end()) {
    GTEST_SKIP() << name << " is not supported: " << found->second;
  }
  const fs::path dir = suiteFolder() / name;
  const auto expectedCanonical = readFile(dir / "header-canonical-request.txt");
  if (!expectedCanonical) {
    GTEST_SKIP() << name << " has no header-canonical-request.txt: it is not a header-signing "
                            "vector (query signing is not implemented).";
  }
  const auto requestText = readFile(dir / "request.txt");
  const auto contextText = readFile(dir / "context.json");
  const auto expectedStringToSign = readFile(dir / "header-string-to-sign.txt");
  const auto expectedSignature = readFile(dir / "header-signature.txt");
  ASSERT_TRUE(requestText && contextText && expectedStringToSign && expectedSignature)
      << "incomplete vector " << dir.string();

  const RawRequest raw = parseRawRequest(*requestText);
  ASSERT_TRUE(raw.valid) << "cannot parse " << (dir / "request.txt").string();
  const auto context = nlohmann::json::parse(*contextText);
  AwsCredentials credentials;
  credentials.accessKeyId = context.at("credentials").at("access_key_id").get<std::string>();
  credentials.secretAccessKey = context.at("credentials").at("secret_access_key").get<std::string>();
  credentials.sessionToken = context.at("credentials").value("token", "");
  SigV4Options options;
  options.region = context.at("region").get<std::string>();
  options.service = context.at("service").get<std::string>();
  const auto timestamp = ivschat::parseRfc3339(context.at("timestamp").get<std::string>());
  ASSERT_TRUE(timestamp.has_value());
  options.epochSeconds = timestamp->epochSeconds;
  options.normalizePath = context.value("normalize", true);
  options.signBody = context.value("sign_body", false);
  options.omitSessionToken = context.value("omit_session_token", false);

  const SigV4Result result = ivschat::signSigV4(raw.request, credentials, options);
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.canonicalRequest, trimNewlines(*expectedCanonical));
  EXPECT_EQ(result.stringToSign, trimNewlines(*expectedStringToSign));
  EXPECT_EQ(result.signature, trimSpace(*expectedSignature));

  // The signed request: its Authorization header, and every header it carries is among ours.
  if (const auto signedText = readFile(dir / "header-signed-request.txt")) {
    const RawRequest signedRequest = parseRawRequest(*signedText);
    ASSERT_TRUE(signedRequest.valid);
    EXPECT_EQ(result.authorization,
              trimSpace(headerValue(signedRequest.request.headers, "authorization")));
    EXPECT_EQ(result.headers.size(), signedRequest.request.headers.size());
    for (const auto& [headerName, value] : signedRequest.request.headers) {
      const bool present =
          std::any_of(result.headers.begin(), result.headers.end(), [&](const HttpField& field) {
            return lower(field.first) == lower(headerName) && trimSpace(field.second) == trimSpace(value);
          });
      EXPECT_TRUE(present) << "signed request header " << headerName << " missing or different";
    }
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

// The signatures quoted in ../shared/reference/ivs-chat.md §2 (from the suite and the AWS SDK),
// checked against the suite files so a damaged copy of the suite cannot pass unnoticed.
TEST(OfficialSigV4SuiteFiles, MatchTheSignaturesQuotedInTheReference) {
  const fs::path folder = suiteFolder();
  if (!fs::is_directory(folder)) GTEST_SKIP() << "suite not found at " << folder.string();
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

AwsCredentials exampleCredentials() {
  return {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
}

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

TEST(SigV4Signer, PathAndQueryEncoding) {
  EXPECT_EQ(ivschat::sigV4UriEncode("a b/c~d%e\xE1\x88\xB4", true), "a%20b/c~d%25e%E1%88%B4");
  EXPECT_EQ(ivschat::sigV4UriEncode("a/b=c&d+e", false), "a%2Fb%3Dc%26d%2Be");
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

TEST(SigV4Signer, AmzDate) {
  EXPECT_EQ(ivschat::formatAmzDate(0), "19700101T000000Z");
  EXPECT_EQ(ivschat::formatAmzDate(1440938160), "20150830T123600Z");
  EXPECT_EQ(ivschat::formatAmzDate(253402300799), "99991231T235959Z");
  EXPECT_EQ(ivschat::formatAmzDate(253402300800), "");
  EXPECT_EQ(ivschat::formatAmzDate(-1), "");
}

// ---------------------------------------------------------------------------------------------
// (b) CreateChatToken against the @smithy/signature-v4 oracle
// ---------------------------------------------------------------------------------------------

nlohmann::json readCreateChatTokenVectors() {
  const std::string path = std::string(IVSCHAT_FIXTURES_DIR) + "/sigv4-create-chat-token.json";
  const auto text = readFile(path);
  if (!text) throw std::runtime_error("cannot open " + path);
  return nlohmann::json::parse(*text);
}

AwsCredentials credentialsFrom(const nlohmann::json& value) {
  return {value.at("accessKeyId").get<std::string>(), value.at("secretAccessKey").get<std::string>(),
          value.value("sessionToken", "")};
}

TEST(CreateChatTokenSigning, MatchesTheSmithyOracle) {
  const auto document = readCreateChatTokenVectors();
  const auto& vectors = document.at("vectors");
  ASSERT_GE(vectors.size(), 4u);
  for (const auto& vector : vectors) {
    SCOPED_TRACE(vector.at("name").get<std::string>());
    const auto& expected = vector.at("expected");
    const auto signedRequest = ivschat::signCreateChatTokenRequest(
        expected.at("body").get<std::string>(), vector.at("region").get<std::string>(),
        vector.at("endpoint").get<std::string>(), credentialsFrom(vector.at("credentials")),
        vector.at("epochMillis").get<std::int64_t>());
    ASSERT_TRUE(signedRequest.ok) << signedRequest.error;
    EXPECT_EQ(signedRequest.method, expected.at("method").get<std::string>());
    EXPECT_EQ(signedRequest.url, expected.at("url").get<std::string>());
    EXPECT_EQ(signedRequest.body, expected.at("body").get<std::string>());
    EXPECT_EQ(signedRequest.signing.canonicalRequest, expected.at("canonicalRequest").get<std::string>());
    EXPECT_EQ(signedRequest.signing.stringToSign, expected.at("stringToSign").get<std::string>());
    EXPECT_EQ(signedRequest.signing.signature, expected.at("signature").get<std::string>());
    std::vector<HttpField> expectedHeaders;
    for (const auto& header : expected.at("headers")) {
      expectedHeaders.emplace_back(header.at(0).get<std::string>(), header.at(1).get<std::string>());
    }
    EXPECT_EQ(signedRequest.headers, expectedHeaders);
  }
}

TEST(CreateChatTokenSigning, OracleBodiesAreWhatTheCoreBuilds) {
  // The vectors sign bodies built by the generator; the core must build the same bytes from the
  // same request, or the JS differential test would compare different things.
  const auto document = readCreateChatTokenVectors();
  for (const auto& vector : document.at("vectors")) {
    SCOPED_TRACE(vector.at("name").get<std::string>());
    const auto validation = ivschat::validateCreateChatTokenRequest(vector.at("request"));
    ASSERT_TRUE(validation.ok());
    EXPECT_EQ(ivschat::buildCreateChatTokenBody(validation.request),
              vector.at("expected").at("body").get<std::string>());
  }
}

TEST(CreateChatTokenSigning, CachedSigningKeysNeverMixCredentialsDatesOrRegions) {
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
      const auto signedRequest = ivschat::signCreateChatTokenRequest(
          vector.at("expected").at("body").get<std::string>(), vector.at("region").get<std::string>(),
          vector.at("endpoint").get<std::string>(), credentialsFrom(vector.at("credentials")),
          vector.at("epochMillis").get<std::int64_t>());
      ASSERT_TRUE(signedRequest.ok) << signedRequest.error;
      EXPECT_EQ(signedRequest.signing.signature, vector.at("expected").at("signature").get<std::string>());
    }
  }
  // Two secrets that differ only in their last character sign differently on the same day.
  AwsCredentials first = exampleCredentials();
  AwsCredentials second = first;
  second.secretAccessKey.back() = second.secretAccessKey.back() == 'a' ? 'b' : 'a';
  const auto a = ivschat::signCreateChatTokenRequest("{}", "us-east-1", "", first, 1000);
  const auto b = ivschat::signCreateChatTokenRequest("{}", "us-east-1", "", second, 1000);
  const auto again = ivschat::signCreateChatTokenRequest("{}", "us-east-1", "", first, 1000);
  ASSERT_TRUE(a.ok && b.ok && again.ok);
  EXPECT_NE(a.signing.signature, b.signing.signature);
  EXPECT_EQ(a.signing.signature, again.signing.signature);
}

TEST(CreateChatTokenSigning, MillisecondsRoundDownToTheSecond) {
  const AwsCredentials credentials = exampleCredentials();
  const auto early = ivschat::signCreateChatTokenRequest("{}", "us-east-1", "", credentials, 1000);
  const auto late = ivschat::signCreateChatTokenRequest("{}", "us-east-1", "", credentials, 1999);
  const auto next = ivschat::signCreateChatTokenRequest("{}", "us-east-1", "", credentials, 2000);
  ASSERT_TRUE(early.ok && late.ok && next.ok);
  EXPECT_EQ(early.signing.amzDate, "19700101T000001Z");
  EXPECT_EQ(early.signing.signature, late.signing.signature);
  EXPECT_NE(early.signing.signature, next.signing.signature);
}

TEST(EndpointUrl, CanonicalFormsAsTheWhatwgParserWritesThem) {
  // Expected values are what Node's WHATWG URL (new URL(u).origin / .host) gives for each input.
  struct Case {
    const char* url;
    const char* origin;
    const char* hostHeader;
    const char* basePath;
  };
  const Case cases[] = {
      {"http://[0:0:0:0:0:0:0:1]:4566", "http://[::1]:4566", "[::1]:4566", ""},
      {"http://[2001:DB8:0:0:1:0:0:1]/", "http://[2001:db8::1:0:0:1]", "[2001:db8::1:0:0:1]", ""},
      {"HTTPS://Example.COM:443/", "https://example.com", "example.com", ""},
      {"http://[1:0:0:2:0:0:0:3]", "http://[1:0:0:2::3]", "[1:0:0:2::3]", ""},
      {"http://[0:0:1::]", "http://[0:0:1::]", "[0:0:1::]", ""},
      {"http://[1:2:3:4:5:6:7:8]", "http://[1:2:3:4:5:6:7:8]", "[1:2:3:4:5:6:7:8]", ""},
      {"http://[::]", "http://[::]", "[::]", ""},
      {"http://[1::]", "http://[1::]", "[1::]", ""},
      {"http://a_b.example:08080/x/%41/", "http://a_b.example:8080", "a_b.example:8080", "/x/%41"},
      {"https://ivschat.us-east-1.amazonaws.com", "https://ivschat.us-east-1.amazonaws.com",
       "ivschat.us-east-1.amazonaws.com", ""},
  };
  for (const Case& c : cases) {
    const auto parsed = ivschat::parseEndpointUrl(c.url);
    ASSERT_TRUE(parsed.ok) << c.url << ": " << parsed.error;
    EXPECT_EQ(parsed.origin, c.origin) << c.url;
    EXPECT_EQ(parsed.hostHeader, c.hostHeader) << c.url;
    EXPECT_EQ(parsed.basePath, c.basePath) << c.url;
  }
}

// ---------------------------------------------------------------------------------------------
// (c) Errors: each bad input gives an error result naming the field, never an exception, and
// the message never contains the secret, the session token or a signature.
// ---------------------------------------------------------------------------------------------

constexpr const char* kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr const char* kToken = "SESSIONTOKENEXAMPLEVALUE";

struct BadInput {
  const char* label;
  AwsCredentials credentials;
  std::string region;
  std::string endpoint;
  std::int64_t epochMillis;
  const char* field;
};

AwsCredentials goodCredentials() { return {"AKIDEXAMPLE", kSecret, kToken}; }
AwsCredentials withKey(std::string key) { return {std::move(key), kSecret, kToken}; }
AwsCredentials withSecret(std::string secret) { return {"AKIDEXAMPLE", std::move(secret), kToken}; }
AwsCredentials withToken(std::string token) { return {"AKIDEXAMPLE", kSecret, std::move(token)}; }

constexpr std::int64_t kNow = 1700000000000;

TEST(CreateChatTokenSigning, EveryBadInputIsAnErrorResult) {
  const std::vector<BadInput> cases = {
      {"empty access key", withKey(""), "us-east-1", "", kNow, "accessKeyId"},
      {"access key with '/'", withKey("AKID/X"), "us-east-1", "", kNow, "accessKeyId"},
      {"access key with ','", withKey("AKID,X"), "us-east-1", "", kNow, "accessKeyId"},
      {"access key with a space", withKey("AKID X"), "us-east-1", "", kNow, "accessKeyId"},
      {"access key with a newline", withKey("AKID\n"), "us-east-1", "", kNow, "accessKeyId"},
      {"access key not ASCII", withKey("AKID\xC3\xA9"), "us-east-1", "", kNow, "accessKeyId"},
      {"empty secret", withSecret(""), "us-east-1", "", kNow, "secretAccessKey"},
      {"secret with a trailing newline", withSecret(std::string(kSecret) + "\n"), "us-east-1", "",
       kNow, "secretAccessKey"},
      {"secret with a space", withSecret("abc def"), "us-east-1", "", kNow, "secretAccessKey"},
      {"secret with NUL", withSecret(std::string("abc\0def", 7)), "us-east-1", "", kNow,
       "secretAccessKey"},
      {"secret not ASCII", withSecret("s\xE2\x82\xAC"), "us-east-1", "", kNow, "secretAccessKey"},
      {"session token with CRLF", withToken("abc\r\nX-Injected: 1"), "us-east-1", "", kNow,
       "sessionToken"},
      {"session token with a space", withToken("abc def"), "us-east-1", "", kNow, "sessionToken"},
      {"empty region", goodCredentials(), "", "", kNow, "region"},
      {"upper-case region", goodCredentials(), "US-EAST-1", "", kNow, "region"},
      {"region with '_'", goodCredentials(), "us_east_1", "", kNow, "region"},
      {"region with '.'", goodCredentials(), "us-east-1.evil.com", "", kNow, "region"},
      {"region with a newline", goodCredentials(), "us-east-1\n", "", kNow, "region"},
      {"region with '/'", goodCredentials(), "us-east-1/x", "", kNow, "region"},
      {"endpoint without a scheme", goodCredentials(), "us-east-1", "127.0.0.1:4566", kNow, "endpoint"},
      {"ftp endpoint", goodCredentials(), "us-east-1", "ftp://example.com", kNow, "endpoint"},
      {"ws endpoint", goodCredentials(), "us-east-1", "ws://example.com", kNow, "endpoint"},
      {"javascript: URL", goodCredentials(), "us-east-1", "javascript:alert(1)", kNow, "endpoint"},
      {"no host", goodCredentials(), "us-east-1", "http://", kNow, "endpoint"},
      {"no host but a port", goodCredentials(), "us-east-1", "http://:80", kNow, "endpoint"},
      {"user info", goodCredentials(), "us-east-1", "http://user:pw@example.com", kNow, "endpoint"},
      {"query", goodCredentials(), "us-east-1", "http://example.com/?a=1", kNow, "endpoint"},
      {"fragment", goodCredentials(), "us-east-1", "http://example.com/#x", kNow, "endpoint"},
      {"port 0", goodCredentials(), "us-east-1", "http://example.com:0", kNow, "endpoint"},
      {"port 65536", goodCredentials(), "us-east-1", "http://example.com:65536", kNow, "endpoint"},
      {"port not a number", goodCredentials(), "us-east-1", "http://example.com:abc", kNow, "endpoint"},
      {"empty port", goodCredentials(), "us-east-1", "http://example.com:", kNow, "endpoint"},
      {"space in host", goodCredentials(), "us-east-1", "http://exa mple.com", kNow, "endpoint"},
      {"non-ASCII host", goodCredentials(), "us-east-1", "http://h\xC3\xB6st.example", kNow, "endpoint"},
      {"backslash", goodCredentials(), "us-east-1", "http://example.com\\path", kNow, "endpoint"},
      {"unclosed IPv6", goodCredentials(), "us-east-1", "http://[::1", kNow, "endpoint"},
      {"two '::' in IPv6", goodCredentials(), "us-east-1", "http://[1::2::3]", kNow, "endpoint"},
      {"IPv6 zone id", goodCredentials(), "us-east-1", "http://[fe80::1%25eth0]", kNow, "endpoint"},
      {"short IPv4", goodCredentials(), "us-east-1", "http://127.1:4566", kNow, "endpoint"},
      {"hex IPv4", goodCredentials(), "us-east-1", "http://0x7f.0.0.1", kNow, "endpoint"},
      {"IPv4 octet > 255", goodCredentials(), "us-east-1", "http://127.0.0.256", kNow, "endpoint"},
      {"dot-dot path", goodCredentials(), "us-east-1", "http://example.com/a/../b", kNow, "endpoint"},
      {"encoded dot path", goodCredentials(), "us-east-1", "http://example.com/a/%2E%2e/b", kNow,
       "endpoint"},
      {"empty path segment", goodCredentials(), "us-east-1", "http://example.com/a//b", kNow, "endpoint"},
      {"space in path", goodCredentials(), "us-east-1", "http://example.com/a b", kNow, "endpoint"},
      {"bad escape in path", goodCredentials(), "us-east-1", "http://example.com/%zz", kNow, "endpoint"},
      {"truncated escape", goodCredentials(), "us-east-1", "http://example.com/a%4", kNow, "endpoint"},
      {"time before 1970", goodCredentials(), "us-east-1", "", -1, "time"},
      {"time after 9999", goodCredentials(), "us-east-1", "", 253402300800000, "time"},
  };
  for (const BadInput& c : cases) {
    SCOPED_TRACE(c.label);
    ivschat::SignedHttpRequest result;
    EXPECT_NO_THROW(result = ivschat::signCreateChatTokenRequest("{}", c.region, c.endpoint,
                                                                  c.credentials, c.epochMillis));
    EXPECT_FALSE(result.ok);
    EXPECT_EQ(result.errorField, c.field) << result.error;
    EXPECT_FALSE(result.error.empty());
    EXPECT_TRUE(result.headers.empty());
    EXPECT_TRUE(result.url.empty());
    EXPECT_EQ(result.error.find(kSecret), std::string::npos);
    EXPECT_EQ(result.error.find(kToken), std::string::npos);
    EXPECT_EQ(result.error.find("abc"), std::string::npos);  // no piece of a bad secret/token
    EXPECT_EQ(result.error.find("Signature"), std::string::npos);
  }
}

TEST(CreateChatTokenSigning, TheSameInputsWithGoodValuesSign) {
  // Guards the error table above: each failure comes from the one bad value, not the rest.
  const auto result =
      ivschat::signCreateChatTokenRequest("{}", "us-east-1", "", goodCredentials(), kNow);
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.headers.size(), 5u);
  EXPECT_EQ(result.headers[3], (HttpField{"x-amz-security-token", kToken}));
  EXPECT_EQ(result.signing.signedHeaders, "content-type;host;x-amz-date;x-amz-security-token");
  for (const char* endpoint : {"http://example.com:65535", "http://127.0.0.1:4566/", "http://[::1]",
                               "https://example.com/a/%2F/b", "http://example.com./x"}) {
    const auto ok = ivschat::signCreateChatTokenRequest("{}", "us-east-1", endpoint,
                                                        goodCredentials(), kNow);
    EXPECT_TRUE(ok.ok) << endpoint << ": " << ok.error;
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
