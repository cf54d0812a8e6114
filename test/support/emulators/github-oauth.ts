import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, serveLoopback } from './ci-plan.js';

/** A GitHub user as the emulator knows them: what `/user`, `/user/emails`, `/user/orgs` and `/user/teams` answer. */
export interface GithubUser {
  login: string;
  name: string;
  /** Primary email; `verified: false` to test an unverified address. */
  email: string;
  verified?: boolean;
  orgs: string[];
  /** `org/team-slug`. */
  teams: string[];
}

/**
 * GitHub's OAuth web application flow and the REST endpoints a sign-in reads, built to
 * docs.github.com ("Authorizing OAuth apps", REST "Users", "Emails", "Orgs", "Teams"):
 * - `GET /login/oauth/authorize?client_id&redirect_uri&scope&state[&code_challenge&code_challenge_method=S256]`:
 *   GitHub shows its consent page; here the user `signIn()` chose consents at once and the browser
 *   is sent to `redirect_uri?code&state` (an unknown client or a redirect outside the registered
 *   callback's host answers an error page, as GitHub does). `deny()` sends `error=access_denied`.
 * - `POST /login/oauth/access_token` (form or JSON; `Accept: application/json`): the code, good
 *   once and for 10 minutes, for `{access_token, token_type: "bearer", scope}`; a bad code, secret,
 *   redirect or PKCE verifier answers **200** with `{error: "bad_verification_code" | …}` as GitHub does.
 * - `GET /api/v3/user`, `/user/emails`, `/user/orgs`, `/user/teams` with `Authorization: Bearer`
 *   (401 `Bad credentials` otherwise); GitHub Enterprise Server's paths, so `apiUrl` is `<url>/api/v3`.
 */
export interface GithubOauthEmulator {
  url: string;
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  /** The user who is signed in at "GitHub" and consents to the next authorisation. */
  signIn(login: string): void;
  /** The next authorisation is refused by the user. */
  deny(): void;
  /** The OAuth app's registered callback URL (GitHub accepts redirects to its host and below). */
  register(callback: string): void;
  /** Every request the emulator saw, `METHOD path?query`. */
  requests: string[];
  close(): Promise<void>;
}

export async function startGithubOauthEmulator(users: readonly GithubUser[]): Promise<GithubOauthEmulator> {
  const clientId = `Iv1.${randomBytes(8).toString('hex')}`;
  const clientSecret = randomBytes(20).toString('hex');
  const codes = new Map<
    string,
    { login: string; redirectUri: string; challenge?: string; expiresAt: number }
  >();
  const tokens = new Map<string, string>();
  const requests: string[] = [];
  let current: string | undefined;
  let callback: string | undefined;
  let denyNext = false;

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };
  const oauthError = (res: ServerResponse, error: string, description: string) =>
    json(res, 200, {
      error,
      error_description: description,
      error_uri:
        'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors',
    });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (req.method === 'GET' && url.pathname === '/login/oauth/authorize') {
      const q = url.searchParams;
      const redirect = q.get('redirect_uri') ?? callback ?? '';
      if (
        q.get('client_id') !== clientId ||
        !callback ||
        !URL.canParse(redirect) ||
        new URL(redirect).host !== new URL(callback).host
      ) {
        res.writeHead(404, { 'content-type': 'text/html' });
        res.end('<p>The redirect_uri is not associated with this application.</p>');
        return;
      }
      const back = new URL(redirect);
      if (denyNext || !current) {
        denyNext = false;
        back.search = new URLSearchParams({
          error: 'access_denied',
          error_description: 'The user has denied your application access.',
          state: q.get('state') ?? '',
        }).toString();
      } else {
        const code = randomBytes(10).toString('hex');
        const challenge = q.get('code_challenge');
        codes.set(code, {
          login: current,
          redirectUri: redirect,
          ...(challenge ? { challenge } : {}),
          expiresAt: Date.now() + 10 * 60_000,
        });
        back.search = new URLSearchParams({ code, state: q.get('state') ?? '' }).toString();
      }
      res.writeHead(302, { location: back.toString() });
      res.end();
      return;
    }
    if (req.method === 'POST' && url.pathname === '/login/oauth/access_token') {
      const raw = await readBody(req);
      const body: Record<string, string> = (req.headers['content-type'] ?? '').includes('json')
        ? (JSON.parse(raw) as Record<string, string>)
        : Object.fromEntries(new URLSearchParams(raw));
      if (body.client_id !== clientId || body.client_secret !== clientSecret) {
        oauthError(
          res,
          'incorrect_client_credentials',
          'The client_id and/or client_secret passed are incorrect.',
        );
        return;
      }
      const grant = codes.get(body.code ?? '');
      codes.delete(body.code ?? '');
      const verifierOk =
        grant?.challenge === undefined ||
        createHash('sha256')
          .update(body.code_verifier ?? '')
          .digest('base64url') === grant.challenge;
      if (!grant || grant.expiresAt < Date.now() || !verifierOk) {
        oauthError(res, 'bad_verification_code', 'The code passed is incorrect or expired.');
        return;
      }
      if (body.redirect_uri && body.redirect_uri !== grant.redirectUri) {
        oauthError(
          res,
          'redirect_uri_mismatch',
          'The redirect_uri MUST match the registered callback URL for this application.',
        );
        return;
      }
      const token = `gho_${randomBytes(18).toString('hex')}`;
      tokens.set(token, grant.login);
      json(res, 200, { access_token: token, token_type: 'bearer', scope: 'read:org,read:user,user:email' });
      return;
    }
    if (req.method === 'GET' && url.pathname.startsWith('/api/v3/user')) {
      const token = /^(?:Bearer|token) (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const user = users.find((u) => u.login === tokens.get(token ?? ''));
      if (!user) {
        json(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
        return;
      }
      const id = users.indexOf(user) + 1000;
      const answers: Record<string, unknown> = {
        '/api/v3/user': { login: user.login, id, name: user.name, email: null, type: 'User' },
        '/api/v3/user/emails': [
          { email: user.email, primary: true, verified: user.verified ?? true, visibility: 'private' },
          {
            email: `${id}+${user.login}@users.noreply.github.com`,
            primary: false,
            verified: true,
            visibility: null,
          },
        ],
        '/api/v3/user/orgs': user.orgs.map((login, i) => ({ login, id: 500 + i })),
        '/api/v3/user/teams': user.teams.map((t, i) => {
          const [org = '', slug = ''] = t.split('/');
          return { id: 900 + i, slug, name: slug, organization: { login: org } };
        }),
      };
      const answer = answers[url.pathname];
      if (answer === undefined) json(res, 404, { message: 'Not Found' });
      else json(res, 200, answer);
      return;
    }
    json(res, 404, { message: 'Not Found' });
  }

  const served = await serveLoopback(handle);
  return {
    url: served.url,
    apiUrl: `${served.url}/api/v3`,
    clientId,
    clientSecret,
    register(url) {
      callback = url;
    },
    signIn(login) {
      current = login;
    },
    deny() {
      denyNext = true;
    },
    requests,
    close: served.close,
  };
}
