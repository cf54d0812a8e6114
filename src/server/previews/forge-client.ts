import { WheelhouseError } from '../../core/index.js';

/** A comment on a pull request, as the forge lists it. */
export interface ForgeComment {
  id: number;
  body: string;
}

/** A commit status: fails when an app of the preview does not render. */
export interface CommitStatus {
  state: 'success' | 'failure';
  /** One line; forges cut long descriptions (GitHub at 140 characters). */
  description: string;
  /** Where the status links to (the dashboard's preview page). */
  targetUrl?: string;
  /** The status' name on the commit: `wheelhouse/preview`. */
  context: string;
}

/** What posting a preview needs from a forge: a pull request's comments and its head's status. */
export interface ForgeClient {
  /** Display name for messages: `GitHub`. */
  readonly forge: string;
  /** The longest comment body the forge accepts, in characters. */
  readonly commentLimit: number;
  listComments(): Promise<ForgeComment[]>;
  createComment(body: string): Promise<void>;
  updateComment(id: number, body: string): Promise<void>;
  setStatus(sha: string, status: CommitStatus): Promise<void>;
}

/** Which pull request, on which forge, with which credentials. */
export interface ForgeTarget {
  apiUrl: string;
  token: string;
  /** `owner/name` (GitLab: the project's path with namespace). */
  repo: string;
  number: number;
  /** The env var the token came from, for messages. */
  tokenEnv: string;
}

/**
 * One JSON request to a forge's REST API. A refusal says which call failed, what the forge said,
 * and what to check; the token is never part of the message.
 */
export async function forgeRequest(
  forge: string,
  target: ForgeTarget,
  headers: Record<string, string>,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const url = `${target.apiUrl}${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        accept: 'application/json',
        'user-agent': 'wheelhouse-previews',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    throw new WheelhouseError(
      'UNAVAILABLE',
      `${forge} API ${method} ${url} could not be reached; check previews.*.apiUrl in wheelhouse.yaml and the network`,
      { cause: err },
    );
  }
  const text = await response.text();
  if (!response.ok) {
    const said = text.slice(0, 300).replace(/\s+/g, ' ');
    const hint =
      response.status === 401 || response.status === 403 || response.status === 404
        ? `check that the token in ${target.tokenEnv} may read ${target.repo} and write its pull request comments and commit statuses`
        : 'try again later, or look at the forge';
    throw new WheelhouseError(
      'UNAVAILABLE',
      `${forge} API ${method} ${path} for ${target.repo}#${target.number} answered ${response.status} (${said}); ${hint}`,
    );
  }
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

/** The comments of a page of a list answer (anything else reads as none). */
export function commentsOf(page: unknown): ForgeComment[] {
  if (!Array.isArray(page)) return [];
  return page.flatMap((c: unknown) => {
    const { id, body } = (c ?? {}) as { id?: unknown; body?: unknown };
    return typeof id === 'number' && typeof body === 'string' ? [{ id, body }] : [];
  });
}
