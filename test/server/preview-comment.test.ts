import { describe, expect, it } from 'vitest';
import type { PreviewApp, PreviewRecord } from '../../src/core/index.js';
import { previewComment } from '../../src/server/previews/comment.js';
import { statusOf } from '../../src/server/previews/post.js';

/*
 * Issue 20, the comment a preview posts: per-app <details> sections, problems at file:line, and
 * the forge's size limit kept by cutting the long diffs (never the summaries or problems), with a
 * link to the dashboard's page for the rest.
 */
const changed = (app: string, lines: number): PreviewApp => ({
  app,
  outcome: 'changed',
  changes: [{ key: `File/${app}`, kind: 'File', name: app, action: 'configured', fields: [] }],
  text: Array.from({ length: lines }, (_, i) => `~ File/${app} spec.content line ${i}: "old" -> "new"`).join(
    '\n',
  ),
  issues: [],
});
const failed: PreviewApp = {
  app: 'api',
  outcome: 'failed',
  changes: [],
  text: '',
  issues: [
    { file: 'apps/api/m.yaml', line: 4, column: 1, path: '', message: 'a flow mapping is not closed' },
  ],
};
const record = (apps: PreviewApp[]): PreviewRecord => ({
  id: 'github:acme/deploy#7',
  report: {
    repo: 'r',
    ref: 'refs/pull/7/head',
    revision: 'c'.repeat(40),
    apps,
    failed: apps.some((a) => a.outcome === 'failed'),
  },
  updatedAt: '2026-12-05T08:00:00Z',
});
const LINK = 'https://wheelhouse.example.com/previews/github%3Aacme%2Fdeploy%237';

describe('the preview comment', () => {
  it('has a section per app and keeps under the limit by cutting the long diff, with a link', () => {
    const apps = [failed, changed('web', 5), changed('worker', 5000)];
    const full = previewComment(record(apps), { limit: 10_000_000, link: LINK });
    expect(full.length).toBeGreaterThan(65_536);
    const body = previewComment(record(apps), { limit: 65_536, link: LINK });
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toContain('<details><summary><b>api</b>: **does not render** (1 problem)</summary>');
    expect(body).toContain('`apps/api/m.yaml:4:1 a flow mapping is not closed`');
    expect(body).toContain('spec.content line 4: "old" -> "new"'); // web's short diff stays whole
    expect(body).toContain('<b>worker</b>: 1 configured');
    expect(body).toContain(`… diff cut to fit the comment: [see the whole diff](${LINK})`);
    expect(body).not.toContain('line 4999:');
    expect(body.match(/<\/details>/g)).toHaveLength(3);
  });

  it('fences a diff holding backticks with a longer fence', () => {
    const app = { ...changed('web', 1), text: 'value: ```inline```' };
    expect(previewComment(record([app]), { limit: 65_536 })).toContain('````diff\nvalue: ```inline```\n````');
  });

  it('a commit status fails naming the first problem, and passes when all render', () => {
    expect(statusOf(record([failed, changed('web', 1)]).report, LINK)).toEqual({
      state: 'failure',
      description: 'api does not render: apps/api/m.yaml:4 a flow mapping is not closed',
      context: 'wheelhouse/preview',
      targetUrl: LINK,
    });
    expect(statusOf(record([changed('web', 1)]).report).state).toBe('success');
  });

  it('lists what the target would refuse, and the status fails on it', () => {
    const refused = {
      ...changed('web', 1),
      refused: [{ key: 'v1/ConfigMap/shop/settings', message: 'denied by policy no-unsafe-mode' }],
    };
    const body = previewComment(record([refused]), { limit: 65_536 });
    expect(body).toContain('<b>web</b>: 1 configured, **1 refused by the target**');
    expect(body).toContain('- `v1/ConfigMap/shop/settings`: denied by policy no-unsafe-mode');
    expect(statusOf(record([refused]).report)).toMatchObject({
      state: 'failure',
      description: 'web: the target would refuse v1/ConfigMap/shop/settings: denied by policy no-unsafe-mode',
    });
  });
});
