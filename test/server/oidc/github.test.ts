import { describe, expect, it } from 'vitest';
import { cliSignIn } from '../../support/oidc/cli-sign-in.js';
import { githubServers } from '../../support/oidc/github.js';
import { runSignIn } from '../../support/oidc/sign-in.js';

type Json = Record<string, unknown>;

/** Issue 22: GitHub as a provider, against an emulator of GitHub's OAuth app flow and REST API. */
describe('sign-in with GitHub (an OAuth app; organisations and teams as groups)', () => {
  const servers = githubServers();

  const session = (server: { url: string }, flow: Awaited<ReturnType<typeof runSignIn>>) => {
    const cookie = flow.cookieFor(new URL(server.url).host);
    return (path: string, init: RequestInit = {}) =>
      fetch(`${server.url}${path}`, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), cookie },
      });
  };

  it('signs a person in as github:<login>, mapped to people by verified email, with orgs and teams as groups', async () => {
    const { server, github } = await servers();
    github.signIn('alice-gh');
    const flow = await runSignIn(`${server.url}/auth/github/login`, 'alice-gh', '/auth/github/callback');
    expect(flow.finalUrl).toBe(`${server.url}/`);
    const api = session(server, flow);
    expect(await (await api('/api/v1/session')).json()).toMatchObject({
      user: 'alice-gh',
      actor: 'github:alice-gh',
      via: 'github',
    });
    // The authorisation asked for what the groups need, with PKCE and a state.
    const authorize = new URL(
      `http://x${github.requests.find((r) => r.startsWith('GET /login/oauth/authorize'))?.slice(4)}`,
    );
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      client_id: github.clientId,
      redirect_uri: `${server.url}/auth/github/callback`,
      scope: 'read:user user:email read:org',
      code_challenge_method: 'S256',
      state: expect.stringMatching(/^[\w-]{43}$/),
    });
    const audit = (await (await server.api('/api/v1/audit')).json()) as { entries: Json[] };
    expect(audit.entries.find((e) => e.action === 'session.signin')).toMatchObject({
      actor: 'github:alice-gh',
      result: expect.stringContaining(`signed in through ${github.url}`),
    });
    expect(String(audit.entries.find((e) => e.action === 'session.signin')?.result)).toContain(
      '(groups acme, acme/platform)',
    );
    // Mapped to Alice Doe of `people` by her verified email: the dashboard's commits carry her name.
    expect(await (await api('/api/v1/session')).json()).toMatchObject({ person: 'Alice Doe' });
  });

  it('lets a member of a bound team sync and refuses an org member outside it, naming the group', async () => {
    const { server, engine, github } = await servers();
    for (const [login, allowed] of [
      ['carol-gh', true],
      ['bob-gh', false],
    ] as const) {
      github.signIn(login);
      const api = session(
        server,
        await runSignIn(`${server.url}/auth/github/login`, login, '/auth/github/callback'),
      );
      const { csrfToken } = (await (await api('/api/v1/session')).json()) as { csrfToken: string };
      const response = await api('/api/v1/apps/web/sync', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
        body: '{}',
      });
      if (allowed) expect(response.status).toBeLessThan(300);
      else {
        expect(response.status).toBe(403);
        const message = String(((await response.json()) as { error: Json }).error.message);
        expect(message).toContain('Bob Roe (github:bob-gh) lacks the sync permission on app web');
        expect(message).toContain('group:acme/platform');
      }
    }
    expect(engine.calls.filter((c) => c.method === 'sync')).toHaveLength(1);
  });

  it('refuses someone outside auth.github.orgs, a denied authorisation and a replayed callback, saying why', async () => {
    const { server, github } = await servers();
    github.signIn('dave-gh');
    const outsider = await runSignIn(`${server.url}/auth/github/login`, 'dave-gh', '/auth/github/callback');
    expect(outsider.final.status).toBe(403);
    expect(((await outsider.final.json()) as { error: Json }).error.message).toContain(
      'GitHub user dave-gh may not sign in here: only members of acme (auth.github.orgs) may',
    );

    github.deny();
    const denied = await runSignIn(`${server.url}/auth/github/login`, 'alice-gh', '/auth/github/callback');
    expect(denied.final.status).toBe(401);
    expect(((await denied.final.json()) as { error: Json }).error.message).toContain(
      'sign-in refused by GitHub (access_denied: The user has denied your application access.)',
    );

    github.signIn('alice-gh');
    const flow = await runSignIn(`${server.url}/auth/github/login`, 'alice-gh', '/auth/github/callback');
    const replay = await fetch(String(flow.callbackUrl), {
      headers: { cookie: flow.cookieFor(new URL(server.url).host) },
      redirect: 'manual',
    });
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { error: Json }).error.message).toContain('already used');
  });

  it('offers GitHub on the sign-in page', async () => {
    const { server, github } = await servers();
    expect(await (await fetch(`${server.url}/api/v1/session/methods`)).json()).toEqual({
      sso: { url: '/auth/github/login', issuer: github.url, provider: 'github' },
      token: true,
    });
  });

  it('gives `wheelhouse login` a token for the GitHub person, with their team rights', async () => {
    const { server, github } = await servers();
    github.signIn('carol-gh');
    const tokens = await cliSignIn(server.url, '/auth/github/login', 'carol-gh', '/auth/github/callback');
    expect(tokens.actor).toBe('github:carol-gh');
    const sync = await fetch(`${server.url}/api/v1/apps/web/sync`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.accessToken}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(sync.status).toBeLessThan(300);
  });
});
