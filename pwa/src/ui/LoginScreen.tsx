import { useId, useRef, useState, type SubmitEvent } from 'react';
import type { ErrorBody } from '@callcenter/shared';
import { useCustomerApp, useSessionView } from '../app/appContext';
import { loginErrorText } from './errorText';

const missingFields: ErrorBody = { code: 'invalid_payload', message: 'login and password needed' };

export function LoginScreen() {
  const { actor } = useCustomerApp();
  const { busy, error } = useSessionView();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [localError, setLocalError] = useState<ErrorBody | null>(null);
  const loginRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const errorId = useId();

  const shownError = localError ?? error;
  const errorText = shownError === null ? null : loginErrorText(shownError);

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    if (login.trim() === '' || password === '') {
      setLocalError(missingFields);
      (login.trim() === '' ? loginRef : passwordRef).current?.focus();
      return;
    }
    setLocalError(null);
    actor.send({ type: 'auth.login', login: login.trim(), password });
  };

  return (
    <main className="login-screen">
      <div className="login-card">
        <img className="login-logo" src="/icons/favicon.svg" alt="" width="56" height="56" />
        <h1>Customer support</h1>
        <p className="login-intro">Sign in to chat with our team.</p>
        <form onSubmit={submit} noValidate aria-describedby={errorText ? errorId : undefined}>
          <div className="field">
            <label htmlFor="login-name">Login</label>
            <input
              id="login-name"
              ref={loginRef}
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              value={login}
              onChange={(event) => {
                setLogin(event.target.value);
              }}
              aria-invalid={shownError !== null}
              aria-describedby={errorText ? errorId : undefined}
            />
          </div>
          <div className="field">
            <label htmlFor="login-password">Password</label>
            <div className="password-row">
              <input
                id="login-password"
                ref={passwordRef}
                name="password"
                type={showPassword ? 'text' : 'password'}
                autoComplete="current-password"
                value={password}
                onChange={(event) => {
                  setPassword(event.target.value);
                }}
                aria-invalid={shownError !== null}
                aria-describedby={errorText ? errorId : undefined}
              />
              <button
                type="button"
                className="button subtle"
                aria-pressed={showPassword}
                onClick={() => {
                  setShowPassword((shown) => !shown);
                }}
              >
                {showPassword ? 'Hide' : 'Show'}
                <span className="visually-hidden"> password</span>
              </button>
            </div>
          </div>
          <p id={errorId} className="form-error" role="alert">
            {errorText}
          </p>
          <button type="submit" className="button primary wide" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </div>
    </main>
  );
}
