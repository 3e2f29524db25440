// The one map of IPC channels between the renderer (through the preload bridge) and the main
// process. Types only: main and preload name channels by these keys, so a misspelt channel or a
// wrong argument does not compile. Every channel is an invoke (renderer asks, main answers).
import type { AppLanguage } from '@callcenter/client/language';
import type { Tier } from '@callcenter/shared';

/** What the app keeps in the user-data folder (`settings.json`). */
export interface DesktopSettings {
  /** Origin of the call-center server, e.g. `https://chat.example.com`; null until set. */
  serverUrl: string | null;
  /** Play a chime when a customer joins the queue. */
  soundEnabled: boolean;
  /**
   * The agent's own period for the repeating queue sound, seconds (0: no repeat); absent: the
   * server's (`alerts.repeatSeconds`).
   */
  alertRepeatSeconds?: number;
  /**
   * The language the console last showed (chosen there, or the device's): the tray, menus and
   * notifications speak it, and the settings page follows it. Absent: the system's.
   */
  language?: AppLanguage;
}

/** What the settings page saves. */
export interface SettingsChange extends DesktopSettings {
  /**
   * The agent confirmed the warning that a plain `http://` address to another computer is not
   * encrypted; without it such an address is refused. Not stored.
   */
  allowUnencrypted?: boolean;
}

/** A customer who joined the queue since the renderer's previous snapshot. */
export interface QueueArrival {
  requestId: string;
  displayName: string;
  tier: Tier;
}

/** The renderer's view of the queue, for the tray, the badge and notifications (R12). */
export interface QueueUpdate {
  /** Customers waiting; null when unknown (signed out). */
  total: number | null;
  /** Newly queued customers; empty for the first snapshot after sign-in. */
  arrivals: QueueArrival[];
  /** Of those waiting, how many waited longer than their tier's threshold (absent: none). */
  waitingLong?: number;
}

/** A message from the customer the agent is talking to, for a notification when unfocused. */
export interface CustomerMessageNotice {
  customerName: string;
  text: string;
  /** The customer's tier, named in the notification (absent: not known). */
  tier?: Tier;
}

/** A customer calling the agent, for a notification when unfocused. */
export interface IncomingCallNotice {
  customerName: string;
}

/** Answer of a settings change or a server check; `message` says what is wrong. */
export type SettingsResult = { ok: true } | { ok: false; message: string };

/** Channel name -> the signature main implements and the renderer calls. */
export interface IpcChannels {
  /** Both pages: the stored settings. */
  'settings/get': () => DesktopSettings;
  /** Settings page only: validate, store, then show the console of the new server. */
  'settings/save': (settings: SettingsChange) => SettingsResult;
  /** Settings page only: does this URL answer like a call-center server? */
  'settings/checkServer': (serverUrl: string) => SettingsResult;
  /** Settings page only: back to the console without changes. */
  'settings/leave': () => void;
  /** Console only: show the settings page. */
  'settings/open': () => void;
  /** Console only: turn the arrival chime on or off. */
  'preferences/setSound': (enabled: boolean) => void;
  /** Console only: the agent's period for the repeating queue sound (0: none). */
  'preferences/setAlertRepeat': (seconds: number) => void;
  /** Console only: the language the console shows, now and after every switch. */
  'preferences/setLanguage': (language: AppLanguage) => void;
  /** Console only: the queue changed; update tray, badge, and notify when unfocused. */
  'queue/update': (update: QueueUpdate) => void;
  /** Console only: the current customer wrote; notify when unfocused. */
  'chat/customerMessage': (notice: CustomerMessageNotice) => void;
  /** Console only: the customer is calling; notify when unfocused. */
  'call/incoming': (notice: IncomingCallNotice) => void;
}

export type IpcChannel = keyof IpcChannels;
export type IpcArgs<C extends IpcChannel> = Parameters<IpcChannels[C]>;
export type IpcResult<C extends IpcChannel> = ReturnType<IpcChannels[C]>;

/**
 * `window.desktop`: the one object the preload exposes. Absent in a plain browser, where the
 * renderer falls back to web APIs.
 */
export interface DesktopBridge {
  /** `process.platform` of the desktop app, e.g. `linux`. */
  readonly platform: string;
  getSettings: () => Promise<DesktopSettings>;
  saveSettings: (settings: SettingsChange) => Promise<SettingsResult>;
  checkServer: (serverUrl: string) => Promise<SettingsResult>;
  leaveSettings: () => Promise<void>;
  openSettings: () => Promise<void>;
  setSoundEnabled: (enabled: boolean) => Promise<void>;
  setAlertRepeat: (seconds: number) => Promise<void>;
  reportLanguage: (language: AppLanguage) => Promise<void>;
  reportQueue: (update: QueueUpdate) => Promise<void>;
  notifyCustomerMessage: (notice: CustomerMessageNotice) => Promise<void>;
  notifyIncomingCall: (notice: IncomingCallNotice) => Promise<void>;
}
