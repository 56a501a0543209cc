#pragma once
// AWS Signature Version 4 (header signing), as stage functions a request is built from (the
// signed IVS call, core/ivs_signed_request.hpp; the tests' general signer,
// tests/support/general_sigv4_signer.hpp):
//   1. canonical request   method, canonical URI, canonical query, canonical headers, signed
//                          header names, hex SHA-256 of the body; written to a sink, so that a
//                          caller can hash it as it is written (no buffer) or keep its text
//   2. string to sign      "AWS4-HMAC-SHA256", the date, the scope, the canonical request's hash
//   3. signing key         HMAC chain from "AWS4" + secret over date, region, service,
//                          "aws4_request" (derived once per day, region and service, and kept)
//   4. signature           hex HMAC of the string to sign under the signing key
//   5. Authorization       "AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…"
//
// The encodings of the official test suite (awslabs/aws-c-auth aws-signing-test-suite/v4):
//   - URI encoding: each byte outside A-Z a-z 0-9 - . _ ~ (and '/' in a path) written as %XX;
//   - canonical header values: trimmed, inner runs of spaces and tabs collapsed to one space.
// Nothing here throws for bad input: every problem comes back as a SigV4Problem, whose message
// never contains a secret, a session token or a signature.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/sha256.hpp"

namespace ivschat {

struct AwsCredentials {
  std::string_view accessKeyId;
  std::string_view secretAccessKey;
  std::string_view sessionToken;  // empty for long-term credentials
};

/// What is wrong with a signing input: the input's name (accessKeyId, secretAccessKey,
/// sessionToken, region, time, or one of the signer's own, e.g. endpoint) and a sentence.
struct SigV4Problem {
  const char* field;
  std::string message;
};

inline constexpr std::string_view kSigV4Algorithm = "AWS4-HMAC-SHA256";

/// Credentials fit for an Authorization header and an x-amz-security-token header.
std::optional<SigV4Problem> checkCredentials(const AwsCredentials& credentials);

/// Region and service: [a-z0-9-]+ (they go into the scope and host names).
bool isScopeName(std::string_view text) noexcept;

/// `YYYYMMDDTHHMMSSZ` for a time in 1970-01-01 .. 9999-12-31; false outside that range.
bool formatAmzDate(std::int64_t epochSeconds, std::array<char, 16>& out) noexcept;

/// A sink the canonical request is written to: the running hash, or a string (for tests).
struct HashSink {
  Sha256& hash;
  void append(std::string_view text) noexcept { hash.update(text); }
  void push_back(char c) noexcept { hash.update(&c, 1); }
};
struct TextSink {
  std::string& text;
  void append(std::string_view more) { text.append(more); }
  void push_back(char c) { text.push_back(c); }
};

/// SigV4's URI encoding: every byte except A-Z a-z 0-9 - . _ ~ (and '/' when `keepSlash`)
/// becomes %XX with upper-case hex.
template <typename Sink>
void appendUriEncoded(Sink& out, std::string_view text, bool keepSlash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::size_t plain = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto u = static_cast<unsigned char>(text[i]);
    const bool unreserved = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
                            u == '-' || u == '.' || u == '_' || u == '~' || (keepSlash && u == '/');
    if (unreserved) continue;
    out.append(text.substr(plain, i - plain));
    const char escaped[3] = {'%', kHex[u >> 4], kHex[u & 0x0FU]};
    out.append(std::string_view(escaped, 3));
    plain = i + 1;
  }
  out.append(text.substr(plain));
}

/// A header value in canonical form: trimmed, inner runs of spaces and tabs as one space.
template <typename Sink>
void appendCanonicalHeaderValue(Sink& out, std::string_view value) {
  const auto blank = [](char c) { return c == ' ' || c == '\t'; };
  bool first = true;
  for (std::size_t i = 0; i < value.size();) {
    if (blank(value[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < value.size() && !blank(value[end])) ++end;
    if (!first) out.push_back(' ');
    out.append(value.substr(i, end - i));
    first = false;
    i = end;
  }
}

/// A header of a canonical request: lower-case name, value as sent (made canonical on write).
struct SignedHeader {
  std::string_view name;
  std::string_view value;
};

/// Stage 1: the canonical request. `canonicalUri` and `canonicalQuery` are already in their
/// canonical forms; `headers` are sorted by name, one entry per name (repeated headers joined);
/// `signedHeaders` is their names joined with ';'.
template <typename Sink>
void writeCanonicalRequest(Sink& out, std::string_view method, std::string_view canonicalUri,
                           std::string_view canonicalQuery, const SignedHeader* headers, std::size_t headerCount,
                           std::string_view signedHeaders, std::string_view payloadHashHex) {
  out.append(method);
  out.push_back('\n');
  out.append(canonicalUri);
  out.push_back('\n');
  out.append(canonicalQuery);
  out.push_back('\n');
  for (std::size_t i = 0; i < headerCount; ++i) {
    out.append(headers[i].name);
    out.push_back(':');
    appendCanonicalHeaderValue(out, headers[i].value);
    out.push_back('\n');
  }
  out.push_back('\n');
  out.append(signedHeaders);
  out.push_back('\n');
  out.append(payloadHashHex);
}

/// `20150830/us-east-1/service/aws4_request`
std::string credentialScope(std::string_view shortDate, std::string_view region, std::string_view service);

/// Stage 2: the string to sign.
std::string stringToSign(std::string_view amzDate, std::string_view scope, const Sha256::Digest& canonicalRequestHash);

/// Stage 3: the signing key for a day (`YYYYMMDD`), region and service. Derived keys are kept
/// (four of them, found by a hash of the inputs, never by the secret itself), as the AWS SDKs
/// keep theirs: a signature then hashes only its own text.
const HmacSha256Key& signingKey(std::string_view secretAccessKey, std::string_view shortDate,
                                std::string_view region, std::string_view service);

/// Stages 4 and 5: the signature and the Authorization header value.
std::string authorizationHeader(std::string_view accessKeyId, std::string_view scope,
                                std::string_view signedHeaders, const HmacSha256Key& key,
                                std::string_view stringToSign, std::string* signatureOut = nullptr);

}  // namespace ivschat
