import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../../src/core/index.js';
import { helmRenderer, kustomizeRenderer, renderWithTool, withClearTree } from '../../../src/render/index.js';
import { appSpec as specOf } from '../../support/control-config.js';
import { type FileTree, writeTree } from '../../support/git.js';
import { helmMissing, kustomizeMissing, toolOptions } from '../../support/render-tools.js';
import { ageKey, sopsBinary, sopsEncrypt, sopsMissing } from '../../support/sops.js';
import { tempDirs } from '../../support/tmp.js';

/*
 * Issue 19: SOPS files that kustomize and helm read from disk (a helm values file outside the
 * chart, a secretGenerator env file, an encrypted Secret manifest) reach the real tools in clear,
 * through a private copy in memory-backed storage that is gone when the tool is done; the repo's
 * files stay encrypted; a tampered file fails with the file and the reason and runs no tool.
 */
const tmp = tempDirs();
const missing = sopsMissing() ?? helmMissing ?? kustomizeMissing;

async function setup() {
  const keys = await tmp('keys');
  const key = await ageKey(keys, 'wheelhouse');
  const work = await tmp('work');
  const sops = { binary: sopsBinary, env: { SOPS_AGE_KEY_FILE: key.file } };
  const encrypt = (name: string, clear: string, extra: string[] = []) =>
    sopsEncrypt(work, name, clear, key.recipient, extra);
  return { sops, encrypt };
}

async function repo(files: FileTree) {
  const repoDir = await tmp('repo');
  await writeTree(repoDir, files);
  return repoDir;
}

describe.skipIf(missing !== undefined)('SOPS files read by kustomize and helm', () => {
  it('helm: an encrypted values file outside the chart', async () => {
    const { sops, encrypt } = await setup();
    const repoDir = await repo({
      'charts/api/Chart.yaml': 'apiVersion: v2\nname: api\nversion: 0.1.0\n',
      'charts/api/values.yaml': 'password: none\n',
      'charts/api/templates/secret.yaml':
        'apiVersion: v1\nkind: Secret\nmetadata: { name: api }\nstringData: { password: "{{ .Values.password }}" }\n',
      'envs/prod/values.yaml': await encrypt('values.yaml', 'password: helm-clear-secret\n'),
    });
    const app = specOf('api', 'prod', {
      path: 'charts/api',
      target: 'cluster',
      helm: { valueFiles: ['envs/prod/values.yaml'] },
    });
    const dirs: string[] = [];
    const out = await withClearTree(repoDir, helmRenderer.inputPaths(app), sops, (dir) => {
      dirs.push(dir);
      return renderWithTool(helmRenderer, {
        app,
        files: [],
        repoDir: dir,
        targetOptions: {},
        options: toolOptions,
      });
    });
    expect(out.issues).toEqual([]);
    expect(out.result?.issues).toEqual([]);
    expect(out.result?.files[0]?.content.toString()).toContain('password: "helm-clear-secret"');
    expect(out.secrets).toContain('helm-clear-secret');
    // The clear copy lived in memory-backed storage and is gone; the repo still holds ciphertext.
    expect(dirs[0]?.startsWith('/dev/shm/')).toBe(true);
    expect(existsSync(dirs[0] ?? '')).toBe(false);
    expect(await readFile(`${repoDir}/envs/prod/values.yaml`, 'utf8')).not.toContain('helm-clear-secret');
  });

  it('kustomize: a secretGenerator env file and an encrypted Secret manifest', async () => {
    const { sops, encrypt } = await setup();
    const files: FileTree = {
      'apps/db/kustomization.yaml':
        'resources: [secret.enc.yaml]\nsecretGenerator:\n  - name: db-env\n    envs: [db.env]\ngeneratorOptions: { disableNameSuffixHash: true }\n',
      'apps/db/db.env': await encrypt('db.env', 'DB_PASSWORD=kustomize-env-secret\n'),
      'apps/db/secret.enc.yaml': await encrypt(
        'secret.enc.yaml',
        'apiVersion: v1\nkind: Secret\nmetadata: { name: db-admin }\nstringData:\n  admin: kustomize-manifest-secret\n',
        ['--encrypted-regex', '^stringData$'],
      ),
    };
    const repoDir = await repo(files);
    const app = specOf('db', 'prod', { path: 'apps/db', target: 'cluster' });
    const render = (dir: string) =>
      renderWithTool(kustomizeRenderer, {
        app,
        files: [],
        repoDir: dir,
        targetOptions: {},
        options: toolOptions,
      });
    const out = await withClearTree(repoDir, ['apps/db', ...kustomizeRenderer.inputPaths(app)], sops, render);
    expect(out.issues).toEqual([]);
    expect(out.result?.issues).toEqual([]);
    const text = out.result?.files[0]?.content.toString() ?? '';
    expect(text).toContain(Buffer.from('kustomize-env-secret').toString('base64'));
    expect(text).toContain('admin: kustomize-manifest-secret');
    expect(text).not.toContain('sops');
    expect(out.secrets).toEqual(
      expect.arrayContaining(['kustomize-env-secret', 'kustomize-manifest-secret']),
    );

    // Tampered: the tool does not run; the issue names the file and the reason.
    const tampered = (files['apps/db/secret.enc.yaml'] ?? '').replace(
      /ENC\[AES256_GCM,data:(.)/,
      (_m, c: string) => `ENC[AES256_GCM,data:${c === 'A' ? 'B' : 'A'}`,
    );
    const badDir = await repo({ ...files, 'apps/db/secret.enc.yaml': tampered });
    let ran = false;
    const bad = await withClearTree(badDir, ['apps/db'], sops, async (dir) => {
      ran = true;
      return render(dir);
    });
    expect(ran).toBe(false);
    expect(bad.result).toBeUndefined();
    expect(bad.issues.map(formatIssue)).toEqual([
      expect.stringMatching(/^apps\/db\/secret\.enc\.yaml.*the file was changed after it was encrypted/),
    ]);
  });
});
