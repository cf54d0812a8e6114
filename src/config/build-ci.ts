import type { CiServerSpec } from '../core/index.js';
import { CI_DEFAULTS } from './defaults.js';
import type { CiInput } from './schema/ci.js';

/** `ci:` as written -> CI server specs with their defaults filled in. */
export function buildCi(input: CiInput): Record<string, CiServerSpec> {
  const out: Record<string, CiServerSpec> = {};
  for (const [name, server] of Object.entries(input)) {
    switch (server.type) {
      case 'jenkins':
        out[name] = { kind: 'jenkins', name, url: server.url, user: server.user, tokenEnv: server.tokenEnv };
        break;
      case 'github-actions':
        out[name] = {
          kind: 'github-actions',
          name,
          repo: server.repo,
          apiUrl: server.apiUrl ?? CI_DEFAULTS.githubApiUrl,
          tokenEnv: server.tokenEnv,
          ref: server.ref ?? CI_DEFAULTS.ref,
        };
        break;
      case 'gitlab':
        out[name] = {
          kind: 'gitlab',
          name,
          project: server.project,
          url: server.url ?? CI_DEFAULTS.gitlabUrl,
          triggerTokenEnv: server.triggerTokenEnv,
          ...(server.tokenEnv ? { tokenEnv: server.tokenEnv } : {}),
          ref: server.ref ?? CI_DEFAULTS.ref,
        };
        break;
    }
  }
  return out;
}
