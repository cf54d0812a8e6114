/**
 * CI servers declared under `ci:` in wheelhouse.yaml, by name. Secrets are env var NAMES, never
 * values. See docs/ci.md.
 */
/** What every CI server entry has besides its kind's own keys. */
interface CiCommon {
  name: string;
  /** Apps whose notification routes get this server's completion webhooks (`ci.finished`). */
  apps?: string[];
}

export type CiServerSpec = CiCommon &
  (
    | {
        kind: 'jenkins';
        /** Base URL, e.g. `https://jenkins.example.com/` (a context path is kept). */
        url: string;
        user: string;
        /** Env var holding the user's API token. */
        tokenEnv: string;
      }
    | {
        kind: 'github-actions';
        /** `owner/repo`. */
        repo: string;
        /** Default: https://api.github.com (GitHub Enterprise: `https://HOST/api/v3`). */
        apiUrl: string;
        /** Env var holding a token that may dispatch and read workflow runs. */
        tokenEnv: string;
        /** Ref a dispatched workflow runs on when the request names none. */
        ref: string;
      }
    | {
        kind: 'gitlab';
        /** Project id or `group/project` path. */
        project: string;
        /** Default: https://gitlab.com. */
        url: string;
        /** Env var holding the project's pipeline trigger token. */
        triggerTokenEnv: string;
        /** Env var holding a token that may read and cancel pipelines (following needs it). */
        tokenEnv?: string;
        ref: string;
      }
  );

export type CiKind = CiServerSpec['kind'];
