import { useId, useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorBody } from '@callcenter/shared';
import { LanguageSwitch } from '@callcenter/client/react';
import { useCustomerApp, useSessionView } from '../app/appContext';
import { loginErrorText } from './errorText';

const missingFields: ErrorBody = { code: 'invalid_payload', message: 'login and password needed' };

export function LoginScreen() {
  const { t } = useTranslation();
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
  const errorText = shownError === null ? null : loginErrorText(shownError, t);

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
        <h1>{t('login.title')}</h1>
        <p className="login-intro">{t('login.intro')}</p>
        <form onSubmit={submit} noValidate aria-describedby={errorText ? errorId : undefined}>
          <div className="field">
            <label htmlFor="login-name">{t('login.login')}</label>
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
            <label htmlFor="login-password">{t('login.password')}</label>
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
                {showPassword ? t('login.hide') : t('login.show')}
                <span className="visually-hidden">{t('login.passwordHidden')}</span>
              </button>
            </div>
          </div>
          <p id={errorId} className="form-error" role="alert">
            {errorText}
          </p>
          <button type="submit" className="button primary wide" disabled={busy}>
            {busy ? t('login.signingIn') : t('login.signIn')}
          </button>
        </form>
        <LanguageSwitch />
      </div>
    </main>
  );
}
