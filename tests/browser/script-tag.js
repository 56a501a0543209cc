// The page of script-tag.test.js: only the global IvsChatWasm, no module, no bundler.
/* global IvsChatWasm */
(async () => {
  const outcome = {};
  try {
    const { validateCreateChatTokenRequest, createChatToken, ChatRoom, ChatTokenValidationError } = IvsChatWasm;
    const report = await validateCreateChatTokenRequest({ roomIdentifier: 'arn:aws:ivschat:us-east-1:1:room/a', userId: '' });
    outcome.errors = report.errors.map((e) => `${e.field}:${e.code}`);
    outcome.validationErrorClass = typeof ChatTokenValidationError === 'function';
    const params = new URLSearchParams(location.search);
    const room = new ChatRoom({
      regionOrUrl: params.get('ws'),
      tokenProvider: () => createChatToken({ endpoint: '/token', roomIdentifier: params.get('room'), userId: 'script-tag', capabilities: ['SEND_MESSAGE'] }),
    });
    const received = new Promise((resolve) => room.addListener('message', resolve));
    await room.connect();
    await room.sendMessage({ content: 'from a classic script' });
    outcome.received = (await received).content;
    room.disconnect();
  } catch (error) {
    outcome.failure = `${error.name}: ${error.message}`;
  }
  window.__outcome = outcome;
  document.getElementById('status').textContent = 'done';
})();
