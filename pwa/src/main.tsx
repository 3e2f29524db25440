import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { CustomerAppProvider } from './app/appContext';
import { createCustomerApp } from './app/customerApp';
import { App } from './ui/App';
import './ui/styles.css';

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
