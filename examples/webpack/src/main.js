import { createRoom } from './chat.js';

// Set at build time, from the environment of `webpack` (EnvironmentPlugin in webpack.config.js).
const roomArn = process.env.ROOM_ARN;
const messagingUrl = process.env.IVSCHAT_MESSAGING_URL; // unset on AWS: the room's region is used
const tokenEndpoint = '/api/token'; // your token backend (proxied to it by `webpack serve`)

const $ = (id) => document.getElementById(id);
const setStatus = (state, text) => Object.assign($('status'), { textContent: text }).setAttribute('data-state', state);
let room;

if (!roomArn) setStatus('unconfigured', 'Set ROOM_ARN to the ARN of your room, then rebuild.');

$('join').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!roomArn) return;
  room?.disconnect();
  const name = $('name').value.trim();
  room = createRoom({ roomArn, messagingUrl, tokenEndpoint, name });
  room.addListener('connecting', () => setStatus('connecting', 'Connecting…'));
  room.addListener('connect', () => {
    setStatus('connected', `Connected as ${name}.`);
    $('send').hidden = false;
  });
  room.addListener('disconnect', (reason) => {
    setStatus('disconnected', `Disconnected (${reason}).`);
    $('send').hidden = true;
  });
  room.addListener('message', (message) => {
    const item = document.createElement('li');
    const who = document.createElement('strong');
    who.textContent = message.sender.attributes?.displayName ?? message.sender.userId;
    item.append(who, ` ${message.content}`);
    $('messages').append(item);
  });
  room.addListener('error', (error) => console.error('chat:', error.code, error.message));
  try {
    await room.connect();
  } catch (error) {
    setStatus('failed', `Could not join: ${error.cause?.message ?? error.message}`);
  }
});

$('send').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = $('message');
  try {
    await room.sendMessage({ content: input.value });
    input.value = '';
  } catch (error) {
    setStatus(room.state, `Not sent: ${error.message}`);
  }
});
