import { safeEqual } from '../util/index.js';

/** An image pushed, as a registry webhook reports it: registry host and repository path. */
export interface PushedImage {
  host: string;
  repository: string;
  tag?: string;
}

const DOCKER_HUB_HOST = 'registry-1.docker.io';

const record = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * The pushes in a registry webhook body, whichever sends it:
 * - distribution notifications (`{"events": [{"action": "push", "target": {"repository", "tag"}, "request": {"host"}}]}`);
 * - Docker Hub (`{"push_data": {"tag"}, "repository": {"repo_name"}}`), always on Docker Hub's registry;
 * - Harbor (`{"type": "PUSH_ARTIFACT", "event_data": {"resources": [{"resource_url": "host/project/repo:tag", "tag"}]}}`).
 * Anything else (pulls, deletes, other shapes) yields nothing.
 */
export function pushedImages(body: unknown): PushedImage[] {
  const root = record(body);
  if (Array.isArray(root.events)) {
    return root.events.flatMap((raw): PushedImage[] => {
      const event = record(raw);
      const target = record(event.target);
      const host = str(record(event.request).host);
      const repository = str(target.repository);
      if (event.action !== 'push' || !host || !repository) return [];
      const tag = str(target.tag);
      return [{ host, repository, ...(tag ? { tag } : {}) }];
    });
  }
  if (root.push_data !== undefined) {
    const name = str(record(root.repository).repo_name);
    if (!name) return [];
    const tag = str(record(root.push_data).tag);
    return [
      {
        host: DOCKER_HUB_HOST,
        repository: name.includes('/') ? name : `library/${name}`,
        ...(tag ? { tag } : {}),
      },
    ];
  }
  if (root.type === 'PUSH_ARTIFACT' || root.type === 'pushImage') {
    const resources = record(root.event_data).resources;
    return (Array.isArray(resources) ? resources : []).flatMap((raw): PushedImage[] => {
      const url = str(record(raw).resource_url);
      if (!url) return [];
      const name = url.split('@')[0] ?? url;
      const slash = name.indexOf('/');
      const colon = name.lastIndexOf(':');
      const path = colon > name.lastIndexOf('/') ? name.slice(0, colon) : name;
      if (slash < 0) return [];
      const tag = str(record(raw).tag);
      return [{ host: name.slice(0, slash), repository: path.slice(slash + 1), ...(tag ? { tag } : {}) }];
    });
  }
  return [];
}

/**
 * Whether a registry webhook carries the shared secret, as each registry can send one:
 * distribution's endpoint `headers` and Harbor's "Auth Header" put it in `Authorization`
 * (`Bearer <secret>` or the bare value); Docker Hub signs nothing, so its webhook URL carries
 * `?token=<secret>`. No secret configured refuses everything.
 */
export function registryHookAuthorized(
  secret: string | undefined,
  authorization: string | undefined,
  token: string | undefined,
): boolean {
  if (!secret) return false;
  const given = authorization?.replace(/^Bearer\s+/i, '') ?? token;
  return given !== undefined && safeEqual(given, secret);
}
