import { createHmac, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

/** GitHub's own `push` example (from @octokit/webhooks-examples), pointed at a local repository and a new head. */
export function githubPushBody(repo: string, after: string): string {
  const examples = require('@octokit/webhooks-examples') as {
    name: string;
    examples: Record<string, unknown>[];
  }[];
  const push = structuredClone(examples.find((d) => d.name === 'push')?.examples[0]) as Record<
    string,
    unknown
  > & {
    repository: Record<string, unknown>;
  };
  const url = pathToFileURL(repo).href;
  Object.assign(push.repository, { clone_url: url, git_url: url, ssh_url: repo, html_url: url, url });
  return JSON.stringify({ ...push, after, ref: 'refs/heads/main' });
}

/** Sends a push delivery to `<server>/hooks/github`, signed with `secret` as GitHub signs it. */
export function postGithubPush(server: string, secret: string, body: string): Promise<Response> {
  return fetch(`${server}/hooks/github`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    },
    body,
  });
}
