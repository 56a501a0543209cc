// @ts-check
// Which Host a loopback server answers for. A DNS-rebinding page reaches 127.0.0.1 under its own
// name (evil.example resolving to loopback) and then counts as same-origin with it; refusing
// every Host that is not loopback, the bound host or one configured closes that door. Used by
// the local IVS Chat server and the demo.

/** Always answered for. */
const LOOPBACK_HOST_NAMES = Object.freeze(['localhost', '127.0.0.1', '::1']);

/** A host name or IP address as a configuration gives it: no scheme, no port; IPv6 with or without brackets. */
const HOST_NAME_PATTERN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[?[0-9A-Fa-f:.]+\]?)$/;

/**
 * The comparable form of a host name: lower case, IPv6 without brackets.
 * @param {string} host
 */
export function hostNameOf(host) {
  const name = host.toLowerCase();
  return name.startsWith('[') && name.endsWith(']') ? name.slice(1, -1) : name;
}

/**
 * The host names to answer for: loopback, the bound host (unless it is a wildcard) and `extra`.
 * @param {string} boundHost what the server listens on
 * @param {readonly string[]} extra configured names; a malformed one throws a TypeError naming `what`
 * @param {(index: number, name: string) => string} describe the TypeError's message for a malformed name
 * @returns {Set<string>}
 */
export function hostAllowList(boundHost, extra, describe) {
  const names = new Set(LOOPBACK_HOST_NAMES);
  if (boundHost !== '0.0.0.0' && boundHost !== '::') names.add(hostNameOf(boundHost));
  extra.forEach((name, index) => {
    if (typeof name !== 'string' || !HOST_NAME_PATTERN.test(name)) throw new TypeError(describe(index, JSON.stringify(name)));
    names.add(hostNameOf(name));
  });
  return names;
}

/**
 * Whether a Host header names this server.
 * @param {string | undefined} host the header
 * @param {Set<string>} allowed from hostAllowList
 */
export function isAllowedHost(host, allowed) {
  if (typeof host !== 'string' || host === '') return false;
  const name = hostNameOf(host.replace(/:\d+$/, ''));
  return name !== '' && allowed.has(name);
}
