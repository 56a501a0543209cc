// The demo page: a join form checked live by the WebAssembly validator, then a chat room.
// Everything that touches IVS rules (validation, frames, parsing) happens in ivschat-wasm.
// Who the visitor is, is the demo server's choice: /api/config gives this page a userId and a
// ticket for it; the display name typed here is only an attribute of the token.
import {
  ChatRoom,
  chatHistory,
  ChatTokenRequestError,
  ChatTokenValidationError,
  fetchTokenProvider,
  validateCreateChatTokenRequest,
} from 'ivschat-wasm';

/** @type {Record<string, import('ivschat-wasm').ChatTokenCapability[]>} */
const CAPABILITIES_BY_ROLE = {
  viewer: [],
  chatter: ['SEND_MESSAGE'],
  moderator: ['SEND_MESSAGE', 'DELETE_MESSAGE', 'DISCONNECT_USER'],
};
const TOKEN_ENDPOINT = '/api/chat-token';
const BAN_ENDPOINT = '/api/ban';
// The demo server's headers (web-demo/server.js): the page's identity ticket, the moderator code.
const IDENTITY_HEADER = 'x-ivschat-demo-identity';
const MODERATOR_CODE_HEADER = 'x-ivschat-demo-moderator-code';
const DISPLAY_NAME_MAX = 128; // the server checks the same
// The server's display-name rule (web-demo/roles.js), mirrored for the form: bidi controls taken
// out, no control characters, something visible.
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Z}\s\p{M}\u2800]/gu;
const CONTROL = /\p{Cc}/u;
// What a ban sends (web-demo/bans.js): the event that removes a user's messages, the reason
// the user is disconnected with, and the error type of a banned browser's token refusals.
const DELETE_USER_MESSAGES = 'app:DELETE_USER_MESSAGES';
const BAN_REASON = 'Banned by a moderator';
const BANNED_ERROR_TYPE = 'SessionBannedException';

/**
 * @typedef {import('ivschat-wasm').ChatError} ChatError
 * @typedef {import('ivschat-wasm').ChatMessage} ChatMessage
 * @typedef {{ field: string, code: string, message: string }} FormError a form's or the validator's
 */

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const ui = {
  joinSection: $('join'), chatSection: $('chat'), joinForm: /** @type {HTMLFormElement} */ ($('join-form')),
  name: /** @type {HTMLInputElement} */ ($('name')), color: /** @type {HTMLInputElement} */ ($('color')),
  code: /** @type {HTMLInputElement} */ ($('code')), codeField: $('code-field'), moderatorRadio: /** @type {HTMLInputElement} */ ($('role-moderator')),
  moderatorNote: $('moderator-note'),
  joinButton: /** @type {HTMLButtonElement} */ ($('join-button')), joinError: $('join-error'), roomLine: $('room-line'),
  connection: $('connection'), session: $('session'), me: $('me'), leave: $('leave'), messages: $('messages'),
  composer: /** @type {HTMLFormElement} */ ($('composer')), content: /** @type {HTMLTextAreaElement} */ ($('content')),
  counter: $('counter'), send: /** @type {HTMLButtonElement} */ ($('send')), sendError: $('send-error'), viewerNote: $('viewer-note'),
  filterNote: $('filter-note'),
};
const fieldErrors = { name: $('name-error'), role: $('role-error'), color: $('color-error'), code: $('code-error') };

/**
 * @type {{ roomArn: string, messagingUrl: string, maximumMessageLength: number, mode: string, region: string,
 *   moderators: 'code' | 'open' | 'off', wordFilter: { starred: string[], refused: string[] } | null,
 *   history: string | null, identity: { userId: string, ticket: string } } | undefined}
 */
let config;
/** @type {ChatRoom | undefined} */
let room;
let me = { userId: '', displayName: '', role: 'chatter' };
/** The moderator code this page joined with: bans send it, as token requests do. */
let moderatorCode = '';
/** Display names seen in this room, by userId (kick notices name people, not ids). */
const displayNames = new Map();
/** Fields the visitor has typed in or changed: only their errors are shown (all after a submit). */
const touched = new Set();
let sessionEndsAt = 0;
const MAX_RECONNECT_ATTEMPTS = 5;
let everConnected = false;
let attempt = 0; // the room's `attempt` under way (of this outage or renewal)
let kickedMe = false;
let sessionTimer = 0;
/**
 * This page's messages on their way, by requestId: shown as they are sent ("sending…"), turned
 * into the message when its echo arrives, "not confirmed" when the room timed out waiting for it
 * (the echo may still come: the room's `delivered` event), gone when the send definitely failed.
 * @type {Map<string, { item: HTMLLIElement, content: string }>}
 */
