// The demo page: a join form checked live by the WebAssembly validator, then a chat room.
// Everything that touches IVS rules (validation, frames, parsing) happens in ivschat-wasm.
import {
  ChatRoom,
  ChatTokenRequestError,
  ChatTokenValidationError,
  fetchTokenProvider,
  validateCreateChatTokenRequest,
} from '/ivschat-wasm/js/entry/browser.js';

const CAPABILITIES_BY_ROLE = {
  viewer: [],
  chatter: ['SEND_MESSAGE'],
  moderator: ['SEND_MESSAGE', 'DELETE_MESSAGE', 'DISCONNECT_USER'],
};
const TOKEN_ENDPOINT = '/api/chat-token';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const ui = {
  joinSection: $('join'), chatSection: $('chat'), joinForm: /** @type {HTMLFormElement} */ ($('join-form')),
  name: /** @type {HTMLInputElement} */ ($('name')), color: /** @type {HTMLInputElement} */ ($('color')),
  joinButton: /** @type {HTMLButtonElement} */ ($('join-button')), joinError: $('join-error'), roomLine: $('room-line'),
  connection: $('connection'), session: $('session'), me: $('me'), leave: $('leave'), messages: $('messages'),
  composer: /** @type {HTMLFormElement} */ ($('composer')), content: /** @type {HTMLTextAreaElement} */ ($('content')),
  counter: $('counter'), send: /** @type {HTMLButtonElement} */ ($('send')), sendError: $('send-error'), viewerNote: $('viewer-note'),
};
const fieldErrors = { name: $('name-error'), role: $('role-error'), color: $('color-error') };

/** @type {{ roomArn: string, messagingUrl: string, maximumMessageLength: number, mode: string } | undefined} */
let config;
/** @type {ChatRoom | undefined} */
let room;
let me = { userId: '', role: 'chatter' };
let sessionEndsAt = 0;
const MAX_RECONNECT_ATTEMPTS = 5;
let everConnected = false;
let attempt = 0; // token fetches (= connection attempts) since the last connect
let renewing = false;
let kickedMe = false;
let sessionTimer = 0;

function role() {
  return /** @type {HTMLInputElement} */ (ui.joinForm.querySelector('input[name="role"]:checked')).value;
}

function joinRequest() {
  return {
    roomIdentifier: config?.roomArn ?? '',
    userId: ui.name.value.trim(),
    capabilities: CAPABILITIES_BY_ROLE[role()],
    attributes: { displayName: ui.name.value.trim(), color: ui.color.value },
  };
}

/** Which form field shows an error about a CreateChatToken field. */
function formFieldFor(path) {
  if (path === 'userId' || path === 'attributes.displayName' || path === 'attributes') return 'name';
  if (path.startsWith('capabilities')) return 'role';
  if (path === 'attributes.color') return 'color';
  return undefined;
}

function showFieldErrors(errors) {
  for (const element of Object.values(fieldErrors)) element.textContent = '';
  ui.name.removeAttribute('aria-invalid');
  const general = [];
  for (const error of errors) {
    const field = formFieldFor(error.field);
    if (!field) {
      general.push(error.message);
      continue;
    }
    if (!fieldErrors[field].textContent) fieldErrors[field].textContent = friendly(error);
    if (field === 'name') ui.name.setAttribute('aria-invalid', 'true');
  }
  ui.joinError.textContent = general.join(' ');
}

/** The validator's sentences name API fields; on the form the user sees "display name". */
function friendly(error) {
  if (error.field === 'userId' && error.code === 'TOO_SHORT') return 'Enter a display name.';
  if (error.field === 'userId' && error.code === 'TOO_LONG') return error.message.replace('userId', 'The display name');
  if (error.field === 'attributes' && error.code === 'TOO_LARGE') return 'The display name is too long to attach to your messages.';
  return error.message.replace(/^userId|^attributes\.displayName/, 'The display name');
}

let validationRun = 0;
async function validateJoinForm() {
  const run = ++validationRun;
  const report = await validateCreateChatTokenRequest(joinRequest());
  if (run !== validationRun) return report; // a newer keystroke already answered
  showFieldErrors(report.errors);
  ui.joinButton.disabled = !report.ok || !config;
  return report;
}

async function join(event) {
  event.preventDefault();
  const report = await validateJoinForm();
  if (!report.ok || !config) return;
  const request = joinRequest();
  me = { userId: request.userId, role: role() };
  ui.joinButton.disabled = true;
  ui.joinError.textContent = '';
  const provide = fetchTokenProvider(TOKEN_ENDPOINT, request);
  everConnected = false;
  kickedMe = false;
  attempt = 0;
  room = new ChatRoom({
    regionOrUrl: config.messagingUrl,
    maxMessageLength: config.maximumMessageLength,
    maxReconnectAttempts: MAX_RECONNECT_ATTEMPTS,
    tokenProvider: async () => {
      if (room?.state === 'connected') {
        // A new token while connected is the seamless renewal: the next connection opens before this one ends.
        renewing = true;
        addNotice('Renewing the session: opening the next connection before this one ends…');
      } else {
        attempt += 1;
        if (everConnected) setConnection('connecting', `reconnecting — attempt ${attempt} of ${MAX_RECONNECT_ATTEMPTS + 1}`);
      }
      const token = await provide();
      if (renewing) {
        renewing = false;
        addNotice('Session renewed without a gap.', 'ok');
        ui.session.classList.add('renewed');
      }
      sessionEndsAt = token.sessionExpirationTime.getTime();
      return token;
    },
  });
  wireRoom(room);
  room.connect();
}

