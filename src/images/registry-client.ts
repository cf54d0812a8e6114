import { WheelhouseError } from '../core/index.js';
import { nextLink, parseChallenge } from '../util/index.js';

/**
 * A Docker Registry HTTP API v2 client, as much as image automation needs: list a repository's
 * tags (following `Link: <...>; rel="next"` pages) and read a tag's manifest digest (HEAD with the
 * manifest media types, `Docker-Content-Digest`). Authentication follows the registry's
 * `WWW-Authenticate` challenge: Basic gets the credentials; Bearer sends them to the token
 * endpoint of the challenge (Docker token spec: `realm?service=...&scope=repository:NAME:pull`)
 * and retries with the token, which is kept per scope until it is refused.
 */
export interface RegistryClient {
  listTags(registry: string, repository: string): Promise<string[]>;
  digest(registry: string, repository: string, tag: string): Promise<string>;
}

export interface RegistryClientOptions {
  credentials?: { username: string; password: string };
  /** Tags asked for per page (`?n=`); the registry may answer with fewer and a next link. */
  pageSize?: number;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** Every manifest kind a tag can point at: the digest of the one the registry serves is the version. */
export const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

const MAX_PAGES = 1000;

export function createRegistryClient(options: RegistryClientOptions = {}): RegistryClient {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const tokens = new Map<string, string>();
  const basic = options.credentials
    ? `Basic ${Buffer.from(`${options.credentials.username}:${options.credentials.password}`).toString('base64')}`
    : undefined;

  async function send(url: string, init: RequestInit, what: string): Promise<Response> {
    try {
      return await doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
    } catch (err) {
      throw new WheelhouseError(
        'UNAVAILABLE',
        `${what}: cannot reach ${new URL(url).origin} (${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)}) — check that the registry is up and the image's registry URL is right`,
        { cause: err },
      );
    }
  }

  async function token(challenge: Record<string, string>, repository: string, what: string): Promise<string> {
    const realm = challenge.realm;
    if (!realm)
      throw new WheelhouseError(
        'UNAUTHENTICATED',
        `${what}: the registry's Bearer challenge names no realm (token endpoint)`,
      );
    const scope = challenge.scope ?? `repository:${repository}:pull`;
    const url = new URL(realm);
    if (challenge.service) url.searchParams.set('service', challenge.service);
    url.searchParams.set('scope', scope);
    const response = await send(url.toString(), { headers: basic ? { authorization: basic } : {} }, what);
    if (!response.ok) {
      throw new WheelhouseError(
        'UNAUTHENTICATED',
        `${what}: the token endpoint ${url.origin}${url.pathname} answered ${response.status} — check the credentials (usernameEnv/passwordEnv of the image policy)`,
      );
    }
    const body = (await response.json().catch(() => ({}))) as { token?: unknown; access_token?: unknown };
    const value = typeof body.token === 'string' ? body.token : body.access_token;
    if (typeof value !== 'string' || value === '')
      throw new WheelhouseError(
        'UNAUTHENTICATED',
        `${what}: the token endpoint ${url.origin}${url.pathname} returned no token`,
      );
    return value;
  }

  /** GET/HEAD with authentication: answer a 401 challenge once, then give up with the status. */
  async function request(
    url: string,
    method: string,
    headers: Record<string, string>,
    repository: string,
    what: string,
  ): Promise<Response> {
    const key = `${new URL(url).origin} ${repository}`;
    const cached = tokens.get(key);
    const auth = cached ? { authorization: `Bearer ${cached}` } : {};
    let response = await send(url, { method, headers: { ...headers, ...auth } }, what);
    if (response.status !== 401) return response;
    tokens.delete(key);
    const challenge = parseChallenge(response.headers.get('www-authenticate'));
    if (challenge?.scheme === 'bearer') {
      const value = await token(challenge.params, repository, what);
      tokens.set(key, value);
      response = await send(url, { method, headers: { ...headers, authorization: `Bearer ${value}` } }, what);
    } else if (challenge?.scheme === 'basic' && basic && !cached) {
      response = await send(url, { method, headers: { ...headers, authorization: basic } }, what);
    }
    if (response.status === 401) {
      throw new WheelhouseError(
        'UNAUTHENTICATED',
        `${what}: the registry refused the credentials (401) — set credentials.usernameEnv/passwordEnv on the image policy and those env vars on the server`,
      );
    }
    return response;
  }

  function failed(response: Response, what: string): WheelhouseError {
    const code =
      response.status === 404 ? 'NOT_FOUND' : response.status === 403 ? 'FORBIDDEN' : 'UNAVAILABLE';
    const hint =
      response.status === 404
        ? 'check the image name in the policy (the repository must exist on that registry)'
        : 'try again later or check the registry';
    return new WheelhouseError(code, `${what}: the registry answered ${response.status} — ${hint}`);
  }

  return {
    async listTags(registry, repository) {
      const what = `listing tags of ${repository} on ${registry}`;
      const tags: string[] = [];
      let url: string | undefined =
        `${registry}/v2/${repository}/tags/list${options.pageSize ? `?n=${options.pageSize}` : ''}`;
      for (let page = 0; url && page < MAX_PAGES; page++) {
        const response = await request(url, 'GET', { accept: 'application/json' }, repository, what);
        if (!response.ok) throw failed(response, what);
        const body = (await response.json().catch(() => ({}))) as { tags?: unknown };
        if (Array.isArray(body.tags))
          tags.push(...body.tags.filter((t): t is string => typeof t === 'string'));
        url = nextLink(response.headers.get('link'), url);
      }
      return tags;
    },
    async digest(registry, repository, tag) {
      const what = `reading the digest of ${repository}:${tag} on ${registry}`;
      const url = `${registry}/v2/${repository}/manifests/${encodeURIComponent(tag)}`;
      const response = await request(url, 'HEAD', { accept: MANIFEST_TYPES }, repository, what);
      if (!response.ok) throw failed(response, what);
      const digest = response.headers.get('docker-content-digest');
      if (!digest)
        throw new WheelhouseError(
          'UNAVAILABLE',
          `${what}: the registry sent no Docker-Content-Digest header`,
        );
      return digest;
    },
  };
}
