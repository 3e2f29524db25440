import { join } from 'node:path';
import { BrowserWindow, Menu, app, ipcMain, net, protocol, session, shell } from 'electron';
import type { IpcMainInvokeEvent, MenuItemConstructorOptions } from 'electron';
import { pickLanguage, type Translate } from '@callcenter/client/language';
import { incomingCallNotice } from '../common/callNotice';
import { messageNoticeTitle } from '../common/queueNotice';
import { isUnencryptedRemote } from '../common/serverAddress';
import type { DesktopSettings, SettingsResult } from '../ipc/channels';
import { SETTINGS_PAGE_URL, registerAppScheme, serveAppScheme } from './appProtocol';
import { AttentionNotifications } from './attentionNotifications';
import { CONTENT_SECURITY_POLICY_HEADER } from './contentSecurityPolicy';
import {
  parseBoolean,
  parseCustomerMessage,
  parseIncomingCall,
  parseLanguage,
  parseNoArgs,
  parseQueueUpdate,
  parseRepeatSeconds,
  parseSettings,
  parseUrlText,
} from './ipcArguments';
import { IpcRouter, classifyPage } from './ipcRouter';
import { MainLanguage } from './mainLanguage';
import type { PageKind } from './ipcRouter';
import { QueueIndicators } from './queueIndicators';
import { guardWebContents, restrictPermissions, secureWebPreferences } from './secureWindow';
import { SettingsStore, parseServerUrl, type Wording } from './settingsStore';

export const PRODUCT_NAME = 'Call Center Agent Console';
export const APP_ID = 'com.callcenter.agentconsole';
const SERVER_CHECK_TIMEOUT_MS = 5_000;
// Chromium's net error for a navigation that was replaced by another one: not a failure.
const ERR_ABORTED = -3;

export interface DesktopAppOptions {
  /** The build output: `preload/preload.cjs` and `renderer/` (the settings page). */
  distDir: string;
  /** Tray and badge images. */
  assetsDir: string;
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * A server given on the command line (`--server-url=...`) or in `CALLCENTER_SERVER_URL`
 * overrides the stored one for this run, without being stored.
 */
export function serverUrlOverride(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): string | null {
  const flag = argv.find((arg) => arg.startsWith('--server-url='));
  const value = flag?.slice('--server-url='.length) ?? env.CALLCENTER_SERVER_URL;
  if (value === undefined || value === '') return null;
  const parsed = parseServerUrl(value);
  if (!parsed.ok) {
    console.warn(`ignoring server URL ${value}: ${parsed.problem.key}`);
    return null;
  }
  return parsed.origin;
}

/** Asks the server for its health and for the console page, from the main process. */
async function checkServer(
  origin: string,
): Promise<{ ok: true } | { ok: false; problem: Wording }> {
  try {
    const health = await net.fetch(`${origin}/healthz`, {
      signal: AbortSignal.timeout(SERVER_CHECK_TIMEOUT_MS),
    });
    if (!health.ok) {
      return {
        ok: false,
        problem: { key: 'server.healthFailed', values: { origin, status: health.status } },
      };
    }
    const consolePage = await net.fetch(`${origin}/agent/`, {
      signal: AbortSignal.timeout(SERVER_CHECK_TIMEOUT_MS),
    });
    if (!consolePage.ok)
      return { ok: false, problem: { key: 'server.noConsole', values: { origin } } };
    return { ok: true };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, problem: { key: 'server.unreachable', values: { origin, reason } } };
  }
}

/**
 * The desktop app: one console window showing the server's agent console (or the app's own
 * settings page), the tray, the badge and the notifications. Every window is created with the
 * secure preferences, every WebContents is guarded, and every IPC call is checked for its sender.
 */
export class DesktopApp {
  window: BrowserWindow | null = null;
  indicators: QueueIndicators | null = null;
  readonly notifications: AttentionNotifications;
  readonly settings: SettingsStore;
  /** The language of the tray, menus and notifications: the console's (see `MainLanguage`). */
  readonly language = new MainLanguage('en');
  private serverOrigin: string | null = null;
  private readonly ipc: IpcRouter;

