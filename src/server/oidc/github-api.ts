import { errorMessage, type GithubAuthSettings, WheelhouseError } from '../../core/index.js';

/** Who GitHub says signed in: the login, a verified email, and organisations and teams as groups. */
export interface GithubPerson {
  login: string;
  name?: string;
  /** The primary verified email, matched to `people` by email. */
  email?: string;
  /** `<org>` for each organisation, `<org>/<team slug>` for each team. */
  groups: string[];
}

const TIMEOUT_MS = 10_000;
const API_HEADERS = {
  accept: 'application/vnd.github+json',
  'x-github-api-version': '2022-11-28',
  'user-agent': 'wheelhouse',
};

/**
 * The OAuth app's code for a user access token (POST `<url>/login/oauth/access_token`, JSON
 * answer). GitHub answers a bad code with 200 and an `error` field; both are refusals here.
 */
export async function exchangeGithubCode(
  settings: GithubAuthSettings,
  secret: string,
  params: { code: string; redirectUri: string; codeVerifier: string },
): Promise<string> {
  const where = `${settings.url}/login/oauth/access_token`;
  const response = await call(where, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json', 'user-agent': 'wheelhouse' },
    body: JSON.stringify({
      client_id: settings.clientId,
      client_secret: secret,
      code: params.code,
      redirect_uri: params.redirectUri,
      code_verifier: params.codeVerifier,
    }),
  });
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok || typeof body.access_token !== 'string') {
    const reason =
      typeof body.error === 'string'
        ? `${body.error}: ${String(body.error_description ?? '')}`
        : `HTTP ${response.status}`;
    throw new WheelhouseError(
      'UNAUTHENTICATED',
      `sign-in with GitHub refused at ${where} (${reason.trim()}); start again from the sign-in page, and if it repeats check auth.github.clientId and the secret in ${settings.clientSecretEnv}`,
    );
  }
  return body.access_token;
}

/** The person behind a user access token: `/user`, `/user/emails`, `/user/orgs`, `/user/teams`. */
export async function githubPerson(settings: GithubAuthSettings, token: string): Promise<GithubPerson> {
  const get = async <T>(path: string): Promise<T> => {
    const where = `${settings.apiUrl}${path}`;
    const response = await call(where, { headers: { ...API_HEADERS, authorization: `Bearer ${token}` } });
    if (!response.ok) {
      throw new WheelhouseError(
        'UNAVAILABLE',
        `sign-in with GitHub could not read ${where} (HTTP ${response.status}); the OAuth app needs the scopes read:user, user:email and read:org — check auth.github.apiUrl and try again`,
      );
    }
    return (await response.json()) as T;
  };
  const user = await get<{ login: string; name?: string | null; email?: string | null }>('/user');
  const emails = await get<{ email: string; primary: boolean; verified: boolean }[]>('/user/emails');
  const orgs = await get<{ login: string }[]>('/user/orgs?per_page=100');
  const teams = await get<{ slug: string; organization: { login: string } }[]>('/user/teams?per_page=100');
  const email = emails.find((e) => e.primary && e.verified)?.email ?? emails.find((e) => e.verified)?.email;
  return {
    login: user.login,
    ...(user.name ? { name: user.name } : {}),
    ...(email ? { email } : {}),
    groups: [
      ...new Set([...orgs.map((o) => o.login), ...teams.map((t) => `${t.organization.login}/${t.slug}`)]),
    ],
  };
}

async function call(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    throw new WheelhouseError(
      'UNAVAILABLE',
      `sign-in with GitHub could not reach ${new URL(url).origin} (${errorMessage(err)}); check auth.github.url / apiUrl and the network from the Wheelhouse host`,
    );
  }
}
