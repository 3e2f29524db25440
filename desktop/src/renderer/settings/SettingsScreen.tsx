import { useEffect, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DesktopBridge, SettingsResult } from '../../ipc/channels';
import { isUnencryptedRemote } from '../../common/serverAddress';
import { BrandMark } from '../console/BrandMark';

const SUGGESTED_SERVER = 'http://127.0.0.1:3000';

type Check = { state: 'idle' } | { state: 'checking' } | ({ state: 'done' } & SettingsResult);

function SettingsForm({ bridge, problem }: { bridge: DesktopBridge; problem: string | null }) {
  const { t } = useTranslation();
  const [loaded, setLoaded] = useState(false);
  const [serverUrl, setServerUrl] = useState('');
  const [soundEnabled, setSoundEnabled] = useState(true);
  const [hasServer, setHasServer] = useState(false);
  const [check, setCheck] = useState<Check>({ state: 'idle' });
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [unencryptedConfirmed, setUnencryptedConfirmed] = useState(false);
  const unencrypted = isUnencryptedRemote(serverUrl);

  useEffect(() => {
    bridge
      .getSettings()
      .then((settings) => {
        setServerUrl(settings.serverUrl ?? SUGGESTED_SERVER);
        setHasServer(settings.serverUrl !== null);
        setSoundEnabled(settings.soundEnabled);
        setLoaded(true);
      })
      .catch(() => {
        setServerUrl(SUGGESTED_SERVER);
        setLoaded(true);
      });
  }, [bridge]);

  const runCheck = (): void => {
    setCheck({ state: 'checking' });
    bridge
      .checkServer(serverUrl)
      .then((result) => {
        setCheck({ state: 'done', ...result });
      })
      .catch(() => {
        setCheck({ state: 'done', ok: false, message: t('settings.checkFailed') });
      });
  };

  const save = (event: SyntheticEvent): void => {
    event.preventDefault();
    setSaving(true);
    setSaveError(null);
    bridge
      .saveSettings(
        unencrypted
          ? { serverUrl, soundEnabled, allowUnencrypted: true }
          : { serverUrl, soundEnabled },
      )
      .then((result) => {
        if (!result.ok) setSaveError(result.message);
      })
      .catch(() => {
        setSaveError(t('settings.saveFailed'));
      })
      .finally(() => {
        setSaving(false);
      });
  };

  return (
    <form className="settings-card" onSubmit={save} aria-labelledby="settings-title">
      <BrandMark />
      <h1 id="settings-title">{t('header.serverSettings')}</h1>
      {problem && (
        <p role="alert" className="notice notice-error">
          {problem}
        </p>
      )}
      <label>
        {t('settings.address')}
        <input
          type="text"
          inputMode="url"
          // An address reads left to right in every language.
          dir="ltr"
          autoComplete="url"
          spellCheck={false}
          value={serverUrl}
          disabled={!loaded}
          placeholder="https://chat.example.com"
          onChange={(event) => {
            setServerUrl(event.target.value);
            setCheck({ state: 'idle' });
            setUnencryptedConfirmed(false);
          }}
          required
        />
      </label>
      <p className="hint">{t('settings.addressHint')}</p>
      {unencrypted && (
        <div className="unencrypted-warning" role="alert">
          <p>{t('server.unencryptedWarning')}</p>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={unencryptedConfirmed}
              onChange={(event) => {
                setUnencryptedConfirmed(event.target.checked);
              }}
            />
            {t('server.unencryptedConsent')}
          </label>
        </div>
      )}
      <div className="check-row">
        <button type="button" onClick={runCheck} disabled={check.state === 'checking'}>
          {t('settings.check')}
        </button>
        <span role="status" className={check.state === 'done' ? (check.ok ? 'ok' : 'bad') : ''}>
          {check.state === 'checking' && t('settings.checking')}
          {check.state === 'done' && (check.ok ? t('settings.checkOk') : check.message)}
        </span>
      </div>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={soundEnabled}
          onChange={(event) => {
            setSoundEnabled(event.target.checked);
          }}
        />
        {t('header.soundTitle')}
      </label>
      {saveError && (
        <p role="alert" className="form-error">
          {saveError}
        </p>
      )}
      <div className="settings-actions">
        {hasServer && (
          <button
            type="button"
            onClick={() => {
              void bridge.leaveSettings();
            }}
          >
            {t('settings.back')}
          </button>
        )}
        <button
          type="submit"
          className="primary"
          disabled={!loaded || saving || (unencrypted && !unencryptedConfirmed)}
        >
          {t('settings.save')}
        </button>
      </div>
    </form>
  );
}

/** The desktop app's own page: which server to use (kept in the user-data folder). */
export function SettingsScreen() {
  const { t } = useTranslation();
  const bridge = window.desktop;
  const problem = new URLSearchParams(window.location.search).get('problem');
  return (
    <main className="login-screen">
      {bridge ? (
        <SettingsForm bridge={bridge} problem={problem} />
      ) : (
        <div className="settings-card">
          <BrandMark />
          <h1>{t('header.serverSettings')}</h1>
          <p>{t('settings.browserOnly')}</p>
          <a href="./">{t('settings.open')}</a>
        </div>
      )}
    </main>
  );
}
