// The page of react.test.js, bundled there with esbuild (React's development build, so that
// StrictMode mounts, unmounts and mounts again): components using useChatRoom, driven by the
// test through window.__react. Every render passes a new inline tokenProvider and listeners.
import { StrictMode, createElement as h, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { chatHistory, fetchTokenProvider } from 'ivschat-wasm';
import { useChatRoom } from 'ivschat-wasm/react';

/**
 * @typedef {{ url: string, room: string, userId: string, capabilities?: string[], key?: string,
 *   autoConnect?: boolean, maxMessages?: number, maxReconnectAttempts?: number,
 *   tokenEndpoint?: string, failToken?: boolean, history?: object[], historyWaitMs?: number }} Config
 *   (history: what its history provider gives, after historyWaitMs)
 */

const instances = new Map();

function Chat({ name, config, version }) {
  const instance = instances.get(name);
  const chat = useChatRoom({
    regionOrUrl: config.url,
    key: config.key,
    autoConnect: config.autoConnect,
    maxMessages: config.maxMessages,
    maxReconnectAttempts: config.maxReconnectAttempts ?? 0,
    backoff: { initialDelayMs: 50 },
    history: config.history && chatHistory({
      provider: async () => {
        instance.historyCalls += 1;
        await new Promise((resolve) => setTimeout(resolve, config.historyWaitMs ?? 0));
        return config.history;
      },
      delayMs: 0,
    }),
    tokenProvider: () => {
      instance.tokenCalls.push(version);
      if (config.failToken) throw new Error('no token for you');
      return fetchTokenProvider(config.tokenEndpoint ?? '/token', { roomIdentifier: config.room, userId: config.userId, capabilities: config.capabilities ?? ['SEND_MESSAGE'] })();
    },
    listeners: {
      message: (message) => instance.heard.push(message.content),
      userDisconnect: (event) => instance.kicks.push(event.userId),
      messageDelete: (event) => instance.deleted.push(event.messageId),
      disconnect: (reason) => instance.disconnects.push(reason),
    },
  });
  useEffect(() => {
    instance.effectMounts += 1;
    return () => {
      instance.effectUnmounts += 1;
    };
  }, []);
  useEffect(() => {
    instance.chat = chat;
    for (const method of ['sendMessage', 'deleteMessage', 'disconnectUser', 'connect', 'disconnect']) instance.identities[method].add(chat[method]);
    instance.commits += 1;
  });
  return h('section', { 'data-name': name },
    h('p', { className: 'state' }, chat.state),
    h('ul', null, chat.messages.map((message) => h('li', { key: message.id }, message.content))));
}

function render(name) {
  const instance = instances.get(name);
  const chat = h(Chat, { name, config: instance.config, version: instance.version });
  instance.root.render(instance.strict ? h(StrictMode, null, chat) : chat);
}

window.__react = {
  /** @param {string} name @param {Config} config @param {boolean} [strict] */
  mount(name, config, strict = true) {
    const element = document.createElement('div');
    document.body.append(element);
    const set = () => new Set();
    instances.set(name, {
      element, root: createRoot(element), config, strict, version: 1, chat: undefined, commits: 0,
      effectMounts: 0, effectUnmounts: 0, tokenCalls: [], historyCalls: 0, heard: [], kicks: [], deleted: [], disconnects: [],
      identities: { sendMessage: set(), deleteMessage: set(), disconnectUser: set(), connect: set(), disconnect: set() },
    });
    render(name);
  },
  /** A new render: new inline functions, and the config changes given. */
  update(name, changes = {}) {
    const instance = instances.get(name);
    instance.config = { ...instance.config, ...changes };
    instance.version += 1;
    render(name);
  },
  unmount(name) {
    const instance = instances.get(name);
    instance.root.unmount();
    instance.element.remove();
    instance.unmounted = true;
  },
  /** A call of one of the hook's functions: its result, or the error's name and code. */
  async call(name, method, ...args) {
    try {
      const result = await instances.get(name).chat[method](...args);
      return { ok: true, result: result === undefined ? null : JSON.parse(JSON.stringify(result)) };
    } catch (error) {
      return { ok: false, name: error.name, code: error.code, message: error.message };
    }
  },
  summary(name) {
    const instance = instances.get(name);
    const { chat } = instance;
    return {
      state: chat?.state,
      messages: chat?.messages.map((m) => ({ id: m.id, content: m.content, userId: m.sender.userId })),
      events: chat?.events.length,
      error: chat?.error && { name: chat.error.name, code: chat.error.code, message: chat.error.message },
      disconnectReason: chat?.disconnectReason ?? null,
      hasRoom: chat?.room !== undefined,
      rendered: instance.unmounted ? null : {
        state: instance.element.querySelector('.state')?.textContent,
        items: [...instance.element.querySelectorAll('li')].map((li) => li.textContent),
      },
      version: instance.version,
      commits: instance.commits,
      effectMounts: instance.effectMounts,
      effectUnmounts: instance.effectUnmounts,
      tokenCalls: instance.tokenCalls,
      historyCalls: instance.historyCalls,
      heard: instance.heard,
      kicks: instance.kicks,
      deleted: instance.deleted,
      disconnects: instance.disconnects,
      identities: Object.fromEntries(Object.entries(instance.identities).map(([method, set]) => [method, set.size])),
    };
  },
};
document.getElementById('status').textContent = 'ready';
