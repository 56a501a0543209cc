#pragma once
// The one toolkit for checking the fields of a request (CreateChatToken, the chat actions, and
// every other call of the core): stable error codes, the error list, and the checks the
// requests share, each with one wording. Lengths count Unicode code points, as Smithy does.
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_scan.hpp"
#include "core/message_text.hpp"

namespace ivschat {

/// Stable codes for field errors; JavaScript exposes them unchanged.
namespace error_code {
inline constexpr const char* kRequired = "REQUIRED";
inline constexpr const char* kType = "TYPE";
inline constexpr const char* kTooShort = "TOO_SHORT";
inline constexpr const char* kTooLong = "TOO_LONG";
inline constexpr const char* kPattern = "PATTERN";
inline constexpr const char* kEnum = "ENUM";
inline constexpr const char* kDuplicate = "DUPLICATE";
inline constexpr const char* kRange = "RANGE";
inline constexpr const char* kInvalidUtf8 = "INVALID_UTF8";
inline constexpr const char* kTooLarge = "TOO_LARGE";
inline constexpr const char* kUnknownField = "UNKNOWN_FIELD";
/// The last entry of a list cut at kMaxFieldErrors, counting what was left out.
inline constexpr const char* kTooManyErrors = "TOO_MANY_ERRORS";
}  // namespace error_code

struct FieldError {
  std::string field;    // path such as `userId`, `capabilities[2]`, `attributes.color`
  const char* code;     // one of error_code
  std::string message;  // a sentence for people; names the field, never quotes a secret
};

/// At most this many errors are listed; one more entry then says how many were left out.
inline constexpr std::size_t kMaxFieldErrors = 64;
/// Longer member names are shortened (with "...") where a path or a message shows them.
inline constexpr std::size_t kMaxShownNameBytes = 256;

/// Every violation of one request, in the order they were found.
class FieldErrors {
 public:
  /// Adds {field, code, formatMessage(pattern, args)}.
  void add(std::string_view field, const char* code, std::string_view pattern,
           std::initializer_list<std::string_view> args = {});
  /// Moves the last error to just before the error {field, code}, when there is one (a
  /// misspelt member explains a missing one). Nothing moves once the list is cut.
  void moveLastBefore(std::string_view field, const char* code);
  bool empty() const noexcept { return list_.empty(); }
  const std::vector<FieldError>& list() const noexcept { return list_; }

 private:
  std::vector<FieldError> list_;
  std::size_t omitted_ = 0;
};

/// How a value is named in messages: "a string", "an array", "NaN", "a BigInt", ...
const char* jsonTypeName(const JsonValue& value) noexcept;

/// `"text"` fit for a message: ill-formed UTF-8 shown as U+FFFD, long text shortened (with
/// "..."), nothing escaped (so that the message contains the text as its path shows it).
std::string quoted(std::string_view text);

/// `attributes.color`, or `attributes["a b"]` for names that are not plain identifiers
/// (ill-formed UTF-8 shown as U+FFFD, long names shortened).
std::string memberPath(std::string_view prefix, std::string_view name);

/// The request's own object: reports why there is none (not JSON, too large, not an object).
const JsonValue* requestObject(const JsonDocument& document, FieldErrors& errors);

/// A member, or nullptr when it is absent or null (a JSON null counts as absent).
const JsonValue* presentMember(const JsonDocument& document, const JsonValue& object,
                               std::string_view name) noexcept;

/// Limits of a text field, in code points. `limitNote` says where the maximum comes from.
struct TextRule {
  std::size_t min = 1;
  std::size_t max = 0;
  const char* limitNote = "";
};

/// A string field: REQUIRED when absent and required, TYPE when not a string, INVALID_UTF8,
/// TOO_SHORT, TOO_LONG. Returns the text when every check passes.
std::optional<std::string_view> checkText(const JsonValue* value, std::string_view field,
                                          bool required, const TextRule& rule, FieldErrors& errors);

/// A whole-number field (60, 6e1 and 60.0 alike): TYPE when not a number or a fraction, RANGE
/// outside min..max. Returns the number when both checks pass.
std::optional<std::int64_t> checkWholeNumber(const JsonValue* value, std::string_view field, std::int64_t min,
                                             std::int64_t max, FieldErrors& errors);

/// A string map (token and message attributes): an object of string values, names and values
/// valid UTF-8, at most 1024 bytes of names plus values (the service's "1 KB total"). Returns
/// whether it passed; every problem is added, at paths under `field`.
bool checkStringMap(const JsonValue& value, std::string_view field, const JsonDocument& document,
                    FieldErrors& errors);

/// UNKNOWN_FIELD for every member of `object` not in `known` (each name once, in byte order);
/// `what` names the request. A name close to a known one (`userID`, `userid`, `usrId`) says
/// "did you mean userId?", and comes before that field's REQUIRED error when there is one.
void checkKnownMembers(const JsonValue& object, const JsonDocument& document,
                       std::initializer_list<std::string_view> known, const char* what,
                       FieldErrors& errors);

inline constexpr std::size_t kMaxAttributesBytes = 1024;

}  // namespace ivschat
