import { type HookEvent, header, type WebhookProvider } from './provider.js';
import { isObject, stringAt, stringsAt } from './repo-urls.js';
import { verifyHmacHeader } from './signature.js';

/**
 * Bitbucket Cloud (`repo:push`, `pullrequest:created|updated`) and Bitbucket Data Center
 * (`repo:refs_changed`, `diagnostics:ping`): `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw body>`,
 * `X-Event-Key`, `X-Request-UUID`.
 */
export const bitbucket: WebhookProvider = {
  name: 'bitbucket',
  signatureHeader: 'X-Hub-Signature',
  verify: (headers, raw, secret) =>
    verifyHmacHeader(header(headers, 'x-hub-signature'), raw, secret, 'sha256='),
  deliveryId: (headers) => header(headers, 'x-request-uuid'),
  event(headers, payload): HookEvent {
    const name = header(headers, 'x-event-key') ?? 'unknown';
    if (name === 'diagnostics:ping') return { kind: 'ping', name };
    if (PULL_EVENTS.has(name)) return pullRequest(name, payload);
    if (name !== 'repo:push' && name !== 'repo:refs_changed') return { kind: 'other', name };
    const repos = repoUrls(payload);
    const change = firstChange(payload);
    const ref = stringAt(change, 'new.name') ?? stringAt(change, 'refId');
    const revision = stringAt(change, 'new.target.hash') ?? stringAt(change, 'toHash');
    return {
      kind: 'push',
      name,
      repos: [...new Set(repos)],
      ...(ref ? { ref } : {}),
      ...(revision ? { revision } : {}),
    };
  },
};

/** Cloud pull request events that change what the request would merge. */
const PULL_EVENTS = new Set(['pullrequest:created', 'pullrequest:updated']);

/** The repository's web address, its Cloud clone URL, and Data Center's clone links. */
function repoUrls(payload: unknown): string[] {
  const repos = stringsAt(payload, ['repository.links.html.href']);
  const fullName = stringAt(payload, 'repository.full_name');
  if (fullName) repos.push(`https://bitbucket.org/${fullName}.git`);
  repos.push(...cloneLinks(payload));
  return repos;
}

/**
 * Bitbucket Cloud keeps no pull request head ref: a request from a branch of the same repository
 * is previewed from `refs/heads/<source branch>`. A fork's commits live only in the fork, which
 * Wheelhouse never fetches from, so a fork's request is not previewed.
 */
function pullRequest(name: string, payload: unknown): HookEvent {
  const id = (payload as { pullrequest?: { id?: unknown } } | null)?.pullrequest?.id;
  const fullName = stringAt(payload, 'repository.full_name');
  const branch = stringAt(payload, 'pullrequest.source.branch.name');
  const from = stringAt(payload, 'pullrequest.source.repository.full_name');
  if (typeof id !== 'number' || !fullName || !branch) return { kind: 'other', name };
  if (from !== undefined && from !== fullName)
    return {
      kind: 'other',
      name,
      note: `pull request #${id} comes from the fork ${from}: not previewed, because Bitbucket Cloud keeps no copy of its commits in ${fullName} and Wheelhouse never fetches from forks; push the branch to ${fullName} to get a preview`,
    };
  const revision = stringAt(payload, 'pullrequest.source.commit.hash');
  const url = stringAt(payload, 'pullrequest.links.html.href');
  const title = stringAt(payload, 'pullrequest.title');
  return {
    kind: 'pull',
    name,
    repos: [...new Set(repoUrls(payload))],
    id: `${fullName}#${id}`,
    ref: `refs/heads/${branch}`,
    ...(revision ? { revision } : {}),
    ...(url ? { url } : {}),
    ...(title ? { title } : {}),
  };
}

/** Data Center: `repository.links.clone: [{ href, name: 'http' | 'ssh' }]`. */
function cloneLinks(payload: unknown): string[] {
  if (!isObject(payload) || !isObject(payload.repository) || !isObject(payload.repository.links)) return [];
  const clone = payload.repository.links.clone;
  if (!Array.isArray(clone)) return [];
  return clone.map((link) => stringAt(link, 'href')).filter((href): href is string => href !== undefined);
}

/** Cloud: `push.changes[0]`; Data Center: `changes[0]`. */
function firstChange(payload: unknown): unknown {
  if (!isObject(payload)) return undefined;
  const changes = isObject(payload.push) ? payload.push.changes : payload.changes;
  return Array.isArray(changes) ? changes[0] : undefined;
}
