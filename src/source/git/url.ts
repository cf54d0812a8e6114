import { createHash } from 'node:crypto';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { WheelhouseError } from '../../core/index.js';

/** A repo URL taken apart: what to fetch, what to show, and the identity mirrors are keyed by. */
export interface ParsedRepoUrl {
  /** `https`, `http`, `ssh`, `git` or `file`. */
  scheme: 'https' | 'http' | 'ssh' | 'git' | 'file';
  /** Lower-cased host without default port; empty for `file`. */
  host: string;
  /** Port when not the scheme's default. */
  port?: number;
  /** Path as given (without `.git` stripped), always starting with `/`. */
  path: string;
  /** SSH login user (`git` in `git@host:owner/repo`); never set for http(s). */
  sshUser?: string;
  /** Basic-auth user and password embedded in an http(s) URL (moved to a header, never on a command line). */
  embedded?: { username: string; password: string };
  /** The URL git is given: the original form without any credentials (scp-style stays scp-style). */
  fetchUrl: string;
  /** Canonical identity: `scheme://host[:port]/path` without user, `.git` or trailing slash. */
  normalized: string;
}

const DEFAULT_PORTS: Record<string, number> = { https: 443, http: 80, ssh: 22, git: 9418 };
const SCP_LIKE = /^(?:([^@/\s]+)@)?(\[[^\]]+\]|[^:/\s]+):(?!\/\/)(.*)$/;

