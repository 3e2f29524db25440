import { DeviceCall } from '@callcenter/client/media';
import type { CallSignalPush } from '@callcenter/shared';
import type { CallEvent } from '@callcenter/shared/machines';
import type { IncomingCallNotice } from '../../ipc/channels';
import { startRingtone } from '../platform/ringtone';

export type { CallMediaState } from '@callcenter/client/media';

export interface ConsoleCallOptions {
  /** Relays a signal to the customer's device (`call.signal`). */
  sendSignal: (push: CallSignalPush) => Promise<void>;
  /** Tells the session's call machine. */
  tell: (event: CallEvent) => void;
  /** The customer is calling: the platform notifies when the window is not focused. */
  notifyIncoming: (notice: IncomingCallNotice) => void;
  /** Whether the agent is looking at the console (no ringtone then: the call bar shows). */
  isFocused?: () => boolean;
  /** Starts the ringtone; returns its stop. */
  ring?: () => () => void;
}

function consoleIsFocused(): boolean {
  return document.visibilityState === 'visible' && document.hasFocus();
}

/**
 * The console's call (the client core's `DeviceCall`): a customer's call notifies through the
 * platform, and rings while the console is not focused.
 */
export class ConsoleCall extends DeviceCall {
  constructor(options: ConsoleCallOptions) {
    super({
      sendSignal: options.sendSignal,
      tell: options.tell,
      ringsFrom: 'customer',
      ringIn: (call) => {
        options.notifyIncoming({ customerName: call.from.displayName });
        if ((options.isFocused ?? consoleIsFocused)()) return null;
        return (options.ring ?? startRingtone)();
      },
    });
  }
}
