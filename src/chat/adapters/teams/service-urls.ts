/**
 * The allow-list for the connector's `serviceUrl`. An activity names the URL its replies go to;
 * Wheelhouse sends its bearer token only to origins listed here, so a request can never steer
 * it (or the token) to an arbitrary host.
 */
export interface ServiceUrlPattern {
  protocol: 'http:' | 'https:';
  /** The host, or the suffix after `*.`. */
  host: string;
  wildcard: boolean;
  port: string;
}

const PATTERN = /^(https?):\/\/(\*\.)?([a-z0-9.-]+|\[[0-9a-f:]+\])(?::(\d{1,5}))?\/?$/i;

const defaultPort = (protocol: string) => (protocol === 'https:' ? '443' : '80');

/** `https://smba.trafficmanager.net`, `https://*.example.com`, `http://127.0.0.1:3978`. */
export function parseServiceUrlPattern(text: string): ServiceUrlPattern | undefined {
  const m = PATTERN.exec(text.trim());
  if (!m?.[1] || !m[3]) return undefined;
  const protocol = `${m[1].toLowerCase()}:` as 'http:' | 'https:';
  return { protocol, host: m[3].toLowerCase(), wildcard: Boolean(m[2]), port: m[4] ?? defaultPort(protocol) };
}

export function serviceUrlAllowed(url: string, patterns: readonly string[]): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') return false;
  if (target.username || target.password) return false;
  const host = target.hostname.toLowerCase();
  const port = target.port || defaultPort(target.protocol);
  return patterns.some((text) => {
    const p = parseServiceUrlPattern(text);
    if (!p || p.protocol !== target.protocol || p.port !== port) return false;
    return p.wildcard ? host.endsWith(`.${p.host}`) : host === p.host;
  });
}
