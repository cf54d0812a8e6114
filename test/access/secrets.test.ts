import { describe, expect, it } from 'vitest';
import { createSecretRedaction } from '../../src/access/secrets.js';
import { parseControlConfig } from '../../src/config/index.js';
import {
  type ControlConfig,
  type SourceFile,
  silentLogger,
  type WheelhouseEvent,
} from '../../src/core/index.js';
import { waitFor } from '../support/wait-for.js';

function config(yaml: string): ControlConfig {
  const parsed = parseControlConfig({
    text: yaml,
    file: 'wheelhouse.yaml',
    controlRepo: { url: '/control', ref: 'main' },
    drivers: ['process'],
  });
  if (!parsed.config) throw new Error(JSON.stringify(parsed.issues));
  return parsed.config;
}

const env = { GH_HOOK_SECRET: 'hook-secret-1', NEW_HOOK_SECRET: 'hook-secret-2', WEB_TOKEN: 'token-3' };

/** App `web`'s manifest without and with a secretEnv (read from WEB_TOKEN). */
const PLAIN = 'apiVersion: wheelhouse/v1\nkind: Process\nmetadata: { name: web }\nspec: { command: [x] }\n';
const WITH_TOKEN = `${PLAIN.trimEnd().slice(0, -1)}, secretEnv: { TOKEN: { fromEnv: WEB_TOKEN } } }\n`;
const WEB_CONFIG = 'apps:\n  - { name: web, path: apps/web }\n';

/** What app `web` declares now; a test changes both fields, as a commit would. */
interface Web {
  manifest: string;
  revision: string;
}

/** Redaction over one app `web` as `web` says now; `reads` lists the revisions its files were read at. */
function redactionOfWeb(current: ControlConfig, web: Web) {
  const status = () =>
    ({ name: 'web', desiredRevision: web.revision, source: { path: 'apps/web' } }) as never;
  const reads: string[] = [];
  const secrets = createSecretRedaction({
    config: () => current,
    env,
    log: silentLogger,
    engine: {
      apps: () => [status()],
      status,
      events: { subscribe: () => () => {} } as never,
    },
    source: {
      readFiles: async (_repo: unknown, at: string): Promise<SourceFile[]> => {
        reads.push(at);
        return [{ path: 'apps/web/web.yaml', content: Buffer.from(web.manifest) }];
      },
    } as never,
    repoOf: () => ({ url: '/control' }),
  });
  return Object.assign(secrets, { reads });
}

describe('secret redaction follows the config and the manifests', () => {
  it('masks what the current config names, and picks up a new config at once', () => {
    let current = config('webhooks:\n  github: { secretEnv: GH_HOOK_SECRET }\n');
    const secrets = createSecretRedaction({ config: () => current, env, log: silentLogger });
    expect(secrets.redact('hook-secret-1')).not.toContain('hook-secret-1');
    expect(secrets.redact('hook-secret-2')).toBe('hook-secret-2');

    current = config('webhooks:\n  github: { secretEnv: NEW_HOOK_SECRET }\n');
    expect(secrets.redact('hook-secret-2')).not.toContain('hook-secret-2');
    expect(secrets.redact('hook-secret-1')).toBe('hook-secret-1');
  });

  it('masks secretEnv values of the manifests once they are scanned, and again after a rescan', async () => {
    const web = { manifest: PLAIN, revision: 'r1' };
    const secrets = redactionOfWeb(config(WEB_CONFIG), web);
    await secrets.scan();
    expect(secrets.redact('token-3')).toBe('token-3');

    // A commit that adds a secretEnv.
    Object.assign(web, { manifest: WITH_TOKEN, revision: 'r2' });
    await secrets.scan();
    expect(secrets.redact('token-3')).not.toContain('token-3');
  });

  it('reads an app’s manifests once per revision: a sync at the revision scanned finds the same', async () => {
    const web = { manifest: WITH_TOKEN, revision: 'r1' };
    const secrets = redactionOfWeb(config(WEB_CONFIG), web);
    await secrets.scan();
    await secrets.scan();
    web.revision = 'r2';
    await secrets.scan();
    await secrets.scan();
    expect(secrets.reads).toEqual(['r1', 'r2']);
    expect(secrets.redact('token-3')).not.toContain('token-3');
  });

  it('rescans only the app a sync starts for, asking the engine for that app alone', async () => {
    const current = config(WEB_CONFIG);
    let manifest = PLAIN;
    let listener: ((event: WheelhouseEvent) => void) | undefined;
    const asked: string[] = [];
    let listed = 0;
    const secrets = createSecretRedaction({
      config: () => current,
      env,
      log: silentLogger,
      engine: {
        apps: () => {
          listed++;
          return [];
        },
        status: (app: string) => {
          asked.push(app);
          if (app !== 'web') throw new Error(`no app named ${app}`);
          return { name: 'web', desiredRevision: 'r2', source: { path: 'apps/web' } } as never;
        },
        events: {
          subscribe: (fn: (event: WheelhouseEvent) => void) => {
            listener = fn;
            return () => {};
          },
        } as never,
      },
      source: {
        readFiles: async () => [{ path: 'apps/web/web.yaml', content: Buffer.from(manifest) }],
      } as never,
      repoOf: () => ({ url: '/control' }),
    });
    secrets.watch();
    manifest = WITH_TOKEN;
    listener?.({ type: 'sync.started', app: 'web' } as WheelhouseEvent);
    listener?.({ type: 'sync.started', app: 'gone' } as WheelhouseEvent);
    await waitFor('web rescanned', () => !secrets.redact('token-3').includes('token-3'));
    expect(asked).toEqual(['web', 'gone']);
    expect(listed).toBe(0);
  });

  it('walks the config once per config, however often syncs rescan manifests that name the same secrets', async () => {
    let walks = 0;
    // Object.entries on the root (how the config is walked for secret names) asks for its keys.
    const current = new Proxy(config(WEB_CONFIG), {
      ownKeys(target) {
        walks++;
        return Reflect.ownKeys(target);
      },
    });
    const secrets = redactionOfWeb(current, { manifest: WITH_TOKEN, revision: 'r1' });
    for (let scan = 0; scan < 5; scan++) {
      await secrets.scan();
      expect(secrets.redact('token-3')).not.toContain('token-3');
    }
    expect(walks).toBe(1);
  });
});
