// One chat round trip with the runtime's own global WebSocket, run by Deno and Bun (and, in the
// page browser-chat.js, by Chromium): connect, send, receive the echo bot's reply, disconnect.
// Prints one JSON line. Configuration: a JSON argument { url, tokens, content }.
import { ChatRoom } from '../../js/public.js';

const config = JSON.parse(globalThis.Deno ? globalThis.Deno.args[0] : process.argv[2]);
const runtime = globalThis.Deno ? `deno ${globalThis.Deno.version.deno}` : globalThis.Bun ? `bun ${globalThis.Bun.version}` : 'unknown';

const giveUp = setTimeout(() => {
  console.log(JSON.stringify({ ok: false, runtime, failure: 'no reply within 20 s' }));
  globalThis.Deno ? globalThis.Deno.exit(1) : process.exit(1);
}, 20_000);

let next = 0;
const room = new ChatRoom({ regionOrUrl: config.url, tokenProvider: async () => ({ token: config.tokens[next++] }) });
try {
  const reply = new Promise((resolve) => room.addListener('message', (m) => m.sender.userId === 'echo-bot' && resolve(m)));
  await room.connect();
  const sent = await room.sendMessage({ content: config.content });
  const answer = await reply;
  console.log(JSON.stringify({ ok: true, runtime, sent: { content: sent.content, userId: sent.sender.userId }, reply: answer.content }));
} catch (error) {
  console.log(JSON.stringify({ ok: false, runtime, failure: `${error?.code ?? ''} ${error?.message ?? error}` }));
} finally {
  room.disconnect();
  clearTimeout(giveUp);
}
