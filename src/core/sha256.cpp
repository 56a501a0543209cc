#include "core/sha256.hpp"

#include <algorithm>
#include <cstring>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace ivschat {
namespace {

constexpr std::array<std::uint32_t, 64> kRoundConstants = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

constexpr std::array<std::uint32_t, 8> kInitialState = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

constexpr std::uint32_t rotr(std::uint32_t x, unsigned n) noexcept {
  return (x >> n) | (x << (32U - n));
}

// Big-endian loads and stores byte by byte: portable, alignment-free, and compilers turn them
// into a single load plus byte swap.
inline std::uint32_t loadBigEndian32(const std::uint8_t* p) noexcept {
  return (static_cast<std::uint32_t>(p[0]) << 24) | (static_cast<std::uint32_t>(p[1]) << 16) |
         (static_cast<std::uint32_t>(p[2]) << 8) | static_cast<std::uint32_t>(p[3]);
}

inline void storeBigEndian32(std::uint8_t* p, std::uint32_t value) noexcept {
  p[0] = static_cast<std::uint8_t>(value >> 24);
  p[1] = static_cast<std::uint8_t>(value >> 16);
  p[2] = static_cast<std::uint8_t>(value >> 8);
  p[3] = static_cast<std::uint8_t>(value);
}

// HMAC with a key of at most one block: pads it and runs the inner and outer hashes.
Sha256::Digest hmacWithShortKey(const std::uint8_t* key, std::size_t keySize,
                                std::string_view message) noexcept {
  std::array<std::uint8_t, Sha256::kBlockSize> pad{};
  for (std::size_t i = 0; i < Sha256::kBlockSize; ++i) {
    const std::uint8_t k = i < keySize ? key[i] : std::uint8_t{0};
    pad[i] = static_cast<std::uint8_t>(k ^ 0x36U);
  }
  Sha256 inner;
  inner.update(pad.data(), pad.size()).update(message);
  const Sha256::Digest innerDigest = inner.digest();
  for (std::size_t i = 0; i < Sha256::kBlockSize; ++i) {
    // (k ^ 0x36) ^ (0x36 ^ 0x5c) == k ^ 0x5c
    pad[i] = static_cast<std::uint8_t>(pad[i] ^ (0x36U ^ 0x5cU));
  }
  Sha256 outer;
  outer.update(pad.data(), pad.size()).update(innerDigest.data(), innerDigest.size());
  return outer.digest();
}

}  // namespace

void Sha256::reset() noexcept {
  state_ = kInitialState;
  buffered_ = 0;
  totalBytes_ = 0;
}

// One round; the caller rotates the roles of a..h instead of moving eight values per round.
#define IVSCHAT_SHA256_ROUND(a, b, c, d, e, f, g, h, k, word)                          \
  do {                                                                                 \
    const std::uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) +            \
                             (g ^ (e & (f ^ g))) + (k) + (word);                       \
    const std::uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) +                \
                             ((a & b) | (c & (a | b)));                                \
    d += t1;                                                                           \
    h = t1 + t2;                                                                       \
  } while (false)

// Eight rounds over w[i..i+7] (i a multiple of 8), roles rotated back to where they started.
#define IVSCHAT_SHA256_EIGHT_ROUNDS(i, w0, w1, w2, w3, w4, w5, w6, w7)                 \
  do {                                                                                 \
    IVSCHAT_SHA256_ROUND(a, b, c, d, e, f, g, h, kRoundConstants[(i)], w0);            \
    IVSCHAT_SHA256_ROUND(h, a, b, c, d, e, f, g, kRoundConstants[(i) + 1], w1);        \
    IVSCHAT_SHA256_ROUND(g, h, a, b, c, d, e, f, kRoundConstants[(i) + 2], w2);        \
    IVSCHAT_SHA256_ROUND(f, g, h, a, b, c, d, e, kRoundConstants[(i) + 3], w3);        \
    IVSCHAT_SHA256_ROUND(e, f, g, h, a, b, c, d, kRoundConstants[(i) + 4], w4);        \
    IVSCHAT_SHA256_ROUND(d, e, f, g, h, a, b, c, kRoundConstants[(i) + 5], w5);        \
    IVSCHAT_SHA256_ROUND(c, d, e, f, g, h, a, b, kRoundConstants[(i) + 6], w6);        \
    IVSCHAT_SHA256_ROUND(b, c, d, e, f, g, h, a, kRoundConstants[(i) + 7], w7);        \
  } while (false)

