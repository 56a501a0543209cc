// Cloudflare Workers (workerd): module syntax; credentials come from the Worker's env bindings.
import { createApp } from './token-app.js';

let handler;
export default {
  fetch(request, env) {
    handler ??= createApp('workerd', env);
    return handler(request);
  },
};
