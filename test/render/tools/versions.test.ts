import { describe, expect, it } from 'vitest';
import { renderToolVersions } from '../../../src/render/index.js';
import { kubeVersions } from '../../support/kube/binaries.js';
import { helmMissing, kustomizeMissing, toolOptions } from '../../support/render-tools.js';
import { tempDirs } from '../../support/tmp.js';

const tmp = tempDirs();

describe.skipIf(kustomizeMissing !== undefined || helmMissing !== undefined)('render tool versions', () => {
  it('reports the pinned versions of the built tools, and why a tool is not usable', async () => {
    const dir = await tmp('cwd');
    const versions = await renderToolVersions(toolOptions, dir);
    expect(versions.kustomize).toBe(kubeVersions.kustomize);
    expect(versions.helm).toMatch(new RegExp(`^${(kubeVersions.helm ?? '').replace(/\./g, '\\.')}\\b`));
    const missing = await renderToolVersions(
      { ...toolOptions, binaries: { kustomize: `${dir}/none`, helm: `${dir}/none` } },
      dir,
    );
    expect(missing.helm).toBe(`not usable (${dir}/none was not found)`);
  });
});