namespace {
inline std::uint32_t sigma0(std::uint32_t x) noexcept { return rotr(x, 7) ^ rotr(x, 18) ^ (x >> 3); }
inline std::uint32_t sigma1(std::uint32_t x) noexcept { return rotr(x, 17) ^ rotr(x, 19) ^ (x >> 10); }
}  // namespace

#if defined(__wasm_simd128__)
// With WebAssembly SIMD (-msimd128, every runtime the package supports runs it): the message
// schedule four words at a time. X0..X3 hold W[t..t+15]; each step makes the next four words,
// W[t+16..t+19] = sigma1(W[t+14..t+17]) + W[t+9..t+12] + sigma0(W[t+1..t+4]) + W[t..t+3], in two
// halves since W[t+16] and W[t+17] feed sigma1 of W[t+18] and W[t+19]; the rounds take each word
// plus its constant from a vector. Measured in lean-core.md: 3.3k instead of 4.2k instructions per
// block. (clang's wasm_simd128.h, a compiler header: no Emscripten one.)
namespace {
inline v128_t rotrVec(v128_t x, unsigned n) noexcept {
  return wasm_v128_or(wasm_u32x4_shr(x, n), wasm_i32x4_shl(x, 32U - n));
}
inline v128_t sigma0Vec(v128_t x) noexcept {
  return wasm_v128_xor(wasm_v128_xor(rotrVec(x, 7), rotrVec(x, 18)), wasm_u32x4_shr(x, 3));
}
inline v128_t sigma1Vec(v128_t x) noexcept {
  return wasm_v128_xor(wasm_v128_xor(rotrVec(x, 17), rotrVec(x, 19)), wasm_u32x4_shr(x, 10));
}
// W[t+16..t+19] from X0 = W[t..t+3], X1 = W[t+4..t+7], X2 = W[t+8..t+11], X3 = W[t+12..t+15].
inline v128_t nextWords(v128_t x0, v128_t x1, v128_t x2, v128_t x3) noexcept {
  const v128_t w1to4 = wasm_i32x4_shuffle(x0, x1, 1, 2, 3, 4);
  const v128_t w9to12 = wasm_i32x4_shuffle(x2, x3, 1, 2, 3, 4);
  const v128_t partial = wasm_i32x4_add(wasm_i32x4_add(x0, sigma0Vec(w1to4)), w9to12);
  // Lanes 0 and 1: sigma1 of W[t+14], W[t+15] (lanes 2 and 3 of X3).
  const v128_t low = wasm_i32x4_add(partial, sigma1Vec(wasm_i32x4_shuffle(x3, x3, 2, 3, 2, 3)));
  // Lanes 2 and 3: sigma1 of the two words just made.
  const v128_t high = wasm_i32x4_add(partial, sigma1Vec(wasm_i32x4_shuffle(low, low, 0, 1, 0, 1)));
  return wasm_i32x4_shuffle(low, high, 0, 1, 6, 7);
}
inline v128_t loadBigEndianWords(const std::uint8_t* p) noexcept {
  const v128_t bytes = wasm_v128_load(p);
  return wasm_i8x16_shuffle(bytes, bytes, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
}
}  // namespace

// Four rounds over the four words (plus constants) of one vector.
#define IVSCHAT_SHA256_FOUR_ROUNDS(wk, a, b, c, d, e, f, g, h)                                        \
  do {                                                                                              \
    IVSCHAT_SHA256_ROUND(a, b, c, d, e, f, g, h, 0U, static_cast<std::uint32_t>(wasm_i32x4_extract_lane(wk, 0))); \
    IVSCHAT_SHA256_ROUND(h, a, b, c, d, e, f, g, 0U, static_cast<std::uint32_t>(wasm_i32x4_extract_lane(wk, 1))); \
    IVSCHAT_SHA256_ROUND(g, h, a, b, c, d, e, f, 0U, static_cast<std::uint32_t>(wasm_i32x4_extract_lane(wk, 2))); \
    IVSCHAT_SHA256_ROUND(f, g, h, a, b, c, d, e, 0U, static_cast<std::uint32_t>(wasm_i32x4_extract_lane(wk, 3))); \
  } while (false)

void Sha256::compress(const std::uint8_t* block) noexcept {
  v128_t x0 = loadBigEndianWords(block), x1 = loadBigEndianWords(block + 16);
  v128_t x2 = loadBigEndianWords(block + 32), x3 = loadBigEndianWords(block + 48);
  std::uint32_t a = state_[0], b = state_[1], c = state_[2], d = state_[3];
  std::uint32_t e = state_[4], f = state_[5], g = state_[6], h = state_[7];
  const std::uint32_t* k = kRoundConstants.data();
  for (unsigned i = 0; i < 64; i += 16) {
    v128_t wk = wasm_i32x4_add(x0, wasm_v128_load(k + i));
    IVSCHAT_SHA256_FOUR_ROUNDS(wk, a, b, c, d, e, f, g, h);
    wk = wasm_i32x4_add(x1, wasm_v128_load(k + i + 4));
    IVSCHAT_SHA256_FOUR_ROUNDS(wk, e, f, g, h, a, b, c, d);
    wk = wasm_i32x4_add(x2, wasm_v128_load(k + i + 8));
    IVSCHAT_SHA256_FOUR_ROUNDS(wk, a, b, c, d, e, f, g, h);
    wk = wasm_i32x4_add(x3, wasm_v128_load(k + i + 12));
    IVSCHAT_SHA256_FOUR_ROUNDS(wk, e, f, g, h, a, b, c, d);
    if (i < 48) {
      x0 = nextWords(x0, x1, x2, x3);
      x1 = nextWords(x1, x2, x3, x0);
      x2 = nextWords(x2, x3, x0, x1);
      x3 = nextWords(x3, x0, x1, x2);
    }
  }
  state_[0] += a;
  state_[1] += b;
  state_[2] += c;
  state_[3] += d;
  state_[4] += e;
  state_[5] += f;
  state_[6] += g;
  state_[7] += h;
}

#undef IVSCHAT_SHA256_FOUR_ROUNDS
#else
void Sha256::compress(const std::uint8_t* block) noexcept {
  // The message schedule lives in sixteen variables, each overwritten by the word sixteen rounds
  // later, rather than in a 64-word array: in WebAssembly they stay in locals instead of the
  // shadow stack.
  std::uint32_t w0 = loadBigEndian32(block), w1 = loadBigEndian32(block + 4),
                w2 = loadBigEndian32(block + 8), w3 = loadBigEndian32(block + 12),
                w4 = loadBigEndian32(block + 16), w5 = loadBigEndian32(block + 20),
                w6 = loadBigEndian32(block + 24), w7 = loadBigEndian32(block + 28),
                w8 = loadBigEndian32(block + 32), w9 = loadBigEndian32(block + 36),
                w10 = loadBigEndian32(block + 40), w11 = loadBigEndian32(block + 44),
                w12 = loadBigEndian32(block + 48), w13 = loadBigEndian32(block + 52),
                w14 = loadBigEndian32(block + 56), w15 = loadBigEndian32(block + 60);
  std::uint32_t a = state_[0], b = state_[1], c = state_[2], d = state_[3];
  std::uint32_t e = state_[4], f = state_[5], g = state_[6], h = state_[7];
  IVSCHAT_SHA256_EIGHT_ROUNDS(0, w0, w1, w2, w3, w4, w5, w6, w7);
  IVSCHAT_SHA256_EIGHT_ROUNDS(8, w8, w9, w10, w11, w12, w13, w14, w15);
  for (unsigned i = 16; i < 64; i += 16) {
    // W[t] = sigma1(W[t-2]) + W[t-7] + sigma0(W[t-15]) + W[t-16], in place.
    w0 += sigma1(w14) + w9 + sigma0(w1);
    w1 += sigma1(w15) + w10 + sigma0(w2);
    w2 += sigma1(w0) + w11 + sigma0(w3);
    w3 += sigma1(w1) + w12 + sigma0(w4);
    w4 += sigma1(w2) + w13 + sigma0(w5);
    w5 += sigma1(w3) + w14 + sigma0(w6);
    w6 += sigma1(w4) + w15 + sigma0(w7);
    w7 += sigma1(w5) + w0 + sigma0(w8);
    IVSCHAT_SHA256_EIGHT_ROUNDS(i, w0, w1, w2, w3, w4, w5, w6, w7);
    w8 += sigma1(w6) + w1 + sigma0(w9);
    w9 += sigma1(w7) + w2 + sigma0(w10);
    w10 += sigma1(w8) + w3 + sigma0(w11);
    w11 += sigma1(w9) + w4 + sigma0(w12);
    w12 += sigma1(w10) + w5 + sigma0(w13);
    w13 += sigma1(w11) + w6 + sigma0(w14);
    w14 += sigma1(w12) + w7 + sigma0(w15);
    w15 += sigma1(w13) + w8 + sigma0(w0);
    IVSCHAT_SHA256_EIGHT_ROUNDS(i + 8, w8, w9, w10, w11, w12, w13, w14, w15);
  }
  state_[0] += a;
  state_[1] += b;
  state_[2] += c;
  state_[3] += d;
  state_[4] += e;
  state_[5] += f;
  state_[6] += g;
  state_[7] += h;
}

#undef IVSCHAT_SHA256_EIGHT_ROUNDS
#endif  // __wasm_simd128__


Sha256& Sha256::update(const void* data, std::size_t size) noexcept {
  if (size == 0) return *this;
  const auto* bytes = static_cast<const std::uint8_t*>(data);
  totalBytes_ += size;
  if (buffered_ > 0) {
    const std::size_t take = std::min(size, kBlockSize - buffered_);
    std::memcpy(buffer_.data() + buffered_, bytes, take);
    buffered_ += take;
    bytes += take;
    size -= take;
    if (buffered_ < kBlockSize) return *this;
    compress(buffer_.data());
    buffered_ = 0;
  }
  // Whole blocks straight from the caller's memory: no copy on the long-message path.
  while (size >= kBlockSize) {
    compress(bytes);
    bytes += kBlockSize;
    size -= kBlockSize;
  }
  if (size > 0) {
    std::memcpy(buffer_.data(), bytes, size);
    buffered_ = size;
  }
  return *this;
}

Sha256::Digest Sha256::digest() noexcept {
  const std::uint64_t bitLength = totalBytes_ * 8U;
  buffer_[buffered_++] = 0x80;
  if (buffered_ > kBlockSize - 8) {
    std::memset(buffer_.data() + buffered_, 0, kBlockSize - buffered_);
    compress(buffer_.data());
    buffered_ = 0;
  }
  std::memset(buffer_.data() + buffered_, 0, kBlockSize - 8 - buffered_);
  storeBigEndian32(buffer_.data() + 56, static_cast<std::uint32_t>(bitLength >> 32));
  storeBigEndian32(buffer_.data() + 60, static_cast<std::uint32_t>(bitLength));
  compress(buffer_.data());
  Digest out{};
  for (unsigned i = 0; i < 8; ++i) storeBigEndian32(out.data() + 4 * i, state_[i]);
  reset();
  return out;
}

Sha256::Digest sha256(std::string_view data) noexcept {
  Sha256 hash;
  hash.update(data);
  return hash.digest();
}

std::string sha256Hex(std::string_view data) { return toHex(sha256(data)); }

Sha256::Digest hmacSha256(std::string_view key, std::string_view message) noexcept {
  if (key.size() > Sha256::kBlockSize) {
    const Sha256::Digest hashedKey = sha256(key);
    return hmacWithShortKey(hashedKey.data(), hashedKey.size(), message);
  }
  return hmacWithShortKey(reinterpret_cast<const std::uint8_t*>(key.data()), key.size(), message);
}

Sha256::Digest hmacSha256(const Sha256::Digest& key, std::string_view message) noexcept {
  return hmacWithShortKey(key.data(), key.size(), message);
}

HmacSha256Key::HmacSha256Key(const Sha256::Digest& key) noexcept {
  std::array<std::uint8_t, Sha256::kBlockSize> pad{};
  for (std::size_t i = 0; i < Sha256::kBlockSize; ++i) {
    pad[i] = static_cast<std::uint8_t>((i < key.size() ? key[i] : 0U) ^ 0x36U);
  }
  inner_.update(pad.data(), pad.size());
  for (auto& byte : pad) byte = static_cast<std::uint8_t>(byte ^ (0x36U ^ 0x5cU));
  outer_.update(pad.data(), pad.size());
}

Sha256::Digest HmacSha256Key::mac(std::string_view message) const noexcept {
  Sha256 inner = inner_;
  const Sha256::Digest innerDigest = inner.update(message).digest();
  Sha256 outer = outer_;
  return outer.update(innerDigest.data(), innerDigest.size()).digest();
}

std::string toHex(const std::uint8_t* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(size * 2, '\0');
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 0x0FU];
  }
  return out;
}

std::string toHex(const Sha256::Digest& digest) { return toHex(digest.data(), digest.size()); }

}  // namespace ivschat
