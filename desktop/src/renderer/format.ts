import { currentLocale } from './i18n/i18n';

/** A waiting time as a clock: `0:07`, `12:30`, `1:02:03`. Never negative (clock skew). */
export function formatWaiting(sinceIso: string, now: number): string {
  const totalSeconds = Math.max(0, Math.floor((now - Date.parse(sinceIso)) / 1_000));
  const hours = Math.floor(totalSeconds / 3_600);
  const minutes = Math.floor((totalSeconds % 3_600) / 60);
  const seconds = totalSeconds % 60;
  const pad = (value: number): string => String(value).padStart(2, '0');
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${minutes}:${pad(seconds)}`;
}

/** Time of a message in the console's language: `14:05` today, `3 Mar, 14:05` before. */
export function formatMessageTime(iso: string, now: number, locale = currentLocale()): string {
  const date = new Date(iso);
  const time = { hour: '2-digit', minute: '2-digit' } as const;
  if (new Date(now).toDateString() === date.toDateString()) {
    return date.toLocaleTimeString(locale, time);
  }
  return date.toLocaleString(locale, { day: 'numeric', month: 'short', ...time });
}

/** A calendar date in the console's language: `1 Mar 2024`, `1 mar 2024`, `١ مارس ٢٠٢٤`. */
export function formatDate(iso: string, locale = currentLocale()): string {
  return new Date(iso).toLocaleDateString(locale, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });
}

/**
 * A language tag by name, in the console's language: `ar` → "Arabic" (English), "árabe"
 * (Spanish); the tag itself when the runtime does not know it.
 */
export function languageName(tag: string, locale = currentLocale()): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
