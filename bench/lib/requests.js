// The CreateChatToken requests every signer gets: a fixed, varied set (what token backends send:
// short ASCII and non-ASCII user ids, capabilities, display attributes), cycled in order.

export const CREDENTIALS = Object.freeze({
  accessKeyId: 'ASIABENCHMARK0000001',
  secretAccessKey: 'benchmarkSecretAccessKey/0123456789abcdefg',
  sessionToken: 'IQoJb3JpZ2luX2VjEBenchmarkSessionToken0123456789abcdefghijklmnopqrstuvwxyz/ABCDEFGHIJKLMNOPQRSTUVWXYZ+0123456789==',
});
export const REGION = 'us-east-1';
export const HOST = `ivschat.${REGION}.amazonaws.com`;
export const SIGNING_DATE = new Date(Date.UTC(2025, 0, 15, 12, 30, 45));

const NAMES = ['alice', 'bob', 'Zoë', 'José María', '山田太郎', 'Ŝanĝo', 'user-1234567890', 'Дмитрий'];
const COLORS = ['#ff0000', '#00aa00', '#3366ff', '#999999'];
const CAPABILITY_SETS = [undefined, ['SEND_MESSAGE'], ['SEND_MESSAGE', 'DELETE_MESSAGE'], ['SEND_MESSAGE', 'DELETE_MESSAGE', 'DISCONNECT_USER']];

/** 64 requests. */
export const REQUESTS = Array.from({ length: 64 }, (_, i) => {
  /** @type {Record<string, unknown>} */
  const request = {
    roomIdentifier: `arn:aws:ivschat:${REGION}:123456789012:room/Room${String(i % 8).padStart(8, '0')}`,
    userId: `${NAMES[i % NAMES.length]}-${i}`,
  };
  const capabilities = CAPABILITY_SETS[i % CAPABILITY_SETS.length];
  if (capabilities) request.capabilities = capabilities;
  if (i % 3 !== 0) request.sessionDurationInMinutes = 30 + (i % 150);
  if (i % 4 !== 3) request.attributes = { displayName: NAMES[(i + 3) % NAMES.length], color: COLORS[i % COLORS.length], avatar: `https://cdn.example.com/a/${i}.png` };
  return request;
});
