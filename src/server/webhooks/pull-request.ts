import type { HookEvent } from './provider.js';
import { stringAt, stringsAt } from './repo-urls.js';

/**
 * A GitHub or Gitea `pull_request` delivery (same payload shape) whose action is one of `actions`:
 * the head lives in the base repo at `refs/pull/<number>/head`, also for a fork's request.
 */
export function pullRequestEvent(name: string, payload: unknown, actions: ReadonlySet<string>): HookEvent {
  const action = stringAt(payload, 'action');
  const number = (payload as { number?: unknown } | null)?.number;
  const fullName = stringAt(payload, 'repository.full_name');
  if (!action || !actions.has(action) || typeof number !== 'number' || !fullName) {
    return { kind: 'other', name };
  }
  return pullEvent(name, payload, {
    repos: ['repository.clone_url', 'repository.ssh_url', 'repository.html_url'],
    id: `${fullName}#${number}`,
    ref: `refs/pull/${number}/head`,
    revision: 'pull_request.head.sha',
    url: 'pull_request.html_url',
    title: 'pull_request.title',
  });
}

/** A `pull` event from where a forge's payload keeps the repo URLs, head sha, web address and title. */
export function pullEvent(
  name: string,
  payload: unknown,
  at: { repos: string[]; id: string; ref: string; revision: string; url: string; title: string },
): HookEvent {
  const revision = stringAt(payload, at.revision);
  const url = stringAt(payload, at.url);
  const title = stringAt(payload, at.title);
  return {
    kind: 'pull',
    name,
    repos: stringsAt(payload, at.repos),
    id: at.id,
    ref: at.ref,
    ...(revision ? { revision } : {}),
    ...(url ? { url } : {}),
    ...(title ? { title } : {}),
  };
}
