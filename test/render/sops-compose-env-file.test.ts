import { describe, expect, it } from 'vitest';
import type { AppSpec } from '../../src/core/index.js';
import { createKindRegistry } from '../../src/drivers/registry.js';
import { composeRenderer } from '../../src/render/compose/index.js';
import { decryptSopsFiles, plainManifestRenderer, renderApp } from '../../src/render/index.js';
import { ageKey, sopsBinary, sopsEncrypt, sopsMissing } from '../support/sops.js';
import { tempDirs } from '../support/tmp.js';

/* Issue 19: a Compose env_file encrypted by the real sops binary reaches the service's environment. */
const missing = sopsMissing();
const tmp = tempDirs();

const app: AppSpec = {
  name: 'shop',
  path: 'apps/shop',
  target: 'box',
  environment: 'prod',
  intervalMs: 30_000,
  sync: { auto: true, prune: true, selfHeal: true, allowEmpty: false, timeoutMs: 300_000, retries: 3 },
  source: { repo: '/control', ref: 'main', protected: false },
  sourceIsControlRepo: true,
};

describe.skipIf(missing !== undefined)('SOPS Compose env_file', () => {
  it("decrypts the env_file and the service's environment holds its values", async () => {
    const dir = await tmp('sops');
    const key = await ageKey(dir, 'wheelhouse');
    const env = await sopsEncrypt(dir, 'web.env', 'DB_PASSWORD=compose-env-secret\n', key.recipient);
    const compose = 'services:\n  web:\n    image: web:1\n    env_file: web.env\n';
    const decrypted = await decryptSopsFiles(
      [
        { path: 'apps/shop/compose.yaml', content: Buffer.from(compose) },
        { path: 'apps/shop/web.env', content: Buffer.from(env) },
      ],
      { binary: sopsBinary, env: { SOPS_AGE_KEY_FILE: key.file } },
    );
    expect(decrypted.issues).toEqual([]);
    expect(decrypted.secrets).toContain('compose-env-secret');
    const rendered = renderApp({
      app,
      driver: 'docker',
      files: decrypted.files,
      kinds: createKindRegistry(),
      renderers: [composeRenderer, plainManifestRenderer],
    });
    expect(rendered.issues).toEqual([]);
    const text = JSON.stringify(rendered.resources);
    expect(text).toContain('compose-env-secret');
    expect(text).not.toContain('ENC[');
  });
});
