// Runs in Chromium: the browser entry fetches and instantiates the wasm itself, under a strict CSP.
import { createChatToken, validateCreateChatTokenRequest, ChatTokenValidationError } from '../../js/public.js';

const roomIdentifier = 'arn:aws:ivschat:us-west-2:123456789012:room/AbCdEf123456';
const outcome = {};
try {
  const report = await validateCreateChatTokenRequest({ roomIdentifier, userId: 'x'.repeat(129), capabilities: ['SEND_MESSAGE', 'NOPE'] });
  outcome.errors = report.errors.map((e) => `${e.field}:${e.code}`);
  const token = await createChatToken({ endpoint: '/token', roomIdentifier, userId: 'ü-user' });
  outcome.token = token.token;
  outcome.sessionExpiration = token.sessionExpirationTime.toISOString();
  try {
    await createChatToken({ endpoint: '/token', roomIdentifier: 'bad', userId: 'a' });
  } catch (error) {
    outcome.validationErrorClass = error instanceof ChatTokenValidationError;
  }
} catch (error) {
  outcome.failure = String(error?.stack ?? error);
}
window.__outcome = outcome;
document.getElementById('status').textContent = 'done';
