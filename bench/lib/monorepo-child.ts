// One monorepo size in its own process (forked by the `monorepo` scenario), so each size's peak
// RSS is its own and `--cpu-prof` profiles exactly one run. argv: APPS DIR; the figures go back
// over the IPC channel.
import { runMonorepo } from './monorepo-run.js';

const [apps, dir] = process.argv.slice(2);
if (!apps || !dir) throw new Error('usage: monorepo-child.js APPS DIR (forked by the monorepo scenario)');
let message: unknown;
try {
  message = { figures: await runMonorepo(Number(apps), dir) };
} catch (err) {
  message = { error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
}
process.send?.(message, undefined, undefined, () => process.disconnect());
