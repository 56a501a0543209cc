// Fuzz target: CreateChatToken validation from JSON text, and the body built from a valid
// request.
//   input: the request's JSON text, as the JS shim passes it (any bytes)
// Invariants:
//   - every error is well formed (fuzz_support.hpp) and serializable;
//   - a valid request satisfies every rule of create_chat_token.hpp;
//   - its body is strict JSON, byte for byte what nlohmann's dump() writes for the same members,
//     and validates as valid again and rebuilds byte for byte;
//   - text that nlohmann accepts as strict JSON validates exactly as its parsed tree does (the
//     lossless parser must agree with nlohmann wherever nlohmann has an answer).
#include <set>

#include "core/create_chat_token.hpp"
#include "core/utf8.hpp"
#include "fuzz_support.hpp"

using namespace ivschat;
using nlohmann::json;

namespace {

void checkValidRequest(const CreateChatTokenRequest& request) {
  FUZZ_CHECK(matchesRoomArnPattern(request.roomIdentifier));
  FUZZ_CHECK(request.roomIdentifier.size() <= kMaxRoomIdentifierLength);
  FUZZ_CHECK(regionFromRoomArn(request.roomIdentifier).has_value());
  const auto userIdLength = codePointCount(request.userId);
  FUZZ_CHECK(userIdLength && *userIdLength >= 1 && *userIdLength <= kMaxUserIdLength);
  if (request.capabilities) {
    std::set<std::string> seen;
    for (const std::string& capability : *request.capabilities) {
      FUZZ_CHECK(capability == "SEND_MESSAGE" || capability == "DISCONNECT_USER" ||
                 capability == "DELETE_MESSAGE");
      FUZZ_CHECK(seen.insert(capability).second);
    }
  }
  if (request.sessionDurationInMinutes) {
    FUZZ_CHECK(*request.sessionDurationInMinutes >= kMinSessionDurationMinutes &&
               *request.sessionDurationInMinutes <= kMaxSessionDurationMinutes);
  }
  if (request.attributes) {
    std::size_t total = 0;
    for (const auto& [key, value] : *request.attributes) {
      FUZZ_CHECK(isValidUtf8(key) && isValidUtf8(value));
      total += key.size() + value.size();
    }
    FUZZ_CHECK(total <= kMaxAttributesBytes);
  }
}

// The body as nlohmann writes it (compact, members and attribute keys sorted): the body writer
// promises the same bytes.
std::string bodyByNlohmann(const CreateChatTokenRequest& request) {
  json body = json::object();
  body["roomIdentifier"] = request.roomIdentifier;
  body["userId"] = request.userId;
  if (request.capabilities) body["capabilities"] = *request.capabilities;
  if (request.sessionDurationInMinutes) body["sessionDurationInMinutes"] = *request.sessionDurationInMinutes;
  if (request.attributes) body["attributes"] = *request.attributes;
  return body.dump();
}

bool sameErrors(const std::vector<FieldError>& a, const std::vector<FieldError>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].field != b[i].field || a[i].code != b[i].code || a[i].message != b[i].message) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::asText(data, size);
  const CreateChatTokenValidation result = validateCreateChatTokenRequestJson(text);
  fuzz::checkFieldErrors(result.errors);

  std::string body;
  if (result.ok()) {
    checkValidRequest(result.request);
    body = buildCreateChatTokenBody(result.request);
    FUZZ_CHECK(json::accept(body));
    FUZZ_CHECK(body == bodyByNlohmann(result.request));
    const CreateChatTokenValidation again = validateCreateChatTokenRequestJson(body);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(buildCreateChatTokenBody(again.request) == body);
  }

  const json strict = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!strict.is_discarded()) {
    const CreateChatTokenValidation fromTree = validateCreateChatTokenRequest(strict);
    FUZZ_CHECK(sameErrors(fromTree.errors, result.errors));
    if (fromTree.ok()) FUZZ_CHECK(buildCreateChatTokenBody(fromTree.request) == body);
  }
  return 0;
}
