import { isIP } from 'node:net';
import { WheelhouseError } from '../core/index.js';

/**
 * Which peers are proxies whose `X-Forwarded-*` headers count:
 * - `false`: none (the default); the client address is the connection's peer;
 * - a hop count `n`: the last `n` hops (the peer, then entries of X-Forwarded-For from the right)
 *   are proxies; `true` means 1, the one proxy in front of Wheelhouse;
 * - a list of proxy addresses and CIDR ranges (or `loopback`, `linklocal`, `uniquelocal`).
 * The client address is then the rightmost X-Forwarded-For entry that is not a trusted proxy: the
 * address the outermost trusted proxy saw. Entries left of it were written by the client and
 * prove nothing.
 */
export type TrustProxy = boolean | number | readonly string[];

/** A hop counter for proxy-addr: hop 0 is the peer, hop 1 the rightmost X-Forwarded-For entry, ... */
export type TrustHops = (address: string, hop: number) => boolean;

/**
 * What fastify's `trustProxy` gets: a hop counter or a list, never `true` (which trusts every
 * hop, so the leftmost X-Forwarded-For entry, which the client wrote, became the address).
 */
export function fastifyTrustProxy(trust: TrustProxy | undefined): false | TrustHops | string[] {
  if (trust === undefined || trust === false) return false;
  if (trust === true) return hops(1);
  if (typeof trust === 'number') {
    if (!Number.isInteger(trust) || trust < 1) {
      throw new WheelhouseError(
        'CONFIG_INVALID',
        `trustProxy must be a hop count of at least 1, a list of proxy addresses, or false; got ${trust}`,
      );
    }
    return hops(trust);
  }
  if (trust.length === 0) return false;
  for (const entry of trust) checkProxyAddress(entry);
  return [...trust];
}

function hops(count: number): TrustHops {
  return (_address, hop) => hop < count;
}

/** `--trust-proxy` as given on the command line: bare (1 hop), a hop count, or a comma list. */
export function parseTrustProxy(value: string | boolean | undefined): TrustProxy {
  if (value === undefined || value === false) return false;
  if (value === true) return 1;
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    fastifyTrustProxy(Number(text)); // refuses 0
    return Number(text);
  }
  const list = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const entry of list) checkProxyAddress(entry);
  if (list.length === 0) return false;
  return list;
}

const NAMED = new Set(['loopback', 'linklocal', 'uniquelocal']);

function checkProxyAddress(entry: string): void {
  if (NAMED.has(entry)) return;
  const [address = '', prefix, extra] = entry.split('/');
  const family = isIP(address);
  const maxPrefix = family === 4 ? 32 : 128;
  const prefixOk =
    prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= maxPrefix) || isIP(prefix) === 4;
  if (family === 0 || !prefixOk || extra !== undefined) {
    throw new WheelhouseError(
      'CONFIG_INVALID',
      `--trust-proxy: ${JSON.stringify(entry)} is not an IP address, a CIDR range (10.0.0.0/8) or one of loopback, linklocal, uniquelocal; pass a hop count (e.g. 1) or a comma-separated list of the proxies' addresses`,
    );
  }
}
