import { useCallback, useEffect, useRef, useState } from 'react';
import { createReloadSchedule } from '../lib/reload-schedule.js';
import { api } from './client.js';
import { useLiveEvents } from './live-events.js';
import type { LiveEvent } from './types.js';

export interface Fetched<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload(): void;
}

/**
 * GETs `path` (null: nothing yet) and again whenever a live event matches `refreshOn` (or the
 * stream asks to resync). What was shown stays while a reload runs; reloads triggered by events
 * are coalesced (`createReloadSchedule`): a burst costs one request, and a steady stream about one
 * a second, so 200 open dashboards do not re-read 1,000 apps on every event.
 */
export function useFetch<T>(path: string | null, refreshOn?: (event: LiveEvent) => boolean): Fetched<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean; path: string | null }>({
    loading: path !== null,
    path,
  });
  const generation = useRef(0);

  const load = useCallback((): Promise<void> => {
    if (path === null) return Promise.resolve();
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    return api.get<T>(path).then(
      (data) => {
        if (mine === generation.current) setState({ data, loading: false, path });
      },
      (error: unknown) => {
        if (mine === generation.current)
          setState((s) => ({
            ...s,
            error: error instanceof Error ? error : new Error(String(error)),
            loading: false,
          }));
      },
    );
  }, [path]);

  const latestLoad = useRef(load);
  latestLoad.current = load;
  const [schedule] = useState(() => createReloadSchedule(() => latestLoad.current()));
  const reload = useCallback(() => void load(), [load]);

  useEffect(() => {
    setState((s) => (s.path === path ? s : { loading: path !== null, path }));
    void load();
    return () => schedule.cancel();
  }, [path, load, schedule]);

  useLiveEvents((event) => {
    if (path === null) return;
    if (event.type !== 'resync' && !refreshOn?.(event)) return;
    schedule.ask();
  });

  return {
    data: state.path === path ? state.data : undefined,
    error: state.path === path ? state.error : undefined,
    loading: state.loading,
    reload,
  };
}
