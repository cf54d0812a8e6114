import type { IncomingHttpHeaders } from 'node:http';

/** What a delivery asks for, once verified and parsed. */
export type HookEvent =
  | { kind: 'push'; name: string; repos: string[]; ref?: string; revision?: string }
  | { kind: 'ping'; name: string }
  /** A CI run ended (GitHub `workflow_run`, Jenkins notification): told to the apps tied to that CI server. */
  | {
      kind: 'ci';
      name: string;
      /** Which `ci:` server it came from: a GitHub repository, or the Jenkins build's full URL. */
      origin: { kind: 'github-actions'; repo: string } | { kind: 'jenkins'; buildUrl: string };
      job: string;
      run: string;
      result: 'success' | 'failure' | 'cancelled';
      url?: string;
    }
  /** A pull/merge request opened or pushed to: previewed (docs/previews.md). */
  | {
      kind: 'pull';
      name: string;
      /** The base repository's URLs (the fork's head is fetched from there). */
      repos: string[];
      /** `owner/name#7`: with the provider, the preview's id. */
      id: string;
      /** Where the head lives in the base repo: `refs/pull/7/head`. */
      ref: string;
      revision?: string;
      url?: string;
      title?: string;
    }
  /** Not acted on; `note` says why when it is not the usual "only pushes refresh". */
  | { kind: 'other'; name: string; note?: string };

export type Verification = 'ok' | 'missing' | 'invalid';

/** One Git host's webhook dialect: how it signs, names deliveries and describes pushes. */
export interface WebhookProvider {
  /** Path segment: `/hooks/<name>`. */
  readonly name: string;
  /** The header that carries the signature or token, for error messages and docs. */
  readonly signatureHeader: string;
  /**
   * Checks the signature over the raw body (or the shared token) in constant time. `query` is the
   * delivery URL's query, for senders that can only put the secret there (Jenkins).
   */
  verify(
    headers: IncomingHttpHeaders,
    raw: Buffer,
    secret: string,
    query?: Readonly<Record<string, unknown>>,
  ): Verification;
  deliveryId(headers: IncomingHttpHeaders): string | undefined;
  /**
   * The sending time the signature covers (Unix seconds, as sent), for providers that sign one;
   * `verify` must have checked it. Absent: the host signs only the body.
   */
  signedTimestamp?(headers: IncomingHttpHeaders): string | undefined;
  /** The header `signedTimestamp` reads, for error messages. */
  readonly timestampHeader?: string;
  /** Parses the raw body (default: JSON); throws SyntaxError on malformed input. */
  parse?(raw: Buffer, contentType: string | undefined): unknown;
  event(headers: IncomingHttpHeaders, payload: unknown): HookEvent;
}

/** One header's value as a string (the first one when repeated). */
export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}