function wireRoom(chat) {
  chat.addListener('connecting', () => {
    if (everConnected) addNotice('Connection lost — reconnecting…', 'warn');
    setConnection('connecting', everConnected ? `reconnecting — attempt 1 of ${MAX_RECONNECT_ATTEMPTS + 1}` : 'connecting…');
  });
  chat.addListener('connect', () => {
    if (everConnected) addNotice(`Reconnected after ${attempt} attempt${attempt === 1 ? '' : 's'}.`, 'ok');
    everConnected = true;
    attempt = 0;
    setConnection('connected', 'connected');
    showChat();
    startSessionClock();
  });
  chat.addListener('disconnect', (detail) => {
    const reason = kickedMe ? 'kicked' : typeof detail === 'string' ? detail : detail?.reason ?? 'unknown';
    setConnection('disconnected', `disconnected: ${REASONS[reason] ?? reason}`);
    addNotice(`Disconnected — ${REASONS[reason] ?? reason}.`, 'warn');
    ui.session.hidden = true;
    updateComposer();
    stopSessionClock();
  });
  chat.addListener('message', (message) => addMessage(message));
  chat.addListener('messageDelete', (deletion) => {
    const item = ui.messages.querySelector(`[data-id="${CSS.escape(deletion.messageId)}"]`);
    if (item) item.replaceWith(notice(`A message was deleted by a moderator${deletion.reason ? `: ${deletion.reason}` : ''}.`));
  });
  chat.addListener('userDisconnect', (kick) => {
    if (kick.userId === me.userId) kickedMe = true;
    addNotice(kick.userId === me.userId ? 'You were removed from the room by a moderator.' : `${kick.userId} was removed by a moderator${kick.reason ? `: ${kick.reason}` : ''}.`, 'warn');
  });
  chat.addListener('event', (event) => {
    if (!event.eventName.startsWith('aws:')) addNotice(`Event: ${event.eventName}`);
  });
  chat.addListener('error', (error) => {
    // Failed attempts show in the connection indicator; the rest deserve a line in the chat.
    if (error.code === 'CONNECTION_FAILED' || error.code === 'TOKEN_FETCH_FAILED') return;
    addNotice(readable(error), 'warn');
  });
}

const REASONS = {
  clientDisconnect: 'you left',
  serverDisconnect: 'the server closed the connection',
  socketError: 'the connection failed',
  fetchTokenError: 'no chat token could be had',
  sessionExpired: 'the session ended',
  kicked: 'removed by a moderator',
};

function setConnection(kind, text) {
  ui.connection.className = `pill pill-${kind}`;
  ui.connection.textContent = text;
  updateComposer();
}

function showChat() {
  ui.joinSection.hidden = true;
  ui.chatSection.hidden = false;
  ui.me.textContent = `${me.userId} · ${me.role}`;
  const canSend = me.role !== 'viewer';
  ui.composer.hidden = !canSend;
  ui.viewerNote.hidden = canSend;
  updateCounter();
}

function updateComposer() {
  const connected = room?.state === 'connected';
  ui.send.disabled = !connected || overLimit();
  ui.content.disabled = !connected;
}

function startSessionClock() {
  stopSessionClock();
  const tick = () => {
    const left = Math.max(0, sessionEndsAt - Date.now());
    const minutes = Math.floor(left / 60000);
    const seconds = Math.floor((left % 60000) / 1000);
    ui.session.hidden = !sessionEndsAt;
    ui.session.textContent = `session ${minutes}:${String(seconds).padStart(2, '0')} left`;
  };
  tick();
  sessionTimer = window.setInterval(tick, 1000);
}

function stopSessionClock() {
  window.clearInterval(sessionTimer);
}

function limit() {
  return config?.maximumMessageLength ?? 500;
}

/** Display only: the limit itself is enforced by the WebAssembly frame builder. */
function codePoints(text) {
  return Array.from(text).length;
}

function overLimit() {
  return codePoints(ui.content.value) > limit();
}

function updateCounter() {
  const used = codePoints(ui.content.value);
  ui.counter.textContent = `${used} / ${limit()}`;
  ui.counter.classList.toggle('over', used > limit());
  ui.content.setAttribute('aria-invalid', String(used > limit()));
  updateComposer();
}

