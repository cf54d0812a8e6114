import { useCallback, useEffect, useRef, useState } from 'react';
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
 * are batched so a burst of events costs one request.
 */
export function useFetch<T>(path: string | null, refreshOn?: (event: LiveEvent) => boolean): Fetched<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean; path: string | null }>({
    loading: path !== null,
    path,
  });
  const generation = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const load = useCallback(() => {
    if (path === null) return;
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    api.get<T>(path).then(
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

  useEffect(() => {
    setState((s) => (s.path === path ? s : { loading: path !== null, path }));
    load();
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, [path, load]);

  useLiveEvents((event) => {
    if (path === null) return;
    if (event.type !== 'resync' && !refreshOn?.(event)) return;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(load, 200);
  });

  return {
    data: state.path === path ? state.data : undefined,
    error: state.path === path ? state.error : undefined,
    loading: state.loading,
    reload: load,
  };
}