const outgoing = new Map();

function role() {
  return /** @type {HTMLInputElement} */ (ui.joinForm.querySelector('input[name="role"]:checked')).value;
}

function displayName() {
  return ui.name.value.replace(BIDI_CONTROLS, '').trim();
}

function joinRequest() {
  return {
    roomIdentifier: config?.roomArn ?? '',
    // The server's choice (it ignores this field and reads the ticket); sent so the request
    // validates and the room knows its own user.
    userId: config?.identity.userId ?? '',
    capabilities: CAPABILITIES_BY_ROLE[role()],
    attributes: { displayName: displayName(), color: ui.color.value },
  };
}

/** The rules the form has besides the request's: a display name, and the moderator code when one is needed. */
function formErrors() {
  const errors = [];
  const length = Array.from(displayName()).length;
  if (length === 0) errors.push({ field: 'attributes.displayName', code: 'REQUIRED', message: 'Enter a display name.' });
  else if (CONTROL.test(displayName())) {
    errors.push({ field: 'attributes.displayName', code: 'PATTERN', message: 'The display name must not contain control characters such as line breaks or tabs.' });
  } else if (displayName().replace(INVISIBLE, '') === '') {
    errors.push({ field: 'attributes.displayName', code: 'PATTERN', message: 'The display name has no visible character: enter a name others can see.' });
  } else if (length > DISPLAY_NAME_MAX) {
    errors.push({ field: 'attributes.displayName', code: 'TOO_LONG', message: `The display name must have at most ${DISPLAY_NAME_MAX} characters; it has ${length}.` });
  }
  if (role() === 'moderator' && config?.moderators === 'code' && ui.code.value === '') {
    errors.push({ field: 'moderatorCode', code: 'REQUIRED', message: 'Enter the moderator code.' });
  }
  return errors;
}

/**
 * Which form field shows an error about a CreateChatToken field.
 * @param {string} path
 * @returns {keyof typeof fieldErrors | undefined}
 */
function formFieldFor(path) {
  if (path === 'attributes.displayName' || path === 'attributes') return 'name';
  if (path.startsWith('capabilities')) return 'role';
  if (path === 'attributes.color') return 'color';
  if (path === 'moderatorCode') return 'code';
  return undefined;
}

/** @param {FormError[]} errors */
function showFieldErrors(errors) {
  for (const element of Object.values(fieldErrors)) element.textContent = '';
  ui.name.removeAttribute('aria-invalid');
  ui.code.removeAttribute('aria-invalid');
  const general = [];
  for (const error of errors) {
    const field = formFieldFor(error.field);
    if (!field) {
      // Not about anything the visitor typed (the room, the server's userId): always shown.
      general.push(error.message);
      continue;
    }
    if (!touched.has(field)) continue; // an untouched form shows no errors
    if (!fieldErrors[field].textContent) fieldErrors[field].textContent = friendly(error);
    if (field === 'name' || field === 'code') ui[field].setAttribute('aria-invalid', 'true');
  }
  ui.joinError.textContent = general.join(' ');
}

/**
 * The validator's sentences name API fields; on the form the user sees "display name".
 * @param {FormError} error
 */
function friendly(error) {
  if (error.field === 'attributes' && error.code === 'TOO_LARGE') return 'The display name is too long to attach to your messages.';
  return error.message.replace(/^attributes\.displayName/, 'The display name');
}

let validationRun = 0;
async function validateJoinForm() {
  const run = ++validationRun;
  const report = await validateCreateChatTokenRequest(joinRequest());
  const errors = [...formErrors(), ...report.errors];
  const result = { ok: errors.length === 0, errors };
  if (run !== validationRun) return result; // a newer keystroke already answered
  showFieldErrors(errors);
  // Untouched, the button stays usable: pressing it is what shows what is missing.
  ui.joinButton.disabled = !config || (!result.ok && touched.size > 0);
  return result;
}

