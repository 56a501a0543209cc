// SHA-256 and HMAC-SHA256 against the published vectors in tests/fixtures/hash-vectors.json
// (FIPS 180-2 / NIST examples and RFC 4231), plus incremental-update equivalence.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "core/sha256.hpp"

namespace {

using ivschat::Sha256;

nlohmann::json readHashVectors() {
  const std::string path = std::string(IVSCHAT_FIXTURES_DIR) + "/hash-vectors.json";
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("cannot open " + path);
  std::stringstream text;
  text << file.rdbuf();
  return nlohmann::json::parse(text.str());
}

std::string fromHex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

std::string repeated(const std::string& unit, std::size_t count) {
  std::string out;
  out.reserve(unit.size() * count);
  for (std::size_t i = 0; i < count; ++i) out += unit;
  return out;
}

TEST(Sha256, FixtureHasTheExpectedVectors) {
  const auto vectors = readHashVectors();
  // Five NIST messages and the seven RFC 4231 cases: a shortened file must not pass quietly.
  EXPECT_EQ(vectors.at("sha256").size(), 5u);
  EXPECT_EQ(vectors.at("hmacSha256").size(), 7u);
}

TEST(Sha256, NistVectorsOneShot) {
  const auto vectors = readHashVectors();  // kept alive: .at() returns into it
  for (const auto& vector : vectors.at("sha256")) {
    const std::string message =
        repeated(vector.at("message").get<std::string>(), vector.at("repeat").get<std::size_t>());
    EXPECT_EQ(ivschat::sha256Hex(message), vector.at("digest").get<std::string>())
        << vector.at("name").get<std::string>();
  }
}

TEST(Sha256, NistVectorsIncremental) {
  // The message fed piece by piece as it is stored (e.g. one million single-byte updates of
  // 'a'), which exercises the partial-block buffer on every call.
  const auto vectors = readHashVectors();  // kept alive: .at() returns into it
  for (const auto& vector : vectors.at("sha256")) {
    const std::string unit = vector.at("message").get<std::string>();
    const auto count = vector.at("repeat").get<std::size_t>();
    Sha256 hash;
    for (std::size_t i = 0; i < count; ++i) hash.update(unit);
    EXPECT_EQ(ivschat::toHex(hash.digest()), vector.at("digest").get<std::string>())
        << vector.at("name").get<std::string>();
  }
}

TEST(Sha256, EverySplitPointGivesTheSameDigest) {
  // Lengths around the 55/56/64-byte padding boundaries, split at every offset.
  std::string message;
  for (int i = 0; i < 200; ++i) message.push_back(static_cast<char>((i * 37 + 11) & 0xFF));
  for (std::size_t length : {0u, 1u, 55u, 56u, 57u, 63u, 64u, 65u, 119u, 120u, 128u, 200u}) {
    const std::string_view whole(message.data(), length);
    const std::string expected = ivschat::sha256Hex(whole);
    for (std::size_t split = 0; split <= length; ++split) {
      Sha256 hash;
      hash.update(whole.substr(0, split)).update(whole.substr(split));
      ASSERT_EQ(ivschat::toHex(hash.digest()), expected) << "length " << length << " split " << split;
    }
  }
}

TEST(Sha256, DigestResetsForTheNextMessage) {
  Sha256 hash;
  hash.update("something else");
  (void)hash.digest();
  hash.update("abc");
  EXPECT_EQ(ivschat::toHex(hash.digest()),
            ivschat::sha256Hex("abc"));
  EXPECT_NE(ivschat::sha256Hex("abc"), ivschat::sha256Hex("abd"));
}

TEST(Sha256, UpdateWithNullAndZeroLengthIsANoOp) {
  Sha256 hash;
  hash.update(nullptr, 0);
  EXPECT_EQ(ivschat::toHex(hash.digest()), ivschat::sha256Hex(""));
}

TEST(HmacSha256, Rfc4231Vectors) {
  const auto vectors = readHashVectors();
  for (const auto& vector : vectors.at("hmacSha256")) {
    const std::string key = fromHex(vector.at("keyHex").get<std::string>());
    const std::string data = fromHex(vector.at("dataHex").get<std::string>());
    const std::string expected = vector.at("hmac").get<std::string>();
    const std::string actual = ivschat::toHex(ivschat::hmacSha256(key, data));
    if (vector.contains("truncateBytes")) {
      const auto bytes = vector.at("truncateBytes").get<std::size_t>();
      ASSERT_EQ(expected.size(), bytes * 2);
      EXPECT_EQ(actual.substr(0, bytes * 2), expected) << vector.at("name").get<std::string>();
    } else {
      EXPECT_EQ(actual, expected) << vector.at("name").get<std::string>();
    }
  }
}

TEST(HmacSha256, DigestKeyOverloadMatchesStringKey) {
  const Sha256::Digest key = ivschat::sha256("key");
  const std::string keyBytes(reinterpret_cast<const char*>(key.data()), key.size());
  EXPECT_EQ(ivschat::hmacSha256(key, "message"), ivschat::hmacSha256(keyBytes, "message"));
}

TEST(HmacSha256, KeyOfExactlyOneBlockIsNotHashed) {
  // 64 bytes is used as is, 65 bytes is hashed first: the two must differ from each other in
  // the way RFC 2104 says, i.e. HMAC(k65) == HMAC(sha256(k65)).
  const std::string key64(64, 'k');
  const std::string key65(65, 'k');
  const Sha256::Digest hashed = ivschat::sha256(key65);
  EXPECT_EQ(ivschat::hmacSha256(key65, "m"), ivschat::hmacSha256(hashed, "m"));
  EXPECT_NE(ivschat::hmacSha256(key64, "m"), ivschat::hmacSha256(ivschat::sha256(key64), "m"));
}

TEST(HmacSha256Key, PrecomputedPadsGiveTheSameMac) {
  for (const std::string& key : std::vector<std::string>{"", "key", std::string(32, 'k')}) {
    const Sha256::Digest digestKey = ivschat::sha256(key);
    const ivschat::HmacSha256Key precomputed(digestKey);
    for (const std::string& message :
         std::vector<std::string>{"", "m", std::string(55, 'x'), std::string(64, 'y'), std::string(200, 'z')}) {
      EXPECT_EQ(precomputed.mac(message), ivschat::hmacSha256(digestKey, message));
    }
    // Reusable: the key is not consumed by a MAC.
    EXPECT_EQ(precomputed.mac("again"), precomputed.mac("again"));
  }
}

TEST(Hex, LowerCase) {
  const std::uint8_t bytes[] = {0x00, 0x0f, 0xa5, 0xff};
  EXPECT_EQ(ivschat::toHex(bytes, sizeof bytes), "000fa5ff");
  EXPECT_EQ(ivschat::toHex(nullptr, 0), "");
}

}  // namespace
