#pragma once
// The core's results as plain values for the tests: each helper scans its input in a workspace
// of its own and copies out what the test compares, so that no view outlives what it views.
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/aws_response.hpp"
#include "core/chat_actions.hpp"
#include "core/create_chat_token.hpp"
#include "core/json_lossless.hpp"
#include "core/json_scan.hpp"
#include "core/server_frames.hpp"
#include "core/value_table.hpp"
#include "support/value_table_writer.hpp"

namespace ivschat::testing {

inline JsonWorkspace& workspace() {
  static JsonWorkspace shared(8192, 1 << 20);
  return shared;
}

using Codes = std::vector<std::pair<std::string, std::string>>;

inline Codes codesOf(const FieldErrors& errors) {
  Codes out;
  for (const FieldError& error : errors.list()) out.emplace_back(error.field, error.code);
  return out;
}

inline std::string describe(const FieldErrors& errors) {
  std::string out;
  for (const FieldError& e : errors.list()) out += "\n  " + e.field + " " + e.code + ": " + e.message;
  return out.empty() ? "(no errors)" : out;
}

struct Validated {
  std::vector<FieldError> errors;
  std::optional<std::string> body;
  std::optional<std::int64_t> sessionDurationInMinutes;
  Codes codes() const {
    Codes out;
    for (const FieldError& error : errors) out.emplace_back(error.field, error.code);
    return out;
  }
  bool ok() const { return errors.empty(); }
};

/// A value as the wasm modules read it: JSON text read losslessly (as JSON.parse keeps a lone
/// surrogate; with the markers read when `markers`: how these tests write the values JSON cannot
/// carry), written as the table js/value-table.js writes of the value, and read back by
/// readValueTable. Text that is not JSON, which no JavaScript value gives, is its own document.
/// Each holds its own table and values, so that several can be alive at once.
class ShippedValue {
 public:
  ShippedValue(const std::string& text, bool markers) : text_(text, workspace(), markers) {
    if (!text_.document.ok) {
      document = text_.document;
      return;
    }
    table_ = valueTableOf(text_.document);
    document = readValueTable(table_, values_);
  }
  ShippedValue(const ShippedValue&) = delete;
  ShippedValue& operator=(const ShippedValue&) = delete;

  JsonDocument document;

 private:
  LosslessJson text_;
  std::string table_;
  JsonWorkspace values_{8192, 1};
};

/// validateCreateChatTokenRequest on a request given as JSON text (ShippedValue), and the
/// body when valid.
inline Validated validateText(const std::string& text, bool markers = false) {
  const ShippedValue input(text, markers);
  const CreateChatTokenValidation validation = validateCreateChatTokenRequest(input.document);
  Validated out;
  out.errors = validation.errors.list();
  if (validation.ok()) {
    out.body = buildCreateChatTokenBody(input.document, validation.request);
    out.sessionDurationInMinutes = validation.request.sessionDurationInMinutes;
  }
  return out;
}

/// `{"requestId":id, ...}` for action request text that is an object; other text unchanged.
inline std::string withRequestId(const std::string& text, const std::string& requestIdJson) {
  std::size_t start = 0;
  while (start < text.size() && (text[start] == ' ' || text[start] == '\n')) ++start;
  if (start == text.size() || text[start] != '{') return text;
  std::size_t next = start + 1;
  while (next < text.size() && text[next] == ' ') ++next;
  const bool empty = next < text.size() && text[next] == '}';
  return text.substr(0, start + 1) + "\"requestId\":" + requestIdJson + (empty ? "" : ",") + text.substr(start + 1);
}

struct Built {
  std::vector<FieldError> errors;
  std::string frame;
  bool ok() const { return errors.empty(); }
  Codes codes() const {
    Codes out;
    for (const FieldError& error : errors) out.emplace_back(error.field, error.code);
    return out;
  }
};

/// An action frame from request text that already holds its requestId.
inline Built buildAction(const std::string& action, const std::string& requestText, double maxMessageLength = 500,
                         bool markers = false) {
  const ShippedValue input(requestText, markers);
  const ChatActionFrame frame = action == "SEND_MESSAGE"     ? buildSendMessageFrame(input.document, maxMessageLength)
                                : action == "DELETE_MESSAGE" ? buildDeleteMessageFrame(input.document)
                                                             : buildDisconnectUserFrame(input.document);
  return {frame.errors.list(), frame.frame};
}

struct Frame {
  bool ok = false;
  std::string error;
  std::string kind = "UNKNOWN";
  std::string type, id, requestId, content, sendTime, senderUserId, eventName, errorMessage, deletedMessageId,
      disconnectedUserId, reason;
  std::int64_t sendTimeMillis = 0;
  int errorCode = 0;
  std::map<std::string, std::string> attributes, senderAttributes;
};

inline std::map<std::string, std::string> mapOf(const JsonDocument& document, const JsonValue* map) {
  std::map<std::string, std::string> out;
  if (map) {
    for (const JsonValue& item : document.children(*map)) out[std::string(item.key)] = std::string(item.text);
  }
  return out;
}

/// readServerFrame on a strict scan of the text.
inline Frame parseFrame(const std::string& text) {
  workspace().resetArena();
  const JsonDocument document = scanJson(text, workspace());
  const ServerFrame f = readServerFrame(document);
  Frame out;
  out.ok = f.ok;
  out.error = f.error;
  if (!f.ok) return out;
  static const char* const kKinds[] = {"MESSAGE", "EVENT", "ERROR", "UNKNOWN"};
  out.kind = kKinds[static_cast<int>(f.kind)];
  out.type = f.type;
  out.id = f.id;
  out.requestId = f.requestId;
  out.content = f.content;
  out.sendTime = f.sendTime;
  out.senderUserId = f.senderUserId;
  out.eventName = f.eventName;
  out.errorMessage = f.errorMessage;
  out.deletedMessageId = f.deletedMessageId;
  out.disconnectedUserId = f.disconnectedUserId;
  out.reason = f.reason;
  out.sendTimeMillis = f.sendTimeMillis;
  out.errorCode = f.errorCode;
  out.attributes = mapOf(document, f.attributes);
  out.senderAttributes = mapOf(document, f.senderAttributes);
  return out;
}

}  // namespace ivschat::testing
