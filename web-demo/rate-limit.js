// @ts-check
// Rate limiting token minting and bans: token buckets by session and by address, and the 429
// in the token handler's error shape.
import { isIPv4, isIPv6 } from 'node:net';

/**
 * @typedef {object} RateLimit
 * @property {number} perMinute tokens added per minute
 * @property {number} burst most tokens held (and so the most requests at once)
 */

/**
 * Token minting allowed per browser session and per remote address (one address can hold
 * several visitors; an IPv6 address counts as its /64, see addressBucketId). The address is the
 * socket's: X-Forwarded-For is not trusted (anyone can send it), so behind a proxy every visitor
 * shares the proxy's bucket; raise `address` there.
 */
export const DEFAULT_RATE_LIMITS = Object.freeze({
  session: Object.freeze({ perMinute: 10, burst: 5 }),
  address: Object.freeze({ perMinute: 30, burst: 15 }),
});

/**
 * The address bucket a remote address counts against: an IPv4 address itself; an IPv6 address
 * by its /64 (what one customer, or one attacker, gets: 2^64 addresses would be 2^64 buckets);
 * an IPv4-mapped IPv6 address (::ffff:203.0.113.7, as a dual-stack socket reports IPv4 peers)
 * as its IPv4 address. A zone (%eth0) is dropped; anything else is its own bucket.
 * @param {string} address
 */
export function addressBucketId(address) {
  const text = address.split('%', 1)[0];
  if (isIPv4(text)) return text;
  if (!isIPv6(text)) return text;
  const hextets = expandIPv6(text);
  if (hextets.slice(0, 5).every((h) => h === 0) && hextets[5] === 0xffff) {
    return [hextets[6] >> 8, hextets[6] & 0xff, hextets[7] >> 8, hextets[7] & 0xff].join('.');
  }
  return `${hextets.slice(0, 4).map((h) => h.toString(16)).join(':')}::/64`;
}

/**
 * The eight 16-bit groups of a valid IPv6 address (`::` expanded, a dotted IPv4 tail as two groups).
 * @param {string} address
 */
function expandIPv6(address) {
  const groups = (/** @type {string} */ part) => {
    if (part === '') return [];
    return part.split(':').flatMap((group) => {
      if (!group.includes('.')) return [parseInt(group, 16)];
      const [a, b, c, d] = group.split('.').map(Number);
      return [(a << 8) | b, (c << 8) | d];
    });
  };
  const [head, tail] = address.toLowerCase().split('::');
  if (tail === undefined) return groups(head);
  const left = groups(head);
  const right = groups(tail);
  return [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
}

/**
 * Token buckets by key (a session, an address): `burst` tokens at most, refilled at
 * `perMinute`. Bounded: past MAX_KEYS keys, full buckets (which hold no information) and then
 * the least recently used ones are forgotten.
 */
export class TokenBuckets {
  static MAX_KEYS = 10_000;

  /** @param {RateLimit} limit @param {string} name for errors */
  constructor({ perMinute, burst }, name) {
    if (!(perMinute > 0) || !Number.isFinite(perMinute)) throw new TypeError(`${name}.perMinute must be a positive number, got ${JSON.stringify(perMinute)}`);
    if (!Number.isInteger(burst) || burst < 1) throw new TypeError(`${name}.burst must be a positive integer, got ${JSON.stringify(burst)}`);
    this.perMs = perMinute / 60_000;
    this.burst = burst;
    /** @type {Map<string, { tokens: number, at: number }>} */
    this.buckets = new Map();
    this.prefix = name;
  }

  /** @param {string} id */
  key(id) {
    return `${this.prefix}:${id}`;
  }

  /** Tokens in a bucket now (refilled since it was last looked at). @param {string} key @param {number} now */
  level(key, now) {
    const bucket = this.buckets.get(key);
    return bucket ? Math.min(this.burst, bucket.tokens + (now - bucket.at) * this.perMs) : this.burst;
  }

  /** @param {string} key @param {number} tokens @param {number} now */
  store(key, tokens, now) {
    this.buckets.delete(key); // re-inserted last: the Map's order is least recently used first
    this.buckets.set(key, { tokens, at: now });
    if (this.buckets.size <= TokenBuckets.MAX_KEYS) return;
    for (const [k] of this.buckets) if (this.level(k, now) >= this.burst) this.buckets.delete(k);
    for (const [k] of this.buckets) {
      if (this.buckets.size <= TokenBuckets.MAX_KEYS) break;
      this.buckets.delete(k);
    }
  }

  /** Seconds until `key` has a token again. @param {string} key @param {number} now */
  waitSeconds(key, now) {
    return Math.max(1, Math.ceil((1 - this.level(key, now)) / this.perMs / 1000));
  }
}

/**
 * Takes one token from each bucket, or none when any is empty (then: seconds to wait).
 * @param {TokenBuckets[]} limiters
 * @param {string[]} keys one per limiter
 * @param {number} [now]
 * @returns {number | undefined}
 */
export function takeToken(limiters, keys, now = Date.now()) {
  const levels = limiters.map((limiter, i) => limiter.level(keys[i], now));
  const empty = levels.findIndex((level) => level < 1);
  if (empty !== -1) return limiters[empty].waitSeconds(keys[empty], now);
  limiters.forEach((limiter, i) => limiter.store(keys[i], levels[i] - 1, now));
  return undefined;
}

/**
 * 429 in the shape the token handler answers its own errors (X-Amzn-ErrorType and a JSON
 * `message`), so the page's createChatToken reads it as ThrottlingException.
 * @param {import('node:http').ServerResponse} res
 * @param {number} waitSeconds
 * @param {string} [what] what there were too many of
 */
export function throttled(res, waitSeconds, what = 'chat token requests') {
  const body = JSON.stringify({ message: `Too many ${what}: try again in ${waitSeconds} s.` });
  res.writeHead(429, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'x-amzn-errortype': 'ThrottlingException',
    'retry-after': String(waitSeconds),
  }).end(body);
}
