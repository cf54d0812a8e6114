import { DURATION_HINT, parseDuration } from '../../util/index.js';
import type { YamlPath } from '../yaml/index.js';
import type { Reader } from './reader.js';

export interface HealthcheckOut {
  test: string[];
  intervalSeconds?: number;
  timeoutSeconds?: number;
  retries?: number;
  startPeriodSeconds?: number;
  startIntervalSeconds?: number;
}

/** `healthcheck:` — test (string = CMD-SHELL, or a list), interval, timeout, retries, start_period, start_interval, disable. */
export function readHealthcheck(reader: Reader, path: YamlPath, value: unknown): HealthcheckOut | undefined {
  const map = reader.map(path, value);
  if (!map) return undefined;
  reader.checkKeys(path, map, [
    'test',
    'interval',
    'timeout',
    'retries',
    'start_period',
    'start_interval',
    'disable',
  ]);
  if (map.disable === true) return { test: ['NONE'] };
  let test: string[] | undefined;
  if (typeof map.test === 'string') test = ['CMD-SHELL', map.test];
  else if (Array.isArray(map.test)) {
    test = reader.strings([...path, 'test'], map.test);
    const first = test?.[0];
    if (test && first !== 'CMD' && first !== 'CMD-SHELL' && first !== 'NONE') {
      reader.issue([...path, 'test'], 'a list must start with "CMD", "CMD-SHELL" or "NONE"');
      return undefined;
    }
  } else {
    reader.issue([...path, 'test'], 'needs a test: a command line, or a list starting with CMD or CMD-SHELL');
    return undefined;
  }
  if (!test) return undefined;
  const out: HealthcheckOut = { test };
  const seconds = (key: string): number | undefined => {
    const raw = map[key];
    if (raw === undefined) return undefined;
    const ms = typeof raw === 'string' ? parseDuration(raw) : undefined;
    if (ms === undefined) {
      reader.issue([...path, key], `must be a duration — ${DURATION_HINT}`);
      return undefined;
    }
    return ms / 1000;
  };
  const interval = seconds('interval');
  const timeout = seconds('timeout');
  const startPeriod = seconds('start_period');
  if (interval !== undefined) out.intervalSeconds = interval;
  if (timeout !== undefined) out.timeoutSeconds = timeout;
  if (startPeriod !== undefined) out.startPeriodSeconds = startPeriod;
  const startInterval = seconds('start_interval');
  if (startInterval !== undefined) out.startIntervalSeconds = startInterval;
  if (map.retries !== undefined) {
    const retries = reader.integer([...path, 'retries'], map.retries, 1);
    if (retries !== undefined) out.retries = retries;
  }
  return out;
}
