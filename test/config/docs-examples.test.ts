import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseControlConfig } from '../../src/config/index.js';
import { formatIssue } from '../../src/core/index.js';
import { renderApp } from '../../src/render/index.js';
import { TEST_DRIVERS, testKindRegistry } from '../support/kinds.js';

const doc = await readFile(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
const yamlBlocks = (text: string): string[] =>
  [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

describe('docs/configuration.md', () => {
  it('has wheelhouse.yaml examples that, put together, validate', () => {
    const section = doc.slice(doc.indexOf('## wheelhouse.yaml'), doc.indexOf('## Manifests'));
    // The first block is the minimal example, which repeats `apps:`.
    const text = yamlBlocks(section).slice(1).join('\n');
    const { issues, config } = parseControlConfig({
      text,
      file: 'wheelhouse.yaml',
      controlRepo: { url: '/control', ref: 'main' },
      drivers: TEST_DRIVERS,
    });
    expect(issues.map(formatIssue)).toEqual([]);
    expect(Object.keys(config ?? {}).sort()).toEqual(
      [
        'access',
        'apps',
        'approvals',
        'chat',
        'ci',
        'notifications',
        'people',
        'previews',
        'secretPatterns',
        'targets',
        'webhooks',
        'windows',
      ].sort(),
    );
  });

  it('has a manifest example that renders', () => {
    const section = doc.slice(doc.indexOf('## Manifests'), doc.indexOf('## Limits'));
    const [manifest] = yamlBlocks(section);
    const config = parseControlConfig({
      text: 'apps:\n  - { name: web, path: apps/web }\n',
      file: 'wheelhouse.yaml',
      controlRepo: { url: '/control', ref: 'main' },
      drivers: TEST_DRIVERS,
    }).config;
    const app = config?.apps[0];
    expect(app).toBeDefined();
    if (!app || manifest === undefined) return;
    const { resources, issues } = renderApp({
      app,
      driver: 'process',
      files: [{ path: 'apps/web/api.yaml', content: Buffer.from(manifest) }],
      kinds: testKindRegistry(),
    });
    expect(issues).toEqual([]);
    expect(resources.map((r) => [r.key, r.wave])).toEqual([['local/Process/web/api', 1]]);
  });
});
