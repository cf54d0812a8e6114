// Issue 14 item 2: a manifest that failed to render left the app Synced/Healthy with no marker, and
// `diff` said "No changes ... at <old rev>" while Git was ahead. The render error shows on every
// surface with the revision it failed at, and the fix clears it at the next refresh (no sync).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shortSha } from '../../src/util/index.js';
import { ensureBuilt } from '../support/build.js';
import { createRepo, git } from '../support/git.js';
import { tempDirs } from '../support/tmp.js';
import { waitFor } from '../support/wait-for.js';
import { startUp, type UpServer } from '../support/wheelhouse-up.js';

const tmp = tempDirs();

const manifest = (extra = '') =>
  `apiVersion: wheelhouse/v1\nkind: File\nmetadata: { name: readme }\nspec:\n  path: docs/README\n  content: "hi"\n${extra}`;

interface AppJson {
  name: string;
  syncStatus: string;
  revision?: string;
  renderError?: { revision: string; message: string; issues: { file: string; line: number }[] };
  lastSync?: { id: string };
}

describe('a manifest that stops rendering', () => {
  let server: UpServer | undefined;
  let repo: string;
  const cli = (...args: string[]) => {
    if (!server) throw new Error('wheelhouse up did not start');
    return server.cli(...args);
  };
  const app = async () => JSON.parse((await cli('status', 'docs', '--json')).stdout) as AppJson;

  beforeAll(async () => {
    await ensureBuilt();
    repo = await tmp('repo');
    await createRepo(repo, {
      'wheelhouse.yaml':
        'notifications:\n  routes:\n    - { platform: web, channel: ops }\napps:\n  - name: docs\n    path: apps/docs\n',
      'apps/docs/readme.yaml': manifest(),
    });
    server = await startUp(tmp, repo);
    await server.up.waitForMessage(/^docs: sync succeeded/);
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('is Unknown with the failing revision in the API, apps, status, diff (exit 2) and chat; a fix clears it without a sync', async () => {
    const good = await git(repo, 'rev-parse', 'HEAD');
    const before = await app();
    expect(before.syncStatus).toBe('Synced');

    await writeFile(join(repo, 'apps/docs/readme.yaml'), manifest('  colour: red\n'));
    await git(repo, 'commit', '-qam', 'break the manifest');
    const bad = await git(repo, 'rev-parse', 'HEAD');
    expect((await cli('refresh', 'docs')).code).toBe(0);

    const broken = await app();
    expect(broken.syncStatus).toBe('Unknown');
    expect(broken.revision).toBe(good); // what runs is still the last good state
    expect(broken.renderError?.revision).toBe(bad);
    expect(broken.renderError?.issues[0]).toMatchObject({ file: 'apps/docs/readme.yaml', line: 7 });
    expect(broken.renderError?.message).toContain(`manifests at ${shortSha(bad)} do not render`);

    const apps = await cli('apps');
    expect(apps.stdout).toMatch(/docs \[render error\] .* Unknown/);
    expect(apps.stdout).toMatch(new RegExp(`docs: app docs: manifests at ${shortSha(bad)} do not render`));
    const status = await cli('status', 'docs');
    expect(status.stdout).toMatch(
      new RegExp(`render +failed at ${bad.slice(0, 7)}.*\\n.*apps/docs/readme\\.yaml:7:`),
    );

    const diff = await cli('diff', 'docs');
    expect(diff.code).toBe(2);
    expect(diff.stdout).not.toMatch(/No changes/);
    expect(diff.stderr).toMatch(new RegExp(`manifests at ${shortSha(bad)} do not render`));

    // One chat notification for the tree that does not render, however many refreshes meet it.
    expect((await cli('refresh', 'docs')).code).toBe(0);
    const token = (await readFile(join(server?.data ?? '', 'admin-token'), 'utf8')).trim();
    const notices = async () => {
      const res = await fetch(`${server?.url}/api/v1/chat/rooms/ops/messages`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await res.json()) as { messages: { text: string }[] };
      return body.messages.filter((m) => /its manifests do not render/.test(m.text));
    };
    const [notice] = await waitFor('the render failure in chat', async () =>
      (await notices()).length > 0 ? notices() : undefined,
    );
    expect(notice?.text).toContain(`docs (default) cannot sync to ${bad.slice(0, 7)}`);
    expect(notice?.text).toMatch(/apps\/docs\/readme\.yaml:7:/);
    expect(await notices()).toHaveLength(1);

    const chat = await cli('chat', 'status docs');
    expect(chat.code).toBe(0);
    expect(chat.stdout).toMatch(new RegExp(`Render failed.*at ${bad.slice(0, 7)}`));

    // The fix: the next refresh renders again and the error is gone, with no sync started by hand.
    await writeFile(join(repo, 'apps/docs/readme.yaml'), manifest());
    await git(repo, 'commit', '-qam', 'fix the manifest');
    expect((await cli('refresh', 'docs')).code).toBe(0);
    const fixed = await waitFor('the render error to clear', async () => {
      const now = await app();
      return now.renderError === undefined && now.syncStatus === 'Synced' ? now : undefined;
    });
    expect(fixed.lastSync?.id).toBe(before.lastSync?.id); // same tree as the running one: nothing to sync
    expect((await cli('diff', 'docs')).code).toBe(0);
  });
});
