import { useCallback, useEffect, useState } from 'react';
import { currentSession, describeError, onSessionEnded, signOut } from './api/client.js';
import { LiveEventsProvider } from './api/live-events.js';
import type { Session } from './api/types.js';
import { ErrorNotice, Loading } from './components/notice.js';
import { Shell } from './components/shell.js';
import { matchRoute, paths } from './lib/routes.js';
import { ActivityPage } from './pages/activity-page.js';
import { AppPage } from './pages/app-page.js';
import { ApprovalsPage } from './pages/approvals-page.js';
import { AppsPage } from './pages/apps-page.js';
import { ChatPage } from './pages/chat-page.js';
import { MetricsPage } from './pages/metrics-page.js';
import { PreviewPage, PreviewsPage } from './pages/previews-page.js';
import { SignInPage } from './pages/sign-in-page.js';
import { Link, useRouter } from './router/router.js';

function Page({ path }: { path: string }) {
  if (path === '/' || path === '') return <AppsPage />;
  const app = matchRoute('/apps/:name', path);
  if (app?.name) return <AppPage key={app.name} name={app.name} />;
  if (path === paths.activity) return <ActivityPage />;
  const room = matchRoute('/rooms/:room', path);
  if (room?.room) return <ChatPage key={room.room} room={room.room} />;
  if (path === paths.approvals) return <ApprovalsPage />;
  if (path === paths.metrics) return <MetricsPage />;
  if (path === paths.previews) return <PreviewsPage />;
  const preview = matchRoute('/previews/:id', path);
  if (preview?.id) return <PreviewPage key={preview.id} id={preview.id} />;
  return (
    <>
      <h1>Not found</h1>
      <p>
        There is no page at <code>{path}</code>. <Link to={paths.apps}>See all apps</Link>.
      </p>
    </>
  );
}

/** Signed out: the sign-in page. Signed in: the pages, with one live event stream. */
export function App() {
  const { path, navigate } = useRouter();
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [ended, setEnded] = useState(false);
  const [loadError, setLoadError] = useState<string | undefined>();
  const [signingOut, setSigningOut] = useState(false);
  const [signOutError, setSignOutError] = useState<string | undefined>();

  useEffect(() => {
    currentSession().then(
      (s) => setSession(s ?? null),
      (err: unknown) => setLoadError(describeError('reach the Wheelhouse API', err)),
    );
    return onSessionEnded(() => {
      setSession(null);
      setEnded(true);
    });
  }, []);

  const onSignedIn = useCallback(
    (s: Session) => {
      setSession(s);
      setEnded(false);
      if (path === paths.signIn) navigate(paths.apps, { replace: true });
    },
    [path, navigate],
  );

  const onSignOut = useCallback(async () => {
    setSigningOut(true);
    setSignOutError(undefined);
    try {
      const { logoutUrl } = await signOut();
      // Single sign-on: end the provider's session too; it sends the browser back here.
      if (logoutUrl) {
        window.location.assign(logoutUrl);
        return;
      }
      setSession(null);
      setEnded(false);
      navigate(paths.signIn, { replace: true });
    } catch (err) {
      setSignOutError(describeError('sign out', err));
    } finally {
      setSigningOut(false);
    }
  }, [navigate]);

  if (loadError) {
    return (
      <main id="main" className="sign-in">
        <h1>Wheelhouse</h1>
        <ErrorNotice>{loadError}</ErrorNotice>
      </main>
    );
  }
  if (session === undefined) {
    return (
      <main id="main" className="sign-in">
        <Loading what="Wheelhouse" />
      </main>
    );
  }
  if (session === null) return <SignInPage onSignedIn={onSignedIn} ended={ended} />;
  return (
    <LiveEventsProvider>
      <Shell session={session} onSignOut={onSignOut} signingOut={signingOut}>
        {signOutError ? (
          <ErrorNotice onDismiss={() => setSignOutError(undefined)}>{signOutError}</ErrorNotice>
        ) : null}
        <Page path={path === paths.signIn ? '/' : path} />
      </Shell>
    </LiveEventsProvider>
  );
}
