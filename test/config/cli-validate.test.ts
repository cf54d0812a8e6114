import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, ensureBuilt } from '../support/build.js';
import { createRepo, type FileTree } from '../support/git.js';
import { tempDirs } from '../support/tmp.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function validate(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, 'validate', ...args],
      { env: { ...process.env, NO_COLOR: '1' } },
      (err, stdout, stderr) => {
        const code = err && typeof err.code === 'number' ? err.code : err ? 1 : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const BROKEN = `aps: []
apps:
  - name: web
    path: apps/web
  - name: api
    path: apps/api: extra
  - name: web
    path: apps/web2
`;

beforeAll(async () => {
  await ensureBuilt();
});

describe('wheelhouse validate', () => {
  const tmp = tempDirs();

  async function repo(files: FileTree): Promise<string> {
    const dir = await tmp('validate');
    await createRepo(dir, files);
    return dir;
  }

  it('prints a typo, a YAML syntax error and a duplicate app name with file:line:column, and exits 1', async () => {
    const dir = await repo({
      'wheelhouse.yaml': BROKEN,
      'apps/web/README.md': 'x',
      'apps/web2/README.md': 'x',
    });
    const { code, stdout } = await validate(dir);
    expect(code).toBe(1);
    const file = join(dir, 'wheelhouse.yaml');
    const lines = stdout.trim().split('\n');
    expect(lines).toContain(`${file}:1:1 aps: unknown key "aps" — did you mean "apps"?`);
    expect(lines.some((l) => l.startsWith(`${file}:6:`) && l.includes('YAML syntax error'))).toBe(true);
    expect(lines).toContain(
      `${file}:7:11 apps[2].name: duplicate app name "web" (also apps[0] at line 3) — app names must be unique`,
    );
    expect(lines.at(-1)).toMatch(/^✗ 3 errors in 1 file/);
    expect(stdout).not.toContain('\u001b[');
  });

  it('prints paths relative to where it runs, and reports manifests too', async () => {
    const dir = await repo({
      'wheelhouse.yaml': 'apps:\n  - { name: web, path: apps/web }\n',
      'apps/web/api.yaml': 'apiVersion: wheelhouse/v1\nkind: Process\nmetadata: {name: api}\nspec: {}\n',
    });
    const { code, stdout } = await new Promise<Run>((resolve) => {
      execFile(process.execPath, [BIN, 'validate'], { cwd: dir }, (err, out, errOut) =>
        resolve({ code: err ? Number(err.code) : 0, stdout: out, stderr: errOut }),
      );
    });
    expect(code).toBe(1);
    // The process driver's schema checks the spec: the missing command is named with its position.
    expect(stdout).toContain('apps/web/api.yaml:4:7 spec.command: is required — a list of strings');
  });

  it('--json prints { ok, errors: [{ file, line, column, path, message }] }', async () => {
    const dir = await repo({
      'wheelhouse.yaml': BROKEN,
      'apps/web/README.md': 'x',
      'apps/web2/README.md': 'x',
    });
    const { code, stdout } = await validate(dir, '--json');
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { ok: boolean; errors: Record<string, unknown>[] };
    expect(report.ok).toBe(false);
    expect(report.errors).toHaveLength(3);
    for (const error of report.errors) {
      expect(Object.keys(error).sort()).toEqual(['column', 'file', 'line', 'message', 'path']);
      expect(error.file).toBe(join(dir, 'wheelhouse.yaml'));
      expect(typeof error.line).toBe('number');
      expect(typeof error.column).toBe('number');
    }
    expect(report.errors[0]).toEqual({
      file: join(dir, 'wheelhouse.yaml'),
      line: 1,
      column: 1,
      path: 'aps',
      message: 'unknown key "aps" — did you mean "apps"?',
    });
  });

  it('exits 0 on a clean repo, in text and JSON', async () => {
    const dir = await repo({
      'wheelhouse.yaml': 'apps:\n  - name: web\n    path: apps/web\n    interval: 1m\n',
      'apps/web/README.md': 'manifests come later\n',
    });
    const text = await validate(dir);
    expect(text.code).toBe(0);
    expect(text.stdout.trim()).toBe(`✓ ${dir}: no errors; 1 app checked (0 resources)`);
    const json = await validate(dir, '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, errors: [] });
  });

  it('exits 1 on a source.repo git would refuse, and shows control characters from the repo (issue 12 items 3, 14)', async () => {
    // Issue 12 item 3: a URL with whitespace passed validate (exit 0), then stopped the engine.
    const dir = await repo({
      'wheelhouse.yaml':
        'apps:\n  - name: shop\n    path: deploy\n    source: { repo: "https://git.example.com/team/shop .git", ref: main }\n"\\e]0;owned\\a": 1\n',
    });
    const { code, stdout } = await validate(dir);
    expect(code).toBe(1);
    expect(stdout).toContain(
      `${join(dir, 'wheelhouse.yaml')}:4:21 apps[0].source.repo: is not a usable repo URL: it contains whitespace or control characters`,
    );
    expect(stdout).toContain('skipped app shop: its apps.shop.source.repo has errors');
    // Item 14: a message quoting the repo's text shows its escape sequence instead of sending it.
    expect(stdout).toContain('unknown key "\\x1b]0;owned\\x07"');
    expect(stdout).not.toContain('\u001b');
  });

  it("exits 1 on target options the target's driver refuses, with file:line and the fix", async () => {
    // A docker target written with its options nested under `options:` used to pass validate;
    // the engine then could not set up the app on it and only logged it.
    const dir = await repo({
      'wheelhouse.yaml': [
        'targets:',
        '  box:',
        '    driver: docker',
        '    options:',
        '      host: tcp://127.0.0.1:2375',
        '  jobs:',
        '    driver: process',
        '    logMaxFiles: 500',
        '  edge:',
        '    driver: docker',
        '    host: tcp://127.0.0.1:2375',
        'apps:',
        '  - name: web',
        '    path: apps/web',
        '    target: edge',
        '',
      ].join('\n'),
      'apps/web/compose.yaml': 'services:\n  web:\n    image: nginx:1.27\n',
    });
    const { code, stdout } = await validate(dir);
    expect(code).toBe(1);
    const file = join(dir, 'wheelhouse.yaml');
    expect(stdout).toContain(
      `${file}:2:3 targets.box: docker target "box" in wheelhouse.yaml is invalid; fix these fields: targets.box: Unrecognized key: "options" (options go directly under the target, e.g. targets.box.host, not under an options: key)`,
    );
    expect(stdout).toContain(
      `${file}:6:3 targets.jobs: target jobs (driver process) has invalid options: logMaxFiles:`,
    );
    // The well-formed docker target passes: no engine is contacted to validate.
    expect(stdout).not.toContain('targets.edge');
    expect(stdout).toMatch(/✗ 2 errors in 1 file/);
  });

  it('exits 1 with a message for a directory without wheelhouse.yaml', async () => {
    const dir = await tmp('nothing');
    const { code, stdout } = await validate(dir);
    expect(code).toBe(1);
    expect(stdout).toContain(`${join(dir, 'wheelhouse.yaml')}:1:1 not found in ${dir}`);
  });
});
