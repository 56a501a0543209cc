#pragma once
// The rules of the fields that several IVS Chat calls share (the service model, shapes in
// brackets): checked in one place for the CreateChatToken request, the chat actions on the
// socket and the server-side moderation calls.
//   user id      1-128 code points of valid UTF-8                         [UserID]
//   message id   exactly 12 ASCII letters and digits                      [MessageID]
//   reason       1-256 code points of valid UTF-8                         [Reason]
//   event name   1-100 code points of valid UTF-8                         [EventName]
#include <cstddef>
#include <optional>
#include <string_view>

#include "core/field_checks.hpp"

namespace ivschat {

inline constexpr std::size_t kMaxUserIdLength = 128;
inline constexpr std::size_t kMessageIdLength = 12;
inline constexpr std::size_t kMaxReasonLength = 256;
inline constexpr std::size_t kMaxEventNameLength = 100;

inline constexpr TextRule kUserIdRule{1, kMaxUserIdLength, ""};
inline constexpr TextRule kReasonRule{1, kMaxReasonLength, ""};
inline constexpr TextRule kEventNameRule{1, kMaxEventNameLength, ""};

/// A message id: REQUIRED / TYPE / INVALID_UTF8 / TOO_SHORT / TOO_LONG as checkText reports
/// them, then PATTERN when it is not made of ASCII letters and digits.
std::optional<std::string_view> checkMessageId(const JsonValue* value, std::string_view field, FieldErrors& errors);

}  // namespace ivschat
