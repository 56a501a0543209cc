// The bodies of the message review calls (declared in boundary/calls.js): reading the event IVS
// sends a review handler, and writing the answer it expects.
#include "boundary_calls.hpp"
#include "bindings/string_map.hpp"
#include "core/message_review.hpp"
#include "core/value_table.hpp"

namespace ivschat::boundary {

using bindings::forEachStringMember;
using bindings::workspace;

void ReadReviewInput::run(const Inputs& in, bindings::Output& out) {
  const JsonDocument document = readValueTable(in.event.bytes, workspace());
  const ReviewInput event = readReviewInput(document);
  if (!event.ok) {
    Failed(out).error(event.error);
    return;
  }
  Ok ok(out);
  ok.content(event.content).messageId(event.messageId).roomArn(event.roomArn).senderUserId(event.senderUserId).senderIp(event.senderIp);
  forEachStringMember(document, event.attributes, [&ok](std::string_view name, std::string_view value) { ok.attributes(name, value); });
  forEachStringMember(document, event.senderAttributes, [&ok](std::string_view name, std::string_view value) { ok.senderAttributes(name, value); });
}

void BuildReviewAnswer::run(const Inputs& in, bindings::Output& out) {
  const JsonDocument decision = readValueTable(in.decision.bytes, workspace());
  const ReviewAnswer answer = buildReviewAnswer(decision);
  if (!answer.ok()) {
    Invalid(out).errors(answer.errors);
    return;
  }
  Ok(out).allow(answer.allow).answer(answer.body);
}

}  // namespace ivschat::boundary
