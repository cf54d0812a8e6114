/**
 * A CI job run as a sync hook (`kind: CIJob`, docs/ci.md): the engine asks, the CI layer starts the
 * job on a declared `ci:` server, follows it to its end (or the timeout) and answers here.
 */
export interface CiJobRequest {
  /** The `ci:` server's name in wheelhouse.yaml. */
  ci: string;
  /** The job's path on that server (`deploy`, `team/shop/main`, `e2e.yml`). */
  job: string;
  params: Readonly<Record<string, string>>;
  /** Stop waiting (and cancel the build) after this long. */
  timeoutMs: number;
}

export interface CiJobResult {
  /** `timeout`: it did not end within `timeoutMs` and was cancelled. */
  outcome: 'success' | 'failure' | 'cancelled' | 'timeout';
  /** As chat writes it: `jenkins/integration#7`. */
  build: string;
  /** The build's page on the CI server, once known. */
  url?: string;
  /** The last console lines when it did not succeed (empty when the server gave none). */
  console: string[];
  durationMs?: number;
}

/** The port the engine runs `CIJob` hooks through, whatever the app's driver. */
export interface CiJobRunner {
  run(
    request: CiJobRequest,
    context: { signal: AbortSignal; progress(message: string): void },
  ): Promise<CiJobResult>;
}
