// The installed app's name speaks the customer's language: vite.config.ts builds one web app
// manifest per language from the locale files, and the page's <link rel="manifest"> names the
// one of the app's current language (browsers read the manifest again when the link changes).
import type { i18n as I18n } from 'i18next';
import type { ManifestOptions } from 'vite-plugin-pwa';
// The shared facts alone: vite.config.ts loads this file, and needs no client core for it.
import {
  isAppLanguage,
  SUPPORTED_LANGUAGES,
  textDirection,
  type AppLanguage,
} from '@callcenter/shared/languages';
import { BACKGROUND_COLOUR, THEME_COLOUR } from '../theme';
import ar from './locales/ar.json';
import en from './locales/en.json';
import es from './locales/es.json';

const APP_NAMES: Record<AppLanguage, (typeof en)['app']> = { en: en.app, ar: ar.app, es: es.app };

/** Where the manifest in `language` is served; English keeps the name installs already know. */
export function manifestPath(language: AppLanguage): string {
  return language === 'en' ? '/manifest.webmanifest' : `/manifest.${language}.webmanifest`;
}

/** The web app manifest in `language`: the same app (id, start, icons), in its words. */
export function webManifest(language: AppLanguage): Partial<ManifestOptions> {
  const { title, shortName, description } = APP_NAMES[language];
  return {
    id: '/',
    name: title,
    short_name: shortName,
    description,
    lang: language,
    dir: textDirection(language),
    start_url: '/',
    scope: '/',
    display: 'standalone',
    orientation: 'any',
    theme_color: THEME_COLOUR,
    background_color: BACKGROUND_COLOUR,
    categories: ['business', 'productivity'],
    icons: [
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
  };
}

/** The languages whose manifests are built besides English (the PWA plugin writes that one). */
export const TRANSLATED_MANIFEST_LANGUAGES = SUPPORTED_LANGUAGES.filter(
  (language) => language !== 'en',
);

/** Keeps the page's <link rel="manifest"> on the app's language, now and on every switch. */
export function followManifestLanguage(i18n: I18n, head: ParentNode): void {
  const apply = (language: string): void => {
    head
      .querySelector('link[rel="manifest"]')
      ?.setAttribute('href', manifestPath(isAppLanguage(language) ? language : 'en'));
  };
  apply(i18n.language);
  i18n.on('languageChanged', apply);
}
