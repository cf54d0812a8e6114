import type { ActionState } from '../api/actions.js';
import { ErrorNotice, StatusNotice } from './notice.js';

/** Where an action's progress and outcome show, next to the button that started it. */
export function ActionStatus({ state, onDismiss }: { state: ActionState; onDismiss?: () => void }) {
  switch (state.status) {
    case 'idle':
      return null;
    case 'running':
      return <StatusNotice>{state.what}…</StatusNotice>;
    case 'done':
      return <StatusNotice tone="ok">{state.message}</StatusNotice>;
    case 'waiting':
      return <StatusNotice tone="warn">{state.message}</StatusNotice>;
    case 'error':
      return <ErrorNotice {...(onDismiss ? { onDismiss } : {})}>{state.message}</ErrorNotice>;
  }
}
