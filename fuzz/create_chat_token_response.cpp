// Fuzz target: reading a CreateChatToken success body.
//   input: the HTTP response body (any bytes)
// Invariants, checked against nlohmann's own parse of the same text:
//   - ok exactly when there is no error, and exactly when nlohmann's DOM is an object with a
//     non-empty string token and two string times that are RFC 3339 date-times (the same
//     milliseconds); the token is then the DOM's, valid UTF-8;
//   - the error is a fixed English sentence: printable ASCII, not a pointer into the body, and
//     the same when the token's text is replaced by a sentinel (which it then does not
//     contain), so it never quotes the token, a secret; when !ok the token is empty;
//   - a success re-serialized with the times as toISOString writes them reads back the same;
//   - the body is read as plain JSON (no markers): no value is a marker kind.
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/aws_response.hpp"
#include "core/rfc3339.hpp"
#include "core/utf8.hpp"
#include "fuzz_support.hpp"

using namespace ivschat;
using nlohmann::json;

namespace {

// 0000-01-01T00:00:00.000Z .. 9999-12-31T23:59:59.999Z: what formatRfc3339Millis writes as a
// 4-digit year.
constexpr std::int64_t kMinFormattableMillis = -62167219200000;
constexpr std::int64_t kMaxFormattableMillis = 253402300799999;

constexpr std::string_view kSentinel = "Zq8#token-sentinel#8qZ";

bool formattable(std::int64_t millis) {
  return millis >= kMinFormattableMillis && millis <= kMaxFormattableMillis;
}

// The time a DOM member holds, when it is a string that reads as RFC 3339.
std::optional<Timestamp> domTime(const json& dom, const char* name) {
  const json* value = fuzz::domMember(dom, name);
  if (!value || !value->is_string()) return std::nullopt;
  return parseRfc3339(value->get_ref<const std::string&>());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body = fuzz::asText(data, size);
  const JsonDocument document = fuzz::scanStrict(body, fuzz::workspace());
  fuzz::checkNoMarker(document);
  const ChatTokenResponse response = readCreateChatTokenResponse(document);
  FUZZ_CHECK(response.error != nullptr);
  FUZZ_CHECK(response.ok == (response.error[0] == '\0'));
  FUZZ_CHECK(fuzz::isPrintableAscii(response.error));
  // A fixed sentence: not a pointer into the body.
  FUZZ_CHECK(!(response.error >= body.data() && response.error < body.data() + body.size()));

  // What nlohmann's DOM says the answer is.
  const json dom = json::parse(body, nullptr, /*allow_exceptions=*/false);
  const bool strict = !dom.is_discarded();
  if (!document.truncated) FUZZ_CHECK(document.ok == strict);
  const json* token = strict ? fuzz::domMember(dom, "token") : nullptr;
  const bool domToken = token && token->is_string() && !token->get_ref<const std::string&>().empty();
  const auto tokenTime = strict ? domTime(dom, "tokenExpirationTime") : std::nullopt;
  const auto sessionTime = strict ? domTime(dom, "sessionExpirationTime") : std::nullopt;
  if (!document.truncated) {
    FUZZ_CHECK(response.ok == (strict && dom.is_object() && domToken && tokenTime && sessionTime));
  }

  if (!response.ok) {
    FUZZ_CHECK(response.token.empty());
    // The error does not depend on the token's text: the same body, written by nlohmann with the
    // token replaced by a sentinel (same emptiness), gives the same error, which does not
    // contain the sentinel.
    if (strict && dom.is_object() && token && token->is_string() && !document.truncated) {
      json other = dom;
      const bool empty = token->get_ref<const std::string&>().empty();
      other["token"] = empty ? std::string() : std::string(kSentinel);
      const std::string otherBody = other.dump();
      const JsonDocument otherDocument = fuzz::scanStrict(otherBody, fuzz::secondWorkspace());
      const ChatTokenResponse otherResponse = readCreateChatTokenResponse(otherDocument);
      FUZZ_CHECK(!otherResponse.ok && std::strcmp(otherResponse.error, response.error) == 0);
      FUZZ_CHECK(!fuzz::contains(otherResponse.error, kSentinel));
    }
    return 0;
  }

  FUZZ_CHECK(!response.token.empty());
  FUZZ_CHECK(isValidUtf8(response.token));
  FUZZ_CHECK(strict && dom.is_object() && domToken);
  FUZZ_CHECK(token->get_ref<const std::string&>() == response.token);
  FUZZ_CHECK(tokenTime->epochMillis() == response.tokenExpirationMillis);
  FUZZ_CHECK(sessionTime->epochMillis() == response.sessionExpirationMillis);

  if (formattable(response.tokenExpirationMillis) && formattable(response.sessionExpirationMillis)) {
    const std::string again =
        json{{"token", std::string(response.token)},
             {"tokenExpirationTime", formatRfc3339Millis(response.tokenExpirationMillis)},
             {"sessionExpirationTime", formatRfc3339Millis(response.sessionExpirationMillis)}}
            .dump();
    const JsonDocument rereadDocument = fuzz::scanStrict(again, fuzz::secondWorkspace());
    const ChatTokenResponse reread = readCreateChatTokenResponse(rereadDocument);
    FUZZ_CHECK(reread.ok);
    FUZZ_CHECK(reread.token == response.token);
    FUZZ_CHECK(reread.tokenExpirationMillis == response.tokenExpirationMillis);
    FUZZ_CHECK(reread.sessionExpirationMillis == response.sessionExpirationMillis);
  }
  return 0;
}
