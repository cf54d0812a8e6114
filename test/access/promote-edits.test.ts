import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { editHelmEnv } from '../../src/access/operations/helm-values.js';
import { promoteEdit } from '../../src/access/operations/promote-edits.js';
import { type AppSpec, isWheelhouseError } from '../../src/core/index.js';
import { renderWithTool, toolFor } from '../../src/render/index.js';
import { createWorktree, setKustomizeLiteral, type Worktree } from '../../src/writeback/index.js';
import { appSpec } from '../support/control-config.js';
import { commitFiles, createRepo, type FileTree, writeTree } from '../support/git.js';
import { kustomizeMissing, toolOptions } from '../support/render-tools.js';
import { tempDirs } from '../support/tmp.js';

/**
 * Issue 16: `promote` and `set env` on apps that render with a tool edit what the tool reads — the
 * overlay's `images:` and a `configMapGenerator` literal for Kustomize, the `image` and `env`
 * values for Helm — and keep what is each environment's own; what cannot be expressed is refused
 * with what to edit by hand.
 */
const tmp = tempDirs();
const worktrees: Worktree[] = [];
afterEach(async () => {
  for (const w of worktrees.splice(0)) await w.remove();
});

/** A repository whose first commit is what `from` runs; later commits move on. Returns a checkout of HEAD. */
async function repoWith(first: FileTree, later: FileTree): Promise<{ running: string; worktree: Worktree }> {
  const dir = await tmp('repo');
  const running = await createRepo(dir, first);
  const head = await commitFiles(dir, later, 'staging moves on');
  const worktree = await createWorktree({ mirrorDir: dir, root: await tmp('wt'), revision: head });
  worktrees.push(worktree);
  return { running, worktree };
}

