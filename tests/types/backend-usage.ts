// Compiled by `tsc` (never run): the backend's public types accept the documented uses and
// refuse misuse.
import { createServer } from 'node:http';
import {
  ChatTokenSigningError,
  ChatTokenValidationError,
  ChatHistoryError,
  createHistoryHandler,
  createLoggingConfiguration,
  createRoom,
  createTokenHandler,
  credentialsFromEnv,
  deleteLoggingConfiguration,
  readRoomHistory,
  deleteMessage,
  disconnectUser,
  listLoggingConfigurations,
  IvsChatRequestError,
  RequestValidationError,
  sendEvent,
  signSendEventRequest,
  regionFromEnv,
  signCreateChatTokenRequest,
  TokenHandlerError,
  toNodeListener,
  type RoomHistory,
  updateLoggingConfiguration,
  type LoggingConfiguration,
  type SignedChatTokenRequest,
  type TokenHandlerLogEntry,
} from 'ivschat-wasm/backend';
import type { ChatMessage } from 'ivschat-wasm';

const ROOM = 'arn:aws:ivschat:us-east-1:123456789012:room/AbCdEf123456';

export async function usage(env: Record<string, string>): Promise<void> {
  const signed: SignedChatTokenRequest = await signCreateChatTokenRequest(
    { roomIdentifier: ROOM, userId: 'alice', capabilities: ['SEND_MESSAGE'] },
    { credentials: credentialsFromEnv(), region: regionFromEnv(), endpoint: new URL('http://127.0.0.1:4566'), now: new Date(0) },
  );
  await fetch(signed.url, { method: signed.method, headers: signed.headers, body: signed.body });
  const moderation = { credentials: credentialsFromEnv(env), endpoint: 'http://127.0.0.1:4566', timeoutMs: 2000, signal: AbortSignal.timeout(5000) };
  try {
    const { id }: { id: string } = await sendEvent({ roomIdentifier: ROOM, eventName: 'app:DELETE_USER_MESSAGES', attributes: { userId: 'bob' } }, moderation);
    await deleteMessage({ roomIdentifier: ROOM, id, reason: 'spam' }, moderation);
    await disconnectUser({ roomIdentifier: ROOM, userId: 'bob' }, moderation);
    await signSendEventRequest({ roomIdentifier: ROOM, eventName: 'x' }, { credentials: credentialsFromEnv(env) });
  } catch (error) {
    if (error instanceof RequestValidationError) void [error.operation, error.errors];
    if (error instanceof IvsChatRequestError && error.errorType === 'ThrottlingException') void error.limit;
  }
  // @ts-expect-error eventName is required
  await sendEvent({ roomIdentifier: ROOM }, moderation);
  createServer(toNodeListener(createTokenHandler({ credentials: credentialsFromEnv(env), authorize: () => null }), { trustProxy: true }));
  try {
    await signCreateChatTokenRequest({ roomIdentifier: ROOM, userId: '' }, { credentials: credentialsFromEnv(env) });
  } catch (error) {
    if (error instanceof ChatTokenValidationError) void error.errors[0]?.field;
    if (error instanceof ChatTokenSigningError) {
      const field: string = error.field;
      void field;
    }
  }

  const logged: TokenHandlerLogEntry[] = [];
  const handler = createTokenHandler({
    getCredentials: async () => credentialsFromEnv(env),
    allowedOrigins: ['https://app.example.com'],
    logger: (entry) => logged.push(entry),
    async authorize(request, body) {
      if (!request.headers.get('authorization')) throw new TokenHandlerError(401, 'Sign in first.');
      if (body.roomIdentifier !== ROOM) return null;
      return { roomIdentifier: ROOM, userId: 'user-1', capabilities: ['SEND_MESSAGE', 'DELETE_MESSAGE'] };
    },
  });
  const response: Response = await handler(new Request('https://api.example.com/token', { method: 'POST' }));
  void response.status;
  createServer(toNodeListener(handler)).listen(0, '127.0.0.1');

  // @ts-expect-error authorize is required
  createTokenHandler({ credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  // @ts-expect-error the server decides capabilities from the closed set
  createTokenHandler({ credentials: credentialsFromEnv(), authorize: () => ({ roomIdentifier: ROOM, userId: 'u', capabilities: ['ADMIN'] }) });
  // @ts-expect-error credentials need a secret key
  await signCreateChatTokenRequest({ roomIdentifier: ROOM, userId: 'u' }, { credentials: { accessKeyId: 'a' } });

  // Room history: a function and a fetch handler.
  try {
    const history: RoomHistory = await readRoomHistory({ roomIdentifier: ROOM, logGroupName: '/ivs/chat', limit: 50, credentials: credentialsFromEnv(env), signal: AbortSignal.timeout(5000) });
    const first: ChatMessage | undefined = history.messages[0];
    const sent: Date | undefined = first?.sendTime;
    void sent;
    void history.skipped.notJson;
  } catch (error) {
    if (error instanceof ChatHistoryError && error.code === 'LOG_GROUP_NOT_FOUND') void error.logGroupName;
  }
  const historyHandler = createHistoryHandler({
    credentials: credentialsFromEnv(env),
    logGroupName: '/ivs/chat',
    cacheTtlMs: 5000,
    allowedOrigins: ['https://app.example.com'],
    authorize: (_request, query) => (query.roomIdentifier === ROOM ? { roomIdentifier: ROOM, limit: 20 } : null),
  });
  void (await historyHandler(new Request(`https://api.example.com/history?roomIdentifier=${ROOM}`))).status;
  // @ts-expect-error the log group is required
  await readRoomHistory({ roomIdentifier: ROOM, credentials: credentialsFromEnv(env) });
  // @ts-expect-error authorize names the room
  createHistoryHandler({ credentials: credentialsFromEnv(env), authorize: () => ({ room: ROOM }) });
  // @ts-expect-error no such error code
  new ChatHistoryError('NOT_A_CODE', 'm');

  // Logging configurations: exactly one destination, the configuration's ARN for rooms.
  const admin = { credentials: credentialsFromEnv(env), region: 'us-east-1' };
  const logs: LoggingConfiguration = await createLoggingConfiguration({ name: 'history', destinationConfiguration: { cloudWatchLogs: { logGroupName: '/ivschat/lobby' } } }, admin);
  await createRoom({ loggingConfigurationIdentifiers: [logs.arn] }, admin);
  const { loggingConfigurations, nextToken } = await listLoggingConfigurations({ maxResults: 10 }, admin);
  void [loggingConfigurations[0]?.destinationConfiguration, nextToken];
  await updateLoggingConfiguration({ identifier: logs.arn, destinationConfiguration: { s3: { bucketName: 'chat-archive' } } }, admin);
  await deleteLoggingConfiguration({ identifier: logs.arn }, admin);
  // @ts-expect-error a destination is required
  await createLoggingConfiguration({ name: 'history' }, admin);
  // @ts-expect-error exactly one destination
  await createLoggingConfiguration({ destinationConfiguration: { s3: { bucketName: 'a-b' }, firehose: { deliveryStreamName: 'x' } } }, admin);
  // @ts-expect-error tags are set when the configuration is created
  await updateLoggingConfiguration({ identifier: logs.arn, tags: { a: 'b' } }, admin);
}
