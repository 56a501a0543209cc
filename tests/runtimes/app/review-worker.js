// A message review handler on Cloudflare Workers (workerd): the backend entry imports no review
// wasm (a token handler's worker would carry it), so the app imports ivschat-review.wasm itself
// and passes it to initMessageReview. /review answers with the handler's fetch form; /init
// loads the module; each answer comes with the handler's last log entry.
import reviewWasm from 'ivschat-wasm/ivschat-review.wasm';
import { createMessageReviewHandler, initMessageReview } from 'ivschat-wasm/backend';

/** @type {unknown[]} */
const entries = [];
const review = createMessageReviewHandler(({ content }) => ({ allow: true, content: `${content}!` }), { logger: (entry) => entries.push(entry) });

export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    if (pathname === '/init') {
      const error = await initMessageReview({ wasm: reviewWasm }).then(() => undefined, (e) => `${e.name} ${e.code}: ${e.message}`);
      return Response.json({ error });
    }
    const answer = await (await review.fetch(request)).json();
    return Response.json({ answer, log: entries.at(-1) });
  },
};
