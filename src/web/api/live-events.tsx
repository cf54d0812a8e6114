import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from 'react';
import { EVENT_TYPES } from '../../core/events.js';
import type { LiveEvent } from './types.js';

type Listener = (event: LiveEvent) => void;

interface LiveEvents {
  connected: boolean;
  subscribe(listener: Listener): () => void;
}

/** Tells listeners to re-read what they show (the stream missed events, or reconnected). */
export const RESYNC: LiveEvent = { type: 'resync', id: 0, at: '' };

const Context = createContext<LiveEvents>({ connected: false, subscribe: () => () => {} });

/**
 * One event stream (`/api/v1/events`) for the whole app. The browser resumes it with
 * Last-Event-ID after a drop; when the server refused it (it closed for good), it is reopened
 * after a pause from the last id seen. Every reconnect and `resync` makes listeners re-read.
 */
export function LiveEventsProvider({ children }: { children: ReactNode }) {
  const listeners = useRef(new Set<Listener>());
  const [connected, setConnected] = useState(false);
  const value = useRef<LiveEvents>({
    connected: false,
    subscribe(listener) {
      listeners.current.add(listener);
      return () => listeners.current.delete(listener);
    },
  });

  useEffect(() => {
    let source: EventSource | undefined;
    let lastId = 0;
    let opened = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const dispatch = (event: LiveEvent) => {
      for (const listener of [...listeners.current]) listener(event);
    };
    const open = () => {
      const url = lastId > 0 ? `/api/v1/events?lastEventId=${lastId}` : '/api/v1/events';
      source = new EventSource(url, { withCredentials: true });
      source.onopen = () => {
        setConnected(true);
        if (opened) dispatch(RESYNC);
        opened = true;
      };
      source.onerror = () => {
        setConnected(false);
        if (source?.readyState === EventSource.CLOSED && !stopped) {
          source.close();
          retry = setTimeout(open, 3000);
        }
      };
      for (const type of EVENT_TYPES) {
        source.addEventListener(type, (message: MessageEvent<string>) => {
          try {
            const event = JSON.parse(message.data) as LiveEvent;
            if (typeof event.id === 'number') lastId = Math.max(lastId, event.id);
            dispatch(event);
          } catch {
            // A malformed event is skipped; the next resync re-reads everything.
          }
        });
      }
      source.addEventListener('resync', () => dispatch(RESYNC));
    };
    open();
    return () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      source?.close();
    };
  }, []);

  value.current = { ...value.current, connected };
  return <Context.Provider value={value.current}>{children}</Context.Provider>;
}

/** Calls `listener` for every live event while the component is mounted. */
export function useLiveEvents(listener: Listener): void {
  const { subscribe } = useContext(Context);
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => subscribe((event) => latest.current(event)), [subscribe]);
}

export function useLiveConnected(): boolean {
  return useContext(Context).connected;
}
