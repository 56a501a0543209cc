// Compiled by `tsc` (never run): the React hook's public types accept the documented uses and
// refuse misuse.
import { chatHistory, fetchTokenProvider, type ChatMessage } from 'ivschat-wasm';
import { DEFAULT_MAX_MESSAGES, useChatRoom, type UseChatRoomOptions, type UseChatRoomResult } from 'ivschat-wasm/react';

const ROOM = 'arn:aws:ivschat:us-east-1:123456789012:room/AbCdEf123456';

export function Chat(userId: string): string {
  const chat: UseChatRoomResult = useChatRoom({
    regionOrUrl: 'us-east-1',
    key: ROOM,
    tokenProvider: () => fetchTokenProvider('/chat-token', { roomIdentifier: ROOM, userId })(),
    maxMessages: DEFAULT_MAX_MESSAGES,
    maxEvents: 0,
    autoConnect: false,
    maxReconnectAttempts: 5,
    listeners: {
      messageDelete: (event) => void event.messageId,
      userDisconnect: (event) => void event.userId,
      disconnect: (reason) => void (reason === 'serverDisconnect'),
      history: ({ messages, final }) => void [messages.length, final],
    },
    history: chatHistory({ provider: async ({ signal }) => (await fetch('/chat-history', { signal })).json() }),
  });
  const last: ChatMessage | undefined = chat.messages.at(-1);
  const sent: Promise<ChatMessage> = chat.sendMessage({ content: 'hi' }, { signal: AbortSignal.timeout(1000) });
  void chat.deleteMessage({ id: last?.id ?? '', reason: 'spam' });
  void chat.disconnectUser({ userId: 'bob' }).then((event) => event.userId);
  void chat.connect().then(() => chat.disconnect());
  void sent;
  if (chat.error && 'code' in chat.error) void chat.error.code;
  void chat.room?.pendingRequestCount;
  // @ts-expect-error messages are read-only
  chat.messages.push(last!);
  // @ts-expect-error tokenProvider is required
  useChatRoom({ regionOrUrl: 'us-east-1' });
  // @ts-expect-error not a ChatRoom event
  useChatRoom({ regionOrUrl: 'us-east-1', tokenProvider: () => ({ token: 't' }), listeners: { messages: () => {} } });
  const options: UseChatRoomOptions = { regionOrUrl: 'ws://127.0.0.1:1', tokenProvider: () => ({ token: 't' }) };
  void options;
  return chat.state;
}
