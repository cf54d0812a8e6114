import { describe, expect, it } from 'vitest';
import { validateControlRepo } from '../../../src/config/index.js';
import { formatIssue } from '../../../src/core/index.js';
import { createKindRegistry, driverNames } from '../../../src/drivers/index.js';
import { kustomizeRenderer, renderWithTool, toolFor } from '../../../src/render/index.js';
import { appSpec as specOf } from '../../support/control-config.js';
import { type FileTree, writeTree } from '../../support/git.js';
import { kustomizeMissing, toolOptions } from '../../support/render-tools.js';
import { tempDirs } from '../../support/tmp.js';
import { webOverlay } from './web-overlay.js';

const tmp = tempDirs();

const base = webOverlay();

async function render(files: FileTree, path: string, extra = {}) {
  const repoDir = await tmp('repo');
  await writeTree(repoDir, files);
  const app = specOf('web', 'prod', { path: path, target: 'cluster', ...extra });
  const own = Object.keys(files)
    .filter((f) => f.startsWith(`${path}/`))
    .map((f) => ({ path: f, content: Buffer.from(files[f] ?? '') }));
  const tool = toolFor(app, own);
  if (!tool) throw new Error(`no tool claims ${path}`);
  return {
    tool,
    result: await renderWithTool(tool, { app, files: own, repoDir, targetOptions: {}, options: toolOptions }),
  };
}

describe.skipIf(kustomizeMissing !== undefined)('kustomize apps', () => {
  it('renders an overlay with its base from the repo', async () => {
    const { tool, result } = await render(base, 'apps/web/overlays/prod');
    expect(tool).toBe(kustomizeRenderer);
    expect(result.issues).toEqual([]);
    expect(result.files.map((f) => f.path)).toEqual(['apps/web/overlays/prod/[kustomize build].yaml']);
    const text = result.files[0]?.content.toString() ?? '';
    expect(text).toContain('name: prod-web');
    expect(text).toContain('replicas: 3');
  });

  it('refuses a remote base, naming the file and the ref, unless the app allows it', async () => {
    const files = {
      ...base,
      'apps/web/overlays/prod/kustomization.yaml':
        'resources:\n  - ../../base\n  - https://github.com/example/manifests//base?ref=v1.2.0\n',
    };
    const { result } = await render(files, 'apps/web/overlays/prod');
    expect(result.files).toEqual([]);
    expect(result.issues.map(formatIssue)).toEqual([
      expect.stringContaining('apps/web/overlays/prod/kustomization.yaml'),
    ]);
    expect(result.issues[0]?.message).toContain('"https://github.com/example/manifests//base?ref=v1.2.0"');
    expect(result.issues[0]?.message).toContain('allowRemoteBases: true');
  });

  it('refuses a base outside the kustomize root the app names', async () => {
    const files: FileTree = { ...base, 'shared/kustomization.yaml': 'resources: []\n' };
    files['apps/web/overlays/prod/kustomization.yaml'] = 'resources: [../../base, ../../../../shared]\n';
    const { result } = await render(files, 'apps/web/overlays/prod', { kustomize: { root: 'apps/web' } });
    expect(result.issues.map((i) => i.message)).toEqual([
      expect.stringContaining('"../../../../shared" is outside the kustomize root apps/web'),
    ]);
  });

  it("reports kustomize's own message on the kustomization that failed", async () => {
    const files = {
      ...base,
      'apps/web/overlays/prod/kustomization.yaml': 'resources: [../../base, missing.yaml]\n',
    };
    const { result } = await render(files, 'apps/web/overlays/prod');
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]?.file).toBe('apps/web/overlays/prod/kustomization.yaml');
    expect(result.issues[0]?.message).toMatch(
      /^kustomize failed: .*missing\.yaml.* — fix the file and commit$/,
    );
    expect(result.issues[0]?.message).not.toContain(toolOptions.binaries.kustomize ?? '');
  });

  it('says how to install kustomize when the binary is not there', async () => {
    const repoDir = await tmp('repo');
    await writeTree(repoDir, base);
    const app = specOf('web', 'prod', { path: 'apps/web/overlays/prod', target: 'cluster' });
    const result = await renderWithTool(kustomizeRenderer, {
      app,
      files: [],
      repoDir,
      targetOptions: {},
      options: { ...toolOptions, binaries: { kustomize: `${repoDir}/no-such-kustomize` } },
    });
    expect(result.issues[0]?.message).toContain('kustomize is not available');
    expect(result.issues[0]?.message).toContain('WHEELHOUSE_KUSTOMIZE');
  });
});

describe.skipIf(kustomizeMissing !== undefined)('wheelhouse validate on a kustomize app', () => {
  it('checks what the overlay builds to, and names the kustomization that fails', async () => {
    const dir = await tmp('control');
    const config = `targets:\n  prod: { driver: kubernetes }\napps:\n  - { name: web, path: apps/web/overlays/prod, target: prod }\n`;
    await writeTree(dir, { 'wheelhouse.yaml': config, ...base });
    const saved = process.env.WHEELHOUSE_KUSTOMIZE;
    process.env.WHEELHOUSE_KUSTOMIZE = toolOptions.binaries.kustomize;
    try {
      const options = { kinds: createKindRegistry(), drivers: driverNames() };
      const good = await validateControlRepo(dir, options);
      expect(good.issues.map(formatIssue)).toEqual([]);
      expect(good.apps).toEqual([{ name: 'web', status: 'checked', resources: 2 }]);
      await writeTree(dir, {
        'apps/web/overlays/prod/kustomization.yaml': 'resources: [../../base, gone.yaml]\n',
      });
      const bad = await validateControlRepo(dir, options);
      expect(bad.issues.map((i) => i.file)).toEqual(['apps/web/overlays/prod/kustomization.yaml']);
    } finally {
      if (saved === undefined) delete process.env.WHEELHOUSE_KUSTOMIZE;
      else process.env.WHEELHOUSE_KUSTOMIZE = saved;
    }
  });
});
