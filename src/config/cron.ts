/**
 * Five-field cron schedules (`minute hour day-of-month month day-of-week`) as sync windows use
 * them: numbers, `*`, lists (`1,15`), ranges (`1-5`), steps (`*\/15`, `8-18/2`), month and day
 * names (`jan`, `mon-fri`), Sunday as 0 or 7. Matching happens on the wall clock of a time zone
 * (IANA name), so `0 22 * * *` in Europe/Berlin follows daylight saving time.
 */
export interface CronSchedule {
  minute: ReadonlySet<number>;
  hour: ReadonlySet<number>;
  day: ReadonlySet<number>;
  month: ReadonlySet<number>;
  weekday: ReadonlySet<number>;
  /** Both day fields restricted: either may match (as cron has it); else both must. */
  dayOr: boolean;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const FIELDS = [
  { name: 'minute', min: 0, max: 59, names: [] as string[], offset: 0 },
  { name: 'hour', min: 0, max: 23, names: [], offset: 0 },
  { name: 'day of month', min: 1, max: 31, names: [], offset: 0 },
  { name: 'month', min: 1, max: 12, names: MONTHS, offset: 1 },
  { name: 'day of week', min: 0, max: 7, names: WEEKDAYS, offset: 0 },
] as const;

export const CRON_HINT =
  'write five fields "minute hour day-of-month month day-of-week", e.g. "0 22 * * mon-fri" (22:00 on weekdays)';

/** The schedule, or why the text is not one (the reason names the field). */
export function parseCron(text: string): CronSchedule | { error: string } {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 5) return { error: `"${text}" has ${parts.length} fields, not 5 — ${CRON_HINT}` };
  const sets: Set<number>[] = [];
  for (const [i, field] of FIELDS.entries()) {
    const set = parseField(parts[i] ?? '', field);
    if (typeof set === 'string') return { error: `${field.name} "${parts[i]}" ${set} — ${CRON_HINT}` };
    sets.push(set);
  }
  const [minute, hour, day, month, weekday] = sets as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  if (weekday.has(7)) weekday.add(0);
  return { minute, hour, day, month, weekday, dayOr: parts[2] !== '*' && parts[4] !== '*' };
}

function parseField(text: string, field: (typeof FIELDS)[number]): Set<number> | string {
  const out = new Set<number>();
  const value = (word: string): number | undefined => {
    const named = (field.names as readonly string[]).indexOf(word.toLowerCase());
    if (named >= 0) return named + field.offset;
    return /^\d+$/.test(word) ? Number(word) : undefined;
  };
  for (const item of text.split(',')) {
    const [range = '', stepText] = item.split('/');
    const step = stepText === undefined ? 1 : /^\d+$/.test(stepText) ? Number(stepText) : 0;
    if (step < 1) return `has a bad step "${stepText}"`;
    let from: number | undefined;
    let to: number | undefined;
    if (range === '*') [from, to] = [field.min, field.max];
    else {
      const [a = '', b] = range.split('-');
      from = value(a);
      to = b === undefined ? (stepText === undefined ? from : field.max) : value(b);
    }
    if (from === undefined || to === undefined) return `is not a number, a name, "*" or a range`;
    if (from < field.min || to > field.max || from > to) return `is outside ${field.min}-${field.max}`;
    for (let n = from; n <= to; n += step) out.add(n);
  }
  return out;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock fields of `at` in `timeZone`. */
export function wallClock(
  at: Date,
  timeZone: string,
): { minute: number; hour: number; day: number; month: number; weekday: number } {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      minute: 'numeric',
      hour: 'numeric',
      day: 'numeric',
      month: 'numeric',
      weekday: 'short',
    });
    formats.set(timeZone, format);
  }
  const parts = format.formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    minute: Number(get('minute')),
    hour: Number(get('hour')),
    day: Number(get('day')),
    month: Number(get('month')),
    weekday: WEEKDAYS.indexOf(get('weekday').toLowerCase().slice(0, 3)),
  };
}

export function cronMatches(schedule: CronSchedule, at: Date, timeZone: string): boolean {
  return wallMatches(schedule, wallClock(at, timeZone));
}

function wallMatches(schedule: CronSchedule, t: ReturnType<typeof wallClock>): boolean {
  if (!schedule.minute.has(t.minute) || !schedule.hour.has(t.hour) || !schedule.month.has(t.month))
    return false;
  const day = schedule.day.has(t.day);
  const weekday = schedule.weekday.has(t.weekday);
  return schedule.dayOr ? day || weekday : day && weekday;
}

/**
 * The newest start of the schedule in `(at - durationMs, at]`, whole minutes, or undefined: a
 * window opened by that start is open at `at`. Walks back minute by minute, but skips a whole
 * wall-clock hour the schedule does not name (back to its minute 59, so daylight saving time
 * never skips a wall time): an 8h window costs about 8 + 60 looks, not 480.
 */
export function lastStartWithin(
  schedule: CronSchedule,
  at: Date,
  durationMs: number,
  timeZone: string,
): Date | undefined {
  const minute = 60_000;
  const first = Math.floor(at.getTime() / minute) * minute;
  for (let t = first; t > at.getTime() - durationMs; ) {
    const start = new Date(t);
    const wall = wallClock(start, timeZone);
    if (wallMatches(schedule, wall)) return start;
    t -= (schedule.hour.has(wall.hour) ? 1 : wall.minute + 1) * minute;
  }
  return undefined;
}

/** Whether `timeZone` is an IANA time zone this Node.js knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
