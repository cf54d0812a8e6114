// Issue 14, item 19: manifest errors as good as wheelhouse.yaml's. Before: no did-you-mean for
// unknown spec fields (`comand`, `replica`), columns at the value instead of the key, a missing
// `command` read "must be a list of strings", `expectStatus: "200"` gave zod's raw message, an
// invalid metadata.name hid the document's other errors, and an app entry with an unrelated
// error in wheelhouse.yaml had its manifests skipped by `validate`.
import { describe, expect, it } from 'vitest';
import { validateControlRepo } from '../../src/config/index.js';
import { createKindRegistry, driverNames } from '../../src/drivers/registry.js';
import { writeTree } from '../support/git.js';
import { tempDirs } from '../support/tmp.js';

const options = { kinds: createKindRegistry(), drivers: driverNames() };

describe('manifest errors', () => {
  const tmp = tempDirs();

  async function check(files: Record<string, string>) {
    const dir = await tmp('control');
    await writeTree(dir, files);
    const result = await validateControlRepo(dir, options);
    return result.issues.map((i) => `${i.file}:${i.line}:${i.column} ${i.path}: ${i.message}`);
  }

  const CONFIG = 'apps:\n  - name: web\n    path: apps/web\n';

  it('suggests the field meant, at the key: `comand`, `replica`', async () => {
    const issues = await check({
      'wheelhouse.yaml': CONFIG,
      'apps/web/web.yaml': [
        'apiVersion: wheelhouse/v1',
        'kind: Process',
        'metadata: { name: web }',
        'spec:',
        '  command: [node, server.js]',
        '  comand: [node, other.js]',
        '  replica: 2',
        '',
      ].join('\n'),
    });
    expect(issues).toEqual([
      'apps/web/web.yaml:6:3 spec.comand: unknown field "comand" — did you mean "command"?',
      'apps/web/web.yaml:7:3 spec.replica: unknown field "replica" — did you mean "replicas"?',
    ]);
  });

  it('says a missing command "is required", and a quoted status code how to write it', async () => {
    const issues = await check({
      'wheelhouse.yaml': CONFIG,
      'apps/web/web.yaml': [
        'apiVersion: wheelhouse/v1',
        'kind: Process',
        'metadata: { name: web }',
        'spec:',
        '  health:',
        '    http: { url: "http://127.0.0.1:8080/healthz", expectStatus: "200" }',
        '',
      ].join('\n'),
    });
    expect(issues).toHaveLength(2);
    expect(issues[0]).toMatch(/^apps\/web\/web\.yaml:\d+:\d+ spec\.command: is required — a list of strings/);
    expect(issues[1]).toBe(
      'apps/web/web.yaml:6:65 spec.health.http.expectStatus: must be a number, not text — write 200 without quotes',
    );
  });

  it('reports an invalid metadata.name and the spec errors of the same document together', async () => {
    const issues = await check({
      'wheelhouse.yaml': CONFIG,
      'apps/web/web.yaml': [
        'apiVersion: wheelhouse/v1',
        'kind: Process',
        'metadata: { name: Web_Server }',
        'spec:',
        '  comand: [node, server.js]',
        '',
      ].join('\n'),
    });
    expect(issues.map((i) => i.replace(/^\S+ /, '').split(':')[0])).toEqual([
      'metadata.name',
      'spec.comand',
      'spec.command',
    ]);
  });

  it('checks the manifests of an app whose wheelhouse.yaml entry has an error not about its path', async () => {
    const issues = await check({
      'wheelhouse.yaml': 'apps:\n  - name: web\n    path: apps/web\n    environmnet: prod\n',
      'apps/web/web.yaml':
        'apiVersion: wheelhouse/v1\nkind: Process\nmetadata: { name: web }\nspec: { comand: [node, a.js] }\n',
    });
    expect(issues.some((i) => i.startsWith('wheelhouse.yaml:4:5 apps[0].environmnet'))).toBe(true);
    expect(
      issues.some((i) => i.includes('spec.comand: unknown field "comand" — did you mean "command"?')),
    ).toBe(true);
  });
});
