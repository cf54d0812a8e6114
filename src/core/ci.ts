/**
 * CI servers declared under `ci:` in wheelhouse.yaml, by name. Secrets are env var NAMES, never
 * values. See docs/ci.md.
 */
export type CiServerSpec =
  | {
      kind: 'jenkins';
      name: string;
      /** Base URL, e.g. `https://jenkins.example.com/` (a context path is kept). */
      url: string;
      user: string;
      /** Env var holding the user's API token. */
      tokenEnv: string;
    }
  | {
      kind: 'github-actions';
      name: string;
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
      name: string;
      /** Project id or `group/project` path. */
      project: string;
      /** Default: https://gitlab.com. */
      url: string;
      /** Env var holding the project's pipeline trigger token. */
      triggerTokenEnv: string;
      /** Env var holding a token that may read and cancel pipelines (following needs it). */
      tokenEnv?: string;
      ref: string;
    };

export type CiKind = CiServerSpec['kind'];
