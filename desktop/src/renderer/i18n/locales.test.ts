// This test runs in Node and reads the renderer's sources; the renderer itself never does.
/* eslint-disable no-restricted-imports */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
/* eslint-enable no-restricted-imports */
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
import ar from '../../locales/ar.json';
import en from '../../locales/en.json';
import es from '../../locales/es.json';
import { translatorFor } from './i18n';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('the agent console’s locale files', () => {
  it('translate every English key into Arabic and Spanish, with each language’s plural forms', () => {
    expect(localeProblems(en, ar, 'ar')).toEqual([]);
    expect(localeProblems(en, es, 'es')).toEqual([]);
  });

  it('hold every key the app reads by name', () => {
    const english = flattenLocale(mergeLocales(CLIENT_LOCALES.en, en));
    // The renderer, the main process and what they share all read the same locale files; the
    // React pieces shared with the customer app (client/src/react) read them too.
    const sources = [
      ...sourceFiles(join(import.meta.dirname, '..', '..')),
      ...sourceFiles(join(import.meta.dirname, '..', '..', '..', '..', 'client', 'src', 'react')),
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
    expect(t.en('queue.waiting', { count: 1 })).toBe('1 customer waiting');
    expect(t.es('queue.waiting', { count: 2 })).toBe('2 clientes en espera');
    expect(t.ar('queue.waiting', { count: 1 })).toBe('عميل واحد ينتظر');
    expect(t.ar('queue.waiting', { count: 2 })).toBe('عميلان ينتظران');
    expect(t.ar('queue.waiting', { count: 3 })).toBe(`${(3).toLocaleString('ar')} عملاء ينتظرون`);
    expect(t.ar('header.repeatMinutes', { count: 2 })).toBe('تكرار كل دقيقتين');
  });
});
