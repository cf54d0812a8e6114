/**
 * Parses a `WWW-Authenticate` challenge as sent by a Docker Registry (HTTP API v2) on a 401:
 * `Bearer realm="https://auth.example/token",service="registry",scope="repository:app:pull"`
 * or `Basic realm="registry"`. The registry client follows the Bearer challenge to the token
 * endpoint (Docker token spec) and answers a Basic one with the configured credentials.
 */
export interface Challenge {
  /** Lower-cased scheme: `bearer`, `basic`, ... */
  scheme: string;
  /** Auth parameters by lower-cased name (realm, service, scope, error). */
  params: Record<string, string>;
}

const PARAM = /\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?/y;

/** Returns undefined when the header is missing or names no scheme. */
export function parseChallenge(header: string | null | undefined): Challenge | undefined {
  const text = (header ?? '').trim();
  const scheme = /^([A-Za-z][A-Za-z0-9_-]*)/.exec(text);
  if (!scheme?.[1]) return undefined;
  const params: Record<string, string> = {};
  PARAM.lastIndex = scheme[1].length;
  for (let m = PARAM.exec(text); m; m = PARAM.exec(text)) {
    const name = m[1] ?? '';
    params[name.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
    if (PARAM.lastIndex >= text.length) break;
  }
  return { scheme: scheme[1].toLowerCase(), params };
}
