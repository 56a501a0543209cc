// The boundary between the core and JavaScript: the one binding file, compiled into the two
// modules (IVSCHAT_CLIENT_MODULE: ivschat-client.wasm, for pages; IVSCHAT_BACKEND_MODULE:
// ivschat-backend.wasm, for token backends). js/core-wrap.js is its only reader.
//
// MEMORY. Each module owns one I/O area of kIoBytes at ioAddress(), a static array (it never
// moves, and the memory is a fixed 16 MiB that never grows, so the heap views stay valid).
// JavaScript writes a call's texts at its start with TextEncoder.encodeInto, back to back, and
// passes their byte lengths; together they may fill at most kInputBytes (inputCapacity()). The
// shim refuses anything bigger before copying it (js/request-json.js has the caps).
//
// CALLS. Every function takes byte lengths and numbers only, and returns the byte offset of its
// result in the I/O area, or a negative status when it could not run at all:
//   -1  the inputs are longer than inputCapacity()
//   -2  the result does not fit the I/O area
//   -3  a number that selects something (call, action) is out of range
// No C++ exception exists in these modules (built with -fno-exceptions); a trap (abort, memory
// access out of bounds) means a bug or an exhausted memory, and the shim then discards the
// instance and makes a new one.
//
// RESULT, at an 8-byte aligned offset R (int32 and float64, little-endian):
//   int32 R+0   status: 0 ok, 1 invalid (field errors), 2 failed (one message)
//   int32 R+4   N, the count of numbers
//   int32 R+8   S, the count of strings
//   int32 R+12  the text area's offset in the I/O area
//   int32 R+16  the text area's length in bytes (UTF-8)
//   int32 R+20  1 when the text area is all ASCII, else 0
//   f64   R+24  N numbers
//   then  S strings as int32 pairs (start, length) in UTF-16 code units: start >= 0 is an index
//         into the call's first input, as the JavaScript string it was (only parseServerFrame
//         and readReviewInput pass one, when it is all ASCII, so its bytes and code units
//         agree); start < 0 is ~index
//         into the text area decoded as one string.
// Invalid results share one layout: numbers [count], strings (field, code, message) x count,
// then the function's own extra strings.
//
// FUNCTIONS (inputs in order; ok results as numbers / strings). `markers` is 1 when the
// request text holds the shim's markers for values JSON cannot carry (src/core/json_scan.hpp),
// else 0:
// both modules
//   parseChatTokenResponse(body)          [tokenExpirationMillis, sessionExpirationMillis] / [token]
//                                         failed: [why]
//   parseAwsError(status; errorTypeHeader, body)
//                                         [fieldListCount, limit (-1: none)] / [type, message,
//                                         reason, resourceId, resourceType, then (name, message)
//                                         x fieldListCount]
// client module
//   validateCreateChatTokenRequest(requestJson; markers)     [] / [body, region]
//   buildActionFrame(action; requestJson; markers, maxMessageLength)
//                                         action 0 SEND_MESSAGE, 1 DELETE_MESSAGE,
//                                         2 DISCONNECT_USER: [] / [frame]
//   parseServerFrame(frame; isAscii)      [kind (0 MESSAGE, 1 EVENT, 2 ERROR, 3 UNKNOWN),
//                                         sendTimeMillis, errorCode, attributeCount,
//                                         senderAttributeCount] / [type, id, requestId, content,
//                                         senderUserId, eventName, errorMessage,
//                                         deletedMessageId, disconnectedUserId, reason, then the
//                                         attributes and the sender's as (name, value) pairs in
//                                         the frame's order, repeats included]; failed: [why]
// backend module
//   signRequest(call; requestJson, region, host, basePath, accessKeyId, secretAccessKey,
//               sessionToken; markers, epochMillis)
//                                         call 0 CreateChatToken, 1 SendEvent, 2 DeleteMessage,
//                                         3 DisconnectUser: [] / [host, path, amzDate,
//                                         authorization, body]
//                                         region '' = the room's; host '' = the region's
//                                         control plane; invalid: extra string = the
//                                         ValidationException body IVS would answer;
//                                         failed: [input at fault, why] (never a secret)
//   parseModerationAnswer(call; body)     [] / [id ('' for DisconnectUser)]; failed: [why]
//   readReviewInput(event; isAscii)       [attributeCount, senderAttributeCount] / [content,
//                                         messageId, roomArn, senderUserId, senderIp, then the
//                                         attributes and the sender's as (name, value) pairs];
//                                         failed: [why]
//   buildReviewAnswer(decision; markers)  [allow (1 or 0)] / [IVS's answer as JSON]
#include <emscripten/bind.h>

