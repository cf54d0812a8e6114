import { describe, expect, it } from 'vitest';
import { createSecretRedaction } from '../../src/access/secrets.js';
import { parseControlConfig } from '../../src/config/index.js';
import { type ControlConfig, type SourceFile, silentLogger } from '../../src/core/index.js';

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
    const current = config('apps:\n  - { name: web, path: apps/web }\n');
    let manifest =
      'apiVersion: wheelhouse/v1\nkind: Process\nmetadata: { name: web }\nspec: { command: [x] }\n';
    const files = (): SourceFile[] => [{ path: 'apps/web/web.yaml', content: Buffer.from(manifest) }];
    const secrets = createSecretRedaction({
      config: () => current,
      env,
      log: silentLogger,
      engine: {
        apps: () => [{ name: 'web', desiredRevision: 'r1', source: { path: 'apps/web' } }] as never,
        events: { subscribe: () => () => {} } as never,
      },
      source: { readFiles: async () => files() } as never,
      repoOf: () => ({ url: '/control' }),
    });
    await secrets.scan();
    expect(secrets.redact('token-3')).toBe('token-3');

    manifest = `${manifest.trimEnd().slice(0, -1)}, secretEnv: { TOKEN: { fromEnv: WEB_TOKEN } } }\n`;
    await secrets.scan();
    expect(secrets.redact('token-3')).not.toContain('token-3');
  });
});
