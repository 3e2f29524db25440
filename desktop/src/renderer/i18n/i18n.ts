// The agent console's words (see `createAppI18n`): the locale files under desktop/src/locales,
// which the main process reads too for the tray, menus and notifications.
import { createAppI18n } from '@callcenter/client/react';
import ar from '../../locales/ar.json';
import en from '../../locales/en.json';
import es from '../../locales/es.json';

export const { i18n, t, currentLocale, translatorFor } = createAppI18n({ en, ar, es });
