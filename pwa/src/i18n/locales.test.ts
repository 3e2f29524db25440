import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CLIENT_LOCALES,
  flattenLocale,
  hasKey,
  literalKeys,
  localeProblems,
  lostCoreWords,
  mergeLocales,
} from '@callcenter/client';
import ar from './locales/ar.json';
import en from './locales/en.json';
import es from './locales/es.json';
import { translatorFor } from './i18n';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('the customer app’s locale files', () => {
  it('translate every English key into Arabic and Spanish, with each language’s plural forms', () => {
    expect(localeProblems(en, ar, 'ar')).toEqual([]);
    expect(localeProblems(en, es, 'es')).toEqual([]);
  });

  it('hold every key the app reads by name', () => {
    const english = flattenLocale(mergeLocales(CLIENT_LOCALES.en, en));
    // The app's sources, and the React pieces it shares with the console (client/src/react).
    const sources = [
      ...sourceFiles(join(import.meta.dirname, '..')),
      ...sourceFiles(join(import.meta.dirname, '..', '..', '..', 'client', 'src', 'react')),
    ];
    const missing = sources.flatMap((file) =>
      literalKeys(readFileSync(file, 'utf8'))
        .filter((key) => !hasKey(english, key))
        .map((key) => `${file}: ${key}`),
    );
    expect(missing).toEqual([]);
  });

  it('keep every word of the client core (its notices, calls, attachments)', () => {
    expect(lostCoreWords(translatorFor)).toEqual([]);
  });

  it('speak each language, with its plural forms and numbers', () => {
    const t = { en: translatorFor('en'), ar: translatorFor('ar'), es: translatorFor('es') };
    expect(t.en('composer.charactersLeft', { count: 1 })).toBe('1 character left');
    expect(t.en('composer.charactersLeft', { count: 1200 })).toBe('1,200 characters left');
    expect(t.es('composer.charactersLeft', { count: 3 })).toBe('Quedan 3 caracteres');
    expect(t.ar('composer.charactersLeft', { count: 2 })).toBe('تبقّى حرفان');
    expect(t.ar('composer.charactersLeft', { count: 5 })).toBe(
      `تبقّت ${(5).toLocaleString('ar')} أحرف`,
    );
    expect(t.ar('composer.charactersLeft', { count: 11 })).toBe(
      `تبقّى ${(11).toLocaleString('ar')} حرفًا`,
    );
    expect(t.ar('actions.requestChat')).toBe('اطلب المساعدة');
  });
});
