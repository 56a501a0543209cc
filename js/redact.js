// @ts-check
// Texts that come from elsewhere (an ERROR frame's ErrorMessage, a close reason, a WebSocket or
// token provider error, an AWS error) go through here before they reach an error, an `error`
// event, a log line or an error answer: a server or proxy may echo a token, and a backend's
// error may quote a credential. Known secrets are removed by value, anything shaped like a
// credential by pattern. (Chat messages and events are the app's data: delivered as they are.)

/**
 * Shapes of secrets: AWS access key ids, and opaque runs of 40 or more base64/base64url
 * characters (chat tokens, secret access keys, session tokens, JWT parts, signatures). A UUID
 * (36) and the parts of an ARN are shorter, so request ids and room ARNs stay readable.
 */
const CREDENTIAL_PATTERN = /\b(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{16}\b|[A-Za-z0-9+/_=-]{40,}/g;
/** Shorter values are not removed by value (they would cut ordinary words apart). */
const MIN_SECRET_LENGTH = 6;
const REDACTED = '[redacted]';

export class Redactor {
  /** @param {{ keep?: number }} [options] keep: how many secrets to remember (the most recent) */
  constructor({ keep = Infinity } = {}) {
    this.keep = keep;
    /** @type {string[]} */
    this.secrets = [];
  }

  /**
   * Remembers a secret, to be removed wherever it appears from now on.
   * @param {string | undefined} secret
   */
  add(secret) {
    if (!secret || secret.length < MIN_SECRET_LENGTH || this.secrets.includes(secret)) return;
    this.secrets.push(secret);
    if (this.secrets.length > this.keep) this.secrets.shift();
  }

  /**
   * The text without any known secret or anything shaped like a credential.
   * @param {unknown} text
   */
  redact(text) {
    let clean = String(text);
    for (const secret of this.secrets) clean = clean.split(secret).join(REDACTED);
    return clean.replace(CREDENTIAL_PATTERN, REDACTED);
  }

  /**
   * A short, redacted description of anything thrown.
   * @param {unknown} error
   */
  describe(error) {
    return this.redact(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  }
}
