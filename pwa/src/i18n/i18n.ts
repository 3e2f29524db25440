// The customer app's words (see `createAppI18n`), bundled so the app starts offline.
import { createAppI18n } from '@callcenter/client/react';
import ar from './locales/ar.json';
import en from './locales/en.json';
import es from './locales/es.json';

export const { i18n, t, currentLocale, translatorFor } = createAppI18n({ en, ar, es });
