import { writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { runGit } from '../../src/source/git/index.js';
import { startGitHttpServer } from '../../test/support/git-http-server.js';
import {
  type ControlPlane,
  KUBE_CONTEXT,
  kubeMissing,
  startControlPlane,
} from '../../test/support/kube/control-plane.js';
import { benchEngine } from '../lib/engine.js';
import { importHistory } from '../lib/fast-import.js';
import { ensureFluxBuilt, fluxCrdDirs, fluxVersions, startFlux } from '../lib/flux.js';
import {
  FLUX_NAMESPACE,
  gitRepository,
  kustomization,
  kustomizationStates,
  waitForKustomizations,
} from '../lib/flux-objects.js';
import { watchResource } from '../lib/kube-watch.js';
import type { BenchRow, Scenario } from '../lib/scenario.js';
import { round, trackPeakRss } from '../lib/stats.js';

/** The size; WHEELHOUSE_BENCH_FLUX_APPS makes a quicker run (say so when quoting it). */
const APPS = Number(process.env.WHEELHOUSE_BENCH_FLUX_APPS ?? 1_000);
const CONFIGMAPS = 10;
const FLUX_NS = 'flux-bench';
const WH_NS = 'wh-bench';
/**
 * Flux's no-op pass needs every Kustomization Ready at the new revision and then a second full
 * pass: at 1,000 apps on 2 cores that is an hour more. WHEELHOUSE_BENCH_FLUX_SKIP_NOOP=1 leaves
 * it out (said in the output).
 */
const SKIP_NOOP = process.env.WHEELHOUSE_BENCH_FLUX_SKIP_NOOP === '1';
/** How long each side may take to converge; WHEELHOUSE_BENCH_FLUX_BOUND_MIN changes it. */
const BOUND_MS = Number(process.env.WHEELHOUSE_BENCH_FLUX_BOUND_MIN ?? 30) * 60_000;

const name = (i: number) => `app-${String(i).padStart(4, '0')}`;
const configMap = (app: number, c: number) => `${name(app)}-c${c}`;

/** The same manifests for both sides, without a namespace: each side puts them in its own. */
const manifests = (app: number, version: number) =>
  Array.from(
    { length: CONFIGMAPS },
    (_, c) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${configMap(app, c)} }\ndata: { app: ${name(app)}, index: "${c}", version: "v${version}" }\n`,
  ).join('---\n');

function monorepo(kubeconfig: string): Record<string, string> {
  const target = `targets:\n  kube: { driver: kubernetes, kubeconfig: "${kubeconfig}", context: ${KUBE_CONTEXT}, namespace: ${WH_NS} }\n`;
  const apps = Array.from(
    { length: APPS },
    (_, i) => `  - { name: ${name(i)}, path: apps/${name(i)}, target: kube }\n`,
  );
  return {
    'wheelhouse.yaml': `${target}apps:\n${apps.join('')}`,
    ...Object.fromEntries(
      Array.from({ length: APPS }, (_, i) => [`apps/${name(i)}/configmaps.yaml`, manifests(i, 1)]),
    ),
  };
}

interface Side {
  coldMs: number;
  /** False when the side was not converged at the bound: coldMs is the bound (a lower bound), no-op unmeasured. */
  converged: boolean;
  commitMs: number;
  noopMs: number;
  peakRssMiB: number;
  detail: Record<string, string | number>;
}

/**
 * Issue 16: Flux (source-controller + kustomize-controller, built from their Go modules) and
 * Wheelhouse on the same control plane, the same monorepo served by the same git HTTP server,
 * N apps x 10 ConfigMaps: cold converge (all Ready), one-app commit -> applied (a reconcile
 * requested at once on both sides, as a webhook would: no poll interval in the figure), a no-op
 * pass over every app, and peak RSS. Flux runs first and is stopped before Wheelhouse starts.
 */
export const k8sVsFlux: Scenario = {
  name: 'k8s-vs-flux',
  description: `Flux vs Wheelhouse, ${APPS} apps x ${CONFIGMAPS} ConfigMaps on one control plane`,
  async run(context) {
    if (kubeMissing !== undefined) throw new Error(kubeMissing);
    ensureFluxBuilt(context.log);
    const plane = await startControlPlane();
    const base = await context.tmp('flux');
    const git = await startGitHttpServer({ root: base });
    const bare = join(base, 'mono.git');
    const url = git.repoUrl('mono.git');
    const work = join(base, 'work');
    try {
      for (const ns of [FLUX_NAMESPACE, FLUX_NS, WH_NS]) await kubectlOk(plane, ['create', 'namespace', ns]);
      for (const dir of fluxCrdDirs()) await kubectlOk(plane, ['apply', '--server-side', '-f', dir]);
      await importHistory(bare, [{ message: 'the apps\n', files: monorepo(plane.kubeconfig) }]);
      await runGit(['clone', '--quiet', bare, work]);
      let version = 1;
      const commitOne = async () => {
        version++;
        await writeFile(join(work, `apps/${name(touched)}/configmaps.yaml`), manifests(touched, version));
        const author = ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.test'];
        await runGit([...author, 'commit', '--quiet', '-am', `touch ${name(touched)}`], { cwd: work });
        await runGit(['push', '--quiet', 'origin', 'main'], { cwd: work });
      };
      const touched = Math.floor(APPS / 2);

      context.log('Flux: cold converge ...');
      const flux = await fluxSide(plane, url, base, commitOne, touched, context.log);
      context.log(
        `Flux: cold ${round(flux.coldMs)} ms, commit ${round(flux.commitMs)} ms, no-op ${round(flux.noopMs)} ms`,
      );
      context.log('Wheelhouse: cold converge ...');
      const wh = await wheelhouseSide(plane, url, base, commitOne, touched);
      context.log(
        `Wheelhouse: cold ${round(wh.coldMs)} ms, commit ${round(wh.commitMs)} ms, no-op ${round(wh.noopMs)} ms`,
      );
      return rows(flux, wh);
    } finally {
      await git.close();
      await plane.stop();
    }
  },
};

async function fluxSide(
  plane: ControlPlane,
  url: string,
  base: string,
  commitOne: () => Promise<void>,
  touched: number,
  log: (message: string) => void,
): Promise<Side> {
  const controllers = await startFlux(plane.kubeconfig, join(base, 'flux-run'));
  const watch = watchResource(plane.kubeconfig, 'configmaps', FLUX_NS);
  try {
    const objects = [
      gitRepository(url),
      ...Array.from({ length: APPS }, (_, i) => kustomization(name(i), FLUX_NS)),
    ];
    const file = join(base, 'flux-objects.yaml');
    await writeFile(file, objects.join('---\n'));
    let started = performance.now();
    await kubectlOk(plane, ['apply', '-f', file]);
    const all = (s: { ready: string }[]) => s.length === APPS && s.every((k) => k.ready === 'True');
    const cold = await waitForKustomizations(plane, 'all Kustomizations Ready', all, BOUND_MS, log).catch(
      () => undefined,
    );
    const converged = cold !== undefined;
    const coldMs = (cold ?? performance.now()) - started;
    const detail: Record<string, string | number> = {
      versions: Object.entries(fluxVersions)
        .map(([n, v]) => `${n} ${v}`)
        .join(', '),
    };
    let touchedReady = converged;
    if (!converged) {
      // Not converged within the bound: say how far it got; the cold figure is a lower bound.
      const states = await kustomizationStates(plane);
      const ready = states.filter((k) => k.ready === 'True').length;
      detail['not converged'] = `${ready} of ${APPS} Kustomizations Ready at the bound`;
      log(`Flux: ${detail['not converged']}`);
      touchedReady = states.some((k) => k.name === name(touched) && k.ready === 'True');
    }

    // One app's commit, as soon as that app's Kustomization is Ready (even if others are not).
    let commitMs = Number.NaN;
    if (touchedReady) {
      await commitOne();
      const from = watch.mark();
      started = performance.now();
      await kubectlOk(plane, [
        'annotate',
        '--overwrite',
        '-n',
        FLUX_NAMESPACE,
        'gitrepository',
        'mono',
        `reconcile.fluxcd.io/requestedAt=${Date.now()}`,
      ]);
      commitMs = (await watch.waitFor('MODIFIED', configMap(touched, 0), from, BOUND_MS)) - started;
      log(`Flux: one-app commit applied in ${round(commitMs)} ms`);
    }

    // The no-op pass needs every Kustomization Ready first: only measured when Flux converged.
    let noopMs = Number.NaN;
    if (SKIP_NOOP) detail['no-op pass'] = 'not measured (WHEELHOUSE_BENCH_FLUX_SKIP_NOOP=1)';
    if (converged && !SKIP_NOOP) {
      await waitForKustomizations(plane, 'all Ready after the commit', all, BOUND_MS, log);
      const token = `noop-${Date.now()}`;
      started = performance.now();
      await kubectlOk(plane, [
        'annotate',
        '--overwrite',
        '-n',
        FLUX_NAMESPACE,
        'kustomizations',
        '--all',
        `reconcile.fluxcd.io/requestedAt=${token}`,
      ]);
      const handled = (s: { handled: string; ready: string }[]) =>
        s.length === APPS && s.every((k) => k.handled === token && k.ready === 'True');
      noopMs =
        (await waitForKustomizations(plane, 'every Kustomization reconciled again', handled, BOUND_MS, log)) -
        started;
    }

    const rss = await controllers.peakRssMiB();
    detail['peak RSS'] = Object.entries(rss)
      .map(([n, v]) => `${n} ${round(v)} MiB`)
      .join(', ');
    return {
      coldMs,
      converged,
      commitMs,
      noopMs,
      peakRssMiB: Object.values(rss).reduce((a, b) => a + b, 0),
      detail,
    };
  } finally {
    watch.stop();
    log('Flux: stopping the controllers ...');
    await boundedStop(controllers.stop(), log);
  }
}

/** Stopping must not hold the run: after a minute, say so and go on (the process group is killed at exit). */
async function boundedStop(stopping: Promise<void>, log: (message: string) => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), 60_000);
  });
  const outcome = await Promise.race([stopping.then(() => 'stopped' as const), late]);
  clearTimeout(timer);
  if (outcome === 'late') log('Flux: the controllers did not stop within 60 s; going on without waiting');
}

async function wheelhouseSide(
  plane: ControlPlane,
  url: string,
  base: string,
  commitOne: () => Promise<void>,
  touched: number,
): Promise<Side> {
  const watch = watchResource(plane.kubeconfig, 'configmaps', WH_NS);
  global.gc?.();
  const stopRss = trackPeakRss();
  const bench = await benchEngine(url, join(base, 'wh-data'));
  try {
    const { engine } = bench;
    let started = performance.now();
    await engine.start();
    await engine.settled();
    const coldMs = performance.now() - started;
    const bad = engine.apps().filter((a) => a.syncStatus !== 'Synced' || a.health.status !== 'Healthy');
    if (bad.length > 0)
      throw new Error(`Wheelhouse: ${bad.length} apps did not converge, e.g. ${JSON.stringify(bad[0])}`);

    await commitOne();
    const from = watch.mark();
    started = performance.now();
    await engine.refreshRepo(url);
    const commitMs = (await watch.waitFor('MODIFIED', configMap(touched, 0), from, BOUND_MS)) - started;
    await engine.settled();

    started = performance.now();
    await engine.refreshRepo(url);
    await engine.settled();
    const noopMs = performance.now() - started;
    return {
      coldMs,
      converged: true,
      commitMs,
      noopMs,
      peakRssMiB: stopRss(),
      detail: { 'peak RSS': 'the whole bench process (engine, git HTTP server, Node.js)' },
    };
  } finally {
    stopRss();
    watch.stop();
    await bench.close();
  }
}

function rows(flux: Side, wh: Side): BenchRow[] {
  const cores = cpus().length;
  // A Flux figure it did not reach is left out; a cold converge cut at the bound is a lower bound.
  const pair = (metric: string, f: number, w: number, unit: 'ms' | 'MiB'): BenchRow[] => [
    ...(Number.isNaN(f)
      ? []
      : [
          {
            metric: `Flux: ${metric}`,
            value: round(f),
            unit,
            ...(metric.startsWith('cold') ? { detail: flux.detail } : {}),
          },
        ]),
    { metric: `Wheelhouse: ${metric}`, value: round(w), unit },
    ...(Number.isNaN(f)
      ? []
      : [
          {
            metric: `Flux / Wheelhouse: ${metric}${flux.converged ? '' : ' (Flux not converged at the bound)'}`,
            value: round(f / w, 2),
            unit: 'ratio' as const,
            detail: { cores, apps: APPS },
          },
        ]),
  ];
  return [
    ...pair(`cold converge (${APPS} apps, ${APPS * CONFIGMAPS} ConfigMaps)`, flux.coldMs, wh.coldMs, 'ms'),
    ...pair('one-app commit -> applied (reconcile requested at once)', flux.commitMs, wh.commitMs, 'ms'),
    ...pair('no-op pass over every app', flux.noopMs, wh.noopMs, 'ms'),
    ...pair('peak RSS', flux.peakRssMiB, wh.peakRssMiB, 'MiB'),
  ];
}

async function kubectlOk(plane: ControlPlane, args: string[]): Promise<string> {
  const result = await plane.kubectl(args);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr.trim()}`);
  return result.stdout;
}
