// Vercel Edge (edge-runtime): a fetch-event listener; the platform provides process.env.
import { createApp } from './token-app.js';

const handler = createApp('edge-light');
addEventListener('fetch', (event) => {
  event.respondWith(handler(event.request));
});
