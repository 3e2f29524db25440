// An app's words: one i18next instance for React (`useTranslation()`), its language picked on
// this device (the one chosen in the app, else the device's: in Electron, the system's), the
// locale files bundled so an app starts offline.
import type { i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import {
  createI18n,
  pickLanguage,
  storedLanguage,
  type AppLanguage,
  type Translate,
} from '../language';

export interface AppI18n {
  i18n: I18n;
  /** The current language's words, for modules outside React (stores, the app's wiring). */
  t: Translate;
  /** Dates, times and numbers are formatted in the app's language, not the browser's default. */
  currentLocale: () => string;
  /** The app's words in one language, apart from the app's own instance (tests, previews). */
  translatorFor: (language: AppLanguage) => Translate;
}

function deviceLanguages(): readonly string[] {
  return typeof navigator === 'undefined' ? [] : navigator.languages;
}

function deviceStorage(): Storage | undefined {
  return typeof localStorage === 'undefined' ? undefined : localStorage;
}

export function createAppI18n(appLocales: Record<AppLanguage, Record<string, unknown>>): AppI18n {
  const i18n = createI18n(
    appLocales,
    pickLanguage(storedLanguage(deviceStorage()), deviceLanguages()),
    [initReactI18next],
  );
  return {
    i18n,
    t: (key, values) => i18n.t(key, values),
    currentLocale: () => i18n.language,
    translatorFor: (language) => {
      const instance = createI18n(appLocales, language);
      return (key, values) => instance.t(key, values);
    },
  };
}
