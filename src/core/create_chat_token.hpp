#pragma once
// The CreateChatToken request: its model, every validation rule of the service, and the
// request building (body, region, endpoints).
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
// A JSON null counts as absent. Any other member is an UNKNOWN_FIELD error.
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ivschat {

/// Stable codes for field errors; JS exposes them unchanged.
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
}  // namespace error_code

struct FieldError {
  std::string field;    // path such as `userId`, `capabilities[2]`, `attributes.color`
  std::string code;     // one of error_code
  std::string message;  // a sentence for people
};

inline constexpr std::size_t kMaxRoomIdentifierLength = 128;
inline constexpr std::size_t kMaxUserIdLength = 128;
inline constexpr std::int64_t kMinSessionDurationMinutes = 1;
inline constexpr std::int64_t kMaxSessionDurationMinutes = 180;
inline constexpr std::int64_t kDefaultSessionDurationMinutes = 60;
inline constexpr std::size_t kMaxAttributesBytes = 1024;

struct CreateChatTokenRequest {
  std::string roomIdentifier;
  std::string userId;
  std::optional<std::vector<std::string>> capabilities;
  std::optional<std::int64_t> sessionDurationInMinutes;
  std::optional<std::map<std::string, std::string>> attributes;
};

struct CreateChatTokenValidation {
  std::vector<FieldError> errors;   // every violation, in field order
  CreateChatTokenRequest request;   // meaningful only when ok()
  bool ok() const noexcept { return errors.empty(); }
};

/// Validates a JSON document against every rule and reports all violations at once.
CreateChatTokenValidation validateCreateChatTokenRequest(const nlohmann::json& input);

/// The same from JSON text; lone surrogate escapes and ill-formed UTF-8 inside strings are
/// reported as INVALID_UTF8 at their field, text that is not JSON as a TYPE error on `request`.
CreateChatTokenValidation validateCreateChatTokenRequestJson(std::string_view jsonText);

/// The body of `POST /CreateChatToken`: compact JSON, members and attribute keys in sorted order,
/// absent optional members left out, so equal requests give byte-identical bodies.
std::string buildCreateChatTokenBody(const CreateChatTokenRequest& request);

/// Whether `text` matches the anchored room ARN pattern (length not checked).
bool matchesRoomArnPattern(std::string_view text) noexcept;

/// The region of a room ARN (its fourth field), when it matches the pattern.
std::optional<std::string> regionFromRoomArn(std::string_view roomArn);

/// `https://ivschat.{region}.amazonaws.com`
std::string controlPlaneUrl(std::string_view region);
/// `wss://edge.ivschat.{region}.amazonaws.com`
std::string messagingUrl(std::string_view region);

/// The path of an attribute key: `attributes.color`, or `attributes["a b"]` for keys that are
/// not plain identifiers (ill-formed UTF-8 shown as U+FFFD).
std::string attributePath(std::string_view prefix, std::string_view key);

/// The ValidationException body the service would send for these errors:
/// `{"fieldList":[{"message","name"}],"message","reason":"FIELD_VALIDATION_FAILED"}`.
std::string buildValidationExceptionBody(const std::vector<FieldError>& errors);

/// How a JSON value is named in messages ("a string", "an array", "NaN", ...).
const char* jsonTypeName(const nlohmann::json& value);

/// Checks an `attributes` map (token or message): an object of string values, names and values
/// valid UTF-8, at most kMaxAttributesBytes of names plus values. Appends every problem to
/// `errors` (paths `attributes`, `attributes.color`, `attributes["a b"]`); true when it is fine.
bool checkAttributeMap(const nlohmann::json& value, std::vector<FieldError>& errors);

/// Errors as a JSON array of `{field, code, message}` objects.
nlohmann::json fieldErrorsToJson(const std::vector<FieldError>& errors);

}  // namespace ivschat
