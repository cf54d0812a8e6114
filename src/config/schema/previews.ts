import type { z } from 'zod';
import { envName, httpUrl, optional, strictObject } from './fields.js';

/** A forge's API and the env var holding a token allowed to comment and set commit statuses. */
const forge = (apiUrlRequired: boolean) =>
  strictObject({
    tokenEnv: envName(),
    apiUrl: apiUrlRequired ? httpUrl('apiUrl') : optional(httpUrl('apiUrl')),
  });

/** `previews:` — posting pull request previews on the forge (docs/previews.md). */
export const previewsSchema = strictObject({
  dashboardUrl: optional(httpUrl('dashboardUrl')),
  github: optional(forge(false)),
  gitlab: optional(forge(false)),
  /** Gitea and Forgejo are self-hosted: there is no default API address. */
  gitea: optional(forge(true)),
  /** Bitbucket Cloud. */
  bitbucket: optional(forge(false)),
});

export type PreviewsInput = z.output<typeof previewsSchema>;
