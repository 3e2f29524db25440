import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { followLanguage } from '@callcenter/client';
import { CustomerAppProvider } from './app/appContext';
import { createCustomerApp } from './app/customerApp';
import { i18n } from './i18n/i18n';
import { followManifestLanguage } from './i18n/webManifest';
import { App } from './ui/App';
import './ui/styles.css';

followLanguage(i18n, document.documentElement);
followManifestLanguage(i18n, document.head);

const app = createCustomerApp({ serverUrl: window.location.origin, storage: window.localStorage });

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root');
createRoot(container).render(
  <StrictMode>
    <CustomerAppProvider app={app}>
      <App />
    </CustomerAppProvider>
  </StrictMode>,
);
