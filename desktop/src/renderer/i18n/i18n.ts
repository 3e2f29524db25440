// The agent console's words: one i18next instance, its language picked on this device (the one
// chosen in the console, else the device's: in Electron, the OS's), the locale files bundled.
// React components read words with `useTranslation()`; other modules take a `Translate` (`t`).
import { initReactI18next } from 'react-i18next';
import {
  createI18n,
  pickLanguage,
  storedLanguage,
  type AppLanguage,
  type Translate,
} from '@callcenter/client';
import ar from '../../locales/ar.json';
import en from '../../locales/en.json';
import es from '../../locales/es.json';

function deviceLanguages(): readonly string[] {
  return typeof navigator === 'undefined' ? [] : navigator.languages;
}

function deviceStorage(): Storage | undefined {
  return typeof localStorage === 'undefined' ? undefined : localStorage;
}

export const i18n = createI18n(
  { en, ar, es },
  pickLanguage(storedLanguage(deviceStorage()), deviceLanguages()),
  [initReactI18next],
);

/** The current language's words, for modules outside React (stores, the app's wiring). */
export const t: Translate = (key, values) => i18n.t(key, values);

/** Dates, times and numbers are formatted in the app's language, not the browser's default. */
export function currentLocale(): string {
  return i18n.language;
}

/** The app's words in one language, apart from the app's own instance (tests, previews). */
export function translatorFor(language: AppLanguage): Translate {
  const instance = createI18n({ en, ar, es }, language);
  return (key, values) => instance.t(key, values);
}
