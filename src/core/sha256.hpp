#pragma once
// SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), written by hand because the core compiles to
// WebAssembly without OpenSSL. SigV4 hashes every request body and canonical request and runs
// five HMACs per signature, so the implementation works on whole 64-byte blocks in place and
// never allocates while hashing.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ivschat {

/// Incremental SHA-256: update() any number of times, then digest().
class Sha256 {
 public:
  static constexpr std::size_t kDigestSize = 32;
  static constexpr std::size_t kBlockSize = 64;
  using Digest = std::array<std::uint8_t, kDigestSize>;

  Sha256() noexcept { reset(); }

  /// Starts a new message, forgetting everything hashed so far.
  void reset() noexcept;

  /// Appends `size` bytes at `data` (which may be null when size is 0) to the message.
  Sha256& update(const void* data, std::size_t size) noexcept;
  /// Appends the bytes of `data` to the message.
  Sha256& update(std::string_view data) noexcept { return update(data.data(), data.size()); }

  /// Pads, finishes and returns the digest of everything given since the last reset; the object
  /// is then reset, ready for a new message.
  Digest digest() noexcept;

 private:
  void compress(const std::uint8_t* block) noexcept;

  std::array<std::uint32_t, 8> state_{};
  std::array<std::uint8_t, kBlockSize> buffer_{};
  std::size_t buffered_ = 0;       // bytes waiting in buffer_, always < kBlockSize
  std::uint64_t totalBytes_ = 0;   // message length so far
};

/// SHA-256 of `data` in one call.
Sha256::Digest sha256(std::string_view data) noexcept;

/// Lower-case hex SHA-256 of `data`, as SigV4 writes payload and canonical-request hashes.
std::string sha256Hex(std::string_view data);

/// HMAC-SHA256 of `message` under `key` (keys longer than 64 bytes are hashed first, RFC 2104).
Sha256::Digest hmacSha256(std::string_view key, std::string_view message) noexcept;

/// HMAC-SHA256 with a 32-byte key, the shape of every step after the first in SigV4's key
/// derivation.
Sha256::Digest hmacSha256(const Sha256::Digest& key, std::string_view message) noexcept;

/// An HMAC-SHA256 key with its padded blocks already hashed: each MAC under it costs only the
/// hashes of the message and of the inner digest (two compressions fewer than hmacSha256), which
/// is how SigV4's signing key is kept between signatures.
class HmacSha256Key {
 public:
  HmacSha256Key() noexcept = default;
  /// A key of at most one block (SigV4's derived keys are 32 bytes).
  explicit HmacSha256Key(const Sha256::Digest& key) noexcept;
  /// HMAC-SHA256 of `message` under this key.
  Sha256::Digest mac(std::string_view message) const noexcept;

 private:
  Sha256 inner_;  // after the key XOR ipad block
  Sha256 outer_;  // after the key XOR opad block
};

/// Lower-case hexadecimal of `size` bytes at `data`.
std::string toHex(const std::uint8_t* data, std::size_t size);
/// Lower-case hexadecimal of a digest (64 characters).
std::string toHex(const Sha256::Digest& digest);

}  // namespace ivschat
