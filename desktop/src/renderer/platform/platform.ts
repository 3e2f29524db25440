import type { AppLanguage } from '@callcenter/client';
import type {
  CustomerMessageNotice,
  DesktopBridge,
  IncomingCallNotice,
  QueueUpdate,
} from '../../ipc/channels';

declare global {
  interface Window {
    /** Present only inside the desktop app (see preload). */
    readonly desktop?: DesktopBridge;
  }
}

/**
 * What the console needs from where it runs: the desktop app (through `window.desktop`) or a
 * plain browser (web APIs). Declared once, implemented per platform.
 */
export interface ConsolePlatform {
  readonly kind: 'desktop' | 'browser';
  /** The server's origin: the console is always served by the server it talks to. */
  readonly serverUrl: string;
  loadSoundPreference: () => Promise<boolean>;
  saveSoundPreference: (enabled: boolean) => void;
  /** The agent's own period for the repeating queue sound (0: none); null: none chosen. */
  loadAlertRepeat: () => Promise<number | null>;
  saveAlertRepeat: (seconds: number) => void;
  /** The language the console shows, for what the desktop app itself says (tray, menus). */
  reportLanguage: (language: AppLanguage) => void;
  /** R12: the queue count and new arrivals, for tray, badge and notifications. */
  reportQueue: (update: QueueUpdate) => void;
  /** The customer in the conversation wrote: a notification if the window is not focused. */
  notifyCustomerMessage: (notice: CustomerMessageNotice) => void;
  /** The customer is calling: a notification if the window is not focused. */
  notifyIncomingCall: (notice: IncomingCallNotice) => void;
  /** Called on a user gesture (sign-in), when a browser may ask to show notifications. */
  prepareNotifications: () => void;
  /** Desktop only: leave for the app's server settings. */
  openServerSettings: (() => void) | null;
}
