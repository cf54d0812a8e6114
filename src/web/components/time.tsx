import { useEffect, useState } from 'react';
import { absoluteTime, relativeTime } from '../lib/format.js';

/** The current time, refreshed every `everyMs` so relative times stay true. */
export function useNow(everyMs = 15_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** `5m ago`, with the full time as the element's title and machine-readable `dateTime`. */
export function RelativeTime({ iso }: { iso: string | undefined }) {
  // Re-rendered every few seconds by useNow, and read fresh: a time newer than the last tick is not "in 5s".
  useNow();
  if (!iso) return <span>—</span>;
  return (
    <time dateTime={iso} title={absoluteTime(iso)}>
      {relativeTime(iso, Date.now())}
    </time>
  );
}