/** True when `text` holds a C0 control character or DEL (line breaks, NUL, escapes). */
export function hasControlChars(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** The forms a repo URL may take, for messages that say how to fix one. */
export const REPO_URL_FORMS =
  'https://host/owner/repo.git, ssh://git@host/owner/repo.git, git@host:owner/repo.git, file:///path or an absolute local path';

function invalid(url: string, why: string): WheelhouseError {
  return new WheelhouseError(
    'BAD_REQUEST',
    `repo URL '${sanitizeText(url)}' is not usable: ${why}. Use ${REPO_URL_FORMS}`,
    { details: { repo: sanitizeText(url), reason: why } },
  );
}

/**
 * Why git would not be given this URL, or undefined when it is usable. The one rule for repo URLs:
 * `wheelhouse validate`, the config loader and the engine's fetches all come here.
 */
export function repoUrlProblem(url: string): string | undefined {
  try {
    parseRepoUrl(url);
    return undefined;
  } catch (err) {
    const reason = err instanceof WheelhouseError ? err.details?.reason : undefined;
    return typeof reason === 'string' ? reason : String(err);
  }
}

function cleanPath(path: string, stripGitSuffix: boolean): string {
  let out = path.replace(/\/{2,}/g, '/').replace(/\/+$/, '');
  if (stripGitSuffix) out = out.replace(/\.git$/i, '').replace(/\/+$/, '');
  if (!out.startsWith('/')) out = `/${out}`;
  return out;
}

function hostPort(scheme: string, host: string, port: number | undefined): string {
  return port === undefined || DEFAULT_PORTS[scheme] === port ? host : `${host}:${port}`;
}

/**
 * Parse a repo URL in any form git accepts here: https/http, ssh://, scp-style `user@host:path`,
 * git://, file:// and local paths (relative ones resolve against the working directory).
 */
export function parseRepoUrl(input: string): ParsedRepoUrl {
  const url = input.trim();
  if (url === '') throw invalid(input, 'it is empty');
  if (/\s/.test(url) || hasControlChars(url))
    throw invalid(input, 'it contains whitespace or control characters');
  if (url.startsWith('-')) throw invalid(input, "it starts with '-'");
  // `transport::address` makes git run a remote helper (`ext::` runs any command): never allowed.
  const helper = /^([A-Za-z0-9][A-Za-z0-9+.-]*)::/.exec(url);
  if (helper) throw invalid(input, `git remote helpers ("${helper[1]}::") are not supported`);

  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  if (!schemeMatch) {
    const scp = SCP_LIKE.exec(url);
    if (scp && !isAbsolute(url) && !url.startsWith('.')) {
      const user = scp[1];
      const host = (scp[2] ?? '').toLowerCase();
      const rest = scp[3] ?? '';
      if (rest === '') throw invalid(input, 'the repository path after ":" is empty');
      const parsed: ParsedRepoUrl = {
        scheme: 'ssh',
        host,
        path: rest.startsWith('/') ? rest : `/${rest}`,
        fetchUrl: `${user ? `${user}@` : ''}${host}:${rest}`,
        normalized: `ssh://${host}${cleanPath(rest, true)}`,
      };
      if (user) parsed.sshUser = user;
      return parsed;
    }
    const abs = resolvePath(url);
    return fileRepo(abs);
  }

  const scheme = (schemeMatch[1] ?? '').toLowerCase();
  if (scheme === 'file') {
    let abs: string;
    try {
      abs = fileURLToPath(url);
    } catch (cause) {
      throw Object.assign(invalid(input, 'it is not a valid file:// URL'), { cause });
    }
    return fileRepo(abs);
  }
  if (scheme !== 'https' && scheme !== 'http' && scheme !== 'ssh' && scheme !== 'git') {
    throw invalid(input, `the scheme '${scheme}' is not supported`);
  }
  let parsedUrl: URL;
  try {
    parsedUrl = new URL(url);
  } catch {
    throw invalid(input, 'it is not a valid URL');
  }
  const host = parsedUrl.hostname.toLowerCase();
  if (host === '') throw invalid(input, 'it has no host');
  const port = parsedUrl.port === '' ? undefined : Number(parsedUrl.port);
  const path = decodeURIComponent(parsedUrl.pathname);
  if (cleanPath(path, true) === '/') throw invalid(input, 'it has no repository path');
  const hp = hostPort(scheme, host, port);
  const username = decodeURIComponent(parsedUrl.username);
  const password = decodeURIComponent(parsedUrl.password);
  const parsed: ParsedRepoUrl = {
    scheme,
    host,
    path,
    fetchUrl: '',
    normalized: `${scheme}://${hp}${cleanPath(path, true)}`,
  };
  if (port !== undefined && DEFAULT_PORTS[scheme] !== port) parsed.port = port;
  const clean = new URL(parsedUrl.href);
  clean.username = '';
  clean.password = '';
  clean.search = '';
  clean.hash = '';
  if (scheme === 'ssh' || scheme === 'git') {
    if (username !== '') {
      parsed.sshUser = username;
      clean.username = parsedUrl.username;
    }
  } else if (username !== '' || password !== '') {
    parsed.embedded = { username, password };
  }
  parsed.fetchUrl = clean.href;
  return parsed;
}

function fileRepo(abs: string): ParsedRepoUrl {
  const path = cleanPath(abs, false);
  return {
    scheme: 'file',
    host: '',
    path,
    fetchUrl: path,
    normalized: pathToFileURL(path).href,
  };
}

/**
 * The canonical form of a repo URL, used to key mirrors and to match webhook pushes to sources:
 * lower-case scheme and host, no credentials or SSH user, no default port, no `.git` suffix, no
 * trailing slash; scp-style `git@host:owner/repo` becomes `ssh://host/owner/repo`; local paths
 * and `file://` become `file:///absolute/path` (their `.git` suffix is kept: it names a directory).
 */
export function normalizeRepoUrl(url: string): string {
  return parseRepoUrl(url).normalized;
}

/**
 * True when two URLs name the same repository on the same host regardless of transport
 * (`https://github.com/o/r.git`, `git@github.com:o/r` and `ssh://git@github.com/o/r` match).
 * For webhook receivers, which get several URL forms of the pushed repository.
 */
export function sameRepo(a: string, b: string): boolean {
  const pa = parseRepoUrl(a);
  const pb = parseRepoUrl(b);
  if ((pa.scheme === 'file') !== (pb.scheme === 'file')) return false;
  const strip = (p: ParsedRepoUrl) => `${p.host}${cleanPath(p.path, p.scheme !== 'file')}`;
  return strip(pa) === strip(pb);
}

/** Directory name of the mirror for a URL: a hash of its normalized form. */
export function mirrorName(url: string): string {
  return createHash('sha256').update(normalizeRepoUrl(url)).digest('hex').slice(0, 32);
}

/**
 * A URL safe to print or log: credentials removed (for http(s) the whole user part, since
 * tokens often sit in the user position; for ssh only a password). Unparseable input goes
 * through `sanitizeText`.
 */
export function sanitizeUrl(url: string): string {
  try {
    return parseRepoUrl(url).fetchUrl;
  } catch {
    return sanitizeText(url);
  }
}

const URL_USERINFO = /\b([a-z][a-z0-9+.-]*):\/\/([^\s/@'"]*)@/gi;

/** Remove credentials from every URL inside free text (git's stderr, error messages). */
export function sanitizeText(text: string): string {
  return text.replace(URL_USERINFO, (_match, scheme: string, userinfo: string) => {
    const lower = scheme.toLowerCase();
    if (lower === 'ssh' || lower === 'git' || lower.startsWith('git+') || lower.endsWith('+ssh')) {
      const user = userinfo.split(':')[0] ?? '';
      return user === '' ? `${scheme}://` : `${scheme}://${user}@`;
    }
    return `${scheme}://`;
  });
}

/** Replace each secret value in `text` with `***` (callers pass derived forms, e.g. a base64 header, too). */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 3) continue;
    out = out.split(secret).join('***');
  }
  return out;
}
