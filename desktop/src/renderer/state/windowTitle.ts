/**
 * The console window's title: the queue count first (R12: a minimised window or a browser tab
 * still shows it), then who wrote in a conversation the agent has not looked at since.
 */
export function consoleTitle(queueTotal: number, customersWithNews: readonly string[]): string {
  const base = queueTotal > 0 ? `(${queueTotal}) Agent Console` : 'Agent Console';
  if (customersWithNews.length === 0) return base;
  const [first, ...others] = customersWithNews;
  const more = others.length > 0 ? ` +${others.length}` : '';
  return `${base} · New from ${first ?? ''}${more}`;
}
