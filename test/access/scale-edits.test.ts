import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { editReplicas } from '../../src/access/operations/scale-edits.js';
import { isWheelhouseError } from '../../src/core/index.js';
import { renderWithTool, toolFor } from '../../src/render/index.js';
import { webOverlay } from '../render/tools/web-overlay.js';
import { appSpec } from '../support/control-config.js';
import { writeTree } from '../support/git.js';
import { kustomizeMissing, toolOptions } from '../support/render-tools.js';
import { tempDirs } from '../support/tmp.js';

/**
 * Issue 16: `scale` on apps that render with a tool edits what the tool reads — the overlay's
 * `replicas:` for Kustomize, `replicaCount` in the values file for Helm — or says what to edit.
 */
const tmp = tempDirs();

describe.skipIf(kustomizeMissing !== undefined)('scale on a Kustomize app', () => {
  it('writes replicas: into the overlay, and kustomize renders the new count', async () => {
    const dir = await tmp('repo');
    await writeTree(dir, webOverlay());
    const spec = appSpec('web', 'prod', { path: 'apps/web/overlays/prod', target: 'cluster' });
    expect(await editReplicas(dir, spec, 'web', 5)).toBe(true);
    const overlay = await readFile(join(dir, 'apps/web/overlays/prod/kustomization.yaml'), 'utf8');
    expect(overlay).toContain('namePrefix: prod-'); // the rest of the file is kept
    expect(overlay).toMatch(/replicas:\n\s+- name: web\n\s+count: 5\n/);
    // Again: the entry is edited in place, and the same count changes nothing.
    expect(await editReplicas(dir, spec, 'web', 2)).toBe(true);
    expect(await editReplicas(dir, spec, 'web', 2)).toBe(false);
    const again = await readFile(join(dir, 'apps/web/overlays/prod/kustomization.yaml'), 'utf8');
    expect(again.match(/- name: web/g)).toHaveLength(1);

    const files = [{ path: 'apps/web/overlays/prod/kustomization.yaml', content: Buffer.from(again) }];
    const tool = toolFor(spec, files);
    if (!tool) throw new Error('kustomize does not claim the overlay');
    const out = await renderWithTool(tool, {
      app: spec,
      files,
      repoDir: dir,
      targetOptions: {},
      options: toolOptions,
    });
    expect(out.issues).toEqual([]);
    expect(out.files[0]?.content.toString()).toMatch(/name: prod-web[\s\S]*replicas: 2/);
  });
});

describe('scale on a Helm app', () => {
  const chart = {
    'apps/api/Chart.yaml': 'apiVersion: v2\nname: api\nversion: 0.1.0\n',
    'apps/api/values.yaml': '# defaults\nreplicaCount: 1\nimage: api:1\n',
    'envs/prod/api.yaml': 'image: api:2\n',
  };

  it('sets replicaCount in the last values file that has it', async () => {
    const dir = await tmp('repo');
    await writeTree(dir, { ...chart, 'envs/prod/api.yaml': 'image: api:2\nreplicaCount: 2\n' });
    const spec = appSpec('api', 'prod', { path: 'apps/api', helm: { valueFiles: ['envs/prod/api.yaml'] } });
    expect(await editReplicas(dir, spec, 'api', 4)).toBe(true);
    expect(await readFile(join(dir, 'envs/prod/api.yaml'), 'utf8')).toBe('image: api:2\nreplicaCount: 4\n');
    expect(await readFile(join(dir, 'apps/api/values.yaml'), 'utf8')).toContain('replicaCount: 1');
  });

  it('falls back to the chart’s values.yaml, and says what to edit when no file has it', async () => {
    const dir = await tmp('repo');
    await writeTree(dir, chart);
    const spec = appSpec('api', 'prod', { path: 'apps/api', helm: { valueFiles: ['envs/prod/api.yaml'] } });
    expect(await editReplicas(dir, spec, 'api', 3)).toBe(true);
    expect(await readFile(join(dir, 'apps/api/values.yaml'), 'utf8')).toBe(
      '# defaults\nreplicaCount: 3\nimage: api:1\n',
    );

    const remote = appSpec('api', 'prod', {
      path: 'apps/api',
      helm: {
        chart: 'api',
        repository: 'https://charts.example.test',
        version: '1.0.0',
        valueFiles: ['envs/prod/api.yaml'],
      },
    });
    const err = await editReplicas(dir, remote, 'api', 3).catch((e: unknown) => e);
    expect(isWheelhouseError(err, 'INPUT_REFUSED')).toBe(true);
    expect(String((err as Error).message)).toMatch(
      /none of its values files \(envs\/prod\/api\.yaml\) sets replicaCount/,
    );
  });
});
