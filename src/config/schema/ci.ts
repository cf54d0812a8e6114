import { z } from 'zod';
import { dnsLabel, envName, httpUrl, namePattern, optional, strictObject, text } from './fields.js';

/** Apps whose notification routes get the server's completion webhooks. */
const apps = () => optional(z.array(namePattern('app')));

const jenkins = strictObject({
  type: z.literal('jenkins'),
  apps: apps(),
  url: httpUrl('url'),
  user: text('user'),
  tokenEnv: envName(),
});

const githubActions = strictObject({
  type: z.literal('github-actions'),
  apps: apps(),
  repo: z.string().refine((value) => /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(value), {
    message: 'repo must be written owner/name, e.g. acme/shop',
  }),
  apiUrl: optional(httpUrl('apiUrl')),
  tokenEnv: envName(),
  ref: optional(text('ref')),
});

const gitlab = strictObject({
  type: z.literal('gitlab'),
  apps: apps(),
  project: text('project'),
  url: optional(httpUrl('url')),
  triggerTokenEnv: envName(),
  tokenEnv: optional(envName()),
  ref: optional(text('ref')),
});

export const CI_TYPES = ['jenkins', 'github-actions', 'gitlab'] as const;

const ciServer = z.discriminatedUnion('type', [jenkins, githubActions, gitlab], {
  error: (issue) =>
    issue.code === 'invalid_union'
      ? `type must be one of ${CI_TYPES.join(', ')} (the kind of CI server), e.g. "type: jenkins"`
      : undefined,
});

/** `ci:` — CI servers by name; `build <name>/<job>` starts a job on one. */
export const ciSchema = z.record(dnsLabel('CI server name'), ciServer);

export type CiInput = z.output<typeof ciSchema>;
