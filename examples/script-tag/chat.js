// The chat with no bundler and no build: ivschat-wasm.iife.js, loaded just before this classic
// script, defines the global IvsChatWasm. For every connection attempt (tokens are single-use)
// ChatRoom gets a token from the token backend, then opens the IVS Chat WebSocket; reconnecting
// with backoff, renewing the session, the rate limit and checking every frame in WebAssembly
// are its job.
'use strict';
{
  const $ = (id) => document.getElementById(id);
  const setStatus = (state, text) => Object.assign($('status'), { textContent: text }).setAttribute('data-state', state);
  const { roomArn, messagingUrl, tokenEndpoint } = $('chat').dataset;
  let room;

  if (typeof IvsChatWasm === 'undefined') setStatus('failed', 'ivschat-wasm.iife.js did not load: check its <script src>.');
  else if (!roomArn) setStatus('unconfigured', 'Set data-room-arn in index.html to the ARN of your room.');

  $('join').addEventListener('submit', async (event) => {
    event.preventDefault();
    if (typeof IvsChatWasm === 'undefined' || !roomArn) return;
    const { ChatRoom, fetchTokenProvider } = IvsChatWasm;
    room?.disconnect();
    const name = $('name').value.trim();
    room = new ChatRoom({
      // The room's region (wss://edge.ivschat.{region}.amazonaws.com), or the local server's ws:// URL.
      regionOrUrl: messagingUrl || roomArn.split(':')[3],
      // What the page asks for. The token backend decides what it gets: it checks the name and
      // grants the capabilities, whatever the page sends.
      tokenProvider: fetchTokenProvider(tokenEndpoint, { roomIdentifier: roomArn, userId: name, capabilities: ['SEND_MESSAGE'] }),
    });
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
}