/** @param {SubmitEvent} event */
async function join(event) {
  event.preventDefault();
  for (const field of Object.keys(fieldErrors)) touched.add(field);
  const report = await validateJoinForm();
  if (!report.ok || !config) return;
  const request = joinRequest();
  const code = ui.code.value;
  me = { userId: request.userId, displayName: request.attributes.displayName, role: role() };
  moderatorCode = me.role === 'moderator' ? code : '';
  ui.joinButton.disabled = true;
  ui.joinError.textContent = '';
  const provide = fetchTokenProvider(TOKEN_ENDPOINT, request, {
    headers: {
      [IDENTITY_HEADER]: config.identity.ticket,
      ...(me.role === 'moderator' && code ? { [MODERATOR_CODE_HEADER]: code } : {}),
    },
  });
  // The first token is asked for here, so a refusal (a wrong moderator code, too many tries)
  // is told on the form instead of turning into reconnect attempts.
  /** @type {import('ivschat-wasm').ChatToken | undefined} */
  let firstToken;
  setConnection('connecting', 'connecting…');
  try {
    firstToken = await provide();
  } catch (error) {
    setConnection('idle', 'not connected');
    showJoinRefusal(error);
    ui.joinButton.disabled = false;
    return;
  }
  everConnected = false;
  kickedMe = false;
  attempt = 0;
  room = new ChatRoom({
    regionOrUrl: config.messagingUrl,
    maxMessageLength: config.maximumMessageLength,
    maxReconnectAttempts: MAX_RECONNECT_ATTEMPTS,
    // The session clock reads each token's sessionExpirationTime; attempts and renewals are the room's events (wireRoom).
    tokenProvider: async () => {
      const token = firstToken ?? (await provide());
      firstToken = undefined;
      sessionEndsAt = token.sessionExpirationTime?.getTime() ?? 0;
      return token;
    },
    // A joiner sees the room's recent messages at once (the server reads the room's chat log),
    // read with the token and again once the log has caught up with what the socket delivered.
    ...(config.history ? { history: chatHistory({ url: config.history, fetch: withIdentity(config.identity.ticket) }) } : {}),
  });
  wireRoom(room);
  room.connect();
}

/**
 * A token refusal at join time, next to what caused it.
 * @param {unknown} error
 */
function showJoinRefusal(error) {
  const refusal = error instanceof ChatTokenRequestError && error.code === 'HTTP_ERROR' ? (error.awsMessage || readable(error)) : readable(error);
  // A banned browser is told on the form, whatever role it asked for (it is not about the code).
  if (error instanceof ChatTokenRequestError && error.status === 403 && role() === 'moderator' && error.errorType !== BANNED_ERROR_TYPE) {
    fieldErrors.code.textContent = refusal;
    ui.code.setAttribute('aria-invalid', 'true');
  } else {
    ui.joinError.textContent = refusal;
  }
}

