import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { describeError, signIn } from '../api/client.js';
import type { Session } from '../api/types.js';
import { Icon } from '../components/icon.js';
import { ErrorNotice, StatusNotice } from '../components/notice.js';

/** Sign in with a personal token (or the admin token); the server answers with a session cookie. */
export function SignInPage({
  onSignedIn,
  ended,
}: {
  onSignedIn: (session: Session) => void;
  ended: boolean;
}) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const help = useId();
  useEffect(() => {
    document.title = 'Sign in · Wheelhouse';
    input.current?.focus();
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (token.trim() === '') {
      setError('Enter your token: the one `wheelhouse user add <name>` printed, or the admin token.');
      input.current?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const session = await signIn(token.trim());
      setToken('');
      onSignedIn(session);
    } catch (err) {
      setError(describeError('sign in', err));
      setBusy(false);
      input.current?.focus();
    }
  };

  return (
    <main id="main" className="sign-in">
      <form className="card sign-in-card" onSubmit={submit} aria-labelledby="sign-in-title" noValidate>
        <p className="brand brand-large">
          <Icon name="sync" />
          <span>Wheelhouse</span>
        </p>
        <h1 id="sign-in-title">Sign in</h1>
        {ended ? (
          <StatusNotice tone="warn">Your session ended. Sign in again to continue.</StatusNotice>
        ) : null}
        <label htmlFor="token">Personal token</label>
        <input
          id="token"
          ref={input}
          type="password"
          name="token"
          autoComplete="off"
          spellCheck={false}
          value={token}
          onChange={(e) => setToken(e.target.value)}
          aria-describedby={help}
          aria-invalid={error ? true : undefined}
        />
        <p id={help} className="hint">
          Create one with <code>wheelhouse user add &lt;name&gt;</code>, or use the admin token in{' '}
          <code>&lt;data dir&gt;/admin-token</code>. The token is exchanged for a session cookie; it is not
          stored in the browser.
        </p>
        {error ? <ErrorNotice>{error}</ErrorNotice> : null}
        <button type="submit" className="button button-primary sign-in-submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
