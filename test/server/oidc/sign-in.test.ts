import { describe, expect, it } from 'vitest';
import { cliSignIn } from '../../support/oidc/cli-sign-in.js';
import { oidcProviders } from '../../support/oidc/provider.js';
import { cookieJar, runSignIn } from '../../support/oidc/sign-in.js';
import { ACCOUNTS, ssoServers } from '../../support/oidc/wheelhouse.js';

type Json = Record<string, unknown>;

describe('single sign-on through an OpenID provider (authorization code + PKCE)', () => {
  const providers = oidcProviders();
  const servers = ssoServers();

  async function setup() {
    const provider = await providers(ACCOUNTS);
    const { server, engine } = await servers(provider);
    return { provider, server, engine };
  }

  function withSession(server: { url: string }, flow: Awaited<ReturnType<typeof runSignIn>>) {
    const cookie = flow.cookieFor(new URL(server.url).host);
    return (path: string, init: RequestInit = {}) =>
      fetch(`${server.url}${path}`, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), cookie },
      });
  }

  it('signs a person in as themselves, mapped to people by email', async () => {
    const { server } = await setup();
    const flow = await runSignIn(`${server.url}/auth/oidc/login`, 'alice');
    expect(flow.finalUrl).toBe(`${server.url}/`);
    expect(flow.final.status).toBe(200);
    const api = withSession(server, flow);
    const session = (await (await api('/api/v1/session')).json()) as Json;
    expect(session).toMatchObject({
      user: 'alice@example.com',
      actor: 'oidc:alice@example.com',
      via: 'oidc',
    });
    const audit = (await (await server.api('/api/v1/audit')).json()) as { entries: Json[] };
    expect(audit.entries.find((e) => e.action === 'session.signin')).toMatchObject({
      actor: 'oidc:alice@example.com',
      result: expect.stringContaining('groups platform-team, everyone'),
    });
  });

  it('refuses a replayed callback (the state is good once) and one from another browser', async () => {
    const { server } = await setup();
    const flow = await runSignIn(`${server.url}/auth/oidc/login`, 'bob');
    expect(flow.callbackUrl).toBeDefined();
    const replay = await fetch(String(flow.callbackUrl), {
      headers: { cookie: flow.cookieFor(new URL(server.url).host) },
      redirect: 'manual',
    });
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { error: Json }).error.message).toContain('already used');

    // A browser that did not start the sign-in (no state cookie) cannot finish someone's callback.
    const started = await fetch(`${server.url}/auth/oidc/login`, { redirect: 'manual' });
    const state = new URL(String(started.headers.get('location'))).searchParams.get('state');
    const foreign = await fetch(`${server.url}/auth/oidc/callback?code=abc&state=${state}`, {
      redirect: 'manual',
    });
    expect(foreign.status).toBe(401);
    expect(((await foreign.json()) as { error: Json }).error.message).toContain('started in another browser');
  });

  it('signs in from one tab while another tab of the same browser started a sign-in too', async () => {
    const { server } = await setup();
    const jar = cookieJar();
    const start = async () => {
      const url = `${server.url}/auth/oidc/login`;
      const response = await fetch(url, {
        headers: { cookie: jar.header(new URL(url).host) },
        redirect: 'manual',
      });
      jar.store(url, response);
      return String(response.headers.get('location'));
    };
    const firstTab = await start();
    await start(); // the second tab, never finished
    const flow = await runSignIn(firstTab, 'alice', '/auth/oidc/callback', jar);
    expect(flow.finalUrl).toBe(`${server.url}/`);
    const session = await fetch(`${server.url}/api/v1/session`, {
      headers: { cookie: flow.cookieFor(new URL(server.url).host) },
    });
    expect(await session.json()).toMatchObject({ actor: 'oidc:alice@example.com' });
  });

  it('sends PKCE, state and nonce to the provider', async () => {
    const { server, provider } = await setup();
    const started = await fetch(`${server.url}/auth/oidc/login`, { redirect: 'manual' });
    expect(started.status).toBe(302);
    const location = new URL(String(started.headers.get('location')));
    expect(location.origin).toBe(provider.issuer);
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'wheelhouse-dashboard',
      redirect_uri: `${server.url}/auth/oidc/callback`,
      code_challenge_method: 'S256',
      code_challenge: expect.stringMatching(/^[\w-]{43}$/),
      state: expect.stringMatching(/^[\w-]{43}$/),
      nonce: expect.stringMatching(/^[\w-]{43}$/),
      scope: 'openid email profile groups',
    });
  });

  it('lets a person in a group bound to deployer sync, and refuses another naming the permission', async () => {
    const { server, engine } = await setup();
    for (const [account, allowed] of [
      ['carol', true],
      ['bob', false],
    ] as const) {
      const flow = await runSignIn(`${server.url}/auth/oidc/login`, account);
      const api = withSession(server, flow);
      const { csrfToken } = (await (await api('/api/v1/session')).json()) as { csrfToken: string };
      const response = await api('/api/v1/apps/web/sync', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
        body: '{}',
      });
      if (allowed) {
        expect(response.status).toBeLessThan(300);
      } else {
        expect(response.status).toBe(403);
        const message = String(((await response.json()) as { error: Json }).error.message);
        expect(message).toContain('Bob Roe (oidc:bob@example.com) lacks the sync permission on app web');
        expect(message).toContain('group:platform-team');
      }
    }
    const syncs = engine.calls.filter((c) => c.method === 'sync');
    expect(syncs).toHaveLength(1);
  });

  it('tells the sign-in page SSO is there', async () => {
    const { server, provider } = await setup();
    const methods = await (await fetch(`${server.url}/api/v1/session/methods`)).json();
    expect(methods).toEqual({
      sso: { url: '/auth/oidc/login', issuer: provider.issuer, provider: 'oidc' },
      token: true,
    });
  });

  it('ends the session at sign-out and answers where to end it at the provider', async () => {
    const { server, provider } = await setup();
    const flow = await runSignIn(`${server.url}/auth/oidc/login`, 'alice');
    const api = withSession(server, flow);
    const { csrfToken } = (await (await api('/api/v1/session')).json()) as { csrfToken: string };
    const out = await api('/api/v1/session', { method: 'DELETE', headers: { 'x-csrf-token': csrfToken } });
    expect(out.status).toBe(200);
    const { logoutUrl } = (await out.json()) as { logoutUrl: string };
    const logout = new URL(logoutUrl);
    expect(logout.origin).toBe(provider.issuer);
    expect(logout.searchParams.get('post_logout_redirect_uri')).toBe(`${server.url}/`);
    expect(logout.searchParams.get('id_token_hint')).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);
    expect((await api('/api/v1/session')).status).toBe(401);
  });

  it("keeps a person's group rights for their CLI login after they sign out of the dashboard", async () => {
    const { server } = await setup();
    const { accessToken, refreshToken } = await cliSignIn(server.url, '/auth/oidc/login', 'carol');
    const cliSync = () =>
      fetch(`${server.url}/api/v1/apps/web/sync`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: '{}',
      });

    // The same person in the dashboard, then signing out there.
    const webFlow = await runSignIn(`${server.url}/auth/oidc/login`, 'carol');
    const api = withSession(server, webFlow);
    const { csrfToken } = (await (await api('/api/v1/session')).json()) as { csrfToken: string };
    expect(
      (await api('/api/v1/session', { method: 'DELETE', headers: { 'x-csrf-token': csrfToken } })).status,
    ).toBe(200);
    // Her CLI login still carries the group that makes her a deployer.
    expect((await cliSync()).status).toBeLessThan(300);

    // Logging the CLI out ends it.
    const revoked = await fetch(`${server.url}/api/v1/session/cli/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
    });
    expect(revoked.status).toBeLessThan(300);
    expect((await cliSync()).status).toBe(401);
  });

  it('renews a CLI sign-in at the provider each time, and ends it when the provider refuses', async () => {
    const { server, provider } = await setup();
    const first = await cliSignIn(server.url, '/auth/oidc/login', 'carol');
    const refresh = (refreshToken: string) =>
      fetch(`${server.url}/api/v1/session/cli/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
      });
    const renewed = await refresh(first.refreshToken);
    expect(renewed.status).toBe(200);
    const second = (await renewed.json()) as { accessToken: string; refreshToken: string };
    expect(provider.tokenGrants('refresh_token')).toBe(1);
    const whoami = (token: string) =>
      fetch(`${server.url}/api/v1/session`, { headers: { authorization: `Bearer ${token}` } });
    expect((await whoami(second.accessToken)).status).toBe(200);

    // Carol is disabled at the provider: the next renewal is refused there, and so here.
    provider.disable('carol');
    const refused = await refresh(second.refreshToken);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: Json }).error.message).toContain(
      'your CLI sign-in has ended: the identity provider would not renew it',
    );
    expect((await whoami(second.accessToken)).status).toBe(401);
    const audit = (await (await server.api('/api/v1/audit')).json()) as { entries: Json[] };
    expect(
      audit.entries.find((e) => e.action === 'session.signout' && e.decision === 'denied'),
    ).toMatchObject({
      actor: 'oidc:carol@example.com',
      result: expect.stringContaining('the identity provider refused to renew the CLI sign-in'),
    });
  });
});
