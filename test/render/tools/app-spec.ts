import type { AppSpec } from '../../../src/core/index.js';

/** An app entry as parse-config builds it, for the tool renderers' tests. */
export function appSpec(name: string, path: string, extra: Partial<AppSpec> = {}): AppSpec {
  return {
    name,
    path,
    target: 'cluster',
    environment: 'default',
    intervalMs: 30_000,
    sync: { auto: true, prune: true, selfHeal: true, allowEmpty: false, timeoutMs: 300_000, retries: 3 },
    source: { repo: '/control', ref: 'main', protected: false },
    sourceIsControlRepo: true,
    ...extra,
  };
}
