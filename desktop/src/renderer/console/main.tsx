// Entry of the agent console (index.html): the same build runs in the desktop app and, served
// by the server at /agent/, in a plain browser.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { followLanguage } from '@callcenter/client';
import { AgentClient } from '../agent/agentClient';
import { AgentClientContext } from '../hooks/agentClientContext';
import { detectPlatform } from '../platform/detectPlatform';
import { i18n } from '../i18n/i18n';
import { ConsoleApp } from './ConsoleApp';
import '../styles.css';

followLanguage(i18n, document.documentElement);

const client = new AgentClient(detectPlatform(), window.sessionStorage);
client.start();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <AgentClientContext value={client}>
      <ConsoleApp />
    </AgentClientContext>
  </StrictMode>,
);
