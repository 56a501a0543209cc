'use client';
// The chat, in the browser: for every connection attempt (tokens are single-use) a token from
// the route handler in app/api/token, then the IVS Chat WebSocket. Reconnecting with backoff,
// renewing the session, the rate limit and checking every frame in WebAssembly are ChatRoom's job.
import { useEffect, useRef, useState } from 'react';
import { ChatRoom, fetchTokenProvider } from 'ivschat-wasm';

export default function Chat({ roomArn, messagingUrl }) {
  const room = useRef(null);
  const [status, setStatus] = useState(roomArn
    ? { state: 'disconnected', text: 'Not connected.' }
    : { state: 'unconfigured', text: 'Set ROOM_ARN to the ARN of your room.' });
  const [messages, setMessages] = useState([]);
  const [draft, setDraft] = useState('');

  // Join is disabled until React has hydrated the form: a click before that would submit it
  // natively (a page reload with the name in the URL).
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => {
    setHydrated(true);
    return () => room.current?.disconnect(); // leave the room with the page
  }, []);

  async function join(event) {
    event.preventDefault();
    if (!roomArn) return;
    const name = new FormData(event.currentTarget).get('name').trim();
    room.current?.disconnect();
    const chat = new ChatRoom({
      // The room's region (wss://edge.ivschat.{region}.amazonaws.com), or the local server's ws:// URL.
      regionOrUrl: messagingUrl || roomArn.split(':')[3],
      // What the page asks for. The route handler decides what it gets: it checks the name and
      // grants the capabilities, whatever the page sends.
      tokenProvider: fetchTokenProvider('/api/token', { roomIdentifier: roomArn, userId: name, capabilities: ['SEND_MESSAGE'] }),
    });
    room.current = chat;
    chat.addListener('connecting', () => setStatus({ state: 'connecting', text: 'Connecting…' }));
    chat.addListener('connect', () => setStatus({ state: 'connected', text: `Connected as ${name}.` }));
    chat.addListener('disconnect', (reason) => setStatus({ state: 'disconnected', text: `Disconnected (${reason}).` }));
    chat.addListener('message', (message) => setMessages((list) => [...list, message]));
    chat.addListener('error', (error) => console.error('chat:', error.code, error.message));
    try {
      await chat.connect();
    } catch (error) {
      setStatus({ state: 'failed', text: `Could not join: ${error.cause?.message ?? error.message}` });
    }
  }

  async function send(event) {
    event.preventDefault();
    try {
      await room.current.sendMessage({ content: draft });
      setDraft('');
    } catch (error) {
      setStatus({ state: room.current.state, text: `Not sent: ${error.message}` });
    }
  }

  return (
    <>
      <form id="join" onSubmit={join}>
        <label>Your name <input id="name" name="name" required maxLength={32} pattern="[A-Za-z0-9_\-]+" autoComplete="nickname" /></label>
        <button disabled={!hydrated}>Join</button>
      </form>
      <p id="status" data-state={status.state} role="status">{status.text}</p>
      <ul id="messages" aria-live="polite">
        {messages.map((message) => (
          <li key={message.id}><strong>{message.sender.attributes?.displayName ?? message.sender.userId}</strong> {message.content}</li>
        ))}
      </ul>
      <form id="send" hidden={status.state !== 'connected'} onSubmit={send}>
        <input id="message" required maxLength={500} autoComplete="off" aria-label="Message" value={draft} onChange={(event) => setDraft(event.target.value)} />
        <button>Send</button>
      </form>
    </>
  );
}