const base: FileTree = {
  'apps/web/base/kustomization.yaml':
    'resources: [deployment.yaml]\nconfigMapGenerator:\n  - name: web-env\n    literals: [MODE=base]\n',
  'apps/web/base/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: "registry.test/web:1" }] }
`,
};
const overlay = (prefix: string, extra: string) =>
  `resources: [../../base]\nnamePrefix: ${prefix}-\n${extra}`;
const staging = appSpec('web', 'staging', { path: 'apps/web/overlays/staging', target: 'cluster' });
const prod = appSpec('web', 'prod', { path: 'apps/web/overlays/prod', target: 'cluster' });

async function render(dir: string, spec: AppSpec): Promise<string> {
  const path = `${spec.path}/kustomization.yaml`;
  const files = [{ path, content: await readFile(join(dir, path)) }];
  const tool = toolFor(spec, files);
  if (!tool) throw new Error(`kustomize does not claim ${spec.path}`);
  const out = await renderWithTool(tool, {
    app: spec,
    files,
    repoDir: dir,
    targetOptions: {},
    options: toolOptions,
  });
  expect(out.issues).toEqual([]);
  return out.files.map((f) => f.content.toString()).join('\n---\n');
}

describe.skipIf(kustomizeMissing !== undefined)('promote and set env on Kustomize overlays', () => {
  it('carries the images: staging ran to prod, keeping prod’s own replicas and prefix', async () => {
    const { running, worktree } = await repoWith(
      {
        ...base,
        'apps/web/overlays/staging/kustomization.yaml': overlay(
          'staging',
          'images:\n  - name: registry.test/web\n    newTag: "2"\n',
        ),
        'apps/web/overlays/prod/kustomization.yaml': overlay(
          'prod',
          'replicas:\n  - name: web\n    count: 3\nimages:\n  - name: registry.test/web\n    newTag: "1"\n    digest: sha256:0000000000000000000000000000000000000000000000000000000000000001\n',
        ),
      },
      {
        'apps/web/overlays/staging/kustomization.yaml': overlay(
          'staging',
          'images:\n  - name: registry.test/web\n    newTag: "3"\n',
        ),
      },
    );
    expect(await promoteEdit(worktree, running, staging, prod)).toBe(true);
    const text = await readFile(join(worktree.dir, 'apps/web/overlays/prod/kustomization.yaml'), 'utf8');
    // What staging ran (tag 2, not HEAD's 3); the digest that pinned tag 1 does not linger.
    expect(text).toContain('newTag: "2"');
    expect(text).not.toContain('digest');
    expect(text).toMatch(/replicas:\n\s+- name: web\n\s+count: 3/);
    const rendered = await render(worktree.dir, prod);
    expect(rendered).toContain('name: prod-web');
    expect(rendered).toContain('image: registry.test/web:2');
    expect(rendered).toMatch(/replicas: 3/);
    // Promoting the same again changes nothing.
    expect(await promoteEdit(worktree, running, staging, prod)).toBe(false);
  });

  it('refuses an overlay without images:, naming the file to edit', async () => {
    const { running, worktree } = await repoWith(
      {
        ...base,
        'apps/web/overlays/staging/kustomization.yaml': overlay('staging', ''),
        'apps/web/overlays/prod/kustomization.yaml': overlay('prod', ''),
      },
      {},
    );
    const err = await promoteEdit(worktree, running, staging, prod).catch((e: unknown) => e);
    expect(isWheelhouseError(err, 'INPUT_REFUSED')).toBe(true);
    expect(String((err as Error).message)).toMatch(
      /apps\/web\/overlays\/staging\/kustomization\.yaml declares no images: .*edit apps\/web\/overlays\/prod\/kustomization\.yaml by hand/,
    );
  });

  it('sets env through a configMapGenerator literal, and kustomize renders it', async () => {
    const dir = await tmp('repo');
    const file = 'apps/web/overlays/prod/kustomization.yaml';
    const text = overlay(
      'prod',
      'configMapGenerator:\n  - name: web-env\n    behavior: merge\n    literals:\n      - MODE=prod\n',
    );
    await writeTree(dir, { ...base, [file]: text });
    let next = setKustomizeLiteral(text, file, 'web', 'MODE', 'canary');
    next = setKustomizeLiteral(next, file, 'web', 'LOG_LEVEL', 'debug');
    expect(next).toContain('- MODE=canary');
    expect(next).toContain('- LOG_LEVEL=debug');
    expect(next.match(/MODE=/g)).toHaveLength(1);
    expect(setKustomizeLiteral(next, file, 'web-env', 'MODE', 'canary')).toBe(next);
    await writeTree(dir, { [file]: next });
    const rendered = await render(dir, prod);
    expect(rendered).toContain('MODE: canary');
    expect(rendered).toContain('LOG_LEVEL: debug');

    const none = overlay('prod', '');
    expect(() => setKustomizeLiteral(none, file, 'web', 'MODE', 'x')).toThrow(/has no configMapGenerator/);
    const two = overlay(
      'prod',
      'configMapGenerator:\n  - name: a\n    literals: [X=1]\n  - name: b\n    literals: [Y=1]\n',
    );
    expect(() => setKustomizeLiteral(two, file, 'web', 'MODE', 'x')).toThrow(
      /configMapGenerator entries a, b, none called web: name the generator/,
    );
  });
});

describe('promote and set env on Helm apps', () => {
  const chart: FileTree = {
    'charts/api/Chart.yaml': 'apiVersion: v2\nname: api\nversion: 0.1.0\n',
    'charts/api/values.yaml': 'image:\n  repository: api\n  tag: "0"\n',
  };
  const from = appSpec('api', 'staging', {
    path: 'charts/api',
    helm: { valueFiles: ['envs/staging/api.yaml'] },
  });
  const to = appSpec('api', 'prod', { path: 'charts/api', helm: { valueFiles: ['envs/prod/api.yaml'] } });

  it('copies the image repository and tag staging ran, keeping prod’s pull policy', async () => {
    const { running, worktree } = await repoWith(
      {
        ...chart,
        'envs/staging/api.yaml': 'image:\n  repository: registry.test/api\n  tag: "2"\n',
        'envs/prod/api.yaml':
          '# prod\nimage:\n  repository: registry.test/api\n  tag: "1"\n  pullPolicy: IfNotPresent\n',
      },
      { 'envs/staging/api.yaml': 'image:\n  repository: registry.test/api\n  tag: "3"\n' },
    );
    expect(await promoteEdit(worktree, running, from, to)).toBe(true);
    expect(await readFile(join(worktree.dir, 'envs/prod/api.yaml'), 'utf8')).toBe(
      '# prod\nimage:\n  repository: registry.test/api\n  tag: "2"\n  pullPolicy: IfNotPresent\n',
    );
    expect(await promoteEdit(worktree, running, from, to)).toBe(false);
  });

  it('refuses to promote between a Helm app and an overlay', async () => {
    const { running, worktree } = await repoWith(
      { ...chart, ...base, 'apps/web/overlays/prod/kustomization.yaml': overlay('prod', '') },
      {},
    );
    const err = await promoteEdit(worktree, running, from, prod).catch((e: unknown) => e);
    expect(String((err as Error).message)).toMatch(
      /api is a Helm chart and web is a Kustomize overlay: .*edit apps\/web\/overlays\/prod by hand/,
    );
  });

  it('sets env in an env map or an env list of the values, and says what to edit without one', async () => {
    const dir = await tmp('repo');
    await writeTree(dir, {
      ...chart,
      'envs/prod/api.yaml': 'env:\n  - name: MODE\n    value: prod\n',
    });
    expect(await editHelmEnv(dir, to, { MODE: 'canary', LOG_LEVEL: 'debug' })).toBe(true);
    expect(await readFile(join(dir, 'envs/prod/api.yaml'), 'utf8')).toBe(
      'env:\n  - name: MODE\n    value: canary\n  - name: LOG_LEVEL\n    value: debug\n',
    );
    await writeTree(dir, { 'envs/prod/api.yaml': 'env:\n  MODE: prod\n' });
    expect(await editHelmEnv(dir, to, { MODE: 'canary' })).toBe(true);
    expect(await readFile(join(dir, 'envs/prod/api.yaml'), 'utf8')).toBe('env:\n  MODE: canary\n');
    expect(await editHelmEnv(dir, to, { MODE: 'canary' })).toBe(false);

    await writeTree(dir, { 'envs/prod/api.yaml': 'replicaCount: 1\n' });
    const err = await editHelmEnv(dir, to, { MODE: 'x' }).catch((e: unknown) => e);
    expect(isWheelhouseError(err, 'INPUT_REFUSED')).toBe(true);
    expect(String((err as Error).message)).toMatch(
      /none of its values files \(envs\/prod\/api\.yaml, charts\/api\/values\.yaml\) sets env/,
    );
  });
});
