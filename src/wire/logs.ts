import { z } from 'zod';

export const logLineSchema = z
  .object({
    at: z.string().optional(),
    stream: z.enum(['stdout', 'stderr']),
    source: z.string(),
    text: z.string(),
  })
  .meta({ id: 'LogLine' });

export const logTailSchema = z.object({
  app: z.string(),
  resource: z.string(),
  lines: z.array(logLineSchema),
});
