import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A stand-in for `dist/web`: an index.html and one hashed asset, like a Vite build. */
export async function fakeWebBuild(dir: string): Promise<{ root: string; asset: string }> {
  const root = join(dir, 'web');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(
    join(root, 'index.html'),
    '<!doctype html><html lang="en"><head><title>Wheelhouse</title><script type="module" src="/assets/index-AbC123.js"></script></head><body><div id="root"></div></body></html>\n',
  );
  await writeFile(join(root, 'assets', 'index-AbC123.js'), 'console.log("dashboard");\n');
  return { root, asset: '/assets/index-AbC123.js' };
}

/** The session cookie a sign-in answer set (`name=value`), and the whole header. */
export function sessionCookie(response: Response): { pair: string; header: string } {
  const header = response.headers.get('set-cookie') ?? '';
  const pair = header.split(';')[0] ?? '';
  return { pair, header };
}

/** Signs in through the real route; returns the cookie pair and the CSRF token. */
export async function signInAs(
  url: string,
  token: string,
): Promise<{ cookie: string; csrf: string; header: string; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  if (response.status !== 201)
    throw new Error(`sign-in answered ${response.status}: ${await response.text()}`);
  const body = (await response.json()) as Record<string, unknown>;
  const { pair, header } = sessionCookie(response);
  return { cookie: pair, csrf: String(body.csrfToken), header, body };
}
