// The languages the product speaks (both apps, and the server's Web Push titles), and what a
// language tag means for them. Pure facts: the client core builds its i18next instances on them.

/** English first: it is the fallback for a key a translation lacks. */
export const SUPPORTED_LANGUAGES = ['en', 'ar', 'es'] as const;
export type AppLanguage = (typeof SUPPORTED_LANGUAGES)[number];

const RIGHT_TO_LEFT: ReadonlySet<string> = new Set(['ar']);

export function isAppLanguage(tag: string): tag is AppLanguage {
  return (SUPPORTED_LANGUAGES as readonly string[]).includes(tag);
}

/** The app language for a BCP 47 tag (`ar-EG` → `ar`), or null when the apps do not speak it. */
export function appLanguageOf(tag: string): AppLanguage | null {
  const base = tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return isAppLanguage(base) ? base : null;
}

export function textDirection(language: string): 'rtl' | 'ltr' {
  return RIGHT_TO_LEFT.has(appLanguageOf(language) ?? language) ? 'rtl' : 'ltr';
}