/** @param {ChatRoom} chat */
function wireRoom(chat) {
  chat.addListener('connecting', () => {
    if (everConnected) addNotice('Connection lost — reconnecting…', 'warn');
    setConnection('connecting', everConnected ? `reconnecting — attempt 1 of ${MAX_RECONNECT_ATTEMPTS + 1}` : 'connecting…');
  });
  // Each attempt of an outage (after `connecting`) or of a session renewal (still connected).
  chat.addListener('attempt', (detail) => {
    attempt = detail.attempt;
    if (detail.renewal) {
      if (attempt === 1) addNotice('Renewing the session: opening the next connection before this one ends…');
    } else if (everConnected) {
      setConnection('connecting', `reconnecting — attempt ${attempt} of ${MAX_RECONNECT_ATTEMPTS + 1}`);
    }
  });
  chat.addListener('renewed', () => {
    // The next connection opened before this one's session ended: still connected, a new session clock.
    addNotice('Session renewed without a gap.', 'ok');
    ui.session.classList.add('renewed');
    startSessionClock();
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
    const reason = kickedMe ? 'kicked' : detail;
    setConnection('disconnected', `disconnected: ${REASONS[reason] ?? reason}`);
    // A kick or a ban was already told, by its own notice (with a Rejoin button for a kick).
    if (!kickedMe) addNotice(`Disconnected — ${REASONS[reason] ?? reason}.`, 'warn');
    ui.session.hidden = true;
    updateComposer();
    stopSessionClock();
  });
  chat.addListener('message', (message) => addMessage(message));
  // Older messages: each goes in its place by time, before any shown message sent after it.
  chat.addListener('history', ({ messages }) => {
    for (const message of messages) placeByTime(messageItem(message));
  });
  // A send that timed out (not confirmed) was delivered after all: its echo, just shown in
  // place of the "not confirmed" line, says so, and the warning under the composer goes.
  chat.addListener('delivered', (delivery) => {
    if (delivery.kind !== 'sendMessage') return;
    const item = ui.messages.querySelector(`.message[data-id="${CSS.escape(delivery.result.id)}"]`);
    if (item) {
      const late = document.createElement('span');
      late.className = 'late';
      late.textContent = 'delivered after a delay';
      item.querySelector('.who')?.append(late);
    }
    if (ui.sendError.dataset.requestId === delivery.requestId) clearSendError();
  });
  chat.addListener('messageDelete', (deletion) => {
    const item = ui.messages.querySelector(`[data-id="${CSS.escape(deletion.messageId)}"]`);
    if (item) item.replaceWith(notice(`A message was deleted by a moderator${deletion.reason ? `: ${deletion.reason}` : ''}.`));
  });
  chat.addListener('userDisconnect', (kick) => {
    if (kick.userId === me.userId) kickedMe = true;
    const who = displayNames.has(kick.userId) ? { name: displayNames.get(kick.userId) } : 'Someone';
    const mine = kick.reason === BAN_REASON ? 'You were banned by a moderator: this browser cannot join again.' : 'You were removed from the room by a moderator.';
    const item = notice(kick.userId === me.userId ? mine : [who, ` was removed by a moderator${kick.reason ? `: ${kick.reason}` : ''}.`], 'warn');
    if (kick.userId === me.userId && kick.reason !== BAN_REASON) item.append(rejoinButton());
    append(item);
  });
  chat.addListener('event', (event) => {
    if (event.eventName === DELETE_USER_MESSAGES) {
      if (event.attributes?.userId) removeMessagesOf(event.attributes.userId);
      return;
    }
    if (!event.eventName.startsWith('aws:')) addNotice(`Event: ${event.eventName}`);
  });
  chat.addListener('error', (error) => {
    // Failed attempts show in the connection indicator; the rest deserve a line in the chat.
    if (error.code === 'CONNECTION_FAILED' || error.code === 'TOKEN_FETCH_FAILED') return;
    // A late refusal of a send that was not confirmed: it failed after all.
    if (error.requestId && outgoing.has(error.requestId)) {
      notSent(error.requestId, error);
      return;
    }
    addNotice(readable(error), 'warn');
  });
}

/** A kick is not a ban: the kicked page may come back (a new token, the same room). */
function rejoinButton() {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'rejoin';
  button.textContent = 'Rejoin';
  button.addEventListener('click', () => {
    if (!room || room.state !== 'disconnected') return;
    button.remove();
    kickedMe = false;
    everConnected = false; // joining again, not reconnecting: no "reconnecting" notices
    attempt = 0;
    room.connect().then(() => addNotice('You rejoined the room.', 'ok'), () => {}); // a failure is told by the disconnect notice
  });
  return button;
}

const REASONS = {
  clientDisconnect: 'you left',
  serverDisconnect: 'the server closed the connection',
  socketError: 'the connection failed',
  fetchTokenError: 'no chat token could be had',
  sessionExpired: 'the session ended',
  kicked: 'removed by a moderator',
};

/**
 * @param {'idle' | 'connecting' | 'connected' | 'disconnected'} kind
 * @param {string} text
 */
function setConnection(kind, text) {
  ui.connection.className = `pill pill-${kind}`;
  ui.connection.textContent = text;
  updateComposer();
}

