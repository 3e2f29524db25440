import { describe, expect, it } from 'vitest';
import { localeProblems, mergeLocales } from './localeCheck';
import {
  CLIENT_LOCALES,
  appLanguageOf,
  chooseLanguage,
  createI18n,
  followLanguage,
  lostCoreWords,
  pickLanguage,
  storedLanguage,
  textDirection,
} from './language';

describe('the language on this device', () => {
  it('is the one chosen in the app, else the first of the device’s the apps speak, else English', () => {
    expect(pickLanguage(null, ['ar-EG', 'en-US'])).toBe('ar');
    expect(pickLanguage(null, ['fr-FR', 'es-MX', 'en'])).toBe('es');
    expect(pickLanguage(null, ['fr-FR', 'de'])).toBe('en');
    expect(pickLanguage(null, [])).toBe('en');
    expect(pickLanguage('es', ['ar'])).toBe('es');
    // Something else kept under the key (an old version, a hand edit) is not a choice.
    expect(pickLanguage('klingon', ['ar'])).toBe('ar');
    expect(appLanguageOf('ES_es')).toBe('es');
  });

  it('sets <html lang dir> now and on every switch, and keeps the choice', async () => {
    const i18n = createI18n({ en: {}, ar: {}, es: {} }, 'en');
    const root = { lang: '', dir: '' };
    followLanguage(i18n, root);
    expect(root).toEqual({ lang: 'en', dir: 'ltr' });
    const kept = new Map<string, string>();
    const storage = {
      setItem: (key: string, value: string) => kept.set(key, value),
      getItem: (key: string) => kept.get(key) ?? null,
    };
    await chooseLanguage(i18n, storage, 'ar');
    expect(root).toEqual({ lang: 'ar', dir: 'rtl' });
    expect(storedLanguage(storage)).toBe('ar');
    expect(i18n.t('callEvent.answered')).toBe('تم الرد على المكالمة');
    expect(textDirection('es')).toBe('ltr');
    expect(
      storedLanguage({
        getItem: () => {
          throw new Error('storage is off');
        },
      }),
    ).toBeNull();
  });

  it('has the client core’s words in every language, with each language’s plural forms', () => {
    expect(localeProblems(CLIENT_LOCALES.en, CLIENT_LOCALES.ar, 'ar')).toEqual([]);
    expect(localeProblems(CLIENT_LOCALES.en, CLIENT_LOCALES.es, 'es')).toEqual([]);
  });
});

function namespaceOfCore(): string {
  return Object.entries(CLIENT_LOCALES.en).find(([, value]) => typeof value !== 'string')![0];
}

describe('an app’s words over the client core’s', () => {
  it('merges a namespace both have key by key, the app winning a key both have', () => {
    expect(
      mergeLocales(
        { notice: { idle: 'core idle', closed: 'core closed' }, call: 'core call' },
        { notice: { closed: 'app closed', tray: 'app tray' }, app: 'app' },
      ),
    ).toEqual({
      notice: { idle: 'core idle', closed: 'app closed', tray: 'app tray' },
      call: 'core call',
      app: 'app',
    });
  });

  it('keeps the core’s key in an i18next instance whose app has the same namespace', () => {
    const empty = { en: {}, ar: {}, es: {} };
    const core = createI18n(empty, 'en');
    const [namespace, first] = Object.entries(CLIENT_LOCALES.en).find(
      ([, value]) => typeof value !== 'string',
    )!;
    const key = `${namespace}.${Object.keys(first as object)[0]!}`;
    const app = createI18n({ en: { [namespace]: { appOnly: 'x' } }, ar: {}, es: {} }, 'en');
    expect(app.t(key)).toBe(core.t(key));
    expect(app.t(key)).not.toBe(key);
  });

  it('names the core’s words an app’s files would hide', () => {
    const hiding = { [namespaceOfCore()]: 'a string where the core has a namespace' };
    const translatorFor = (language: 'en' | 'ar' | 'es') => {
      const instance = createI18n({ en: hiding, ar: hiding, es: hiding }, language);
      return (key: string) => instance.t(key);
    };
    expect(lostCoreWords(translatorFor).length).toBeGreaterThan(0);
    const none = (language: 'en' | 'ar' | 'es') => {
      const instance = createI18n({ en: {}, ar: {}, es: {} }, language);
      return (key: string) => instance.t(key);
    };
    expect(lostCoreWords(none)).toEqual([]);
  });
});
