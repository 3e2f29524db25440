import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { IpcArgs, IpcChannel, IpcResult } from '../ipc/channels';
import { APP_ORIGIN, SETTINGS_PAGE_URL, isAppUrl } from './appProtocol';

/** Which of the app's pages a frame shows: the console (from the server) or the settings page. */
export type PageKind = 'console' | 'settings';

/**
 * Classifies a frame URL. The console is whatever the configured server serves under
 * `/agent/`; the settings page is the app's own, on the app scheme. Anything else is foreign.
 */
export function classifyPage(frameUrl: string, serverOrigin: string | null): PageKind | null {
  let url: URL;
  try {
    url = new URL(frameUrl);
  } catch {
    return null;
  }
  if (isAppUrl(url)) {
    return `${APP_ORIGIN}${url.pathname}` === SETTINGS_PAGE_URL ? 'settings' : null;
  }
  if (serverOrigin !== null && url.origin === serverOrigin && url.pathname.startsWith('/agent/')) {
    return 'console';
  }
  return null;
}

/** Turns the renderer's untrusted arguments into the channel's, or null when they do not fit. */
export type ArgsParser<C extends IpcChannel> = (args: unknown[]) => IpcArgs<C> | null;

export interface IpcRoute<C extends IpcChannel> {
  /** Pages allowed to use this channel. */
  from: readonly PageKind[];
  parse: ArgsParser<C>;
  run: (...args: IpcArgs<C>) => IpcResult<C> | Promise<IpcResult<C>>;
}

/** Error an invoke rejects with when the sender or the arguments are refused. */
export class IpcRefused extends Error {
  override readonly name = 'IpcRefused';
}

/**
 * Registers typed IPC handlers that check, on every call, who is asking (`identify` maps the
 * event's sender frame to a page of this app, or null) and what they send, before running.
 */
export class IpcRouter {
  private readonly channels: IpcChannel[] = [];

  constructor(
    private readonly ipcMain: IpcMain,
    private readonly identify: (event: IpcMainInvokeEvent) => PageKind | null,
  ) {}

  handle<C extends IpcChannel>(channel: C, route: IpcRoute<C>): void {
    this.channels.push(channel);
    this.ipcMain.handle(channel, async (event, ...args: unknown[]) => {
      const page = this.identify(event);
      if (page === null || !route.from.includes(page)) {
        const url = event.senderFrame?.url ?? 'an unknown frame';
        console.warn(`refused IPC ${channel} from ${url}`);
        throw new IpcRefused(`${channel} is not available to ${url}`);
      }
      const parsed = route.parse(args);
      if (parsed === null) throw new IpcRefused(`${channel}: invalid arguments`);
      return route.run(...parsed);
    });
  }

  /** Removes every handler this router registered. */
  dispose(): void {
    for (const channel of this.channels.splice(0)) this.ipcMain.removeHandler(channel);
  }
}
