// The layer rule as data, turned into Biome `noRestrictedImports` overrides in biome.layers.json
// (which biome.json extends). `node scripts/layers.mjs` fails when that file is out of date;
// `--write` regenerates it.
// Each top folder of src/ lists the folders it may import; every other folder is a higher (or
// unrelated) layer and importing it is a lint error. Imports of an allowed folder go through a
// package's index.ts (`../config/index.js`), never into its files.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Top folder -> the folders it may import (util: small pure helpers any layer may use). */
export const LAYERS = {
  core: [],
  util: [],
  diff: ['core', 'util'],
  health: ['core', 'util'],
  render: ['core', 'util'],
  reconcile: ['core', 'util', 'health'],
  source: ['core', 'util'],
  store: ['core', 'util'],
  wire: ['core', 'util'],
  drivers: ['core', 'util'],
  ci: ['core', 'util'],
  images: ['core', 'util'],
  config: ['core', 'util', 'render', 'source'],
  writeback: ['core', 'util', 'source'],
  engine: ['core', 'util', 'config', 'diff', 'health', 'reconcile', 'render', 'source'],
  access: ['core', 'util', 'ci', 'config', 'source', 'wire', 'writeback'],
  chat: ['core', 'util', 'access', 'ci', 'source', 'wire', 'writeback'],
  server: ['core', 'util', 'access', 'config', 'source', 'wire'],
  web: ['core', 'diff', 'util', 'wire'],
  cli: [
    'core',
    'util',
    'access',
    'chat',
    'ci',
    'config',
    'drivers',
    'engine',
    'images',
    'render',
    'server',
    'source',
    'store',
  ],
};

/** Narrower rules for sub-folders: chat adapters, like drivers, see only core and util. */
export const SUB_LAYERS = {
  'chat/adapters': ['core', 'util', 'wire'],
};

/**
 * Folders whose single files may be imported directly, per importer. util's files are one
 * dependency-free helper each. The dashboard is a browser bundle type-checked without Node's
 * types: core's and diff's indexes reach Node-only modules, so it takes their browser-safe files.
 */
const DEEP_IMPORT_ALLOWED = { '*': ['util'], web: ['util', 'core', 'diff'], wire: ['util', 'core'] };

// Files sit at most three folders below their top folder. One override per depth, so that
// `../core/` means src/core from src/chat/a.ts and chat's own core from src/chat/commands/a.ts.
const DEPTHS = [0, 1, 2, 3];

const FOLDERS = Object.keys(LAYERS);

function rule(where, allowed, depth) {
  const up = '../'.repeat(where.split('/').length + depth);
  const upward = (folder) => [`${up}${folder}/**`];
  const forbidden = FOLDERS.filter((f) => f !== where.split('/')[0] && !allowed.includes(f));
  const patterns = forbidden.map((f) => ({
    group: upward(f),
    message: `src/${where} must not import src/${f}: it is a higher or unrelated layer (README "Layers"). Move the shared piece down (core, util) or reach it through the engine facade or a core port.`,
  }));
  const direct = DEEP_IMPORT_ALLOWED[where] ?? DEEP_IMPORT_ALLOWED['*'];
  const deep = allowed.filter((f) => !direct.includes(f));
  if (deep.length > 0) {
    patterns.push({
      group: [...deep.flatMap(upward), '!**/index.js'],
      message: `src/${where} reaches another package through a file inside it: import that package's index.js instead, and export what you need from there.`,
    });
  }
  const files = `src/${where}/${'*/'.repeat(depth)}`;
  return {
    includes: [`${files}*.ts`, `${files}*.tsx`],
    linter: { rules: { style: { noRestrictedImports: { level: 'error', options: { patterns } } } } },
  };
}

/** The generated overrides, in the order Biome applies them (later ones win). */
export function layerOverrides() {
  return [
    ...Object.entries(LAYERS).flatMap(([folder, allowed]) => DEPTHS.map((d) => rule(folder, allowed, d))),
    ...Object.entries(SUB_LAYERS).flatMap(([folder, allowed]) => DEPTHS.map((d) => rule(folder, allowed, d))),
  ];
}

function main() {
  const path = fileURLToPath(new URL('../biome.layers.json', import.meta.url));
  const wanted = { overrides: layerOverrides() };
  if (process.argv.includes('--write')) {
    writeFileSync(path, `${JSON.stringify(wanted, null, 2)}\n`);
    return;
  }
  let current;
  try {
    current = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    current = { error: String(err) };
  }
  if (JSON.stringify(current) !== JSON.stringify(wanted)) {
    console.error(
      'biome.layers.json: the layer rules differ from scripts/layers.mjs (or the file is missing). Run `node scripts/layers.mjs --write` and commit biome.layers.json.',
    );
    process.exitCode = 1;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
