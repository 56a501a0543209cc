// Compiled by tests/chat/types.test.js (never run): the ChatRoom declarations accept what the
// README shows and what users of the official client write, and refuse misuse.
import { WebSocket } from 'ws';
import {
  ChatError,
  ChatRoom,
  fetchTokenProvider,
  IvsChatError,
  type ChatAttempt,
  type ChatDelivery,
  chatHistory,
  type ChatHistory,
  type ChatHistoryBatch,
  type ChatHistoryProvider,
  type ChatMessage,
  type DeleteMessageEvent,
  type DisconnectReason,
  type DisconnectUserEvent,
} from 'ivschat-wasm';

export async function usage(): Promise<void> {
  const room = new ChatRoom({
    regionOrUrl: 'us-west-2',
    tokenProvider: fetchTokenProvider('/chat-token', { roomIdentifier: 'arn:aws:ivschat:us-west-2:123456789012:room/AbCdEf123456', userId: 'alice', capabilities: ['SEND_MESSAGE'] }, { headers: () => ({ authorization: 'Bearer x' }) }),
    maxReconnectAttempts: 5,
    backoff: { initialDelayMs: 500, maxDelayMs: 10_000 },
    requestTimeoutMs: 5000,
    maxMessageLength: 200,
    maxMessagesPerSecond: 5,
    WebSocket,
    logger: console,
  });
  const off = room.addListener('message', (message: ChatMessage) => void message.sender.userId);
  off();
  room.addListener('disconnect', (reason: DisconnectReason) => void reason);
  room.addListener('messageDelete', (event: DeleteMessageEvent) => void event.messageId);
  room.addListener('userDisconnect', (event: DisconnectUserEvent) => void event.userId);
  room.addListener('error', (error: ChatError) => void [error.code, error.status, error.requestId, error.errors]);
  room.addListener('attempt', ({ attempt, renewal }: ChatAttempt) => void [attempt + 1, renewal === true]);
  room.addListener('renewed', () => undefined);
  // A send that timed out (not confirmed) and was delivered after all: matched by its requestId.
  room.addListener('delivered', (delivery: ChatDelivery) => {
    if (delivery.kind === 'sendMessage') void [delivery.requestId, delivery.result.content];
    if (delivery.kind === 'deleteMessage') void delivery.result.messageId;
  });
  await room.connect();
  const state: 'disconnected' | 'connecting' | 'connected' = room.state;
  void state;
  try {
    const sent: ChatMessage = await room.sendMessage({ content: 'hi', attributes: { a: 'b' } });
    const deleted: DeleteMessageEvent = await room.deleteMessage({ id: sent.id, reason: 'test' });
    const kicked: DisconnectUserEvent = await room.disconnectUser({ userId: 'bob' });
    void [deleted, kicked, sent.sendTime.getTime()];
  } catch (error) {
    if (error instanceof ChatError && error.code === 'RATE_LIMITED') void error.status;
    if (error instanceof IvsChatError) void error.code;
  }
  const controller = new AbortController();
  await room.connect({ signal: controller.signal });
  await room.sendMessage({ content: 'hi' }, { signal: AbortSignal.timeout(1000) });
  new ChatRoom({ regionOrUrl: 'us-west-2', tokenProvider: async () => ({ token: 't' }), reconnectOnNetworkChange: false });
  room.disconnect();
  // History: the edge's JSON (sendTime as strings) as it comes, and the history event.
  const provider: ChatHistoryProvider = async ({ read, signal }) => (await fetch(`/chat-history?read=${read}`, { signal })).json();
  const withHistory = new ChatRoom({
    regionOrUrl: 'us-west-2',
    tokenProvider: async () => ({ token: 't' }),
    history: chatHistory({ provider, delayMs: 12_000, timeoutMs: 5000, removalEvents: { 'app:DELETE_USER_MESSAGES': 'userId' } }),
  });
  withHistory.addListener('history', ({ messages, read, final }: ChatHistoryBatch) => void [messages[0]?.sendTime.getTime(), read === 2, final]);
  const shared: ChatHistory = chatHistory({ provider: () => [{ id: 'AbCdEf123456', content: 'hi', sendTime: '2030-01-01T00:00:00.123456789Z', sender: { userId: 'ann' } }] });
  new ChatRoom({ regionOrUrl: 'us-west-2', tokenProvider: async () => ({ token: 't' }), history: shared });
  chatHistory({ provider: () => ({ messages: [], events: [{ id: 'e', messageId: 'AbCdEf123456', sendTime: 0 }] }) });
  chatHistory({ url: new URL('https://edge.example/chat-history'), fetch: globalThis.fetch, delayMs: 0 });
  // @ts-expect-error a history source gives messages, not strings
  chatHistory({ provider: () => ['hi'] });
  // @ts-expect-error removalEvents name the attribute that holds the user id
  chatHistory({ provider, removalEvents: ['app:DELETE_USER_MESSAGES'] });
  // @ts-expect-error history is what chatHistory makes, not a bare provider
  new ChatRoom({ regionOrUrl: 'us-west-2', tokenProvider: async () => ({ token: 't' }), history: provider });
  // A plain provider with ISO strings, as in the official client; the standard WebSocket class.
  new ChatRoom({ regionOrUrl: 'wss://example.invalid', tokenProvider: async () => ({ token: 't', sessionExpirationTime: '2030-01-01T00:00:00Z' }), WebSocket: globalThis.WebSocket });

  // @ts-expect-error the event names are a closed set
  room.addListener('mesage', () => {});
  // @ts-expect-error a deleteMessage's delivery is a DeleteMessageEvent, with no content
  room.addListener('delivered', (delivery) => void (delivery.kind === 'deleteMessage' && delivery.result.content));
  // @ts-expect-error a message listener gets a ChatMessage, not a string
  room.addListener('message', (message: string) => void message);
  // @ts-expect-error content is required
  await room.sendMessage({ attributes: {} });
  // @ts-expect-error a signal is an AbortSignal
  await room.connect({ signal: true });
  // @ts-expect-error tokenProvider is required
  new ChatRoom({ regionOrUrl: 'us-east-1' });
}
