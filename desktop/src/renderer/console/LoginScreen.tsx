import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../agent/errorText';
import { useAgent, useAgentClient } from '../hooks/agentClientContext';
import { BrandMark } from './BrandMark';

export function LoginScreen() {
  const { t } = useTranslation();
  const client = useAgentClient();
  const busy = useAgent((snapshot) => snapshot.context.busy);
  const error = useAgent((snapshot) => snapshot.context.error);
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const openServerSettings = client.platform.openServerSettings;

  const submit = (event: SyntheticEvent): void => {
    event.preventDefault();
    client.login(login.trim(), password);
  };

  return (
    <main className="login-screen">
      <form className="login-card" onSubmit={submit} aria-labelledby="login-title">
        <BrandMark />
        <h1 id="login-title">{t('app.title')}</h1>
        <p className="muted">{t('login.intro')}</p>
        <label>
          {t('login.login')}
          <input
            name="login"
            autoComplete="username"
            value={login}
            onChange={(event) => {
              setLogin(event.target.value);
            }}
            required
            autoFocus
          />
        </label>
        <label>
          {t('login.password')}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => {
              setPassword(event.target.value);
            }}
            required
          />
        </label>
        {error && (
          <p role="alert" className="form-error">
            {describeError(error, { kind: 'login' }, t)}
          </p>
        )}
        <button type="submit" className="primary wide" disabled={busy} aria-busy={busy}>
          {busy ? t('login.signingIn') : t('login.signIn')}
        </button>
        <p className="server-line">
          {t('login.server')} <span>{client.platform.serverUrl}</span>
          {openServerSettings && (
            <button type="button" className="link" onClick={openServerSettings}>
              {t('login.change')}
            </button>
          )}
        </p>
      </form>
    </main>
  );
}
