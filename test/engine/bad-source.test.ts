import { afterEach, describe, expect, it } from 'vitest';
import { validateControlRepo } from '../../src/config/index.js';
import { isWheelhouseError } from '../../src/core/index.js';
import { readinessProblems } from '../../src/server/routes/readiness.js';
import { startHarness } from '../support/engine-harness.js';
import { FAKE_KINDS, FakeDriver } from '../support/fake-driver.js';
import { TEST_DRIVERS, testKindRegistry } from '../support/kinds.js';
import { tempDirs } from '../support/tmp.js';

/*
 * Issue 12 item 3: one app whose source.repo held whitespace (or `ext::...`) made `validate` exit 0,
 * the engine log "cannot load wheelhouse.yaml", /readyz report 2 apps, the 11 apps after it never
 * exist, and removing the bad app take two commits (removal re-parsed the stale URL).
 */
const tmp = tempDirs();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const GOOD = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'];
const BAD_URL = 'https://git.example.com/team/shop .git';

const entry = (name: string) => `  - { name: ${name}, path: apps/${name} }\n`;
const badEntry = `  - name: bad\n    path: deploy\n    source: { repo: "${BAD_URL}", ref: main }\n`;
const configWith = (bad: boolean) =>
  `apps:\n${GOOD.slice(0, 2).map(entry).join('')}${bad ? badEntry : ''}${GOOD.slice(2).map(entry).join('')}`;
const manifests = Object.fromEntries(
  GOOD.map((name) => [
    `apps/${name}/m.yaml`,
    `apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: f }\nspec: { content: ${name} }\n`,
  ]),
);

describe('a bad source.repo in one app', () => {
  it('fails that app alone, visibly, and every later app is managed', async () => {
    const driver = new FakeDriver('process');
    const h = await startHarness(tmp, {
      files: { 'wheelhouse.yaml': configWith(true), ...manifests },
      driver,
      kinds: FAKE_KINDS,
    });
    closers.push(h.close);

    const apps = h.engine.apps();
    expect(apps.map((a) => a.name).sort()).toEqual([...GOOD, 'bad'].sort());
    for (const app of apps.filter((a) => a.name !== 'bad')) {
      expect([app.name, app.syncStatus, app.health.status]).toEqual([app.name, 'Synced', 'Healthy']);
    }
    const bad = h.engine.status('bad');
    expect(bad.syncStatus).toBe('Unknown');
    expect(bad.health).toEqual({
      status: 'Unknown',
      message: 'not managed: apps.bad.source.repo has errors',
    });
    expect(bad.lastError?.code).toBe('CONFIG_INVALID');
    expect(bad.lastError?.message).toMatch(
      /^app bad is not managed: wheelhouse\.yaml:6:21 apps\.bad\.source\.repo: is not a usable repo URL: it contains whitespace or control characters — use https:\/\/host\/owner\/repo\.git/,
    );
    expect(bad.lastError?.message).toContain('fix it in wheelhouse.yaml and commit');
    expect(h.engine.configIssues()).toEqual([]);
    expect(readinessProblems(h.engine.apps())).toEqual([expect.stringMatching(/^1 app not managed: /)]);

    const refused = await h.engine.sync('bad', { actor: 'cli:alice' }).catch((err: unknown) => err);
    expect(isWheelhouseError(refused, 'CONFIG_INVALID')).toBe(true);

    // One commit removes it.
    await h.commit({ 'wheelhouse.yaml': configWith(false) }, 'remove bad');
    await h.refresh('a');
    expect(h.engine.apps().map((a) => a.name)).toEqual(GOOD);
  });

  it('takes one commit to fix: the app is then fetched and managed like the others', async () => {
    const driver = new FakeDriver('process');
    const h = await startHarness(tmp, {
      files: { 'wheelhouse.yaml': configWith(true), ...manifests },
      driver,
      kinds: FAKE_KINDS,
    });
    closers.push(h.close);
    const fixed = configWith(true).replace(
      `repo: "${BAD_URL}", ref: main`,
      `repo: "${h.repoDir}", ref: main`,
    );
    await h.commit(
      { 'wheelhouse.yaml': fixed, 'deploy/m.yaml': manifests['apps/a/m.yaml'] ?? '' },
      'fix bad',
    );
    await h.refresh('a');
    await h.refresh('bad');
    const bad = h.engine.status('bad');
    expect(bad.lastError).toBeUndefined();
    expect([bad.syncStatus, bad.health.status]).toEqual(['Synced', 'Healthy']);
  });

  it('makes validate fail at the field, with the engine’s URL rules (ext:: and whitespace)', async () => {
    const dir = await tmp('control');
    const { createRepo } = await import('../support/git.js');
    await createRepo(dir, {
      'wheelhouse.yaml': `${configWith(true)}  - name: helper\n    path: x\n    source: { repo: "ext::git-remote-evil", ref: main }\n`,
      ...manifests,
    });
    const result = await validateControlRepo(dir, { kinds: testKindRegistry(), drivers: TEST_DRIVERS });
    expect(result.issues.map((i) => `${i.line} ${i.path}: ${i.message}`)).toEqual([
      expect.stringMatching(/^6 apps\[2\]\.source\.repo: is not a usable repo URL: it contains whitespace/),
      expect.stringMatching(
        /^\d+ apps\[13\]\.source\.repo: is not a usable repo URL: git remote helpers \("ext::"\) are not supported/,
      ),
    ]);
    expect(result.apps.find((a) => a.name === 'bad')).toMatchObject({ status: 'skipped' });
  });
});
