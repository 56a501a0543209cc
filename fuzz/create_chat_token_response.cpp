// Fuzz target: reading a CreateChatToken success body.
//   input: the HTTP response body (any bytes)
// Invariants:
//   - ok exactly when there is no error; ok means a non-empty token (as the body's strict JSON
//     holds it) and two times that are RFC 3339 date-times;
//   - the error is a fixed English sentence: printable ASCII, so it can never quote the body
//     (which holds the token, a secret);
//   - a success re-serialized with the times as toISOString writes them reads back the same.
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

bool formattable(std::int64_t millis) {
  return millis >= kMinFormattableMillis && millis <= kMaxFormattableMillis;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body = fuzz::asText(data, size);
  const ChatTokenResponse response = parseCreateChatTokenResponse(body);
  FUZZ_CHECK(response.ok == response.error.empty());
  if (!response.ok) {
    FUZZ_CHECK(response.token.empty());
    FUZZ_CHECK(fuzz::isPrintableAscii(response.error));
    return 0;
  }

  FUZZ_CHECK(!response.token.empty());
  FUZZ_CHECK(isValidUtf8(response.token));
  const json document = json::parse(body, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(!document.is_discarded() && document.is_object());
  FUZZ_CHECK(document["token"] == response.token);
  const auto tokenTime = parseRfc3339(document["tokenExpirationTime"].get<std::string>());
  const auto sessionTime = parseRfc3339(document["sessionExpirationTime"].get<std::string>());
  FUZZ_CHECK(tokenTime && tokenTime->epochMillis() == response.tokenExpirationMillis);
  FUZZ_CHECK(sessionTime && sessionTime->epochMillis() == response.sessionExpirationMillis);

  if (formattable(response.tokenExpirationMillis) && formattable(response.sessionExpirationMillis)) {
    const std::string again =
        json{{"token", response.token},
             {"tokenExpirationTime", formatRfc3339Millis(response.tokenExpirationMillis)},
             {"sessionExpirationTime", formatRfc3339Millis(response.sessionExpirationMillis)}}
            .dump();
    const ChatTokenResponse reread = parseCreateChatTokenResponse(again);
    FUZZ_CHECK(reread.ok);
    FUZZ_CHECK(reread.token == response.token);
    FUZZ_CHECK(reread.tokenExpirationMillis == response.tokenExpirationMillis);
    FUZZ_CHECK(reread.sessionExpirationMillis == response.sessionExpirationMillis);
  }
  return 0;
}
