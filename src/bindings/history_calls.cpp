// The bodies of the history calls (declared in boundary/calls.js, in the history module only):
// signing a CloudWatch Logs read of a room's chat log stream, and reading its answer's records.
// Apart from the other calls, so that the token backend's module never links them.
#include <string>

#include "boundary_calls.hpp"
#include "core/chat_logs.hpp"
#include "core/create_chat_token.hpp"
#include "core/ivs_signed_request.hpp"
#include "core/json_scan.hpp"
#include "core/value_table.hpp"

namespace ivschat::boundary {
namespace {

using bindings::workspace;

// The records of a page are scanned one at a time, each into this workspace (the page itself is
// in the shared one): a record holds at most a few hundred values.
JsonWorkspace recordWorkspace(2048, kMaxChatLogRecordBytes * 2);

const char* itemKind(ChatLogItemKind kind) noexcept {
  switch (kind) {
    case ChatLogItemKind::Message: return "MESSAGE";
    case ChatLogItemKind::DeleteMessage: return "DELETE_MESSAGE";
    case ChatLogItemKind::Event: return "EVENT";
  }
  return "EVENT";
}

}  // namespace

// The declaration's numbers are the core's.
static_assert(static_cast<int>(SignLogsRequest::Call::GetLogEvents) == static_cast<int>(LogsCall::GetLogEvents) &&
              static_cast<int>(SignLogsRequest::Call::FilterLogEvents) == static_cast<int>(LogsCall::FilterLogEvents) &&
              kLogsCallCount == 2);

void SignLogsRequest::run(const Inputs& in, bindings::Output& out) {
  const auto call = static_cast<LogsCall>(in.call);
  const JsonDocument request = readValueTable(in.request.bytes, workspace());
  const LogsRequest built = buildLogsRequest(call, request);
  if (!built.ok()) {
    Invalid(out).errors(built.errors);
    return;
  }
  AwsCredentials credentials;
  credentials.accessKeyId = in.accessKeyId;
  credentials.secretAccessKey = in.secretAccessKey;
  credentials.sessionToken = in.sessionToken;
  const std::string_view region = in.region.empty() ? regionFromRoomArn(built.roomIdentifier) : in.region;
  const char* target = logsTarget(call);
  // JavaScript checked epochMillis is finite; the cast is then defined.
  const SignedIvsRequest signedRequest = signAwsJsonRequest(kLogsService, target, built.body, region, {in.host, in.basePath},
                                                            credentials, static_cast<std::int64_t>(in.epochMillis));
  if (signedRequest.problem) {
    Failed(out).field(signedRequest.problem->field).error(signedRequest.problem->message);
    return;
  }
  Ok(out)
      .host(signedRequest.host)
      .path(signedRequest.path)
      .amzDate({signedRequest.amzDate.data(), signedRequest.amzDate.size()})
      .authorization(signedRequest.authorization)
      .body(built.body)
      .target(target)
      .logStreamName(built.logStreamName);
}

void ReadChatLogPage::run(const Inputs& in, bindings::Output& out) {
  workspace().resetArena();
  const JsonDocument envelope = scanJson(in.body, workspace());
  const ChatLogPage page = readChatLogPage(envelope, recordWorkspace);
  if (!page.ok) {
    Failed(out).error(page.error);
    return;
  }
  Ok ok(out);
  ok.events(static_cast<double>(page.events))
      .skippedTooLarge(static_cast<double>(page.skippedTooLarge))
      .skippedNotJson(static_cast<double>(page.skippedNotJson))
      .skippedOtherVersion(static_cast<double>(page.skippedOtherVersion))
      .skippedMalformed(static_cast<double>(page.skippedMalformed))
      .firstTimestamp(static_cast<double>(page.firstTimestamp))
      .lastTimestamp(static_cast<double>(page.lastTimestamp))
      .nextForwardToken(page.nextForwardToken)
      .nextBackwardToken(page.nextBackwardToken)
      .nextToken(page.nextToken);
  for (const ChatLogItem& item : page.items) {
    ok.items(itemKind(item.kind), item.id, std::to_string(item.sendTimeMillis), item.userId, item.target, item.json);
  }
}

}  // namespace ivschat::boundary
