// Checks a set of locale files against English, for each app's unit test: every English key
// is translated, no translation has a key English lacks, each plural has exactly the forms its
// language uses (Arabic six, Spanish three, English two), and each translation keeps English's
// `{{values}}` and `<tags>`.

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

/** A locale file: words by key, nested. */
export type LocaleTree = { [key: string]: string | LocaleTree };

/** `{ a: { b: 'x' } }` → `{ 'a.b': 'x' }`. */
export function flattenLocale(tree: LocaleTree, prefix = ''): Map<string, string> {
  const keys = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') keys.set(prefix + key, value);
    else for (const [k, v] of flattenLocale(value, `${prefix}${key}.`)) keys.set(k, v);
  }
  return keys;
}

/**
 * An app's words over the client core's: namespaces both have (`attachment`, say) are merged key
 * by key, so an app adding a key to one never hides the core's others; the app wins a key both
 * have.
 */
export function mergeLocales(base: LocaleTree, over: LocaleTree): LocaleTree {
  const merged: LocaleTree = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const under = merged[key];
    merged[key] =
      typeof value !== 'string' && under !== undefined && typeof under !== 'string'
        ? mergeLocales(under, value)
        : value;
  }
  return merged;
}

function placeholders(text: string): string[] {
  const values = [...text.matchAll(/\{\{\s*([\w.]+)/g)].map((match) => `{{${match[1] ?? ''}}}`);
  const tags = [...text.matchAll(/<\/?(\w+)>/g)].map((match) => match[0]);
  return [...values, ...tags].sort();
}

/** What is wrong with `translation` (in `language`) against `english`; empty when nothing. */
export function localeProblems(
  english: LocaleTree,
  translation: LocaleTree,
  language: string,
): string[] {
  const problems: string[] = [];
  const en = flattenLocale(english);
  const other = flattenLocale(translation);
  const forms = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
  const expected = new Map<string, string>();
  for (const [key, text] of en) {
    const plural = PLURAL_SUFFIX.exec(key);
    if (plural === null) {
      expected.set(key, text);
      continue;
    }
    const base = key.slice(0, plural.index);
    // Each of the language's forms is checked against English's "other" (or "one").
    for (const form of forms) {
      const englishForm = en.get(`${base}_other`) ?? text;
      if (!expected.has(`${base}_${form}`)) expected.set(`${base}_${form}`, englishForm);
    }
  }
  for (const [key, englishText] of expected) {
    const text = other.get(key);
    if (text === undefined) {
      problems.push(`${language}: missing ${key}`);
      continue;
    }
    const wanted = placeholders(englishText).filter((p) => p !== '{{count}}');
    const got = placeholders(text).filter((p) => p !== '{{count}}');
    // A plural form may say its number in words ("دقيقتين"), so {{count}} may go.
    if (wanted.join() !== got.join()) {
      problems.push(
        `${language}: ${key} has ${got.join(' ') || 'none'}, English ${wanted.join(' ')}`,
      );
    }
  }
  for (const key of other.keys()) {
    if (!expected.has(key)) problems.push(`${language}: ${key} is not an English key`);
  }
  return problems;
}

/**
 * The keys a source file reads with a literal `t('…')` or `i18nKey="…"` (keys built at run time,
 * such as `` t(`tiers.${tier}`) ``, are not seen).
 */
export function literalKeys(source: string): string[] {
  const calls = [...source.matchAll(/\bt\(\s*'([\w.]+)'/g)].map((match) => match[1] ?? '');
  const trans = [...source.matchAll(/i18nKey="([\w.]+)"/g)].map((match) => match[1] ?? '');
  return [...calls, ...trans];
}

/** Whether `key` (maybe a plural base) is in the flattened English locale. */
export function hasKey(english: Map<string, string>, key: string): boolean {
  return english.has(key) || english.has(`${key}_other`);
}
