import { isolateBidi, type ChatMessage } from '@callcenter/shared';

/** Who reads a notice: the customer's app says "you", the agent's console names people. */
export type NoticeReader = 'customer' | 'agent';

const clock = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });

/**
 * A server notice in the history (a transfer, the idle warning, an automatic close) in words for
 * `reader`; null for a message that is not a notice. Names are bidi-isolated.
 */
export function noticeText(message: ChatMessage, reader: NoticeReader): string | null {
  const { notice } = message;
  if (notice === undefined) return null;
  switch (notice.kind) {
    case 'transferred': {
      const from = isolateBidi(notice.from.displayName);
      if (notice.to === null) {
        return reader === 'customer'
          ? 'Your chat is back in the queue: the next agent will continue it.'
          : `${from} put the chat back in the queue`;
      }
      const to = isolateBidi(notice.to.displayName);
      return reader === 'customer'
        ? `You are now talking to ${to}`
        : `${from} transferred the chat to ${to}`;
    }
    case 'idleWarning': {
      const at = clock.format(new Date(notice.closesAt));
      return reader === 'customer'
        ? `This chat will close at ${at} unless you reply`
        : `The chat will close at ${at} unless someone writes`;
    }
    case 'closed':
      if (notice.reason === 'idle') return 'The chat was closed after a time without messages';
      if (notice.reason === 'supervisor') return 'A supervisor closed the chat';
      return reader === 'customer'
        ? 'Your request was closed because you were offline for too long'
        : 'The request was closed: the customer was offline too long';
  }
}
