import { z } from 'zod';

// What stops Git from being applied: a refused wheelhouse.yaml and manifests that do not render.
// Both carry issues with file:line:col.

export const validationIssueSchema = z
  .object({
    file: z.string(),
    line: z.number().int(),
    column: z.number().int(),
    path: z.string(),
    message: z.string(),
  })
  .meta({ id: 'ValidationIssue' });

/** `ControlStatus`: the wheelhouse.yaml in force, and why the newest one is not. */
export const controlStatusSchema = z
  .object({
    repo: z.string(),
    ref: z.string(),
    revision: z.string().optional(),
    signer: z.string().optional(),
    problem: z
      .object({
        revision: z.string().optional(),
        message: z.string(),
        issues: z.array(validationIssueSchema),
        since: z.string(),
      })
      .optional(),
  })
  .meta({ id: 'ControlStatus' });

/** `AppStatus.renderError`: the manifests at `revision` do not render. */
export const renderErrorSchema = z.object({
  revision: z.string(),
  message: z.string(),
  issues: z.array(validationIssueSchema),
});

/** `GET /api/v1/version`: what this server runs. */
export const versionSchema = z.object({
  version: z.string(),
  node: z.string(),
  tools: z.record(z.string(), z.string()),
});