function showChat() {
  ui.joinSection.hidden = true;
  ui.chatSection.hidden = false;
  ui.me.replaceChildren(isolated(me.displayName), ` · ${me.role}`);
  ui.me.dataset.userId = me.userId;
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
/** @param {string} text */
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

/** @param {SubmitEvent} event */
async function send(event) {
  event.preventDefault();
  if (!room) return;
  const content = ui.content.value;
  if (!content.trim() || overLimit()) return;
  clearSendError();
  // The box is emptied as the send starts, so the next message can be typed while this one is
  // on its way; what is typed meanwhile is never touched by this send. The message shows as
  // "sending…" until its echo replaces it.
  ui.content.value = '';
  updateCounter();
  const requestId = newRequestId();
  addOutgoing(requestId, content);
  const sentOnLiveConnection = room.state === 'connected';
  try {
    await room.sendMessage({ content, requestId });
  } catch (/** @type {any} */ error) {
    if (error?.code === 'TIMEOUT') {
      // Not confirmed, not failed: the service may still deliver it (then `delivered`). The text
      // stays out of the box, so that a second Send does not post it twice.
      notConfirmed(requestId);
    } else {
      notSent(requestId, error, sentOnLiveConnection);
    }
  } finally {
    updateComposer();
    if (document.activeElement === document.body || document.activeElement === ui.send) ui.content.focus();
  }
}

/** A requestId for a send (printable ASCII; crypto.randomUUID needs a secure context). */
function newRequestId() {
  return `demo-${Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function clearSendError() {
  ui.sendError.textContent = '';
  delete ui.sendError.dataset.requestId;
}

/** This page's message as it is sent: "sending…" until its echo (or its failure). */
/**
 * @param {string} requestId
 * @param {string} content
 */
function addOutgoing(requestId, content) {
  const item = document.createElement('li');
  item.className = 'outgoing';
  item.dataset.requestId = requestId;
  const who = document.createElement('div');
  who.className = 'who';
  const status = document.createElement('span');
  status.className = 'send-state';
  status.textContent = 'sending…';
  who.append(isolated(me.displayName), status);
  const text = document.createElement('div');
  text.className = 'text';
  text.textContent = content;
  item.append(who, text);
  outgoing.set(requestId, { item, content });
  append(item);
}

/** The room timed out waiting for the echo: the message may still be delivered. */
/** @param {string} requestId */
function notConfirmed(requestId) {
  const sending = outgoing.get(requestId);
  if (!sending) return;
  sending.item.classList.add('unconfirmed');
  const status = sending.item.querySelector('.send-state');
  if (status) status.textContent = 'not confirmed — it may still arrive';
  ui.sendError.textContent = 'The chat service has not confirmed your message yet: it may still be delivered, so it was not put back to be sent again.';
  ui.sendError.dataset.requestId = requestId;
}

/**
 * A send that definitely failed (or whose connection dropped): its line goes and its text comes
 * back, ahead of anything typed since, with the reason under the composer.
 * @param {string} requestId
 * @param {any} error
 */
function notSent(requestId, error, sentOnLiveConnection = false) {
  const sending = outgoing.get(requestId);
  if (!sending) return;
  outgoing.delete(requestId);
  sending.item.remove();
  // A connection that ends while the message is on its way leaves its fate unknown: say so
  // (the text comes back anyway, in case it is to be sent again). A message refused by the
  // room's review (REJECTED) says why.
  ui.sendError.textContent = error?.code === 'DISCONNECTED' && sentOnLiveConnection
    ? 'The connection dropped before the message was confirmed: it may not have been delivered.'
    : error?.code === 'REJECTED' ? `Your message was not delivered: ${reviewReason(error)}`
    : readable(error);
  delete ui.sendError.dataset.requestId;
  const typedSince = ui.content.value;
  ui.content.value = typedSince ? `${sending.content}\n${typedSince}` : sending.content;
  updateCounter();
}

/**
 * Why the room's message review refused a message: the reason the review gave (the ChatError's
 * message ends "Reason: <reason>"), else the whole message.
 * @param {ChatError} error
 */
function reviewReason(error) {
  const reason = /\bReason: ([\s\S]+)$/.exec(error?.message ?? '')?.[1]?.trim();
  if (reason) return /[.!?…]$/.test(reason) ? reason : `${reason}.`;
  return error?.message || 'the room refused it.';
}

/** @param {Date} date */
function timeOf(date) {
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** @param {ChatMessage} message */
function addMessage(message) {
  const item = messageItem(message);
  // The echo of this page's own send takes the place of its "sending…" line.
  const sending = message.requestId === undefined ? undefined : outgoing.get(message.requestId);
  if (sending && message.sender.userId === me.userId) {
    outgoing.delete(/** @type {string} */ (message.requestId));
    sending.item.replaceWith(item);
    return;
  }
  append(item);
}

/**
 * An older message (history) before the first shown one sent after it, or at the end.
 * @param {HTMLLIElement} item
 */
function placeByTime(item) {
  const time = Number(item.dataset.time);
  for (const shown of ui.messages.querySelectorAll('.message[data-time]')) {
    if (Number(/** @type {HTMLElement} */ (shown).dataset.time) > time) {
      shown.before(item);
      return;
    }
  }
  append(item);
}

/**
 * The history endpoint's fetch: with this page's identity ticket, as its token requests.
 * @param {string} ticket
 * @returns {typeof fetch}
 */
function withIdentity(ticket) {
  return (url, init) => fetch(url, { ...init, headers: { ...Object.fromEntries(new Headers(init?.headers)), [IDENTITY_HEADER]: ticket } });
}

/**
 * @param {ChatMessage} message
 * @returns {HTMLLIElement}
 */
function messageItem(message) {
  const item = document.createElement('li');
  item.className = 'message';
  item.dataset.id = message.id;
  item.dataset.time = String(message.sendTime.getTime());
  item.dataset.sender = message.sender.userId;
  if (message.sender.userId === me.userId) item.classList.add('mine');
  const name = senderName(message.sender);
  const who = document.createElement('div');
  who.className = 'who';
  who.append(isolated(name));
  who.title = message.sender.userId; // two people may pick the same name: their ids differ
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
  return item;
}

/**
 * The sender's display name (a token attribute the server set), remembered for kick notices.
 * @param {ChatMessage['sender']} sender
 */
function senderName(sender) {
  const name = sender.attributes?.displayName || 'Someone';
  displayNames.set(sender.userId, name);
  return name;
}

/** @param {ChatMessage} message */
function moderatorActions(message) {
  const name = senderName(message.sender);
  const actions = document.createElement('div');
  actions.className = 'actions';
  const remove = document.createElement('button');
  remove.type = 'button';
  remove.textContent = 'Delete';
  remove.setAttribute('aria-label', `Delete message from ${name}`);
  remove.addEventListener('click', () => act(() => room?.deleteMessage({ id: message.id, reason: 'Removed by a moderator' })));
  actions.append(remove);
  if (message.sender.userId !== me.userId) {
    const kick = document.createElement('button');
    kick.type = 'button';
    kick.textContent = 'Kick';
    kick.setAttribute('aria-label', `Kick ${name}`);
    kick.addEventListener('click', () => act(() => room?.disconnectUser({ userId: message.sender.userId, reason: 'Kicked by a moderator' })));
    const ban = document.createElement('button');
    ban.type = 'button';
    ban.textContent = 'Ban';
    ban.setAttribute('aria-label', `Ban ${name}`);
    ban.addEventListener('click', () => act(() => banUser(message.sender.userId)));
    actions.append(kick, ban);
  }
  return actions;
}

/**
 * Asks the demo server to ban a user: it bans their browser session, disconnects them and has
 * every page remove their messages (the notices come with those events). Sent with this page's
 * ticket and moderator code, which the server checks as it does for a moderator's token.
 * @param {string} userId
 */
async function banUser(userId) {
  const response = await fetch(BAN_ENDPOINT, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [IDENTITY_HEADER]: config?.identity.ticket ?? '',
      ...(moderatorCode ? { [MODERATOR_CODE_HEADER]: moderatorCode } : {}),
    },
    body: JSON.stringify({ userId }),
  });
  if (response.ok) return;
  const answer = await response.json().catch(() => ({}));
  throw new Error(`The ban was refused: ${answer.message ?? `HTTP ${response.status}`}`);
}

/** An app:DELETE_USER_MESSAGES event: that user's messages go, and one notice says so. */
/** @param {string} userId */
function removeMessagesOf(userId) {
  for (const item of ui.messages.querySelectorAll(`.message[data-sender="${CSS.escape(userId)}"]`)) item.remove();
  const name = displayNames.get(userId);
  addNotice(name ? ['Messages from ', { name }, ' were removed by a moderator.'] : 'Messages from a banned user were removed by a moderator.', 'warn');
}

/** @param {() => Promise<unknown> | undefined} action */
async function act(action) {
  try {
    await action();
  } catch (error) {
    addNotice(readable(error), 'warn');
  }
}

/**
 * A display name as shown: in its own <bdi>, so that its direction (a right-to-left name, or
 * one that tries to reverse what follows it) stays inside it.
 * @param {string} name
 */
function isolated(name) {
  const element = document.createElement('bdi');
  element.textContent = name;
  return element;
}

/**
 * A notice line: text, or parts where `{ name }` is a display name (isolated).
 * @param {string | Array<string | { name: string }>} text
 */
function notice(text, kind = '') {
  const item = document.createElement('li');
  item.className = `notice ${kind}`;
  for (const part of Array.isArray(text) ? text : [text]) item.append(typeof part === 'string' ? part : isolated(part.name));
  return item;
}

/**
 * @param {Parameters<typeof notice>[0]} text
 * @param {string} [kind]
 */
function addNotice(text, kind = '') {
  append(notice(text, kind));
}

/** @param {HTMLElement} item */
function append(item) {
  const atBottom = ui.messages.scrollHeight - ui.messages.scrollTop - ui.messages.clientHeight < 40;
  ui.messages.append(item);
  if (atBottom) ui.messages.scrollTop = ui.messages.scrollHeight;
}

/**
 * A sentence for people: never a stack, never a token.
 * @param {any} error
 */
function readable(error) {
  if (error instanceof ChatTokenValidationError) return error.errors.map((e) => e.message).join(' ');
  if (error instanceof ChatTokenRequestError) {
    if (error.code === 'HTTP_ERROR') return `The token service refused: ${error.awsMessage ?? error.errorType}.`;
    return 'The token service could not be reached. Check your connection and try again.';
  }
  const code = error?.code;
  /** @type {Record<string, string | undefined>} */
  const messages = {
    VALIDATION: error?.errors?.map?.((/** @type {FormError} */ e) => e.message).join(' '),
    FORBIDDEN: 'You are not allowed to do that in this room.',
    RATE_LIMITED: 'Slow down a little: too many messages at once.',
    TIMEOUT: 'The chat service did not confirm it in time: it may still take effect.',
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
    const loaded = /** @type {NonNullable<typeof config>} */ (await response.json());
    config = loaded;
    ui.roomLine.textContent = loaded.mode === 'aws'
      ? `Room ${loaded.roomArn.split('/').pop()} on Amazon IVS (${loaded.region}).`
      : `Room ${loaded.roomArn.split('/').pop()} on the local IVS Chat server.`;
    showModeratorAccess();
    showWordFilter();
    updateCounter();
    await validateJoinForm();
  } catch {
    ui.roomLine.textContent = 'The demo server is not answering. Is `npm start` running?';
  }
}

/** What the room's message review does, in one line under the composer (local server only). */
function showWordFilter() {
  const filter = config?.wordFilter;
  ui.filterNote.hidden = !filter;
  if (!filter) return;
  const quote = (/** @type {string[]} */ words) => words.map((word) => `“${word}”`).join(', ');
  ui.filterNote.textContent = `A word filter reviews messages here: ${quote(filter.starred)} are starred out; messages with ${quote(filter.refused)} are refused.`;
}

/** How this demo makes moderators (its server decides; the page only explains). */
function showModeratorAccess() {
  const access = config?.moderators ?? 'off';
  ui.moderatorRadio.disabled = access === 'off';
  ui.moderatorNote.textContent = {
    code: 'deletes, kicks and bans — needs the moderator code',
    open: 'deletes, kicks and bans — open to anyone on the local server',
    off: 'not enabled on this demo',
  }[access];
  if (access === 'off' && role() === 'moderator') /** @type {HTMLInputElement} */ (ui.joinForm.querySelector('input[name="role"][value="chatter"]')).checked = true;
  updateCodeField();
}

function updateCodeField() {
  ui.codeField.hidden = !(config?.moderators === 'code' && role() === 'moderator');
}

/** Marks the field an input or change event came from as touched. */
/** @param {Event} event */
function touch(event) {
  const name = /** @type {HTMLInputElement} */ (event.target).name;
  if (name in fieldErrors) touched.add(name);
  updateCodeField();
  void validateJoinForm();
}

ui.joinForm.addEventListener('submit', join);
ui.joinForm.addEventListener('input', touch);
ui.joinForm.addEventListener('change', touch);
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
