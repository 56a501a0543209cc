// Native driver for profiling the core's hot paths with callgrind (instruction counts are steady
// even on a loaded machine):
//   g++ -O2 -g -std=c++17 -Isrc bench/native/core_bench.cpp build/native/libivschat_core.a -o /tmp/core_bench
//   (build/native is RelWithDebInfo: the tuned nlohmann members, as in the wasm)
//   valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.out /tmp/core_bench sign 2000
//   callgrind_annotate /tmp/cg.out | head -60
// Modes: sign (validate + build + sign, what the token handler calls), frame (parse one server
// MESSAGE frame), send (validate + build one SEND_MESSAGE frame).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/chat_actions.hpp"
#include "core/create_chat_token.hpp"
#include "core/ivs_signed_request.hpp"
#include "core/json_lossless.hpp"
#include "core/server_frames.hpp"

using namespace ivschat;

namespace {

const char* kRequest =
    R"({"roomIdentifier":"arn:aws:ivschat:us-east-1:123456789012:room/Room00000001","userId":"Zo\u00eb-2",)"
    R"("capabilities":["SEND_MESSAGE","DELETE_MESSAGE"],"sessionDurationInMinutes":32,)"
    R"("attributes":{"displayName":"Jos\u00e9 Mar\u00eda","color":"#00aa00","avatar":"https://cdn.example.com/a/2.png"}})";

const char* kFrame =
    R"({"Type":"MESSAGE","Id":"AbCdEfGh1234","RequestId":"d3b07384-d9a7-4f0e-9d55-5f5b1a2c3e4f",)"
    R"("Attributes":{"lang":"en"},"Content":"hello everyone, this is message number 42 in the benchmark stream",)"
    R"("SendTime":"2025-01-15T12:30:45.123456789Z","Sender":{"UserId":"alice-42","Attributes":{"displayName":"Alice","color":"#ff0000"}}})";

JsonWorkspace workspace(8192, 1 << 20);

std::size_t runSign() {
  const LosslessJson request(kRequest, workspace);
  const CreateChatTokenValidation validation = validateCreateChatTokenRequest(request.document);
  if (!validation.ok()) std::abort();
  const std::string body = buildCreateChatTokenBody(request.document, validation.request);
  const SignedIvsRequest signedRequest = signIvsChatRequest(
      "CreateChatToken", body, regionFromRoomArn(validation.request.roomIdentifier), {},
      {"ASIABENCHMARK0000001", "benchmarkSecretAccessKey/0123456789abcdefg",
       "IQoJb3JpZ2luX2VjEBenchmarkSessionToken0123456789abcdefghijklmnopqrstuvwxyz/ABCDEFGHIJKLMNOPQRSTUVWXYZ+0123456789=="},
      1736944245000);
  if (signedRequest.problem) std::abort();
  return signedRequest.authorization.size();
}

std::size_t runFrame() {
  workspace.resetArena();
  const JsonDocument document = scanJson(kFrame, workspace);
  const ServerFrame frame = readServerFrame(document);
  if (!frame.ok) std::abort();
  return frame.content.size() + frame.senderAttributes->size;
}

std::size_t runSend() {
  const LosslessJson request(
      R"({"content":"hello everyone, this is a message","attributes":{"lang":"en"},"requestId":"d3b07384-d9a7-4f0e-9d55-5f5b1a2c3e4f"})",
      workspace);
  const ChatActionFrame build = buildSendMessageFrame(request.document, 500);
  if (!build.ok()) std::abort();
  return build.frame.size();
}

}  // namespace

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "sign";
  const long count = argc > 2 ? std::atol(argv[2]) : 10000;
  std::size_t (*run)() = std::strcmp(mode, "frame") == 0 ? runFrame : std::strcmp(mode, "send") == 0 ? runSend : runSign;
  std::size_t sink = 0;
  const auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < count; ++i) sink += run();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%s: %.2f us per call (%ld calls, sink %zu)\n", mode, seconds * 1e6 / count, count, sink);
  return 0;
}
