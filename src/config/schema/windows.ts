import { z } from 'zod';
import { isTimeZone, parseCron } from '../cron.js';
import { duration, label, namePattern, optional, strictObject } from './fields.js';

/** The longest window: a week (a window open for longer is a freeze; use a lock for that). */
export const MAX_WINDOW_MS = 7 * 24 * 3_600_000;

const schedule = () =>
  z.string().superRefine((value, ctx) => {
    const parsed = parseCron(value);
    if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error });
  });

const timeZone = () =>
  z.string().refine(isTimeZone, {
    message: 'is not a time zone — use an IANA name such as UTC, Europe/Berlin or America/New_York',
  });

/** `windows:` entries. */
export const windowSchema = strictObject({
  name: optional(label('window name')),
  kind: z.enum(['allow', 'deny']),
  schedule: schedule(),
  duration: duration(60_000).refine((ms) => ms <= MAX_WINDOW_MS, {
    message: 'is longer than a week (168h) — for a longer freeze lock the apps instead',
  }),
  timeZone: optional(timeZone()),
  apps: optional(z.array(namePattern('app'))),
  environments: optional(z.array(namePattern('environment'))),
  targets: optional(z.array(namePattern('target'))),
});

export type WindowInput = z.output<typeof windowSchema>;