  constructor(private readonly options: DesktopAppOptions) {
    this.settings = SettingsStore.inFolder(app.getPath('userData'));
    this.notifications = new AttentionNotifications(
      () => this.window,
      () => {
        this.showWindow();
      },
    );
    this.ipc = new IpcRouter(ipcMain, (event) => this.identifySender(event));
  }

  get server(): string | null {
    return this.serverOrigin;
  }

  get consoleUrl(): string | null {
    return this.serverOrigin === null ? null : `${this.serverOrigin}/agent/`;
  }

  /** The server's supervisor console (it opens in the user's browser, not in this app). */
  get supervisorConsoleUrl(): string | null {
    return this.serverOrigin === null ? null : `${this.serverOrigin}/supervisor/`;
  }

  /** Whether a page of this app may be at `url` (the console of the server, or settings). */
  isAllowedUrl(url: string): boolean {
    return classifyPage(url, this.serverOrigin) !== null;
  }

  async start(): Promise<void> {
    const stored = await this.settings.load();
    this.serverOrigin = serverUrlOverride(this.options.argv, this.options.env) ?? stored.serverUrl;
    this.language.use(stored.language ?? pickLanguage(null, app.getPreferredSystemLanguages()));
    this.language.onChange(() => {
      Menu.setApplicationMenu(Menu.buildFromTemplate(this.menuTemplate()));
    });
    if (process.platform === 'win32') app.setAppUserModelId(APP_ID);

    const defaultSession = session.defaultSession;
    restrictPermissions(
      defaultSession,
      (url) => classifyPage(url, this.serverOrigin) === 'console',
    );
    // The console comes from the server, which sends no CSP of its own for it: add the strict one.
    defaultSession.webRequest.onHeadersReceived((details, callback) => {
      if (classifyPage(details.url, this.serverOrigin) !== 'console') {
        callback({});
        return;
      }
      const headers = { ...details.responseHeaders };
      for (const name of Object.keys(headers)) {
        if (name.toLowerCase() === 'content-security-policy') Reflect.deleteProperty(headers, name);
      }
      headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY_HEADER];
      callback({ responseHeaders: headers });
    });
    serveAppScheme(protocol, join(this.options.distDir, 'renderer'));
    Menu.setApplicationMenu(Menu.buildFromTemplate(this.menuTemplate()));

