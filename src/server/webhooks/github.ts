import { type HookEvent, header, type WebhookProvider } from './provider.js';
import { pullRequestEvent } from './pull-request.js';
import { stringAt, stringsAt } from './repo-urls.js';

const GITHUB_ACTIONS = new Set(['opened', 'synchronize', 'reopened']);

import { verifyHmacHeader } from './signature.js';

/**
 * GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`, `X-GitHub-Event`,
 * `X-GitHub-Delivery`. Payloads come as JSON or, when the hook is set to form encoding, as
 * `payload=<JSON>` (the signature covers the encoded body).
 */
export const github: WebhookProvider = {
  name: 'github',
  signatureHeader: 'X-Hub-Signature-256',
  verify: (headers, raw, secret) =>
    verifyHmacHeader(header(headers, 'x-hub-signature-256'), raw, secret, 'sha256='),
  deliveryId: (headers) => header(headers, 'x-github-delivery'),
  parse(raw, contentType) {
    if (contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      const payload = new URLSearchParams(raw.toString('utf8')).get('payload');
      if (payload === null) throw new SyntaxError('form-encoded body has no `payload` field');
      return JSON.parse(payload);
    }
    return JSON.parse(raw.toString('utf8'));
  },
  event(headers, payload): HookEvent {
    const name = header(headers, 'x-github-event') ?? 'unknown';
    if (name === 'ping') return { kind: 'ping', name };
    if (name === 'workflow_run') return workflowRunEvent(name, payload);
    if (name === 'pull_request') return pullRequestEvent(name, payload, GITHUB_ACTIONS);
    if (name !== 'push') return { kind: 'other', name };
    const repos = stringsAt(payload, [
      'repository.clone_url',
      'repository.ssh_url',
      'repository.git_url',
      'repository.html_url',
      'repository.url',
    ]);
    const ref = stringAt(payload, 'ref');
    const revision = stringAt(payload, 'after');
    return { kind: 'push', name, repos, ...(ref ? { ref } : {}), ...(revision ? { revision } : {}) };
  },
};

/** `workflow_run` with action `completed`: which workflow file of which repo, and how it ended. */
function workflowRunEvent(name: string, payload: unknown): HookEvent {
  const repo = stringAt(payload, 'repository.full_name');
  const path = stringAt(payload, 'workflow_run.path') ?? stringAt(payload, 'workflow.path');
  const id = (payload as { workflow_run?: { id?: unknown } } | null)?.workflow_run?.id;
  if (stringAt(payload, 'action') !== 'completed' || !repo || !path || typeof id !== 'number') {
    return { kind: 'other', name };
  }
  const conclusion = stringAt(payload, 'workflow_run.conclusion');
  const url = stringAt(payload, 'workflow_run.html_url');
  return {
    kind: 'ci',
    name,
    origin: { kind: 'github-actions', repo },
    job: path.split('/').at(-1) ?? path,
    run: String(id),
    result:
      conclusion === 'success' || conclusion === 'neutral' || conclusion === 'skipped'
        ? 'success'
        : conclusion === 'cancelled'
          ? 'cancelled'
          : 'failure',
    ...(url ? { url } : {}),
  };
}
