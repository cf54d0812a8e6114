import { type ReactNode, useEffect, useRef } from 'react';
import { useLiveConnected } from '../api/live-events.js';
import type { Approval, Session } from '../api/types.js';
import { useFetch } from '../api/use-fetch.js';
import { paths } from '../lib/routes.js';
import { Link, useRouter } from '../router/router.js';
import { ControlBanner } from './control-banner.js';
import { Icon } from './icon.js';

const NAV = [
  { to: paths.apps, label: 'Apps', match: (p: string) => p === '/' || p.startsWith('/apps/') },
  { to: paths.activity, label: 'Activity', match: (p: string) => p === '/activity' },
  { to: paths.room('ops'), label: 'Chat', match: (p: string) => p.startsWith('/rooms/') },
  { to: paths.approvals, label: 'Approvals', match: (p: string) => p === '/approvals' },
  { to: paths.metrics, label: 'Metrics', match: (p: string) => p === paths.metrics },
  { to: paths.previews, label: 'Previews', match: (p: string) => p.startsWith(paths.previews) },
];

function ApprovalCount() {
  const { data } = useFetch<{ approvals: Approval[] }>('/api/v1/approvals', (e) =>
    e.type.startsWith('approval.'),
  );
  const count = data?.approvals.filter((a) => a.mayDecide).length ?? 0;
  if (count === 0) return null;
  return (
    <span className="count" title={`${count} waiting for your decision`}>
      {count}
      <span className="visually-hidden"> waiting for you</span>
    </span>
  );
}

/** The frame of every page: skip link, banner with navigation and the session, the main region. */
export function Shell({
  session,
  onSignOut,
  signingOut,
  children,
}: {
  session: Session;
  onSignOut: () => void;
  signingOut: boolean;
  children: ReactNode;
}) {
  const { path } = useRouter();
  const connected = useLiveConnected();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every navigation (a new path), not on what it reads
  useEffect(() => {
    // After a navigation, move focus to the new page so screen readers announce it.
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [path]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="banner">
        <Link to={paths.apps} className="brand">
          <Icon name="sync" />
          <span>Wheelhouse</span>
        </Link>
        <nav aria-label="Main">
          <ul className="nav-links">
            {NAV.map((item) => (
              <li key={item.label}>
                <Link
                  to={item.to}
                  className="nav-link"
                  {...(item.match(path) ? { 'aria-current': 'page' as const } : {})}
                >
                  {item.label}
                  {item.label === 'Approvals' ? <ApprovalCount /> : null}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="session">
          <span className="live" data-live={connected ? 'on' : 'off'} role="status">
            <span className="live-dot" aria-hidden="true" />
            {connected ? 'Live' : 'Reconnecting…'}
          </span>
          <span className="who" title={`Actions are recorded as ${session.actor}`}>
            <Icon name="user" />
            <span>{session.user}</span>
          </span>
          <button type="button" className="button button-quiet" onClick={onSignOut} disabled={signingOut}>
            <Icon name="door" />
            {signingOut ? 'Signing out…' : 'Sign out'}
          </button>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <ControlBanner />
        {children}
      </main>
    </div>
  );
}
