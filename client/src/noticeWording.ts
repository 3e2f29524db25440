import { isolateBidi, type ChatMessage } from '@callcenter/shared';
import type { Translate } from './language';

/** Who reads a notice: the customer's app says "you", the agent's console names people. */
export type NoticeReader = 'customer' | 'agent';

/** The idle warning's closing time: a clock time in the reader's language. */
const CLOCK = { hour: 'numeric', minute: '2-digit' } as const;

/**
 * A server notice in the history (a transfer, the idle warning, an automatic close) in words for
 * `reader`; null for a message that is not a notice. Names are bidi-isolated.
 */
export function noticeText(
  message: ChatMessage,
  reader: NoticeReader,
  t: Translate,
): string | null {
  const { notice } = message;
  if (notice === undefined) return null;
  switch (notice.kind) {
    case 'transferred': {
      const from = isolateBidi(notice.from.displayName);
      if (notice.to === null) {
        return reader === 'customer'
          ? t('notice.backInQueueCustomer')
          : t('notice.backInQueueAgent', { from });
      }
      const to = isolateBidi(notice.to.displayName);
      return reader === 'customer'
        ? t('notice.transferredCustomer', { to })
        : t('notice.transferredAgent', { from, to });
    }
    case 'idleWarning': {
      const values = { at: new Date(notice.closesAt), formatParams: { at: CLOCK } };
      return reader === 'customer'
        ? t('notice.idleWarningCustomer', values)
        : t('notice.idleWarningAgent', values);
    }
    case 'closed':
      if (notice.reason === 'idle') return t('notice.closedIdle');
      if (notice.reason === 'supervisor') return t('notice.closedSupervisor');
      return reader === 'customer'
        ? t('notice.closedOfflineCustomer')
        : t('notice.closedOfflineAgent');
  }
}
