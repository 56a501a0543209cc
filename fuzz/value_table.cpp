// Fuzz target: the value table (src/core/value_table.hpp), how every wasm module reads a request
// and the client and backend modules read the answers of IVS and of token backends, and the
// readers of the core on what it reads.
//   input: the table's bytes (any bytes)
// Invariants:
//   - readValueTable never reads outside the input: every key and text of an ok document is a
//     view into it; a document that is not ok is only truncated when the count is over the
//     workspace's values;
//   - an ok document is well linked: each recorded container's children follow it, number its
//     size (none for one whose children are counted only), at most kMaxRecordedDepth levels
//     below the root; scalars have no children and no size (but the Oversized kinds);
//   - numbers: an integer has no text and a magnitude within nlohmann's 64-bit range, any other
//     number keeps its text, and exactNumber() decides every one of them;
//   - one value has one table: written again (tests/support/value_table_writer.hpp, what
//     js/value-table.js writes) it is the same bytes;
//   - the readers of the core take it without breaking: CreateChatToken validation, the three
//     action frames, a server frame (the reader itself), a token answer, an AWS error, the signed control-plane
//     calls' validation (field errors well formed: fuzz_support's checkFieldErrors).
#include <string>

#include "core/aws_response.hpp"
#include "core/chat_actions.hpp"
#include "core/control_plane_requests.hpp"
#include "core/create_chat_token.hpp"
#include "core/json_scan.hpp"
#include "core/server_frames.hpp"
#include "core/value_table.hpp"
#include "fuzz_support.hpp"
#include "support/value_table_writer.hpp"

using namespace ivschat;

namespace {

bool within(std::string_view part, std::string_view whole) {
  return part.empty() || (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

bool isContainer(JsonKind kind) { return kind == JsonKind::Array || kind == JsonKind::Object; }

// Checks `value` and its recorded children; returns how many values they are.
std::size_t checkValue(const JsonDocument& document, const JsonValue& value, int depth, std::string_view bytes) {
  FUZZ_CHECK(depth <= kMaxRecordedDepth);
  FUZZ_CHECK(within(value.key, bytes));
  FUZZ_CHECK(within(value.text, bytes));
  if (value.kind == JsonKind::Number) {
    FUZZ_CHECK(value.integer == value.text.empty());
    FUZZ_CHECK(!value.negative || value.magnitude != 0);
    (void)exactNumber(value);
  }
  if (value.kind != JsonKind::Boolean) FUZZ_CHECK(!value.boolean);
  if (!isContainer(value.kind)) {
    FUZZ_CHECK(value.firstChild == 0);
    if (value.kind < JsonKind::OversizedString) FUZZ_CHECK(value.size == 0);
    return 1;
  }
  std::size_t seen = 1;
  std::uint64_t children = 0;
  std::uint32_t previous = 0;
  for (const JsonValue& child : document.children(value)) {
    const auto index = static_cast<std::uint32_t>(&child - &document.root());
    FUZZ_CHECK(index > previous);
    previous = index;
    if (value.kind == JsonKind::Array) FUZZ_CHECK(child.key.empty());
    ++children;
    seen += checkValue(document, child, depth + 1, bytes);
  }
  FUZZ_CHECK(value.firstChild == 0 || children == value.size);
  return seen;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes = fuzz::asText(data, size);
  JsonWorkspace& ws = fuzz::workspace();
  const JsonDocument document = readValueTable(bytes, ws);
  if (!document.ok) {
    if (document.truncated) {
      std::uint32_t count = 0;
      FUZZ_CHECK(size >= 4);
      std::memcpy(&count, data + size - 4, 4);
      FUZZ_CHECK(count > ws.maxValues());
    }
    return 0;
  }
  checkValue(document, document.root(), 0, bytes);

  const std::string again = testing::valueTableOf(document);
  FUZZ_CHECK(again == bytes);

  fuzz::checkFieldErrors(validateCreateChatTokenRequest(document).errors);
  fuzz::checkFieldErrors(buildSendMessageFrame(document, 500).errors);
  fuzz::checkFieldErrors(buildDeleteMessageFrame(document).errors);
  fuzz::checkFieldErrors(buildDisconnectUserFrame(document).errors);
  for (const ControlPlaneCall call : {ControlPlaneCall::CreateChatToken, ControlPlaneCall::SendEvent,
                                      ControlPlaneCall::DeleteMessage, ControlPlaneCall::DisconnectUser}) {
    fuzz::checkFieldErrors(buildControlPlaneRequest(call, document).errors);
  }
  const ServerFrame frame = readServerFrame(document);
  FUZZ_CHECK(frame.ok == frame.error.empty());
  const ChatTokenResponse answer = readCreateChatTokenResponse(document);
  FUZZ_CHECK(answer.ok == (answer.error[0] == '\0'));
  (void)readAwsError(400, "", document);
  return 0;
}
