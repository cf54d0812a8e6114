import { z } from 'zod';
import type { HookPhase, KindDefinition } from '../../core/index.js';
import {
  commandSchema,
  cwdSourcePaths,
  envMap,
  noEnvOverlap,
  parserFor,
  relativePath,
  secretEnvMap,
  sourceTreesField,
  userField,
} from './kind-common.js';

export const jobSpecSchema = z
  .strictObject({
    command: commandSchema,
    cwd: relativePath('cwd').default('.'),
    sourceTrees: sourceTreesField,
    env: envMap.default({}),
    secretEnv: secretEnvMap.default({}),
    /** Run as this user instead of the target's (must be in the target's `allowedUsers`). */
    user: userField,
    phase: z.enum(['PreSync', 'PostSync'], { error: 'must be PreSync or PostSync' }).default('PreSync'),
    timeoutSeconds: z.number().positive().max(86_400).default(600),
  })
  .superRefine(noEnvOverlap);

export type JobSpec = z.output<typeof jobSpecSchema>;

export const jobKind: KindDefinition = {
  kind: 'Job',
  description:
    'A command run to completion once per app revision, before (PreSync) or after (PostSync) the rest.',
  parse: parserFor(jobSpecSchema),
  hook: (spec): HookPhase | undefined => {
    const phase = spec.phase;
    return phase === 'PostSync' ? 'PostSync' : 'PreSync';
  },
  order: 20,
  sourcePaths: cwdSourcePaths,
};
