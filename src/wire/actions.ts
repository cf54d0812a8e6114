import { z } from 'zod';
import { commitSchema, syncRecordSchema } from './apps.js';
import { healthSchema } from './common.js';

/** How an action ended (`POST /api/v1/actions`, approved requests): one sentence and details. */
export const outcomeSchema = z
  .object({
    ok: z.boolean(),
    summary: z.string().describe('what was done and how it ended'),
    fields: z.array(z.object({ label: z.string(), value: z.string() })).optional(),
    lines: z.array(z.string()).describe('commits since the last sync, the change set, notes').optional(),
    code: z.string().describe('a block shown as code (a diff, a log tail)').optional(),
    health: healthSchema.optional(),
    commit: z.string().describe('the write-back commit').optional(),
    branch: z.string().describe('the branch pushed for a protected source').optional(),
    sync: syncRecordSchema.optional(),
    commits: z
      .array(
        commitSchema.pick({
          sha: true,
          subject: true,
          authorName: true,
          authorEmail: true,
          authoredAt: true,
          trailers: true,
        }),
      )
      .optional(),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
  })
  .meta({ id: 'ActionOutcome' });

export const approvalStatusSchema = z.enum([
  'pending',
  'approved',
  'denied',
  'expired',
  'executed',
  'failed',
]);

/** A stored approval request. */
export const approvalSchema = z
  .object({
    id: z.string(),
    app: z.string(),
    environment: z.string(),
    command: z.string(),
    args: z.record(z.string(), z.unknown()).describe('the parsed command arguments it runs once approved'),
    text: z.string().describe('the request as typed'),
    requester: z.string(),
    required: z.number().int().describe('distinct approvers needed'),
    createdAt: z.string(),
    expiresAt: z.string(),
    status: approvalStatusSchema,
    decisions: z.array(
      z.object({
        actor: z.string(),
        decision: z.enum(['approve', 'deny']),
        at: z.string(),
        reason: z.string().optional(),
      }),
    ),
    preview: z.string().describe('what it would change (a diff summary)').optional(),
  })
  .meta({ id: 'Approval' });

/** An approval in the caller's inbox: with the count so far and what the caller may do. */
export const approvalViewSchema = approvalSchema
  .extend({
    approvals: z.number().int().describe('distinct people who approved so far'),
    mayDecide: z.boolean().describe('whether the caller may approve or deny it now'),
    mine: z.boolean().describe('whether the caller asked for it'),
  })
  .meta({ id: 'ApprovalView' });

/** What `POST /api/v1/actions` answers: 200 when the action settled. */
export const actionSettledSchema = z
  .object({ status: z.enum(['done', 'failed']), outcome: outcomeSchema })
  .meta({ id: 'ActionSettled' });

/** What `POST /api/v1/actions` answers: 202 when the action waits for approval. */
export const actionAwaitingSchema = z
  .object({
    status: z.literal('awaiting-approval'),
    approval: approvalSchema,
    approvers: z.array(z.string()).describe('who may approve it'),
  })
  .meta({ id: 'ActionAwaitingApproval' });

/** A refused action inside an approved request's run (the requester lost the right meanwhile). */
const actionRefusedSchema = z.object({
  status: z.literal('refused'),
  code: z.string(),
  reason: z.string(),
});

/** What `POST /api/v1/approvals/{id}/approve|deny` answers when the decision was taken. */
export const decisionAnswerSchema = z
  .discriminatedUnion('status', [
    z.object({
      status: z.literal('approved'),
      approval: approvalSchema,
      run: z
        .discriminatedUnion('status', [actionSettledSchema, actionAwaitingSchema, actionRefusedSchema])
        .describe('how the approved request ran, as the requester'),
    }),
    z.object({
      status: z.literal('recorded'),
      approval: approvalSchema,
      remaining: z.number().int().describe('approvals still needed'),
    }),
    z.object({ status: z.literal('denied'), approval: approvalSchema }),
  ])
  .meta({ id: 'ApprovalDecision' });
