// The languages both apps speak, which one to use on this device, and what the page must say
// about it (`<html lang dir>`). Platform-free: the apps pass in what the browser knows.
import i18next, { type i18n as I18n, type Module, type Resource } from 'i18next';
import ar from './locales/ar.json';
import en from './locales/en.json';
import es from './locales/es.json';
import {
  SUPPORTED_LANGUAGES,
  appLanguageOf,
  isAppLanguage,
  textDirection,
  type AppLanguage,
} from '@callcenter/shared';
import { flattenLocale, mergeLocales, type LocaleTree } from './localeCheck';

// The languages themselves are shared facts (the server words Web Push in them too).
export { SUPPORTED_LANGUAGES, appLanguageOf, isAppLanguage, textDirection, type AppLanguage };

/** Each language by its own name, for the switch: a reader finds their language in their script. */
export const LANGUAGE_ENDONYMS: Record<AppLanguage, string> = {
  en: 'English',
  ar: 'العربية',
  es: 'Español',
};

/** Where the chosen language is kept on the device (`localStorage`). */
export const LANGUAGE_STORAGE_KEY = 'callcenter.language';

/**
 * The language to show: the one the user chose on this device, else the first of the device's
 * languages (`navigator.languages`, in order of preference) the apps speak, else English.
 */
export function pickLanguage(
  chosen: string | null,
  deviceLanguages: readonly string[],
): AppLanguage {
  if (chosen !== null && isAppLanguage(chosen)) return chosen;
  for (const tag of deviceLanguages) {
    const language = appLanguageOf(tag);
    if (language !== null) return language;
  }
  return 'en';
}

/** A key looked up in the current language, with `{{values}}` filled in and plurals chosen by `count`. */
export type Translate = (key: string, values?: Record<string, unknown>) => string;

/** The client core's own wording (notices, call events), merged into each app's locale files. */
export const CLIENT_LOCALES: Record<AppLanguage, LocaleTree> = { en, ar, es };

/**
 * The client core's keys an app has no words for (`language:key`), given the app's translator per
 * language: its locale files are merged over the core's, and must hide none of them.
 */
export function lostCoreWords(translatorFor: (language: AppLanguage) => Translate): string[] {
  return SUPPORTED_LANGUAGES.flatMap((language) => {
    const t = translatorFor(language);
    return [...flattenLocale(CLIENT_LOCALES[language]).keys()]
      .filter((key) => t(key) === key)
      .map((key) => `${language}:${key}`);
  });
}

/**
 * An i18next instance for an app: its locale files plus the client core's, bundled (no fetch:
 * the customer app must start offline), initialised synchronously in `language`.
 */
export function createI18n(
  appLocales: Record<AppLanguage, Record<string, unknown>>,
  language: AppLanguage,
  plugins: readonly Module[] = [],
): I18n {
  const resources: Resource = {};
  for (const tag of SUPPORTED_LANGUAGES) {
    resources[tag] = {
      translation: mergeLocales(CLIENT_LOCALES[tag], appLocales[tag] as LocaleTree),
    };
  }
  const instance = i18next.createInstance();
  for (const plugin of plugins) instance.use(plugin);
  void instance.init({
    resources,
    lng: language,
    fallbackLng: 'en',
    supportedLngs: [...SUPPORTED_LANGUAGES],
    initAsync: false,
    // React escapes what it renders; escaping here too would show `&amp;` in names.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}

/** English with the client core's wording only: for tests and for apps not yet translated. */
export const englishClientI18n: I18n = createI18n({ en: {}, ar: {}, es: {} }, 'en');
export const englishTranslate: Translate = (key, values) => englishClientI18n.t(key, values);

/** The page's root element as far as language goes (`document.documentElement`). */
export interface LanguageRoot {
  lang: string;
  dir: string;
}

/** Keeps `<html lang dir>` in step with the app's language, now and on every switch. */
export function followLanguage(i18n: I18n, root: LanguageRoot): void {
  const apply = (language: string): void => {
    root.lang = language;
    root.dir = textDirection(language);
  };
  apply(i18n.language);
  i18n.on('languageChanged', apply);
}

/** The language chosen in the app's switch: shown at once and kept for the next start. */
export function chooseLanguage(
  i18n: I18n,
  storage: { setItem(key: string, value: string): void },
  language: AppLanguage,
): Promise<unknown> {
  storage.setItem(LANGUAGE_STORAGE_KEY, language);
  return i18n.changeLanguage(language);
}

/** The language chosen on this device before, if any (storage may be unavailable: private modes). */
export function storedLanguage(
  storage: { getItem(key: string): string | null } | undefined,
): string | null {
  try {
    return storage?.getItem(LANGUAGE_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}
