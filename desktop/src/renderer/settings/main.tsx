// Entry of the desktop app's settings page (settings.html), loaded from app://local/agent/.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { followLanguage } from '@callcenter/client';
import { i18n } from '../i18n/i18n';
import { SettingsScreen } from './SettingsScreen';
import '../styles.css';

followLanguage(i18n, document.documentElement);

const root = document.getElementById('root');
if (!root) throw new Error('settings.html has no #root');
createRoot(root).render(
  <StrictMode>
    <SettingsScreen />
  </StrictMode>,
);
