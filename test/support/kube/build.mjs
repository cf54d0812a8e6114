#!/usr/bin/env node
// Builds the Kubernetes test components (etcd, kube-apiserver, kube-controller-manager,
// kube-scheduler, kubectl, kwok) and the render tools (kustomize, helm) from the Go modules under ./build, at the versions pinned in
// ./versions.json, into ${WHEELHOUSE_TEST_CACHE:-$HOME/.cache/wheelhouse}/<component>-<version>/.
// Idempotent: a binary already in the cache is not rebuilt. Usage:
//   node test/support/kube/build.mjs [component...]     (default: all; components: kube etcd kwok kustomize helm sops gitea)
//   node test/support/kube/build.mjs --versions=flux-versions.json   (Flux's controllers, for the bench)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// `--versions=flux-versions.json`: the components only `npm run bench` needs (Flux's controllers),
// pinned apart so tests and CI never build them.
const versionsFile =
  process.argv.find((arg) => arg.startsWith('--versions='))?.slice('--versions='.length) ?? 'versions.json';
const versions = JSON.parse(readFileSync(join(here, versionsFile), 'utf8'));
const cacheRoot = process.env.WHEELHOUSE_TEST_CACHE || join(homedir(), '.cache', 'wheelhouse');

const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
for (const name of wanted) {
  if (!(name in versions)) fail(`unknown component "${name}"; known: ${Object.keys(versions).join(', ')}`);
}

const started = Date.now();
for (const [name, component] of Object.entries(versions)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  buildComponent(name, component);
}
console.log(`kube test components ready in ${cacheRoot} (${seconds(Date.now() - started)})`);

/** Builds the binaries of one component that are not in the cache yet. */
function buildComponent(
  name,
  {
    version,
    moduleDir,
    requires,
    binaries,
    stampVersionInto = [],
    stampVersionVariables = [],
    tags = [],
    assets = [],
  },
) {
  const moduleAbs = join(here, moduleDir);
  checkPinnedVersion(moduleAbs, requires, version);
  const target = join(cacheRoot, `${name}-${version}`);
  copyAssets(moduleAbs, requires, assets, target);
  const missing = Object.entries(binaries).filter(([binary]) => !existsSync(join(target, binary)));
  if (missing.length === 0) {
    console.log(`${name} ${version}: cached in ${target}`);
    return;
  }
  // Build into a staging dir and move each binary into place, so an interrupted build never
  // leaves a half-written binary that a later run would take for a cached one.
  const staging = join(target, `.staging-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const begin = Date.now();
  console.log(`${name} ${version}: building ${missing.map(([b]) => b).join(', ')} (cold: minutes) ...`);
  try {
    // `go build -o dir/` names a binary after its package path; packages whose name differs
    // (go.etcd.io/etcd/server/v3 -> "server") are built one by one with an explicit output.
    const byDefaultName = missing.filter(([binary, pkg]) => defaultBinaryName(pkg) === binary);
    const renamed = missing.filter(([binary, pkg]) => defaultBinaryName(pkg) !== binary);
    const ldflags = [
      '-s',
      '-w',
      ...versionStamp(version, stampVersionInto),
      ...stampVersionVariables.map((variable) => `-X ${variable}=${version}`),
    ].join(' ');
    const packages = byDefaultName.map(([, pkg]) => pkg);
    if (packages.length > 0) goBuild(moduleAbs, ldflags, tags, `${staging}/`, packages);
    for (const [binary, pkg] of renamed) goBuild(moduleAbs, ldflags, tags, join(staging, binary), [pkg]);
    for (const [binary] of missing) renameSync(join(staging, binary), join(target, binary));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  console.log(`${name} ${version}: built in ${seconds(Date.now() - begin)} -> ${target}`);
}

/**
 * Directories of the required module the binary reads at run time (Gitea's `options/`: locales,
 * licences, gitignores), copied next to it from the module cache when missing.
 */
function copyAssets(moduleAbs, modulePath, assets, target) {
  const wanted = assets.filter((dir) => !existsSync(join(target, dir)));
  if (wanted.length === 0) return;
  const listed = spawnSync('go', ['mod', 'download', '-json', modulePath], {
    cwd: moduleAbs,
    encoding: 'utf8',
  });
  if (listed.error) fail(`could not run go (is Go installed and on PATH?): ${listed.error.message}`);
  if (listed.status !== 0) fail(`go mod download ${modulePath} failed in ${moduleAbs}: ${listed.stderr}`);
  const source = JSON.parse(listed.stdout).Dir;
  mkdirSync(target, { recursive: true });
  for (const dir of wanted) {
    const staging = join(target, `.${dir}-${process.pid}`);
    cpSync(join(source, dir), staging, { recursive: true });
    renameSync(staging, join(target, dir));
  }
}

function goBuild(cwd, ldflags, tags, output, packages) {
  const args = [
    'build',
    '-trimpath',
    ...(tags.length > 0 ? [`-tags=${tags.join(',')}`] : []),
    `-ldflags=${ldflags}`,
    '-o',
    output,
    ...packages,
  ];
  console.log(`  (cd ${cwd} && go ${args.map((a) => (a.includes(' ') ? `'${a}'` : a)).join(' ')})`);
  const result = spawnSync('go', args, { cwd, stdio: 'inherit' });
  if (result.error) fail(`could not run go (is Go installed and on PATH?): ${result.error.message}`);
  if (result.status !== 0) fail(`go build failed in ${cwd} (exit ${result.status ?? result.signal})`);
}

/**
 * Kubernetes binaries built outside its Makefile report v0.0.0-master; stamp the pinned version
 * the way its build does (hack/lib/version.sh sets these variables) so /version and kubectl agree.
 */
function versionStamp(version, packages) {
  const [major, minor] = version.replace(/^v/, '').split('.');
  return packages.flatMap((pkg) =>
    [`gitVersion=${version}`, `gitMajor=${major}`, `gitMinor=${minor}`, 'gitTreeState=clean'].map(
      (assignment) => `-X ${pkg}.${assignment}`,
    ),
  );
}

/** The module's go.mod must require exactly the version versions.json names (the cache key). */
function checkPinnedVersion(moduleAbs, modulePath, version) {
  const gomod = readFileSync(join(moduleAbs, 'go.mod'), 'utf8');
  const escaped = modulePath.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const found = new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, 'm').exec(gomod)?.[1];
  if (found !== version) {
    fail(
      `${join(moduleAbs, 'go.mod')} requires ${modulePath} ${found ?? '(nothing)'} but versions.json pins ${version}; ` +
        'change both together',
    );
  }
}

function defaultBinaryName(pkg) {
  const parts = pkg.split('/');
  const last = parts.at(-1) ?? pkg;
  return /^v\d+$/.test(last) && parts.length > 1 ? (parts.at(-2) ?? last) : last;
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

function fail(message) {
  console.error(`build.mjs: ${message}`);
  process.exit(1);
}
