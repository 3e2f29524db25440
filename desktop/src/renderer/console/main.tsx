// Entry of the agent console (index.html): the same build runs in the desktop app and, served
// by the server at /agent/, in a plain browser.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { followLanguage, isAppLanguage } from '@callcenter/client';
import { AgentClient } from '../agent/agentClient';
import { AgentClientContext } from '../hooks/agentClientContext';
import { detectPlatform } from '../platform/detectPlatform';
import { i18n } from '../i18n/i18n';
import { ConsoleAttachmentSources } from './Attachments';
import { ConsoleApp } from './ConsoleApp';
import '../styles.css';

followLanguage(i18n, document.documentElement);

const platform = detectPlatform();
// The desktop app's tray, menus and notifications speak the console's language.
const reportLanguage = (language: string): void => {
  if (isAppLanguage(language)) platform.reportLanguage(language);
};
reportLanguage(i18n.language);
i18n.on('languageChanged', reportLanguage);

const client = new AgentClient(platform, window.sessionStorage);
client.start();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <AgentClientContext value={client}>
      <ConsoleAttachmentSources client={client}>
        <ConsoleApp />
      </ConsoleAttachmentSources>
    </AgentClientContext>
  </StrictMode>,
);
