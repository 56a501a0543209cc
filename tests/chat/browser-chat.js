// Runs in Chromium under a strict CSP: the browser entry, the browser's own WebSocket, tokens
// from the page's token route via fetchTokenProvider. One round trip with the echo bot.
import { ChatRoom, fetchTokenProvider } from '../../js/public.js';

const params = new URL(location.href).searchParams;
const outcome = {};
const room = new ChatRoom({
  regionOrUrl: params.get('ws'),
  tokenProvider: fetchTokenProvider('/token', { roomIdentifier: params.get('room'), userId: 'browser-user', capabilities: ['SEND_MESSAGE'] }),
});
try {
  const reply = new Promise((resolve) => room.addListener('message', (m) => m.sender.userId === 'echo-bot' && resolve(m)));
  await room.connect();
  const sent = await room.sendMessage({ content: params.get('content') });
  outcome.sent = { content: sent.content, userId: sent.sender.userId };
  outcome.reply = (await reply).content;
} catch (error) {
  outcome.failure = `${error?.code ?? ''} ${error?.stack ?? error}`;
} finally {
  room.disconnect();
}
window.__outcome = outcome;
document.getElementById('status').textContent = 'done';
