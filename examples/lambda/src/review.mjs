// The message review handler: IVS Chat calls this Lambda for every message of a room whose
// messageReviewHandler names it, and waits 200 ms for { ReviewResult, Content, Attributes }.
// createMessageReviewHandler reads IVS's event and checks the decision in WebAssembly (nothing
// invalid reaches IVS) and answers on its own past `budgetMs`.
import { createMessageReviewHandler } from 'ivschat-wasm/backend';

const BLOCKED = /\b(buy now|free money)\b/i;

export const handler = createMessageReviewHandler(({ content }) => {
  if (BLOCKED.test(content)) return { allow: false, reason: 'spam' }; // the sender gets ERROR 406
  return { allow: true, content: content.replace(/\bdarn\b/gi, '****') }; // delivered as rewritten
}, { budgetMs: 150, onTimeout: 'ALLOW' });
