// Wording of the incoming-call notification, in the console's language. Pure, so both the main
// process (native notifications) and the renderer in a plain browser (Notification API) use it.
import type { Translate } from '@callcenter/client/language';
import { isolateBidi } from '@callcenter/shared';

/** The notification for a customer calling the agent while the console is not focused. */
export function incomingCallNotice(
  t: Translate,
  customerName: string,
): { title: string; body: string } {
  return {
    title: t('attention.isCalling', { name: isolateBidi(customerName) }),
    body: t('attention.callBody'),
  };
}
