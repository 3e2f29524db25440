// Entry of the desktop app's settings page (settings.html), loaded from app://local/agent/.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { followLanguage } from '@callcenter/client';
import { i18n } from '../i18n/i18n';
import { SettingsScreen } from './SettingsScreen';
import '../styles.css';

followLanguage(i18n, document.documentElement);
// This page is not on the console's origin, so it does not see the language chosen there; the
// app keeps the console's language for it.
window.desktop
  ?.getSettings()
  .then(({ language }) => {
    if (language !== undefined) return i18n.changeLanguage(language);
    return undefined;
  })
  .catch(() => undefined);

const root = document.getElementById('root');
if (!root) throw new Error('settings.html has no #root');
createRoot(root).render(
  <StrictMode>
    <SettingsScreen />
  </StrictMode>,
);
