import { describe, expect, it } from 'vitest';
import { bitbucket } from '../../src/server/webhooks/bitbucket.js';
import { gitea } from '../../src/server/webhooks/gitea.js';
import { github } from '../../src/server/webhooks/github.js';
import { gitlab } from '../../src/server/webhooks/gitlab.js';

/*
 * Issue 20: each forge's pull/merge request delivery (payload fields as its webhook docs list
 * them) becomes one `pull` event naming the base repo and the ref holding the head; other actions
 * (closed, labeled, approved) preview nothing.
 */
const SHA = 'a'.repeat(40);

describe('pull request webhook events', () => {
  it('GitHub pull_request opened/synchronize/reopened -> refs/pull/N/head of the base repo', () => {
    const payload = (action: string) => ({
      action,
      number: 7,
      repository: { full_name: 'acme/deploy', clone_url: 'https://github.com/acme/deploy.git' },
      pull_request: {
        html_url: 'https://github.com/acme/deploy/pull/7',
        title: 'Bump web',
        head: { sha: SHA, repo: { clone_url: 'https://github.com/fork/deploy.git' } },
      },
    });
    expect(github.event({ 'x-github-event': 'pull_request' }, payload('synchronize'))).toEqual({
      kind: 'pull',
      name: 'pull_request',
      repos: ['https://github.com/acme/deploy.git'],
      id: 'acme/deploy#7',
      ref: 'refs/pull/7/head',
      revision: SHA,
      url: 'https://github.com/acme/deploy/pull/7',
      title: 'Bump web',
    });
    expect(github.event({ 'x-github-event': 'pull_request' }, payload('closed')).kind).toBe('other');
  });

  it('Gitea pull_request opened/synchronized -> refs/pull/N/head', () => {
    const event = gitea.event(
      { 'x-gitea-event': 'pull_request' },
      {
        action: 'synchronized',
        number: 3,
        repository: { full_name: 'ops/deploy', clone_url: 'http://gitea.test/ops/deploy.git' },
        pull_request: { head: { sha: SHA } },
      },
    );
    expect(event).toMatchObject({ kind: 'pull', id: 'ops/deploy#3', ref: 'refs/pull/3/head', revision: SHA });
  });

  it('GitLab Merge Request Hook open/update/reopen -> refs/merge-requests/IID/head', () => {
    const payload = (action: string) => ({
      object_kind: 'merge_request',
      project: { path_with_namespace: 'grp/deploy', git_http_url: 'https://gitlab.test/grp/deploy.git' },
      object_attributes: {
        iid: 12,
        action,
        url: 'https://gitlab.test/grp/deploy/-/merge_requests/12',
        title: 'Bump api',
        last_commit: { id: SHA },
      },
    });
    expect(gitlab.event({ 'x-gitlab-event': 'Merge Request Hook' }, payload('update'))).toEqual({
      kind: 'pull',
      name: 'Merge Request Hook',
      repos: ['https://gitlab.test/grp/deploy.git'],
      id: 'grp/deploy#12',
      ref: 'refs/merge-requests/12/head',
      revision: SHA,
      url: 'https://gitlab.test/grp/deploy/-/merge_requests/12',
      title: 'Bump api',
    });
    expect(gitlab.event({ 'x-gitlab-event': 'Merge Request Hook' }, payload('merge')).kind).toBe('other');
  });
  it('Bitbucket Cloud pullrequest:created/updated -> the source branch of the same repo; a fork is not previewed', () => {
    const payload = (from: string) => ({
      repository: {
        full_name: 'acme/deploy',
        links: { html: { href: 'https://bitbucket.org/acme/deploy' } },
      },
      pullrequest: {
        id: 21,
        title: 'Bump web',
        links: { html: { href: 'https://bitbucket.org/acme/deploy/pull-requests/21' } },
        source: {
          branch: { name: 'bump/web' },
          commit: { hash: 'a1b2c3d4e5f6' },
          repository: { full_name: from },
        },
        destination: { branch: { name: 'main' }, repository: { full_name: 'acme/deploy' } },
      },
    });
    expect(bitbucket.event({ 'x-event-key': 'pullrequest:updated' }, payload('acme/deploy'))).toEqual({
      kind: 'pull',
      name: 'pullrequest:updated',
      repos: ['https://bitbucket.org/acme/deploy', 'https://bitbucket.org/acme/deploy.git'],
      id: 'acme/deploy#21',
      ref: 'refs/heads/bump/web',
      revision: 'a1b2c3d4e5f6',
      url: 'https://bitbucket.org/acme/deploy/pull-requests/21',
      title: 'Bump web',
    });
    expect(bitbucket.event({ 'x-event-key': 'pullrequest:created' }, payload('mallory/deploy'))).toEqual({
      kind: 'other',
      name: 'pullrequest:created',
      note: 'pull request #21 comes from the fork mallory/deploy: not previewed, because Bitbucket Cloud keeps no copy of its commits in acme/deploy and Wheelhouse never fetches from forks; push the branch to acme/deploy to get a preview',
    });
    expect(bitbucket.event({ 'x-event-key': 'pullrequest:fulfilled' }, payload('acme/deploy')).kind).toBe(
      'other',
    );
  });
});
