/**
 * A browser's part of a sign-in, done with fetch: follows redirects by hand, keeps cookies per
 * host (path and expiry aside: enough for one short flow), and fills the test provider's form.
 */
export interface FlowResult {
  /** The last response (not a redirect). */
  final: Response;
  finalUrl: string;
  /** The callback URL the provider sent the browser to (code and state), for replays. */
  callbackUrl?: string;
  /** `name=value; …` of the cookies the jar holds for `host`. */
  cookieFor(host: string): string;
}

export function cookieJar() {
  const jar = new Map<string, Map<string, string>>();
  return {
    store(url: string, response: Response): void {
      const host = new URL(url).host;
      const cookies = jar.get(host) ?? new Map<string, string>();
      jar.set(host, cookies);
      for (const header of response.headers.getSetCookie()) {
        const [pair = '', ...attributes] = header.split(';');
        const at = pair.indexOf('=');
        const name = pair.slice(0, at).trim();
        const value = pair.slice(at + 1).trim();
        const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
        if (expired) cookies.delete(name);
        else cookies.set(name, value);
      }
    },
    header(host: string): string {
      return [...(jar.get(host) ?? new Map<string, string>())].map(([n, v]) => `${n}=${v}`).join('; ');
    },
  };
}

/** Starts at `startUrl` and follows the flow; at the provider's form it signs in as `account`. */
export async function runSignIn(
  startUrl: string,
  account: string,
  callbackPath = '/auth/oidc/callback',
  /** The browser's cookies, to go on in a browser that already has some (another tab's sign-in). */
  jar = cookieJar(),
): Promise<FlowResult> {
  let url = startUrl;
  let init: RequestInit = {};
  let callbackUrl: string | undefined;
  for (let hop = 0; hop < 20; hop++) {
    const headers = new Headers(init.headers);
    const cookie = jar.header(new URL(url).host);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    jar.store(url, response);
    if (new URL(url).pathname === callbackPath) callbackUrl = url;
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      url = new URL(location, url).toString();
      init = {};
      continue;
    }
    const form = /<form method="post" action="([^"]+)"/.exec(
      response.headers.get('content-type')?.includes('text/html') ? await response.clone().text() : '',
    );
    if (form?.[1] && new URL(url).pathname.startsWith('/interaction/')) {
      url = new URL(
        form[1].replace(/&#(\d+);/g, (_m, c: string) => String.fromCharCode(Number(c))),
        url,
      ).toString();
      init = {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ account }).toString(),
      };
      continue;
    }
    return {
      final: response,
      finalUrl: url,
      ...(callbackUrl ? { callbackUrl } : {}),
      cookieFor: (host) => jar.header(host),
    };
  }
  throw new Error(`the sign-in from ${startUrl} did not settle within 20 redirects`);
}
