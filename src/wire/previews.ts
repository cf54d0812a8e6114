import { z } from 'zod';
import { resourceChangeSchema } from './apps.js';
import { validationIssueSchema } from './problems.js';

// Pull request previews (docs/previews.md): what a request's head would change, per app.

export const previewAppSchema = z
  .object({
    app: z.string(),
    outcome: z.enum(['changed', 'unchanged', 'failed']),
    base: z.string().optional(),
    changes: z.array(resourceChangeSchema),
    text: z.string(),
    issues: z.array(validationIssueSchema),
    refused: z.array(z.object({ key: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'PreviewApp' });

export const previewSchema = z
  .object({
    id: z.string(),
    url: z.string().optional(),
    title: z.string().optional(),
    report: z.object({
      repo: z.string(),
      ref: z.string(),
      revision: z.string(),
      apps: z.array(previewAppSchema),
      failed: z.boolean(),
    }),
    updatedAt: z.string(),
  })
  .meta({ id: 'Preview' });

export type PreviewWire = z.infer<typeof previewSchema>;
