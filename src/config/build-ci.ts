import type { CiServerSpec } from '../core/index.js';
import { CI_DEFAULTS } from './defaults.js';
import type { CiInput } from './schema/ci.js';

/** `ci:` as written -> CI server specs with their defaults filled in. */
export function buildCi(input: CiInput): Record<string, CiServerSpec> {
  const out: Record<string, CiServerSpec> = {};
  for (const [name, server] of Object.entries(input)) {
    const common = { name, ...(server.apps ? { apps: server.apps } : {}) };
    switch (server.type) {
      case 'jenkins':
        out[name] = {
          ...common,
          kind: 'jenkins',
          url: server.url,
          user: server.user,
          tokenEnv: server.tokenEnv,
        };
        break;
      case 'github-actions':
        out[name] = {
          ...common,
          kind: 'github-actions',
          repo: server.repo,
          apiUrl: server.apiUrl ?? CI_DEFAULTS.githubApiUrl,
          tokenEnv: server.tokenEnv,
          ref: server.ref ?? CI_DEFAULTS.ref,
        };
        break;
      case 'gitlab':
        out[name] = {
          ...common,
          kind: 'gitlab',
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
