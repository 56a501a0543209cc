#pragma once
// The CreateChatToken request: every validation rule of the service and the request body.
//
// Rules (service model 2020-07-14, Smithy lengths in code points):
//   roomIdentifier            required, 1-128, ^arn:aws:ivschat:[a-z0-9-]+:[0-9]+:room/[a-zA-Z0-9-]+$
//   userId                    required, 1-128 code points of valid UTF-8
//   capabilities              optional, each one of SEND_MESSAGE, DISCONNECT_USER, DELETE_MESSAGE,
//                             no repeats; absent or empty means view only
//   sessionDurationInMinutes  optional integer 1-180 (the service's default is 60)
//   attributes                optional map of string to string, valid UTF-8. The service says
//                             "1 KB total" without saying how it counts; we count the UTF-8 bytes
//                             of every key plus every value and allow at most 1024.
// A JSON null counts as absent. Any other member is an UNKNOWN_FIELD error (each name once, in
// byte order), reported after the members above.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/chat_rules.hpp"
#include "core/field_checks.hpp"
#include "core/json_scan.hpp"

namespace ivschat {

inline constexpr std::size_t kMaxRoomIdentifierLength = 128;
inline constexpr std::int64_t kMinSessionDurationMinutes = 1;
inline constexpr std::int64_t kMaxSessionDurationMinutes = 180;
/// More items than this are refused by their count alone (there are only three capabilities).
inline constexpr std::uint64_t kMaxCapabilityItems = 16;

/// A valid request, as views into the scanned document.
struct CreateChatTokenRequest {
  std::string_view roomIdentifier;
  std::string_view userId;
  bool hasCapabilities = false;
  std::array<std::string_view, 3> capabilities{};
  std::size_t capabilityCount = 0;
  std::optional<std::int64_t> sessionDurationInMinutes;
  const JsonValue* attributes = nullptr;  // a checked string map, or nullptr when absent
};

struct CreateChatTokenValidation {
  FieldErrors errors;               // every violation, in field order
  CreateChatTokenRequest request;   // meaningful only when ok()
  bool ok() const noexcept { return errors.empty(); }
};

/// Checks a scanned request (read with LosslessJson, so that a lone surrogate or ill-formed
/// UTF-8 is reported at its field) against every rule, reporting all violations at once.
CreateChatTokenValidation validateCreateChatTokenRequest(const JsonDocument& document);

/// The body of `POST /CreateChatToken`: compact JSON, members and attribute names in sorted
/// order, absent optional members left out, so equal requests give byte-identical bodies.
std::string buildCreateChatTokenBody(const JsonDocument& document, const CreateChatTokenRequest& request);

/// Whether `text` matches the anchored room ARN pattern (length not checked).
bool matchesRoomArnPattern(std::string_view text) noexcept;

/// The region of a room ARN (its fourth field); empty when it does not match the pattern.
std::string_view regionFromRoomArn(std::string_view roomArn) noexcept;

/// The room ARN rules (required, 1-128, the pattern), as every call on a room checks them.
std::optional<std::string_view> checkRoomArn(const JsonValue* value, std::string_view field,
                                             FieldErrors& errors);

}  // namespace ivschat
