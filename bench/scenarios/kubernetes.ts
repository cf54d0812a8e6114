import { writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runGit } from '../../src/source/git/index.js';
import { KUBE_CONTEXT, kubeMissing, startControlPlane } from '../../test/support/kube/control-plane.js';
import { benchEngine } from '../lib/engine.js';
import { importHistory } from '../lib/fast-import.js';
import { watchResource } from '../lib/kube-watch.js';
import type { BenchRow, Scenario } from '../lib/scenario.js';
import { percentile, round, trackPeakRss } from '../lib/stats.js';

/** The size; WHEELHOUSE_BENCH_KUBE_APPS makes a quicker trial run (not the published figure). */
const APPS = Number(process.env.WHEELHOUSE_BENCH_KUBE_APPS ?? 1_000);
const CONFIGMAPS = 10;
const DELETIONS = 20;
const NAMESPACE = 'bench';
/** fluxcd/flux-benchmark, Kustomization install of 1,000 objects on a 16-core runner (issue 13). */
const FLUX_PUBLISHED_MS = (4 * 60 + 13) * 1_000;

const name = (i: number) => `app-${String(i).padStart(4, '0')}`;
const configMapName = (app: number, index: number) => `${name(app)}-c${index}`;

const manifests = (app: number, version: number) =>
  Array.from(
    { length: CONFIGMAPS },
    (_, c) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${configMapName(app, c)}, namespace: ${NAMESPACE} }\ndata: { app: ${name(app)}, index: "${c}", version: "v${version}" }\n`,
  ).join('---\n');

function controlRepo(kubeconfig: string, version: (app: number) => number) {
  const target = `targets:\n  kube: { driver: kubernetes, kubeconfig: "${kubeconfig}", context: ${KUBE_CONTEXT}, namespace: ${NAMESPACE} }\n`;
  const apps = Array.from(
    { length: APPS },
    (_, i) => `  - name: ${name(i)}\n    path: apps/${name(i)}\n    target: kube\n`,
  ).join('');
  return {
    'wheelhouse.yaml': `${target}apps:\n${apps}`,
    ...Object.fromEntries(
      Array.from({ length: APPS }, (_, i) => [`apps/${name(i)}/configmaps.yaml`, manifests(i, version(i))]),
    ),
  };
}

/**
 * Issue 13: 1,000 apps x 10 ConfigMaps from one monorepo on a real control plane (kube-apiserver,
 * controller-manager, etcd): cold converge and peak RSS, a no-op pass, one-app commit -> applied,
 * and self-heal after `kubectl delete` (p50/p95 over 20 deletions, from the DELETED to the ADDED
 * event on one watch). Flux's published figure is printed beside ours, with both machines named.
 */
export const kubernetes: Scenario = {
  name: 'kubernetes',
  description: `${APPS} apps x ${CONFIGMAPS} ConfigMaps on a real Kubernetes control plane`,
  async run(context) {
    if (kubeMissing !== undefined) throw new Error(kubeMissing);
    const plane = await startControlPlane();
    const base = await context.tmp('kube');
    const bare = join(base, 'mono.git');
    const work = join(base, 'work');
    let bench: Awaited<ReturnType<typeof benchEngine>> | undefined;
    const watch = watchResource(plane.kubeconfig, 'configmaps', NAMESPACE);
    const stopRss = trackPeakRss();
    try {
      await kubectlOk(plane, ['create', 'namespace', NAMESPACE]);
      await importHistory(bare, [
        { message: 'a thousand apps\n', files: controlRepo(plane.kubeconfig, () => 1) },
      ]);
      global.gc?.();
      bench = await benchEngine(pathToFileURL(bare).href, join(base, 'data'));
      const { engine } = bench;

      let started = performance.now();
      await engine.start();
      await engine.settled();
      const coldMs = performance.now() - started;
      const peakRss = stopRss();
      const unhealthy = engine
        .apps()
        .filter((a) => a.syncStatus !== 'Synced' || a.health.status !== 'Healthy');
      if (unhealthy.length > 0) {
        throw new Error(`${unhealthy.length} apps did not converge, e.g. ${JSON.stringify(unhealthy[0])}`);
      }
      const listed = await kubectlOk(plane, ['get', 'configmaps', '-n', NAMESPACE, '-o', 'name']);
      const applied = listed.split('\n').filter((line) => line.startsWith('configmap/app-')).length;
      context.log(`cold converge ${round(coldMs)} ms, ${applied} ConfigMaps in the cluster`);

      started = performance.now();
      await engine.refresh(name(0));
      await engine.settled();
      const noopMs = performance.now() - started;

      const touched = Math.floor(APPS / 2);
      // One more commit that touches only one app, pushed to the bare repo as a person would.
      await runGit(['clone', '--quiet', bare, work]);
      await writeFile(join(work, `apps/${name(touched)}/configmaps.yaml`), manifests(touched, 2));
      const author = ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.test'];
      await runGit([...author, 'commit', '--quiet', '-am', 'touch one app'], { cwd: work });
      await runGit(['push', '--quiet', 'origin', 'main'], { cwd: work });
      started = performance.now();
      await engine.refresh(name(0));
      await engine.settled();
      const oneMs = performance.now() - started;
      const version = await kubectlOk(plane, [
        'get',
        'configmap',
        configMapName(touched, 0),
        '-n',
        NAMESPACE,
        '-o',
        'jsonpath={.data.version}',
      ]);
      if (version.trim() !== 'v2') throw new Error(`${name(touched)} was not applied: version ${version}`);

      const heals: number[] = [];
      for (let i = 0; i < DELETIONS; i++) {
        const victim = configMapName((i * 37) % APPS, i % CONFIGMAPS);
        const from = watch.mark();
        await kubectlOk(plane, ['delete', 'configmap', victim, '-n', NAMESPACE, '--wait=false']);
        const deletedAt = await watch.waitFor('DELETED', victim, from);
        const addedAt = await watch.waitFor('ADDED', victim, from);
        heals.push(addedAt - deletedAt);
      }

      return rows({ coldMs, peakRss, noopMs, oneMs, heals, applied });
    } finally {
      stopRss();
      watch.stop();
      await bench?.close();
      await plane.stop();
    }
  },
};

interface Figures {
  coldMs: number;
  peakRss: number;
  noopMs: number;
  oneMs: number;
  heals: number[];
  applied: number;
}

function rows({ coldMs, peakRss, noopMs, oneMs, heals, applied }: Figures): BenchRow[] {
  const cores = cpus().length;
  return [
    {
      metric: `cold converge (${APPS} apps, ${APPS * CONFIGMAPS} ConfigMaps)`,
      value: round(coldMs),
      unit: 'ms',
      target: '< 60000 ms',
      detail: { 'ConfigMaps in the cluster': applied, cores },
    },
    { metric: 'peak RSS during cold converge', value: round(peakRss), unit: 'MiB' },
    { metric: 'no-op pass over all apps', value: round(noopMs), unit: 'ms', target: '< 2000 ms' },
    { metric: 'one-app commit -> applied', value: round(oneMs), unit: 'ms' },
    {
      metric: `kubectl delete -> healed, p50 (${heals.length} deletions)`,
      value: round(percentile(heals, 50)),
      unit: 'ms',
      target: '< 1000 ms',
      detail: { p95: `${round(percentile(heals, 95))} ms`, max: `${round(Math.max(...heals))} ms` },
    },
    {
      metric: 'Flux, published: 1,000 Kustomizations (16 cores)',
      value: FLUX_PUBLISHED_MS,
      unit: 'ms',
      detail: {
        source: 'fluxcd/flux-benchmark, as quoted in issue 13',
        'Wheelhouse cold converge': `${round(coldMs)} ms on ${cores} cores`,
      },
    },
  ];
}

async function kubectlOk(
  plane: Awaited<ReturnType<typeof startControlPlane>>,
  args: string[],
): Promise<string> {
  const result = await plane.kubectl(args);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr.trim()}`);
  return result.stdout;
}