async function send(event) {
  event.preventDefault();
  if (!room) return;
  const content = ui.content.value;
  if (!content.trim()) return;
  ui.sendError.textContent = '';
  ui.send.disabled = true;
  try {
    await room.sendMessage({ content });
    ui.content.value = '';
    updateCounter();
  } catch (error) {
    ui.sendError.textContent = readable(error);
  } finally {
    updateComposer();
    ui.content.focus();
  }
}

function timeOf(date) {
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function addMessage(message) {
  const item = document.createElement('li');
  item.className = 'message';
  item.dataset.id = message.id;
  item.dataset.sender = message.sender.userId;
  if (message.sender.userId === me.userId) item.classList.add('mine');
  const who = document.createElement('div');
  who.className = 'who';
  who.textContent = message.sender.attributes?.displayName || message.sender.userId;
  const color = message.sender.attributes?.color;
  if (color && /^#[0-9a-fA-F]{6}$/.test(color)) who.style.color = color;
  const when = document.createElement('span');
  when.className = 'when';
  when.textContent = timeOf(message.sendTime);
  who.append(when);
  const text = document.createElement('div');
  text.className = 'text';
  text.textContent = message.content;
  item.append(who, text);
  if (me.role === 'moderator') item.append(moderatorActions(message));
  append(item);
}

function moderatorActions(message) {
  const actions = document.createElement('div');
  actions.className = 'actions';
  const remove = document.createElement('button');
  remove.type = 'button';
  remove.textContent = 'Delete';
  remove.setAttribute('aria-label', `Delete message from ${message.sender.userId}`);
  remove.addEventListener('click', () => act(() => room?.deleteMessage({ id: message.id, reason: 'Removed by a moderator' })));
  actions.append(remove);
  if (message.sender.userId !== me.userId) {
    const kick = document.createElement('button');
    kick.type = 'button';
    kick.textContent = 'Kick';
    kick.setAttribute('aria-label', `Kick ${message.sender.userId}`);
    kick.addEventListener('click', () => act(() => room?.disconnectUser({ userId: message.sender.userId, reason: 'Kicked by a moderator' })));
    actions.append(kick);
  }
  return actions;
}

async function act(action) {
  try {
    await action();
  } catch (error) {
    addNotice(readable(error), 'warn');
  }
}

function notice(text, kind = '') {
  const item = document.createElement('li');
  item.className = `notice ${kind}`;
  item.textContent = text;
  return item;
}

function addNotice(text, kind = '') {
  append(notice(text, kind));
}

function append(item) {
  const atBottom = ui.messages.scrollHeight - ui.messages.scrollTop - ui.messages.clientHeight < 40;
  ui.messages.append(item);
  if (atBottom) ui.messages.scrollTop = ui.messages.scrollHeight;
}

/** A sentence for people: never a stack, never a token. */
function readable(error) {
  if (error instanceof ChatTokenValidationError) return error.errors.map((e) => e.message).join(' ');
  if (error instanceof ChatTokenRequestError) {
    if (error.code === 'HTTP_ERROR') return `The token service refused: ${error.awsMessage ?? error.errorType}.`;
    return 'The token service could not be reached. Check your connection and try again.';
  }
  const code = error?.code;
  const messages = {
    VALIDATION: error?.errors?.map?.((e) => e.message).join(' '),
    FORBIDDEN: 'You are not allowed to do that in this room.',
    RATE_LIMITED: 'Slow down a little: too many messages at once.',
    TIMEOUT: 'The chat service did not answer in time. Try again.',
    DISCONNECTED: 'Not connected: the message was not sent.',
    PAYLOAD_TOO_LARGE: 'That message is longer than this room allows.',
    MALFORMED_FRAME: 'The chat service sent something unreadable; it was skipped.',
  };
  return (code && messages[code]) || error?.message || 'Something went wrong.';
}

async function loadConfig() {
  try {
    const response = await fetch('/api/config');
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    config = await response.json();
    ui.roomLine.textContent = config.mode === 'aws'
      ? `Room ${config.roomArn.split('/').pop()} on Amazon IVS (${config.region}).`
      : `Room ${config.roomArn.split('/').pop()} on the local IVS Chat server.`;
    updateCounter();
    await validateJoinForm();
  } catch {
    ui.roomLine.textContent = 'The demo server is not answering. Is `npm start` running?';
  }
}

ui.joinForm.addEventListener('submit', join);
ui.joinForm.addEventListener('input', () => void validateJoinForm());
ui.composer.addEventListener('submit', send);
ui.content.addEventListener('input', updateCounter);
ui.content.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey) {
    event.preventDefault();
    ui.composer.requestSubmit();
  }
});
ui.leave.addEventListener('click', () => {
  room?.disconnect();
  room = undefined;
  ui.chatSection.hidden = true;
  ui.joinSection.hidden = false;
  ui.session.hidden = true;
  ui.messages.replaceChildren();
  setConnection('idle', 'not connected');
  void validateJoinForm();
});
void loadConfig();
