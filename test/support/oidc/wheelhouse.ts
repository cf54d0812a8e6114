import { createActions, createMutationGuard } from '../../../src/access/index.js';
import { actionText, COMMANDS } from '../../../src/chat/commands/index.js';
import { type ControlConfig, silentLogger } from '../../../src/core/index.js';
import { apiServers, type TestServer } from '../api-server.js';
import { appSpec } from '../control-config.js';
import { fakeWebBuild } from '../dashboard.js';
import { appStatus, createFakeEngine, emptyConfig, type FakeEngine } from '../fake-engine.js';
import { sqliteStores } from '../sqlite-store.js';
import { tempDirs } from '../tmp.js';
import type { TestAccount, TestOidcProvider } from './provider.js';

export const CLIENT_ID = 'wheelhouse-dashboard';
export const CLIENT_SECRET = 'test-client-secret-0123456789';

/** Alice and Carol are in platform-team; Bob is in no group. Alice and Bob are in `people`. */
export const ACCOUNTS: TestAccount[] = [
  { id: 'alice', email: 'alice@example.com', name: 'Alice Doe', groups: ['platform-team', 'everyone'] },
  { id: 'bob', email: 'bob@example.com', name: 'Bob Roe', groups: ['everyone'] },
  { id: 'carol', email: 'carol@example.com', name: 'Carol Poe', groups: ['platform-team'] },
];

/** wheelhouse.yaml's content for these tests: SSO through `issuer`, platform-team may deploy. */
export function ssoConfig(issuer: string): ControlConfig {
  return emptyConfig({
    apps: [appSpec('web', 'dev')],
    people: [
      { name: 'Alice Doe', email: 'alice@example.com', ids: [] },
      { name: 'Bob Roe', email: 'bob@example.com', ids: [] },
    ],
    access: {
      roles: { deployer: ['read', 'sync'], viewer: ['read'] },
      bindings: [{ subjects: ['group:platform-team'], role: 'deployer', apps: ['*'], environments: ['*'] }],
      defaultRole: 'viewer',
    },
    auth: {
      oidc: {
        issuer,
        clientId: CLIENT_ID,
        clientSecretEnv: 'WHEELHOUSE_OIDC_SECRET',
        scopes: ['openid', 'email', 'profile', 'groups'],
        personClaim: 'email',
        groupsClaim: 'groups',
      },
    },
  });
}

/**
 * A Wheelhouse server with the dashboard, SSO through `provider` (registered there as a
 * confidential client), the real actions service guarding the API, and one app `web`.
 */
export function ssoServers(): (
  provider: TestOidcProvider,
  options?: { webRoot?: string },
) => Promise<{ server: TestServer; engine: FakeEngine }> {
  const start = apiServers();
  const stores = sqliteStores();
  const tmp = tempDirs();
  return async (provider, options = {}) => {
    const engine = createFakeEngine({ config: ssoConfig(provider.issuer), apps: [appStatus('web')] });
    const store = await stores();
    const actions = createActions({
      config: () => engine.config(),
      store,
      operations: new Map(),
      events: engine.events,
      log: silentLogger,
    });
    const server = await start({
      engine,
      store,
      env: { WHEELHOUSE_OIDC_SECRET: CLIENT_SECRET },
      guard: createMutationGuard(actions, (call) => actionText(call, COMMANDS)),
      dashboard: {
        webRoot: options.webRoot ?? (await fakeWebBuild(await tmp('web'))).root,
        jwksCooldownMs: 0,
      },
    });
    await provider.addClient({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUris: [`${server.url}/auth/oidc/callback`],
      postLogoutRedirectUris: [`${server.url}/`],
    });
    return { server, engine };
  };
}
