import { isolateBidi, type CustomerState } from '@callcenter/shared';
import { waitEstimateText, type Translate } from '@callcenter/client';

export type BannerTone = 'neutral' | 'waiting' | 'active' | 'ended';

export interface BannerText {
  title: string;
  /** Names in it are marked with `isolateBidi`: show it with `IsolatedText`. */
  detail: string;
  /** While queued: the estimated wait in words, when there is one. */
  estimate: string | null;
  tone: BannerTone;
}

/** The state banner's words for the server's last word on this customer (`null`: none yet). */
export function describeState(state: CustomerState | null, t: Translate): BannerText {
  if (state === null) {
    return {
      title: t('state.connecting'),
      detail: t('state.connectingDetail'),
      estimate: null,
      tone: 'neutral',
    };
  }
  switch (state.state) {
    case 'notConnected':
      return {
        title: t('state.notConnected'),
        detail: t('state.notConnectedDetail'),
        estimate: null,
        tone: 'neutral',
      };
    case 'requestSent':
      return {
        title: t('state.requestSent'),
        detail:
          state.position === null
            ? t('state.requestSentDetail')
            : t('state.requestSentPosition', { position: state.position }),
        estimate: waitEstimateText(state.estimatedWait, t),
        tone: 'waiting',
      };
    case 'inConversation':
      return {
        title: t('state.inConversation'),
        detail: t('state.inConversationDetail', {
          name: state.agent ? isolateBidi(state.agent.displayName) : t('common.anAgent'),
        }),
        estimate: null,
        tone: 'active',
      };
    case 'conversationEnded':
      return {
        title: t('state.conversationEnded'),
        detail:
          state.agent === null
            ? t('state.endedDetail')
            : t('state.endedWithDetail', { name: isolateBidi(state.agent.displayName) }),
        estimate: null,
        tone: 'ended',
      };
  }
}

/** Which buttons act in this state; every one needs the server, so none while offline. */
export function availableActions(
  state: CustomerState | null,
  online: boolean,
): { requestChat: boolean; endChat: boolean; exit: boolean; write: boolean } {
  const name = state?.state;
  const canWrite = name === 'requestSent' || name === 'inConversation';
  return {
    requestChat: online && (name === 'notConnected' || name === 'conversationEnded'),
    endChat: online && canWrite,
    exit: online && state !== null,
    // Writing works offline too: the outbox keeps what is written until the server is back.
    write: canWrite,
  };
}
