import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { codeChallenge } from '../../../src/server/oidc/pending-logins.js';
import { runSignIn } from './sign-in.js';

export interface CliSignIn {
  accessToken: string;
  refreshToken: string;
  actor: string;
}

/**
 * `wheelhouse login`'s half of single sign-on over HTTP, as the CLI does it: a loopback listener
 * receives the one-time code, which is redeemed with the PKCE verifier. `loginPath` is where the
 * server starts a sign-in (`/auth/oidc/login`, `/auth/github/login`).
 */
export async function cliSignIn(
  serverUrl: string,
  loginPath: string,
  account: string,
  callbackPath = '/auth/oidc/callback',
): Promise<CliSignIn> {
  const listener = createServer((_req, res) => res.end('signed in'));
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  try {
    const verifier = randomBytes(32).toString('base64url');
    const start = new URL(`${serverUrl}${loginPath}`);
    start.search = new URLSearchParams({
      cli_redirect: `http://127.0.0.1:${(listener.address() as AddressInfo).port}/callback`,
      cli_challenge: codeChallenge(verifier),
      cli_state: 'cli-state',
    }).toString();
    const flow = await runSignIn(start.toString(), account, callbackPath);
    const code = new URL(flow.finalUrl).searchParams.get('code');
    const redeemed = await fetch(`${serverUrl}/api/v1/session/cli`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, verifier }),
    });
    if (redeemed.status !== 200)
      throw new Error(`redeeming the CLI code answered ${redeemed.status}: ${await redeemed.text()}`);
    return (await redeemed.json()) as CliSignIn;
  } finally {
    listener.close();
  }
}
