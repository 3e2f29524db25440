import { useState, type SyntheticEvent } from 'react';
import { useSession } from '../app/session';
import { ErrorAlert } from './ErrorAlert';

export function LoginScreen() {
  const login = useSession((state) => state.login);
  const busy = useSession((state) => state.busy);
  const error = useSession((state) => state.error);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    void login(name.trim(), password);
  };

  return (
    <main className="login">
      <form className="login-card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Supervisor Console</h1>
        <p className="hint">Sign in with your supervisor account.</p>
        <label>
          Login
          <input
            name="login"
            autoComplete="username"
            value={name}
            required
            onChange={(event) => {
              setName(event.target.value);
            }}
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            required
            onChange={(event) => {
              setPassword(event.target.value);
            }}
          />
        </label>
        <ErrorAlert message={error} />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
