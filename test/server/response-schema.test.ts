import { describe, expect, it } from 'vitest';
import type { AppStatus } from '../../src/core/index.js';
import { apiServers } from '../support/api-server.js';
import { captureLogger } from '../support/capture-logger.js';
import { appStatus, createFakeEngine, emptyConfig } from '../support/fake-engine.js';
import { sqliteStores } from '../support/sqlite-store.js';

const start = apiServers();
const createStore = sqliteStores();

describe('answers go through their zod schema (src/wire)', () => {
  it('sends only the fields the schema declares', async () => {
    const extra = { ...appStatus('web'), internalNote: 'not for the wire' } as AppStatus;
    const server = await start({
      engine: createFakeEngine({ apps: [extra], config: emptyConfig() }),
      store: await createStore(),
    });
    const response = await server.api('/api/v1/apps/web');
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.name).toBe('web');
    expect(body).not.toHaveProperty('internalNote');
  });

  it('answers 500 pointing at the log when an answer breaks its schema, and logs which field', async () => {
    const capture = captureLogger();
    const broken = appStatus('web', { health: { status: 'Sideways' as AppStatus['health']['status'] } });
    const server = await start({
      engine: createFakeEngine({ apps: [broken], config: emptyConfig() }),
      store: await createStore(),
      log: capture.logger,
    });
    const response = await server.api('/api/v1/apps/web');
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('INTERNAL');
    expect(body.error.message).toMatch(/GET \/api\/v1\/apps\/:app; the server log has the details/);
    expect(body.error.message).not.toContain('Sideways');
    const logged = capture.lines.find((line) => line.level === 'error' && line.msg === 'request failed');
    expect(JSON.stringify(logged?.obj)).toMatch(/health.*status|status.*health/);
  });
});
