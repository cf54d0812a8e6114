import { afterAll } from 'vitest';
import { createActions, createMutationGuard } from '../../../src/access/index.js';
import { actionText, COMMANDS } from '../../../src/chat/commands/index.js';
import { type ControlConfig, silentLogger } from '../../../src/core/index.js';
import { apiServers, type TestServer } from '../api-server.js';
import { appSpec } from '../control-config.js';
import { fakeWebBuild } from '../dashboard.js';
import {
  type GithubOauthEmulator,
  type GithubUser,
  startGithubOauthEmulator,
} from '../emulators/github-oauth.js';
import { appStatus, createFakeEngine, emptyConfig, type FakeEngine } from '../fake-engine.js';
import { sqliteStores } from '../sqlite-store.js';
import { tempDirs } from '../tmp.js';

/** Alice and Carol are on acme's platform team; Bob is in acme only; Dave is in no organisation. */
export const GITHUB_USERS: GithubUser[] = [
  {
    login: 'alice-gh',
    name: 'Alice Doe',
    email: 'alice@example.com',
    orgs: ['acme'],
    teams: ['acme/platform'],
  },
  { login: 'bob-gh', name: 'Bob Roe', email: 'bob@example.com', orgs: ['acme'], teams: [] },
  {
    login: 'carol-gh',
    name: 'Carol Poe',
    email: 'carol@example.com',
    orgs: ['acme'],
    teams: ['acme/platform'],
  },
  { login: 'dave-gh', name: 'Dave Moe', email: 'dave@example.com', orgs: ['elsewhere'], teams: [] },
];

function githubConfig(emulator: GithubOauthEmulator): ControlConfig {
  return emptyConfig({
    apps: [appSpec('web', 'dev')],
    people: [
      { name: 'Alice Doe', email: 'alice@example.com', ids: [] },
      { name: 'Bob Roe', email: 'bob@example.com', ids: [] },
    ],
    access: {
      roles: { deployer: ['read', 'sync'], viewer: ['read'] },
      bindings: [{ subjects: ['group:acme/platform'], role: 'deployer', apps: ['*'], environments: ['*'] }],
      defaultRole: 'viewer',
    },
    auth: {
      github: {
        clientId: emulator.clientId,
        clientSecretEnv: 'WHEELHOUSE_GITHUB_SECRET',
        url: emulator.url,
        apiUrl: emulator.apiUrl,
        orgs: ['acme'],
      },
    },
  });
}

/**
 * A Wheelhouse server with the dashboard and sign-in with GitHub through the OAuth emulator (its
 * callback registered there), the real actions service guarding the API, and one app `web`.
 */
export function githubServers(): () => Promise<{
  server: TestServer;
  engine: FakeEngine;
  github: GithubOauthEmulator;
}> {
  const start = apiServers();
  const stores = sqliteStores();
  const tmp = tempDirs();
  const emulators: GithubOauthEmulator[] = [];
  afterAll(async () => {
    for (const emulator of emulators) await emulator.close();
  });
  return async () => {
    const github = await startGithubOauthEmulator(GITHUB_USERS);
    emulators.push(github);
    const engine = createFakeEngine({ config: githubConfig(github), apps: [appStatus('web')] });
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
      env: { WHEELHOUSE_GITHUB_SECRET: github.clientSecret },
      guard: createMutationGuard(actions, (call) => actionText(call, COMMANDS)),
      dashboard: { webRoot: (await fakeWebBuild(await tmp('web'))).root },
    });
    github.register(`${server.url}/auth/github/callback`);
    return { server, engine, github };
  };
}