#include <cstdint>
#include <cstring>

#include "core/aws_response.hpp"
#include "core/json_lossless.hpp"
#include "core/json_scan.hpp"
#include "core/utf8.hpp"
#if defined(IVSCHAT_CLIENT_MODULE)
#include "core/chat_actions.hpp"
#include "core/create_chat_token.hpp"
#include "core/server_frames.hpp"
#endif
#if defined(IVSCHAT_BACKEND_MODULE)
#include "core/control_plane_requests.hpp"
#include "core/create_chat_token.hpp"
#include "core/ivs_signed_request.hpp"
#include "core/message_review.hpp"
#include "core/validation_exception.hpp"
#endif

namespace {

using namespace ivschat;

constexpr std::size_t kIoBytes = 1 << 20;
constexpr std::size_t kInputBytes = 256 * 1024;
constexpr std::size_t kMaxNumbers = 8;
constexpr std::size_t kMaxStrings = 4096;
constexpr std::size_t kHeaderBytes = 24;
constexpr int kInputTooLong = -1;
constexpr int kBadSelector = -3;
constexpr int kResultTooLarge = -2;
constexpr int kOk = 0;
constexpr int kInvalid = 1;
constexpr int kFailed = 2;

alignas(8) unsigned char io[kIoBytes];
// Values near the top of a document, and decoded strings: sized for the largest input.
JsonWorkspace workspace(8192, kInputBytes);

std::string_view input(std::size_t at, int length) {
  return {reinterpret_cast<const char*>(io) + at, static_cast<std::size_t>(length)};
}

// Lengths as JavaScript passed them, checked before anything reads the area.
bool inputsFit(std::initializer_list<int> lengths) {
  std::size_t total = 0;
  for (const int length : lengths) {
    if (length < 0) return false;
    total += static_cast<std::size_t>(length);
  }
  return total <= kInputBytes;
}

struct Utf16Length {
  std::size_t units = 0;
  bool ascii = true;
};

// The UTF-16 length of valid UTF-8 text, and whether it is all ASCII (then always valid).
Utf16Length utf16Length(std::string_view utf8) {
  Utf16Length length;
  unsigned char any = 0;
  for (const char byte : utf8) {
    const auto c = static_cast<unsigned char>(byte);
    any |= c;
    length.units += static_cast<std::size_t>((c & 0xC0) != 0x80) + static_cast<std::size_t>(c >= 0xF0);
  }
  length.ascii = any < 0x80;
  return length;
}

// Writes one result (the layout above) behind the inputs.
class Result {
 public:
  // `refInput`: the first input, when strings inside it may be passed as indices into it.
  Result(std::size_t inputEnd, std::string_view refInput = {})
      : at_((inputEnd + 7) & ~std::size_t{7}), refInput_(refInput) {
    textStart_ = at_ + kHeaderBytes + kMaxNumbers * 8 + kMaxStrings * 8;
    text_ = textStart_;
  }

  void number(double value) {
    if (numbers_ < kMaxNumbers) {
      std::memcpy(io + at_ + kHeaderBytes + numbers_ * 8, &value, 8);
    }
    ++numbers_;
  }

  void string(std::string_view text) {
    std::int32_t pair[2];
    const char* base = refInput_.data();
    if (base && text.data() >= base && text.data() + text.size() <= base + refInput_.size()) {
      pair[0] = static_cast<std::int32_t>(text.data() - base);
      pair[1] = static_cast<std::int32_t>(text.size());
    } else {
      // Copied into the text area as valid UTF-8, so that its UTF-16 length is what
      // TextDecoder will make of it (the core only ever has valid text here; this is a guard).
      Utf16Length length = utf16Length(text);
      std::string sanitized;
      if (!length.ascii && !isValidUtf8(text)) {
        text = sanitized = sanitizeUtf8(text);
        length = utf16Length(text);
      }
      if (text.size() > kIoBytes - text_) {
        overflow_ = true;
        return;
      }
      ascii_ = ascii_ && length.ascii;
      std::memcpy(io + text_, text.data(), text.size());
      pair[0] = ~static_cast<std::int32_t>(textUnits_);
      pair[1] = static_cast<std::int32_t>(length.units);
      text_ += text.size();
      textUnits_ += static_cast<std::size_t>(pair[1]);
    }
    if (strings_ < kMaxStrings) {
      std::memcpy(io + at_ + kHeaderBytes + kMaxNumbers * 8 + strings_ * 8, pair, 8);
    }
    ++strings_;
  }

