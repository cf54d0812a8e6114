import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/index.js';
import { createKubernetesDriver } from '../../../src/drivers/kubernetes/index.js';
import { type ControlPlane, kubeMissing, useControlPlane } from '../../support/kube/control-plane.js';
import { startHarness } from '../../support/engine-harness.js';
import { tempDirs } from '../../support/tmp.js';
import { waitFor } from '../../support/wait-for.js';
import { SHOP_PASSWORD, shopFiles } from './app-fixture.js';

/** The GitOps loop end to end on a real control plane: real git, the real engine, the kubernetes driver. */
const tmp = tempDirs();

async function kubectlJson<T>(plane: ControlPlane, args: string[]): Promise<T> {
  const out = await plane.kubectl([...args, '-o', 'json']);
  if (out.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${out.stderr}`);
  return JSON.parse(out.stdout) as T;
}

describe.skipIf(kubeMissing !== undefined)('kubernetes driver through the engine', () => {
  const plane = useControlPlane();
  let h: Awaited<ReturnType<typeof startHarness>>;

  beforeAll(async () => {
    const driver = createKubernetesDriver({
      target: 'prod',
      options: { kubeconfig: plane().kubeconfig, context: 'wheelhouse-test', namespace: 'shop' },
      stateDir: await tmp('state'),
      log: silentLogger,
      env: { SHOP_PASSWORD },
    });
    h = await startHarness(tmp, { files: shopFiles(plane().kubeconfig), driver, driverName: 'kubernetes', kinds: [] });
  }, 180_000);

  afterAll(async () => {
    await h?.close();
  });

  it('converges a realistic app Healthy', async () => {
    const status = h.engine.status('shop');
    const [first] = await h.engine.history('shop');
    expect(first?.messages).toEqual(expect.any(Array));
    expect(first?.result, JSON.stringify(first?.messages)).toBe('succeeded');
    expect(status).toMatchObject({ syncStatus: 'Synced', health: { status: 'Healthy' } });
    const deploy = await kubectlJson<{ status: { readyReplicas?: number } }>(plane(), ['-n', 'shop', 'get', 'deployment', 'web']);
    expect(deploy.status.readyReplicas).toBe(3);
    const secret = await kubectlJson<{ data: Record<string, string> }>(plane(), ['-n', 'shop', 'get', 'secret', 'web-secret']);
    expect(Buffer.from(secret.data.PASSWORD ?? '', 'base64').toString()).toBe(SHOP_PASSWORD);
    const widget = await kubectlJson<{ spec: { size: number } }>(plane(), ['-n', 'shop', 'get', 'widget', 'gizmo']);
    expect(widget.spec.size).toBe(3);
  });
});
