#include "core/sigv4.hpp"

#include <algorithm>

#include "core/rfc3339.hpp"

namespace ivschat {
namespace {

constexpr std::string_view kScopeTerminator = "aws4_request";
// 9999-12-31T23:59:59Z: the last second an 8-digit date can name.
constexpr std::int64_t kMaxEpochSeconds = 253402300799;

bool isAsciiDigit(unsigned char c) noexcept { return c >= '0' && c <= '9'; }
bool isVisibleAscii(unsigned char c) noexcept { return c >= 0x21 && c <= 0x7E; }
bool allVisibleAscii(std::string_view text) noexcept {
  for (const char c : text) {
    if (!isVisibleAscii(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Derived signing keys, found by a SHA-256 of (secret, date, region, service): never the
// secret itself.
struct CachedSigningKey {
  Sha256::Digest id{};
  HmacSha256Key key;
  bool used = false;
};
constexpr std::size_t kSigningKeyCacheSize = 4;
thread_local std::array<CachedSigningKey, kSigningKeyCacheSize> signingKeyCache;
thread_local std::size_t nextSigningKeySlot = 0;

}  // namespace

std::optional<SigV4Problem> checkCredentials(const AwsCredentials& credentials) {
  if (credentials.accessKeyId.empty()) return SigV4Problem{"accessKeyId", "The access key id is empty."};
  for (const char c : credentials.accessKeyId) {
    // '/' and ',' would break the Credential=... part of the Authorization header.
    if (!isVisibleAscii(static_cast<unsigned char>(c)) || c == '/' || c == ',') {
      return SigV4Problem{"accessKeyId",
                          "The access key id contains a character that cannot appear in the Authorization "
                          "header; only visible ASCII characters other than '/' and ',' are allowed."};
    }
  }
  if (credentials.secretAccessKey.empty()) return SigV4Problem{"secretAccessKey", "The secret access key is empty."};
  if (!allVisibleAscii(credentials.secretAccessKey)) {
    return SigV4Problem{"secretAccessKey",
                        "The secret access key contains whitespace, a control character or a non-ASCII "
                        "character (a stray newline from a file or an environment variable?)."};
  }
  if (!allVisibleAscii(credentials.sessionToken)) {
    return SigV4Problem{"sessionToken",
                        "The session token contains whitespace, a control character or a non-ASCII "
                        "character, so it cannot be sent as the x-amz-security-token header."};
  }
  return std::nullopt;
}

bool isScopeName(std::string_view text) noexcept {
  if (text.empty()) return false;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (!((u >= 'a' && u <= 'z') || isAsciiDigit(u) || u == '-')) return false;
  }
  return true;
}

bool formatAmzDate(std::int64_t epochSeconds, std::array<char, 16>& out) noexcept {
  if (epochSeconds < 0 || epochSeconds > kMaxEpochSeconds) return false;
  const CivilTime time = civilTime(epochSeconds * 1000);
  const auto put = [&out](std::size_t at, std::uint64_t value, std::size_t width) {
    for (std::size_t k = width; k-- > 0; value /= 10) out[at + k] = static_cast<char>('0' + value % 10);
  };
  put(0, static_cast<std::uint64_t>(time.year), 4);
  put(4, time.month, 2);
  put(6, time.day, 2);
  out[8] = 'T';
  put(9, time.hour, 2);
  put(11, time.minute, 2);
  put(13, time.second, 2);
  out[15] = 'Z';
  return true;
}

std::string credentialScope(std::string_view shortDate, std::string_view region, std::string_view service) {
  std::string scope;
  scope.reserve(shortDate.size() + region.size() + service.size() + 16);
  scope.append(shortDate).append("/").append(region).append("/").append(service).append("/").append(kScopeTerminator);
  return scope;
}

std::string stringToSign(std::string_view amzDate, std::string_view scope, const Sha256::Digest& canonicalRequestHash) {
  std::string out;
  out.reserve(kSigV4Algorithm.size() + amzDate.size() + scope.size() + 67);
  out.append(kSigV4Algorithm).append("\n").append(amzDate).append("\n").append(scope).append("\n");
  out += toHex(canonicalRequestHash);
  return out;
}

const HmacSha256Key& signingKey(std::string_view secretAccessKey, std::string_view shortDate,
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

std::string authorizationHeader(std::string_view accessKeyId, std::string_view scope,
                                std::string_view signedHeaders, const HmacSha256Key& key,
                                std::string_view stringToSign, std::string* signatureOut) {
  const std::string signature = toHex(key.mac(stringToSign));
  std::string out;
  out.reserve(kSigV4Algorithm.size() + accessKeyId.size() + scope.size() + signedHeaders.size() + 112);
  out.append(kSigV4Algorithm)
      .append(" Credential=")
      .append(accessKeyId)
      .append("/")
      .append(scope)
      .append(", SignedHeaders=")
      .append(signedHeaders)
      .append(", Signature=")
      .append(signature);
  if (signatureOut) *signatureOut = signature;
  return out;
}

}  // namespace ivschat
