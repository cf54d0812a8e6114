import { z } from 'zod';

export const auditEntrySchema = z
  .object({
    seq: z.number().int(),
    at: z.string(),
    actor: z.string(),
    action: z.string(),
    app: z.string().optional(),
    platform: z.string().optional(),
    channel: z.string().optional(),
    text: z.string().optional(),
    decision: z.enum(['allowed', 'refused', 'awaiting-approval', 'approved', 'denied', 'expired']).optional(),
    result: z.string().optional(),
    details: z.record(z.string(), z.unknown()).optional(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'AuditEntry' });

export const auditVerificationSchema = z
  .object({
    ok: z.boolean(),
    checked: z.number().int(),
    firstBroken: z.object({ seq: z.number().int(), reason: z.string() }).optional(),
  })
  .meta({ id: 'AuditVerification' });
