import type { ReactNode } from 'react';
import { Icon } from './icon.js';

/** A failed action or load: what failed and what to do. Announced to screen readers. */
export function ErrorNotice({ children, onDismiss }: { children: ReactNode; onDismiss?: () => void }) {
  return (
    <div className="notice notice-error" role="alert">
      <Icon name="cross" />
      <div className="notice-body">{children}</div>
      {onDismiss ? (
        <button type="button" className="button button-quiet" onClick={onDismiss}>
          Dismiss
        </button>
      ) : null}
    </div>
  );
}

/** Progress and outcomes of actions, announced politely. */
export function StatusNotice({
  children,
  tone = 'info',
}: {
  children: ReactNode;
  tone?: 'info' | 'ok' | 'warn';
}) {
  return (
    <div className={`notice notice-${tone}`} role="status">
      <Icon name={tone === 'ok' ? 'check' : tone === 'warn' ? 'clock' : 'spinner'} />
      <div className="notice-body">{children}</div>
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      <Icon name="spinner" /> Loading {what}…
    </p>
  );
}
