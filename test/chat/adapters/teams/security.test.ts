import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createTeamsAdapter,
  parseTeamsSettings,
  type TeamsAdapter,
} from '../../../../src/chat/adapters/teams/index.js';
import { silentLogger } from '../../../../src/core/index.js';
import { chatEndpointRoutes } from '../../../../src/server/index.js';
import { apiServers, type TestServer } from '../../../support/api-server.js';
import { startTeamsEmulator, type TeamsEmulator, type TeamsUser } from '../../../support/emulators/teams.js';
import { appStatus, createFakeEngine } from '../../../support/fake-engine.js';
import { recordingHandler } from '../../../support/recording-handler.js';
import { sqliteStores } from '../../../support/sqlite-store.js';
import { tempDirs } from '../../../support/tmp.js';

const OPS = '19:ops0000001@thread.tacv2';
const start = apiServers();
const createStore = sqliteStores();
const tmp = tempDirs();

describe('Teams messaging endpoint: only verified Bot Framework activities get through', () => {
  let teams: TeamsEmulator;
  let adapter: TeamsAdapter;
  let server: TestServer;
  let alice: TeamsUser;
  /** A host no reply may ever reach; it counts what arrives. */
  let evil: Server;
  let evilHits = 0;
  let evilUrl: string;
  const handler = recordingHandler();

  beforeAll(async () => {
    teams = await startTeamsEmulator();
    teams.addConversation(OPS, 'channel');
    alice = teams.user('alice');
    evil = createServer((_req, res) => {
      evilHits++;
      res.writeHead(201, { 'content-type': 'application/json' }).end('{"id":"1"}');
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    evilUrl = `http://localhost:${(evil.address() as AddressInfo).port}/`;
    const store = await createStore();
    adapter = createTeamsAdapter({
      settings: parseTeamsSettings(
        {
          appId: teams.appId,
          appPasswordEnv: 'P',
          openIdMetadataUrl: teams.openIdMetadataUrl,
          tokenUrl: teams.tokenUrl,
          serviceUrls: [new URL(teams.serviceUrl).origin],
        },
        { P: teams.appPassword },
      ),
      log: silentLogger,
      stateDir: await tmp('teams-state'),
      markDelivered: (source, id) => store.markDelivered(source, id),
      keyRefreshCooldownMs: 0,
    });
    await adapter.start(handler);
    server = await start({
      engine: createFakeEngine({ apps: [appStatus('web')] }),
      store,
      plugins: { public: [chatEndpointRoutes(() => adapter.endpoints ?? [])] },
    });
    teams.setBotUrl(server.url);
  });

  afterAll(async () => {
    await adapter?.stop();
    await teams?.close();
    await new Promise<void>((resolve) => (evil ? evil.close(() => resolve()) : resolve()));
  });

  beforeEach(async () => {
    await adapter.idle();
    handler.messages.length = 0;
    handler.actions.length = 0;
  });

  const nowSec = () => Math.floor(Date.now() / 1000);

  const refused = async (response: Response, status: number, pattern: RegExp) => {
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(pattern);
    await adapter.idle();
    expect(handler.messages).toEqual([]);
    expect(handler.actions).toEqual([]);
  };

  it('accepts a properly signed message and strips the mention of the bot', async () => {
    const response = await teams.send(teams.messageActivity(alice, OPS, 'status web'));
    expect(response.status).toBe(200);
    await adapter.idle();
    expect(handler.messages).toEqual([
      expect.objectContaining({
        platform: 'teams',
        channel: OPS,
        user: alice.aadObjectId,
        text: 'status web',
      }),
    ]);
  });

  it('refuses a request without a token', async () => {
    await refused(
      await teams.send(teams.messageActivity(alice, OPS, 'status'), null),
      401,
      /no Authorization header/,
    );
  });

  it('refuses a forged signature (a key that claims the published kid)', async () => {
    const published = JSON.parse(
      Buffer.from((await teams.token()).split('.')[0] ?? '', 'base64url').toString(),
    ) as { kid: string };
    await refused(
      await teams.send(teams.messageActivity(alice, OPS, 'sync web'), {
        key: 'unpublished',
        kid: published.kid,
      }),
      401,
      /signature does not verify/,
    );
  });

  it('refuses a key the Bot Framework does not publish', async () => {
    await refused(
      await teams.send(teams.messageActivity(alice, OPS, 'sync web'), { key: 'unpublished' }),
      401,
      /key the Bot Framework does not publish/,
    );
  });

  it('refuses a token for another audience', async () => {
    await refused(
      await teams.send(teams.messageActivity(alice, OPS, 'status'), {
        claims: { aud: 'another-bot-app-id' },
      }),
      401,
      /another audience/,
    );
  });

  it('refuses an unknown issuer', async () => {
    await refused(
      await teams.send(teams.messageActivity(alice, OPS, 'status'), {
        claims: { iss: 'https://evil.example' },
      }),
      401,
      /issuer that is not trusted/,
    );
  });

  it('refuses a token expired more than 5 minutes ago, accepts one inside the skew', async () => {
    await refused(
      await teams.send(teams.messageActivity(alice, OPS, 'status'), {
        claims: { exp: nowSec() - 6 * 60, nbf: nowSec() - 3600, iat: nowSec() - 3600 },
      }),
      401,
      /expired/,
    );
    const late = await teams.send(teams.messageActivity(alice, OPS, 'status'), {
      claims: { exp: nowSec() - 60, nbf: nowSec() - 3600, iat: nowSec() - 3600 },
    });
    expect(late.status).toBe(200);
  });

  it('refuses a token that is not valid yet (beyond the skew) and one without exp', async () => {
    await refused(
      await teams.send(teams.messageActivity(alice, OPS, 'status'), { claims: { nbf: nowSec() + 10 * 60 } }),
      401,
      /not valid yet/,
    );
    await refused(
      await teams.send(teams.messageActivity(alice, OPS, 'status'), { claims: { exp: undefined } }),
      401,
      /exp/,
    );
  });

  it('refuses a key not endorsed for the activity’s channel', async () => {
    await refused(
      await teams.send(teams.messageActivity(alice, OPS, 'status'), { key: 'unendorsed' }),
      401,
      /not endorsed for channel "msteams"/,
    );
  });

  it('refuses a token whose serviceurl claim differs from the activity', async () => {
    await refused(
      await teams.send(teams.messageActivity(alice, OPS, 'status'), {
        claims: { serviceurl: 'https://smba.trafficmanager.net/emea/' },
      }),
      401,
      /serviceurl claim does not match/,
    );
  });

  it('refuses a service URL off the allow-list even with a valid token, and never calls it', async () => {
    const activity = { ...teams.messageActivity(alice, OPS, 'status'), serviceUrl: evilUrl };
    await refused(
      await teams.send(activity, { claims: { serviceurl: evilUrl } }),
      403,
      /serviceUrl that is not allowed/,
    );
    expect(evilHits).toBe(0);
    // Nor did it remember that URL for later (proactive) messages.
    expect(adapter.conversations().some((c) => c.serviceUrl === evilUrl)).toBe(false);
  });

  it('refuses tokens that are not RS256 JWTs', async () => {
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({ iss: 'https://api.botframework.com', aud: teams.appId, exp: nowSec() + 600 }),
    ).toString('base64url')}.`;
    await refused(await teams.send(teams.messageActivity(alice, OPS, 'status'), none), 401, /not RS256/);
    await refused(
      await teams.send(teams.messageActivity(alice, OPS, 'status'), 'not-a-jwt'),
      401,
      /not a JWT/,
    );
  });

  it('refuses an oversized activity before reading it', async () => {
    const activity = {
      ...teams.messageActivity(alice, OPS, 'status'),
      padding: 'x'.repeat(1024 * 1024 + 10),
    };
    const response = await teams.send(activity);
    expect(response.status).toBe(413);
    await adapter.idle();
    expect(handler.messages).toEqual([]);
  });

  it('runs a replayed button click (same activity id) once', async () => {
    const posted = await adapter.post(
      { channel: OPS },
      {
        text: 'approve?',
        blocks: [
          { type: 'buttons', buttons: [{ action: 'approval.approve', label: 'Approve', value: 'q1' }] },
        ],
      },
    );
    const message = teams.find(posted.id);
    if (!message) throw new Error('not posted');
    const invoke = {
      channelId: 'msteams',
      serviceUrl: teams.serviceUrl,
      type: 'invoke',
      name: 'adaptiveCard/action',
      id: 'invoke-replayed-1',
      replyToId: message.id,
      from: alice,
      recipient: { id: teams.botId },
      conversation: { id: `${OPS};messageid=${message.id}`, conversationType: 'channel' },
      value: {
        action: {
          type: 'Action.Execute',
          verb: 'approval.approve',
          data: { wheelhouse: { action: 'approval.approve', value: 'q1' } },
        },
      },
    };
    for (let i = 0; i < 3; i++) expect((await teams.send(invoke)).status).toBe(200);
    await adapter.idle();
    expect(handler.actions).toEqual([
      {
        platform: 'teams',
        user: alice.aadObjectId,
        action: 'approval.approve',
        value: 'q1',
        message: { platform: 'teams', channel: OPS, thread: message.id, id: message.id },
      },
    ]);
  });

  it('fetches the keys again when a token names a new key (rotation), and caches them otherwise', async () => {
    await teams.send(teams.messageActivity(alice, OPS, 'status'));
    const fetched = teams.counts.keys;
    await teams.send(teams.messageActivity(alice, OPS, 'status'));
    expect(teams.counts.keys).toBe(fetched);
    await teams.rotateKeys();
    const response = await teams.send(teams.messageActivity(alice, OPS, 'status'));
    expect(response.status).toBe(200);
    expect(teams.counts.keys).toBe(fetched + 1);
  });
});