  void errors(const FieldErrors& errors) {
    number(static_cast<double>(errors.list().size()));
    for (const FieldError& error : errors.list()) {
      string(error.field);
      string(error.code);
      string(error.message);
    }
  }

  int finish(int status) {
    if (overflow_ || numbers_ > kMaxNumbers || strings_ > kMaxStrings) return kResultTooLarge;
    // Numbers and strings were written at fixed places; close the gap after the numbers.
    const std::size_t numbersEnd = at_ + kHeaderBytes + numbers_ * 8;
    std::memmove(io + numbersEnd, io + at_ + kHeaderBytes + kMaxNumbers * 8, strings_ * 8);
    const std::int32_t header[6] = {
        status,
        static_cast<std::int32_t>(numbers_),
        static_cast<std::int32_t>(strings_),
        static_cast<std::int32_t>(textStart_),
        static_cast<std::int32_t>(text_ - textStart_),
        ascii_ ? 1 : 0,
    };
    std::memcpy(io + at_, header, sizeof header);
    return static_cast<int>(at_);
  }

 private:
  std::size_t at_;
  std::string_view refInput_;
  std::size_t textStart_;
  std::size_t text_;
  std::size_t textUnits_ = 0;
  std::size_t numbers_ = 0;
  std::size_t strings_ = 0;
  bool ascii_ = true;
  bool overflow_ = false;
};

int ioAddress() { return static_cast<int>(reinterpret_cast<std::uintptr_t>(io)); }
int inputCapacity() { return static_cast<int>(kInputBytes); }

// Both modules -------------------------------------------------------------------------------

int parseChatTokenResponse(int bodyLength) {
  if (!inputsFit({bodyLength})) return kInputTooLong;
  workspace.resetArena();
  const JsonDocument document = scanJson(input(0, bodyLength), workspace);
  const ChatTokenResponse response = readCreateChatTokenResponse(document);
  Result result(static_cast<std::size_t>(bodyLength));
  if (!response.ok) {
    result.string(response.error);
    return result.finish(kFailed);
  }
  result.number(static_cast<double>(response.tokenExpirationMillis));
  result.number(static_cast<double>(response.sessionExpirationMillis));
  result.string(response.token);
  return result.finish(kOk);
}

int parseAwsError(int status, int headerLength, int bodyLength) {
  if (!inputsFit({headerLength, bodyLength})) return kInputTooLong;
  workspace.resetArena();
  const auto header = static_cast<std::size_t>(headerLength);
  const JsonDocument document = scanJson(input(header, bodyLength), workspace);
  const AwsError error = readAwsError(status, input(0, headerLength), document);
  Result result(header + static_cast<std::size_t>(bodyLength));
  double count = 0;
  if (error.fieldList) {
    for (const JsonValue& item : document.children(*error.fieldList)) count += item.kind == JsonKind::Object;
  }
  result.number(count);
  result.number(static_cast<double>(error.limit));
  result.string(error.type);
  result.string(error.message);
  result.string(error.reason);
  result.string(error.resourceId);
  result.string(error.resourceType);
  if (error.fieldList) {
    for (const JsonValue& item : document.children(*error.fieldList)) {
      if (item.kind != JsonKind::Object) continue;
      result.string(stringMember(document, item, "name"));
      result.string(stringMember(document, item, "message"));
    }
  }
  return result.finish(kOk);
}

// (name, value) pairs of a string map, for the results that carry one.
double pairCount(const JsonDocument& document, const JsonValue* map) {
  double count = 0;
  if (map) {
    for (const JsonValue& item : document.children(*map)) count += item.kind == JsonKind::String;
  }
  return count;
}

void attributePairs(Result& result, const JsonDocument& document, const JsonValue* map) {
  if (!map) return;
  for (const JsonValue& item : document.children(*map)) {
    result.string(item.key);
    result.string(item.text);
  }
}

#if defined(IVSCHAT_CLIENT_MODULE)

int validateCreateChatTokenRequestJs(int requestLength, int markers) {
  if (!inputsFit({requestLength})) return kInputTooLong;
  const LosslessJson request(input(0, requestLength), workspace, markers != 0);
  const CreateChatTokenValidation validation = validateCreateChatTokenRequest(request.document);
  Result result(static_cast<std::size_t>(requestLength));
  if (!validation.ok()) {
    result.errors(validation.errors);
    return result.finish(kInvalid);
  }
  result.string(buildCreateChatTokenBody(request.document, validation.request));
  result.string(regionFromRoomArn(validation.request.roomIdentifier));
  return result.finish(kOk);
}

int buildActionFrame(int action, int requestLength, int markers, double maxMessageLength) {
  if (action < 0 || action > 2) return kBadSelector;
  if (!inputsFit({requestLength})) return kInputTooLong;
  const LosslessJson request(input(0, requestLength), workspace, markers != 0);
  const ChatActionFrame frame = action == 0   ? buildSendMessageFrame(request.document, maxMessageLength)
                                : action == 1 ? buildDeleteMessageFrame(request.document)
                                              : buildDisconnectUserFrame(request.document);
  Result result(static_cast<std::size_t>(requestLength));
  if (!frame.ok()) {
    result.errors(frame.errors);
    return result.finish(kInvalid);
  }
  result.string(frame.frame);
  return result.finish(kOk);
}

int parseServerFrameJs(int frameLength, int isAscii) {
  if (!inputsFit({frameLength})) return kInputTooLong;
  workspace.resetArena();
  const std::string_view text = input(0, frameLength);
  const JsonDocument document = scanJson(text, workspace);
  const ServerFrame frame = readServerFrame(document);
  Result result(static_cast<std::size_t>(frameLength), isAscii ? text : std::string_view());
  if (!frame.ok) {
    result.string(frame.error);
    return result.finish(kFailed);
  }
  result.number(static_cast<double>(frame.kind));
  result.number(static_cast<double>(frame.sendTimeMillis));
  result.number(frame.errorCode);
  result.number(pairCount(document, frame.attributes));
  result.number(pairCount(document, frame.senderAttributes));
  for (const std::string_view field : {frame.type, frame.id, frame.requestId, frame.content, frame.senderUserId,
                                       frame.eventName, frame.errorMessage, frame.deletedMessageId,
                                       frame.disconnectedUserId, frame.reason}) {
    result.string(field);
  }
  attributePairs(result, document, frame.attributes);
  attributePairs(result, document, frame.senderAttributes);
  return result.finish(kOk);
}

#endif  // IVSCHAT_CLIENT_MODULE

#if defined(IVSCHAT_BACKEND_MODULE)

int signRequest(int callNumber, int requestLength, int regionLength, int hostLength, int basePathLength,
                int accessKeyIdLength, int secretLength, int sessionTokenLength, int markers, double epochMillis) {
  if (callNumber < 0 || callNumber >= kControlPlaneCallCount) return kBadSelector;
  if (!inputsFit({requestLength, regionLength, hostLength, basePathLength, accessKeyIdLength, secretLength,
                  sessionTokenLength})) {
    return kInputTooLong;
  }
  const auto call = static_cast<ControlPlaneCall>(callNumber);
  std::size_t at = 0;
  const auto next = [&at](int length) {
    const std::string_view text = input(at, length);
    at += static_cast<std::size_t>(length);
    return text;
  };
  const std::string_view requestJson = next(requestLength);
  const std::string_view region = next(regionLength);
  const std::string_view host = next(hostLength);
  const std::string_view basePath = next(basePathLength);
  AwsCredentials credentials;
  credentials.accessKeyId = next(accessKeyIdLength);
  credentials.secretAccessKey = next(secretLength);
  credentials.sessionToken = next(sessionTokenLength);

  const LosslessJson request(requestJson, workspace, markers != 0);
  const ControlPlaneRequest built = buildControlPlaneRequest(call, request.document);
  Result result(at);
  if (!built.ok()) {
    result.errors(built.errors);
    result.string(buildValidationExceptionBody(built.errors));
    return result.finish(kInvalid);
  }
  const std::string_view signingRegion = region.empty() ? regionFromRoomArn(built.roomIdentifier) : region;
  // JavaScript checked epochMillis is finite; the cast is then defined.
  const SignedIvsRequest signedRequest = signIvsChatRequest(operationName(call), built.body, signingRegion, {host, basePath},
                                                            credentials, static_cast<std::int64_t>(epochMillis));
  if (signedRequest.problem) {
    result.string(signedRequest.problem->field);
    result.string(signedRequest.problem->message);
    return result.finish(kFailed);
  }
  result.string(signedRequest.host);
  result.string(signedRequest.path);
  result.string({signedRequest.amzDate.data(), signedRequest.amzDate.size()});
  result.string(signedRequest.authorization);
  result.string(built.body);
  return result.finish(kOk);
}

int parseModerationAnswer(int callNumber, int bodyLength) {
  if (callNumber <= 0 || callNumber >= kControlPlaneCallCount) return kBadSelector;
  if (!inputsFit({bodyLength})) return kInputTooLong;
  workspace.resetArena();
  const JsonDocument document = scanJson(input(0, bodyLength), workspace);
  const ModerationAnswer answer = readModerationAnswer(static_cast<ControlPlaneCall>(callNumber), document);
  Result result(static_cast<std::size_t>(bodyLength));
  if (!answer.ok) {
    result.string(answer.error);
    return result.finish(kFailed);
  }
  result.string(answer.id);
  return result.finish(kOk);
}

int readReviewInputJs(int eventLength, int isAscii) {
  if (!inputsFit({eventLength})) return kInputTooLong;
  workspace.resetArena();
  const std::string_view text = input(0, eventLength);
  const JsonDocument document = scanJson(text, workspace);
  const ReviewInput event = readReviewInput(document);
  Result result(static_cast<std::size_t>(eventLength), isAscii ? text : std::string_view());
  if (!event.ok) {
    result.string(event.error);
    return result.finish(kFailed);
  }
  result.number(pairCount(document, event.attributes));
  result.number(pairCount(document, event.senderAttributes));
  for (const std::string_view field : {event.content, event.messageId, event.roomArn, event.senderUserId, event.senderIp}) {
    result.string(field);
  }
  attributePairs(result, document, event.attributes);
  attributePairs(result, document, event.senderAttributes);
  return result.finish(kOk);
}

int buildReviewAnswerJs(int decisionLength, int markers) {
  if (!inputsFit({decisionLength})) return kInputTooLong;
  const LosslessJson decision(input(0, decisionLength), workspace, markers != 0);
  const ReviewAnswer answer = buildReviewAnswer(decision.document);
  Result result(static_cast<std::size_t>(decisionLength));
  if (!answer.ok()) {
    result.errors(answer.errors);
    return result.finish(kInvalid);
  }
  result.number(answer.allow ? 1 : 0);
  result.string(answer.body);
  return result.finish(kOk);
}

#endif  // IVSCHAT_BACKEND_MODULE

}  // namespace

EMSCRIPTEN_BINDINGS(ivschat_core) {
  emscripten::function("ioAddress", &ioAddress);
  emscripten::function("inputCapacity", &inputCapacity);
  emscripten::function("parseChatTokenResponse", &parseChatTokenResponse);
  emscripten::function("parseAwsError", &parseAwsError);
#if defined(IVSCHAT_CLIENT_MODULE)
  emscripten::function("validateCreateChatTokenRequest", &validateCreateChatTokenRequestJs);
  emscripten::function("buildActionFrame", &buildActionFrame);
  emscripten::function("parseServerFrame", &parseServerFrameJs);
#endif
#if defined(IVSCHAT_BACKEND_MODULE)
  emscripten::function("signRequest", &signRequest);
  emscripten::function("parseModerationAnswer", &parseModerationAnswer);
  emscripten::function("readReviewInput", &readReviewInputJs);
  emscripten::function("buildReviewAnswer", &buildReviewAnswerJs);
#endif
}
