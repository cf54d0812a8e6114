import { z } from 'zod';

const count = z.number().int();

/** One item of `GET /api/v1/timeline`; which fields are set depends on `kind`. */
export const timelineItemSchema = z
  .object({
    kind: z.enum(['commit', 'sync', 'command', 'approval', 'refusal', 'webhook', 'session', 'audit']),
    id: z.string(),
    at: z.string(),
    app: z.string().optional(),
    apps: z.array(z.string()).optional(),
    actor: z.string().optional(),
    // commits
    repo: z.string().optional(),
    sha: z.string().optional(),
    subject: z.string().optional(),
    author: z.string().optional(),
    authorEmail: z.string().optional(),
    // syncs
    syncId: z.string().optional(),
    revision: z.string().optional(),
    result: z.string().optional(),
    trigger: z.string().optional(),
    dryRun: z.boolean().optional(),
    durationMs: count.optional(),
    changes: z.object({ created: count, configured: count, deleted: count, unchanged: count }).optional(),
    health: z.string().optional(),
    // audit entries
    seq: count.optional(),
    action: z.string().optional(),
    platform: z.string().optional(),
    text: z.string().optional(),
    decision: z.string().optional(),
  })
  .meta({ id: 'TimelineItem' });
