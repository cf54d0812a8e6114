import { type HookEvent, header, type WebhookProvider } from './provider.js';
import { pullEvent } from './pull-request.js';
import { stringAt, stringsAt } from './repo-urls.js';
import { verifyToken } from './signature.js';

const PUSH_EVENTS = new Set(['Push Hook', 'Tag Push Hook']);

/**
 * GitLab: the secret token is sent as is in `X-Gitlab-Token`; `X-Gitlab-Event` names the event
 * (`Push Hook`, `Tag Push Hook`; system hooks say `System Hook` and carry `object_kind`); the
 * delivery is `Idempotency-Key` (stable across retries) or else `X-Gitlab-Event-UUID`.
 */
export const gitlab: WebhookProvider = {
  name: 'gitlab',
  signatureHeader: 'X-Gitlab-Token',
  verify: (headers, _raw, secret) => verifyToken(header(headers, 'x-gitlab-token'), secret),
  deliveryId: (headers) => header(headers, 'idempotency-key') ?? header(headers, 'x-gitlab-event-uuid'),
  event(headers, payload): HookEvent {
    const name = header(headers, 'x-gitlab-event') ?? 'unknown';
    const kind = stringAt(payload, 'object_kind');
    const isPush =
      PUSH_EVENTS.has(name) || (name === 'System Hook' && (kind === 'push' || kind === 'tag_push'));
    if (name === 'Merge Request Hook' || (name === 'System Hook' && kind === 'merge_request')) {
      return mergeRequestEvent(name, payload);
    }
    if (!isPush) return { kind: 'other', name };
    const repos = stringsAt(payload, [
      'project.git_http_url',
      'project.git_ssh_url',
      'project.http_url',
      'project.ssh_url',
      'project.web_url',
      'repository.git_http_url',
      'repository.git_ssh_url',
      'repository.url',
      'repository.homepage',
    ]);
    const ref = stringAt(payload, 'ref');
    const revision = stringAt(payload, 'checkout_sha') ?? stringAt(payload, 'after');
    return { kind: 'push', name, repos, ...(ref ? { ref } : {}), ...(revision ? { revision } : {}) };
  },
};

const MR_ACTIONS = new Set(['open', 'update', 'reopen']);

/** A merge request opened, updated or reopened: its head is `refs/merge-requests/<iid>/head`. */
function mergeRequestEvent(name: string, payload: unknown): HookEvent {
  const action = stringAt(payload, 'object_attributes.action');
  const iid = (payload as { object_attributes?: { iid?: unknown } } | null)?.object_attributes?.iid;
  const project = stringAt(payload, 'project.path_with_namespace');
  if (!action || !MR_ACTIONS.has(action) || typeof iid !== 'number' || !project)
    return { kind: 'other', name };
  return pullEvent(name, payload, {
    repos: ['project.git_http_url', 'project.git_ssh_url', 'project.web_url'],
    id: `${project}#${iid}`,
    ref: `refs/merge-requests/${iid}/head`,
    revision: 'object_attributes.last_commit.id',
    url: 'object_attributes.url',
    title: 'object_attributes.title',
  });
}
