import type { Translate } from '@callcenter/client';

/**
 * The console window's title: the queue count first (R12: a minimised window or a browser tab
 * still shows it), then who wrote in a conversation the agent has not looked at since.
 */
export function consoleTitle(
  queueTotal: number,
  customersWithNews: readonly string[],
  t: Translate,
): string {
  const base = queueTotal > 0 ? t('app.titleWithQueue', { count: queueTotal }) : t('app.title');
  if (customersWithNews.length === 0) return base;
  const [first, ...others] = customersWithNews;
  const name = first ?? '';
  return others.length > 0
    ? t('app.newFromMore', { base, name, more: others.length })
    : t('app.newFrom', { base, name });
}
