/** A duration in seconds as "42 s", "3 min 05 s" or "1 h 02 min". */
export function formatDuration(totalSeconds: number | null): string {
  if (totalSeconds === null || !Number.isFinite(totalSeconds)) return '—';
  const seconds = Math.max(0, Math.round(totalSeconds));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** Seconds from an ISO time to `now` (ms); null without a time. */
export function secondsSince(iso: string | null, now: number): number | null {
  if (iso === null) return null;
  return Math.max(0, (now - Date.parse(iso)) / 1000);
}

/** A share as "87 %", or "—" when nothing was counted. */
export function formatPercent(part: number, whole: number): string {
  if (whole === 0) return '—';
  return `${Math.round((part / whole) * 100)} %`;
}

/** A rating mean as "4.3 of 5 (12)", or "No ratings". */
export function formatRating(summary: { count: number; average: number | null }): string {
  if (summary.count === 0 || summary.average === null) return 'No ratings';
  return `${summary.average.toFixed(1)} of 5 (${summary.count})`;
}

export const TIER_LABEL = { standard: 'Standard', gold: 'Gold', platinum: 'Platinum' } as const;

/** The file name a Content-Disposition header gives: its UTF-8 `filename*`, else `filename`. */
export function dispositionName(header: string | null): string | null {
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(header ?? '')?.[1];
  if (encoded !== undefined) {
    try {
      return decodeURIComponent(encoded);
    } catch {
      // A malformed encoding: the plain name below.
    }
  }
  return /filename="([^"]+)"/.exec(header ?? '')?.[1] ?? null;
}
