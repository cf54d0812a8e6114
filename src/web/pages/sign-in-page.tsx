import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { describeError, signIn, signInMethods } from '../api/client.js';
import type { Session, SignInMethods } from '../api/types.js';
import { Icon } from '../components/icon.js';
import { ErrorNotice, StatusNotice } from '../components/notice.js';

/**
 * Sign in: single sign-on first when the server has it, else (or also) a personal token or the
 * admin token; either way the server answers with a session cookie.
 */
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
  const [methods, setMethods] = useState<SignInMethods | undefined>();
  useEffect(() => {
    document.title = 'Sign in · Wheelhouse';
    input.current?.focus();
    signInMethods().then(setMethods, () => setMethods(undefined));
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
        {methods?.sso ? (
          <>
            <a className="button button-primary sign-in-submit" href={methods.sso.url}>
              {methods.sso.provider === 'github' ? 'Sign in with GitHub' : 'Sign in with single sign-on'}
            </a>
            <p className="hint">
              {methods.sso.provider === 'github' ? 'At ' : 'Through your identity provider, '}
              <code>{methods.sso.issuer}</code>.
            </p>
            <p className="sign-in-or">or with a token</p>
          </>
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
        <button
          type="submit"
          className={`button ${methods?.sso ? '' : 'button-primary '}sign-in-submit`}
          disabled={busy}
        >
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