    this.createWindow();
    this.indicators = new QueueIndicators({
      assetsDir: this.options.assetsDir,
      language: this.language,
      notifications: this.notifications,
      window: () => this.window,
      showWindow: () => {
        this.showWindow();
      },
      openSettings: () => {
        this.showWindow();
        this.loadSettings();
      },
      quit: () => {
        app.quit();
      },
    });
    this.registerIpc();
    this.loadStartPage();
  }

  /** Brings the console to the front (second instance, tray, notification click, dock). */
  showWindow(): void {
    if (this.window === null || this.window.isDestroyed()) {
      this.createWindow();
      this.loadStartPage();
      return;
    }
    if (this.window.isMinimized()) this.window.restore();
    this.window.show();
    this.window.focus();
  }

  loadStartPage(): void {
    if (this.consoleUrl === null) this.loadSettings();
    else this.loadConsole();
  }

  loadConsole(): void {
    const url = this.consoleUrl;
    if (this.window === null || url === null) return;
    // A failure shows up as did-fail-load, which brings up the settings page.
    this.window.loadURL(url).catch(() => undefined);
  }

  loadSettings(problem?: string): void {
    if (this.window === null) return;
    this.indicators?.update({ total: null, arrivals: [] });
    const url = problem === undefined ? SETTINGS_PAGE_URL : settingsUrlWithProblem(problem);
    this.window.loadURL(url).catch(() => undefined);
  }

  dispose(): void {
    this.ipc.dispose();
    this.notifications.dispose();
    this.indicators?.destroy();
  }

  private createWindow(): BrowserWindow {
    const window = new BrowserWindow({
      width: 1280,
      height: 800,
      minWidth: 960,
      minHeight: 600,
      title: PRODUCT_NAME,
      show: false,
      backgroundColor: '#f3f5f9',
      webPreferences: secureWebPreferences(join(this.options.distDir, 'preload', 'preload.cjs')),
    });
    this.window = window;
    window.once('ready-to-show', () => {
      window.show();
    });
    window.on('closed', () => {
      if (this.window === window) this.window = null;
    });
    const contents = window.webContents;
    contents.on('did-fail-load', (_event, errorCode, description, url, isMainFrame) => {
      if (!isMainFrame || errorCode === ERR_ABORTED) return;
      if (classifyPage(url, this.serverOrigin) !== 'console') return;
      this.loadSettings(
        this.t('server.unreachable', { origin: this.serverOrigin ?? url, reason: description }),
      );
    });
    contents.on('did-navigate', (_event, url, httpResponseCode) => {
      if (httpResponseCode < 400 || classifyPage(url, this.serverOrigin) !== 'console') return;
      this.loadSettings(
        this.t('server.consoleFailed', {
          origin: this.serverOrigin ?? url,
          status: httpResponseCode,
        }),
      );
    });
    return window;
  }

  /** Only the main frame of the app's own window, showing one of the app's pages, may call. */
  private identifySender(event: IpcMainInvokeEvent): PageKind | null {
    const window = this.window;
    const frame = event.senderFrame;
    if (window === null || window.isDestroyed() || frame === null) return null;
    if (event.sender !== window.webContents || frame !== window.webContents.mainFrame) return null;
    return classifyPage(frame.url, this.serverOrigin);
  }

  private readonly t: Translate = (key, values) => this.language.t(key, values);

  /** A refusal for the settings page, in the console's language. */
  private refusal(problem: Wording): SettingsResult {
    return { ok: false, message: this.t(problem.key, problem.values) };
  }

  private currentSettings(): DesktopSettings {
    return { ...this.settings.settings, serverUrl: this.serverOrigin };
  }

  private registerIpc(): void {
    const ipc = this.ipc;
    ipc.handle('settings/get', {
      from: ['console', 'settings'],
      parse: parseNoArgs,
      run: () => this.currentSettings(),
    });
    ipc.handle('settings/save', {
      from: ['settings'],
      parse: parseSettings,
      run: async (settings) => {
        if (settings.serverUrl === null) return this.refusal({ key: 'server.enterAddress' });
        const parsed = parseServerUrl(settings.serverUrl);
        if (!parsed.ok) return this.refusal(parsed.problem);
        // The page warns first; this holds even for a page that skips the warning.
        if (isUnencryptedRemote(parsed.origin) && settings.allowUnencrypted !== true) {
          return this.refusal({ key: 'server.unencryptedWarning' });
        }
        await this.settings.save({
          ...this.settings.settings,
          serverUrl: parsed.origin,
          soundEnabled: settings.soundEnabled,
        });
        this.serverOrigin = parsed.origin;
        // Answer first: the page that asked is replaced by the console.
        setImmediate(() => {
          this.loadConsole();
        });
        return { ok: true };
      },
    });
    ipc.handle('settings/checkServer', {
      from: ['settings'],
      parse: parseUrlText,
      run: async (text) => {
        const parsed = parseServerUrl(text);
        if (!parsed.ok) return this.refusal(parsed.problem);
        const checked = await checkServer(parsed.origin);
        return checked.ok ? checked : this.refusal(checked.problem);
      },
    });
    ipc.handle('settings/leave', {
      from: ['settings'],
      parse: parseNoArgs,
      run: () => {
        setImmediate(() => {
          this.loadStartPage();
        });
      },
    });
    ipc.handle('settings/open', {
      from: ['console'],
      parse: parseNoArgs,
      run: () => {
        setImmediate(() => {
          this.loadSettings();
        });
      },
    });
    ipc.handle('preferences/setSound', {
      from: ['console'],
      parse: parseBoolean,
      run: async (soundEnabled) => {
        await this.settings.save({ ...this.settings.settings, soundEnabled });
      },
    });
    ipc.handle('preferences/setAlertRepeat', {
      from: ['console'],
      parse: parseRepeatSeconds,
      run: async (alertRepeatSeconds) => {
        await this.settings.save({ ...this.settings.settings, alertRepeatSeconds });
      },
    });
    ipc.handle('preferences/setLanguage', {
      from: ['console'],
      parse: parseLanguage,
      run: async (language) => {
        this.language.use(language);
        if (this.settings.settings.language !== language) {
          await this.settings.save({ ...this.settings.settings, language });
        }
      },
    });
    ipc.handle('queue/update', {
      from: ['console'],
      parse: parseQueueUpdate,
      run: (update) => {
        this.indicators?.update(update);
      },
    });
    ipc.handle('chat/customerMessage', {
      from: ['console'],
      parse: parseCustomerMessage,
      run: ({ customerName, text, tier }) => {
        const body = text.length > 200 ? `${text.slice(0, 200)}…` : text;
        this.notifications.notify(messageNoticeTitle(this.t, customerName, tier), body);
      },
    });
    ipc.handle('call/incoming', {
      from: ['console'],
      parse: parseIncomingCall,
      run: ({ customerName }) => {
        const { title, body } = incomingCallNotice(this.t, customerName);
        this.notifications.notify(title, body);
      },
    });
  }

  private menuTemplate(): MenuItemConstructorOptions[] {
    const openSettings = (): void => {
      this.showWindow();
      this.loadSettings();
    };
    return [
      ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
      {
        label: this.t('menu.file'),
        submenu: [
          { label: this.t('menu.serverSettings'), click: openSettings },
          {
            // Supervisors sign in to their console in the browser; this app stays the agent's.
            // The address is the configured server's origin (http or https only), never a page's.
            label: this.t('menu.openSupervisor'),
            click: () => {
              const url = this.supervisorConsoleUrl;
              if (url === null) {
                openSettings();
                return;
              }
              shell.openExternal(url).catch(() => {
                this.notifications.notify(
                  this.t('menu.supervisorTitle'),
                  this.t('menu.browserFailed', { url }),
                );
              });
            },
          },
          { type: 'separator' },
          { role: 'quit' },
        ],
      },
      { role: 'editMenu' },
      {
        label: this.t('menu.view'),
        submenu: [
          { role: 'reload' },
          ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
          { type: 'separator' },
          { role: 'resetZoom' },
          { role: 'zoomIn' },
          { role: 'zoomOut' },
          { type: 'separator' },
          { role: 'togglefullscreen' },
        ],
      },
      { role: 'windowMenu' },
    ];
  }
}

function settingsUrlWithProblem(problem: string): string {
  const url = new URL(SETTINGS_PAGE_URL);
  url.searchParams.set('problem', problem);
  return url.toString();
}

/**
 * Starts the app: scheme registration and sandboxing (before ready), single-instance lock, guards for every
 * WebContents, then the window once Electron is ready. Resolves with null when another
 * instance already runs (this one quits and that one comes to the front).
 */
export async function startDesktopApp(options: DesktopAppOptions): Promise<DesktopApp | null> {
  registerAppScheme(protocol);
  // Every renderer sandboxed, whatever created it (belt and braces to the window's own option).
  app.enableSandbox();
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  let desktop: DesktopApp | null = null;
  app.on('web-contents-created', (_event, contents) => {
    guardWebContents(contents, (url) => desktop?.isAllowedUrl(url) ?? false);
  });
  app.on('second-instance', () => {
    desktop?.showWindow();
  });
  app.on('activate', () => {
    desktop?.showWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  await app.whenReady();
  desktop = new DesktopApp(options);
  await desktop.start();
  return desktop;
}
