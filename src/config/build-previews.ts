import { type ForgeAccess, PREVIEW_FORGES, type PreviewPosting } from '../core/index.js';
import { FORGE_API_DEFAULTS } from './defaults.js';
import type { PreviewsInput } from './schema/previews.js';

/** `previews:` with each forge's API root filled in (hosted GitHub and GitLab by default). */
export function buildPreviews(input: PreviewsInput): PreviewPosting {
  const forges: PreviewPosting['forges'] = {};
  for (const name of PREVIEW_FORGES) {
    const entry = input[name];
    if (!entry) continue;
    const apiUrl = entry.apiUrl ?? (name === 'gitea' ? undefined : FORGE_API_DEFAULTS[name]);
    if (apiUrl === undefined) continue;
    const access: ForgeAccess = { apiUrl: apiUrl.replace(/\/+$/, ''), tokenEnv: entry.tokenEnv };
    forges[name] = access;
  }
  return { ...(input.dashboardUrl ? { dashboardUrl: input.dashboardUrl.replace(/\/+$/, '') } : {}), forges };
}
