// The bodies of the chat calls (declared in boundary/calls.js): building a request's frame and
// reading a frame the server sent.
#include "boundary_calls.hpp"
#include "bindings/string_map.hpp"
#include "core/chat_actions.hpp"
#include "core/json_scan.hpp"
#include "core/server_frames.hpp"
#include "core/value_table.hpp"

namespace ivschat::boundary {

using bindings::forEachStringMember;
using bindings::workspace;

namespace {

ParseServerFrame::Kind kindOf(ServerFrameKind kind) {
  switch (kind) {
    case ServerFrameKind::Message: return ParseServerFrame::Kind::MESSAGE;
    case ServerFrameKind::Event: return ParseServerFrame::Kind::EVENT;
    case ServerFrameKind::Error: return ParseServerFrame::Kind::ERROR;
    case ServerFrameKind::Unknown: break;
  }
  return ParseServerFrame::Kind::UNKNOWN;
}

}  // namespace

void BuildActionFrame::run(const Inputs& in, bindings::Output& out) {
  const JsonDocument request = readValueTable(in.request.bytes, workspace());
  const ChatActionFrame frame = in.action == Action::SEND_MESSAGE     ? buildSendMessageFrame(request, in.maxMessageLength)
                                : in.action == Action::DELETE_MESSAGE ? buildDeleteMessageFrame(request)
                                                                      : buildDisconnectUserFrame(request);
  if (!frame.ok()) {
    Invalid(out).errors(frame.errors);
    return;
  }
  Ok(out).frame(frame.frame);
}

void ParseServerFrame::run(const Inputs& in, bindings::Output& out) {
  workspace().resetArena();
  const JsonDocument document = scanJson(in.frame, workspace());
  const ServerFrame frame = readServerFrame(document);
  if (!frame.ok) {
    Failed(out).error(frame.error);
    return;
  }
  Ok ok(out);
  ok.kind(kindOf(frame.kind))
      .sendTimeMillis(static_cast<double>(frame.sendTimeMillis))
      .errorCode(frame.errorCode)
      .type(frame.type)
      .id(frame.id)
      .requestId(frame.requestId)
      .content(frame.content)
      .senderUserId(frame.senderUserId)
      .eventName(frame.eventName)
      .errorMessage(frame.errorMessage)
      .deletedMessageId(frame.deletedMessageId)
      .disconnectedUserId(frame.disconnectedUserId)
      .reason(frame.reason);
  forEachStringMember(document, frame.attributes, [&ok](std::string_view name, std::string_view value) { ok.attributes(name, value); });
  forEachStringMember(document, frame.senderAttributes, [&ok](std::string_view name, std::string_view value) { ok.senderAttributes(name, value); });
}

}  // namespace ivschat::boundary
