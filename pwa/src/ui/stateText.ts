import { isolateBidi, type CustomerState } from '@callcenter/shared';

export type BannerTone = 'neutral' | 'waiting' | 'active' | 'ended';

export interface BannerText {
  title: string;
  /** Names in it are marked with `isolateBidi`: show it with `IsolatedText`. */
  detail: string;
  tone: BannerTone;
}

/** The state banner's words for the server's last word on this customer (`null`: none yet). */
export function describeState(state: CustomerState | null): BannerText {
  if (state === null) {
    return { title: 'Connecting…', detail: 'Checking your chat with our team.', tone: 'neutral' };
  }
  switch (state.state) {
    case 'notConnected':
      return {
        title: 'Not Connected',
        detail: 'Tap Chat for Assistance to reach an agent.',
        tone: 'neutral',
      };
    case 'requestSent':
      return {
        title: 'Request Sent',
        detail:
          state.position === null
            ? 'Waiting for the next free agent. You can write while you wait.'
            : `Position in queue: ${state.position}. You can write while you wait.`,
        tone: 'waiting',
      };
    case 'inConversation':
      return {
        title: 'In Conversation',
        detail: `You are chatting with ${state.agent ? isolateBidi(state.agent.displayName) : 'an agent'}.`,
        tone: 'active',
      };
    case 'conversationEnded':
      return {
        title: 'Conversation Ended',
        detail:
          state.agent === null
            ? 'This chat has ended. Tap Chat for Assistance if you need more help.'
            : `Your chat with ${isolateBidi(state.agent.displayName)} has ended. Tap Chat for Assistance if you need more help.`,
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
