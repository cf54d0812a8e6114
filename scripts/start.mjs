// `npm start`: build when the sources are newer than the last build, then run `wheelhouse up`
// (on the built-in demo unless a control repo is given). Arguments after `--` pass through.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const stamp = join(root, 'dist', '.build-stamp');

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

const sources = ['src', 'bench', 'examples'].map((d) => join(root, d)).filter((d) => existsSync(d));
const needsBuild = !existsSync(stamp) || Math.max(...sources.map(newest)) > statSync(stamp).mtimeMs;
if (needsBuild) {
  process.stdout.write('Building Wheelhouse (first run or sources changed)...\n');
  const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// Run `up` as a child and pass on the signals a supervisor (or `timeout`) sends to this process:
// otherwise a SIGTERM here would leave `up` running with no parent.
const up = spawn(process.execPath, [join(root, 'bin', 'wheelhouse.js'), 'up', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => up.kill(signal));
up.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
