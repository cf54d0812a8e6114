/** Client-side routes: patterns like `/apps/:name` matched against a path. Pure. */

export type Params = Record<string, string>;

/** The params of `path` under `pattern`, or undefined when it does not match. */
export function matchRoute(pattern: string, path: string): Params | undefined {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return undefined;
  const params: Params = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? '';
    const g = got[i] ?? '';
    if (w.startsWith(':')) {
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return undefined;
      }
    } else if (w !== g) return undefined;
  }
  return params;
}

/** A path with query parameters (empty values left out). */
export function withQuery(path: string, query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export const paths = {
  apps: '/',
  app: (name: string) => `/apps/${encodeURIComponent(name)}`,
  activity: '/activity',
  room: (room: string) => `/rooms/${encodeURIComponent(room)}`,
  approvals: '/approvals',
  signIn: '/sign-in',
  metrics: '/delivery',
  previews: '/previews',
  preview: (id: string) => `/previews/${encodeURIComponent(id)}`,
};
