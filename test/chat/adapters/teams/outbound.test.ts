import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createConnector,
  createTokenClient,
  parseTeamsSettings,
  serviceUrlAllowed,
} from '../../../../src/chat/adapters/teams/index.js';
import { chatAdapterFactories, configuredAdapters } from '../../../../src/chat/index.js';
import { parseControlConfig } from '../../../../src/config/index.js';
import { silentLogger } from '../../../../src/core/index.js';
import { startTeamsEmulator, type TeamsEmulator } from '../../../support/emulators/teams.js';
import { tempDirs } from '../../../support/tmp.js';

const OPS = '19:ops0000001@thread.tacv2';
const tmp = tempDirs();

describe('Teams outbound: client-credentials token and the connector', () => {
  let teams: TeamsEmulator;

  beforeAll(async () => {
    teams = await startTeamsEmulator();
    teams.addConversation(OPS, 'channel');
  });
  afterAll(async () => {
    await teams?.close();
  });

  const tokens = (clock: { now: number }, password = teams.appPassword) =>
    createTokenClient({
      tokenUrl: teams.tokenUrl,
      appId: teams.appId,
      appPassword: password,
      appPasswordEnv: 'TEAMS_APP_PASSWORD',
      now: () => clock.now,
    });

  it('caches the token until 5 minutes before it expires, then fetches a new one', async () => {
    const clock = { now: Date.now() };
    const client = tokens(clock);
    const before = teams.counts.token;
    const first = await client.token();
    expect(await Promise.all([client.token(), client.token()])).toEqual([first, first]);
    expect(teams.counts.token).toBe(before + 1);
    clock.now += 3599 * 1000 - 6 * 60_000; // more than 5 minutes left: still cached
    expect(await client.token()).toBe(first);
    clock.now += 2 * 60_000; // inside the last 5 minutes: renewed
    expect(await client.token()).not.toBe(first);
    expect(teams.counts.token).toBe(before + 2);
  });

  it('a wrong secret fails with what to fix, never the secret', async () => {
    const client = tokens({ now: Date.now() }, 'wrong-secret-value');
    const error = await client.token().then(
      () => undefined,
      (err: unknown) => err as Error & { code?: string },
    );
    expect(error?.code).toBe('UNAUTHENTICATED');
    expect(error?.message).toContain('invalid_client');
    expect(error?.message).toContain('TEAMS_APP_PASSWORD');
    expect(error?.message).not.toContain('wrong-secret-value');
  });

  it('replies go only to allowed service URLs; a refused token is renewed once', async () => {
    const client = tokens({ now: Date.now() });
    const connector = createConnector({
      tokens: client,
      allowed: (url) => serviceUrlAllowed(url, [new URL(teams.serviceUrl).origin]),
    });
    const target = { serviceUrl: teams.serviceUrl, conversationId: OPS };
    const card = {
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          content: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'hi' }] },
        },
      ],
    };
    const id = await connector.send(target, card);
    expect(teams.find(id)?.fromBot).toBe(true);

    // The connector stops honouring the cached token (revoked): one renewal, then the update lands.
    teams.revokeTokens();
    const before = teams.counts.token;
    await connector.update(target, id, { ...card, summary: 'updated' });
    expect(teams.counts.token).toBe(before + 1);
    expect(teams.find(id)?.activity.summary).toBe('updated');

    await expect(
      connector.send({ serviceUrl: 'https://evil.example.test/', conversationId: OPS }, card),
    ).rejects.toThrow(
      /refusing to send to the service URL https:\/\/evil\.example\.test: it is not in chat\.teams\.serviceUrls/,
    );
    await expect(
      connector.send({ ...target, conversationId: '19:unknown@thread.tacv2' }, card),
    ).rejects.toThrow(/404 ConversationNotFound/);
  });
});

describe('chat.teams settings', () => {
  it('defaults to the Bot Framework’s endpoints and Teams’ service URLs', () => {
    const settings = parseTeamsSettings(
      { appId: '00000000-0000-0000-0000-000000000001', appPasswordEnv: 'P' },
      { P: 's' },
    );
    expect(settings).toMatchObject({
      openIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
      tokenUrl: 'https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token',
      issuers: ['https://api.botframework.com'],
      channels: ['msteams'],
    });
    expect(settings.serviceUrls).toContain('https://smba.trafficmanager.net');
    const single = parseTeamsSettings(
      {
        appId: '00000000-0000-0000-0000-000000000001',
        appPasswordEnv: 'P',
        tenantId: 'contoso.onmicrosoft.com',
      },
      { P: 's' },
    );
    expect(single.tokenUrl).toBe(
      'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token',
    );
  });

  it('says what is wrong: a missing variable, a bad service URL, plain http, a password in the file', () => {
    expect(() => parseTeamsSettings({ appId: '00000000-0000', appPasswordEnv: 'NOPE' }, {})).toThrow(
      /chat\.teams\.appPasswordEnv names the environment variable NOPE, which is not set/,
    );
    expect(() =>
      parseTeamsSettings(
        { appId: '00000000-0000', appPasswordEnv: 'P', serviceUrls: ['smba.trafficmanager.net/amer'] },
        { P: 's' },
      ),
    ).toThrow(/chat\.teams\.serviceUrls\[0\]: must be an origin/);
    // The client secret goes to the token endpoint; the signing keys come from the metadata URL.
    for (const key of ['tokenUrl', 'openIdMetadataUrl']) {
      expect(() =>
        parseTeamsSettings(
          { appId: '00000000-0000', appPasswordEnv: 'P', [key]: 'http://login.example/x' },
          { P: 's' },
        ),
      ).toThrow(new RegExp(`chat\\.teams\\.${key}: must be an https:// URL`));
    }
    expect(() => parseTeamsSettings({ appId: '00000000-0000', appPassword: 'x' }, {})).toThrow(
      /a secret goes into an environment variable named by appPasswordEnv/,
    );
  });

  it('is registered: a chat.teams section builds a Teams adapter serving /chat/teams/messages', async () => {
    expect(Object.keys(chatAdapterFactories)).toContain('teams');
    const parsed = parseControlConfig({
      text: 'chat:\n  teams:\n    appId: "00000000-0000-0000-0000-000000000001"\n    appPasswordEnv: P\n',
      file: 'wheelhouse.yaml',
      controlRepo: { url: '/control', ref: 'main' },
      drivers: ['process'],
    });
    if (!parsed.config) throw new Error(JSON.stringify(parsed.issues));
    const [adapter] = configuredAdapters(parsed.config, {
      env: { P: 's' },
      log: silentLogger,
      stateDir: await tmp('state'),
    });
    expect(adapter?.platform).toBe('teams');
    expect(adapter?.endpoints?.map((e) => `${e.method} ${e.path}`)).toEqual(['POST /chat/teams/messages']);
  });
});
