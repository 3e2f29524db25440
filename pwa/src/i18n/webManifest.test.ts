import { describe, expect, it } from 'vitest';
import { SUPPORTED_LANGUAGES } from '@callcenter/client';
import { manifestPath, TRANSLATED_MANIFEST_LANGUAGES, webManifest } from './webManifest';

describe('the web app manifest in each language', () => {
  it('is the same app (id, start, icons, colours) with its name in that language', () => {
    const english = webManifest('en');
    const wordsOf = (manifest: typeof english) => ({
      name: manifest.name,
      short_name: manifest.short_name,
      description: manifest.description,
      lang: manifest.lang,
      dir: manifest.dir,
    });
    for (const language of SUPPORTED_LANGUAGES) {
      const manifest = webManifest(language);
      // Everything but the words and their direction is the English manifest's.
      expect({ ...manifest, ...wordsOf(english) }, language).toEqual(english);
      expect(manifest.lang).toBe(language);
      expect(manifest.dir).toBe(language === 'ar' ? 'rtl' : 'ltr');
      if (language !== 'en') {
        expect(manifest.name).not.toBe(english.name);
        expect(manifest.short_name).not.toBe(english.short_name);
        expect(manifest.description).not.toBe(english.description);
      }
    }
    expect(english).toMatchObject({ name: 'Customer Support Chat', id: '/', start_url: '/' });
  });

  it('is served at one path per language, English at the usual one', () => {
    expect(manifestPath('en')).toBe('/manifest.webmanifest');
    expect(TRANSLATED_MANIFEST_LANGUAGES.map(manifestPath)).toEqual([
      '/manifest.ar.webmanifest',
      '/manifest.es.webmanifest',
    ]);
  });
});
