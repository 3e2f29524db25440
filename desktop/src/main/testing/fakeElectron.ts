// A stand-in for the `electron` module in main-process unit tests (`vi.mock('electron', ...)`):
// the process edge, and the only thing those tests fake. It records what the app asks of
// Electron and lets a test play Electron's part (emit events, invoke IPC handlers).
import { EventEmitter } from 'node:events';

type Listener = (...args: never[]) => unknown;

/** An Electron-style event: `preventDefault` records that the app cancelled it. */
export class FakeEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export class FakeFrame {
  parent: FakeFrame | null = null;
  constructor(public url: string) {}
}

let nextContentsId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  readonly mainFrame = new FakeFrame('about:blank');
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }

  /** Plays a navigation the page started; true when the app let it happen. */
  navigate(url: string, event: 'will-navigate' | 'will-redirect' = 'will-navigate'): boolean {
    const fakeEvent = new FakeEvent();
    this.emit(event, fakeEvent, url);
    return !fakeEvent.defaultPrevented;
  }
}

export interface FakeWindowOptions {
  webPreferences?: Record<string, unknown>;
  [key: string]: unknown;
}

export class BrowserWindow extends EventEmitter {
  static instances: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly loadedUrls: string[] = [];
  focused = false;
  visible = false;
  minimized = false;
  destroyed = false;
  focusCalls = 0;
  overlayIcon: unknown = null;

  constructor(readonly options: FakeWindowOptions) {
    super();
    BrowserWindow.instances.push(this);
    app.emit('web-contents-created', new FakeEvent(), this.webContents);
  }

  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.instances.filter((window) => !window.destroyed);
  }

  loadURL(url: string): Promise<void> {
    this.loadedUrls.push(url);
    this.webContents.mainFrame.url = url;
    return Promise.resolve();
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isFocused(): boolean {
    return this.focused;
  }
  restore(): void {
    this.minimized = false;
  }
  show(): void {
    this.visible = true;
  }
  focus(): void {
    this.focusCalls += 1;
    this.focused = true;
  }
  blur(): void {
    this.focused = false;
  }
  setOverlayIcon(icon: unknown): void {
    this.overlayIcon = icon;
  }
}

class FakeApp extends EventEmitter {
  gotLock = true;
  quitCalls = 0;
  badgeCount = 0;
  isPackaged = false;
  userDataDir = '/nonexistent';
  appUserModelId: string | null = null;
  sandboxEnabled = false;
  /** What the operating system says its users read, in order of preference. */
  systemLanguages = ['en-US'];

  enableSandbox(): void {
    this.sandboxEnabled = true;
  }
  requestSingleInstanceLock(): boolean {
    return this.gotLock;
  }
  quit(): void {
    this.quitCalls += 1;
  }
  exit(): void {
    this.quitCalls += 1;
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  getPath(name: string): string {
    if (name !== 'userData') throw new Error(`fake app.getPath(${name}) is not supported`);
    return this.userDataDir;
  }
  getPreferredSystemLanguages(): string[] {
    return [...this.systemLanguages];
  }
  setAppUserModelId(id: string): void {
    this.appUserModelId = id;
  }
  setBadgeCount(count: number): boolean {
    this.badgeCount = count;
    return true;
  }
}

export const app = new FakeApp();

export interface FakeInvokeEvent {
  sender: FakeWebContents;
  senderFrame: FakeFrame | null;
}

type InvokeHandler = (event: FakeInvokeEvent, ...args: unknown[]) => unknown;

class FakeIpcMain {
  readonly handlers = new Map<string, InvokeHandler>();
  handle(channel: string, handler: InvokeHandler): void {
    if (this.handlers.has(channel)) throw new Error(`a handler for ${channel} already exists`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** Plays `ipcRenderer.invoke` from the given sender. */
  async invoke(channel: string, event: FakeInvokeEvent, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return await handler(event, ...args);
  }
}

export const ipcMain = new FakeIpcMain();

export class Tray extends EventEmitter {
  static instances: Tray[] = [];
  toolTip = '';
  title = '';
  image: unknown;
  contextMenu: unknown = null;
  destroyed = false;
  constructor(image: unknown) {
    super();
    this.image = image;
    Tray.instances.push(this);
  }
  setImage(image: unknown): void {
    this.image = image;
  }
  setToolTip(text: string): void {
    this.toolTip = text;
  }
  setTitle(title: string): void {
    this.title = title;
  }
  setContextMenu(menu: unknown): void {
    this.contextMenu = menu;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

export class Notification extends EventEmitter {
  static instances: Notification[] = [];
  static supported = true;
  shown = false;
  closed = false;
  constructor(readonly options: { title: string; body: string; silent?: boolean }) {
    super();
    Notification.instances.push(this);
  }
  static isSupported(): boolean {
    return Notification.supported;
  }
  show(): void {
    this.shown = true;
  }
  close(): void {
    this.closed = true;
    this.emit('close');
  }
}

export interface FakeMenuItem {
  label?: string;
  role?: string;
  type?: string;
  enabled?: boolean;
  click?: () => void;
  submenu?: FakeMenuItem[];
}

export const Menu = {
  applicationMenu: null as FakeMenuItem[] | null,
  buildFromTemplate(template: FakeMenuItem[]): FakeMenuItem[] {
    return template;
  },
  setApplicationMenu(menu: FakeMenuItem[] | null): void {
    Menu.applicationMenu = menu;
  },
};

/** `shell`: the URLs opened in the user's browser. */
export const shell = {
  opened: [] as string[],
  openExternal(url: string): Promise<void> {
    shell.opened.push(url);
    return Promise.resolve();
  },
};

export const nativeImage = {
  createFromPath(path: string): { path: string } {
    return { path };
  },
};

export const net = {
  fetch: (input: string, init?: RequestInit): Promise<Response> => fetch(input, init),
};

type ProtocolHandler = (request: Request) => Response | Promise<Response>;

export const protocol = {
  privilegedSchemes: [] as { scheme: string; privileges?: Record<string, boolean> }[],
  handlers: new Map<string, ProtocolHandler>(),
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges?: Record<string, boolean> }[]) {
    protocol.privilegedSchemes.push(...schemes);
  },
  handle(scheme: string, handler: ProtocolHandler): void {
    protocol.handlers.set(scheme, handler);
  },
};

type HeadersListener = (
  details: { url: string; responseHeaders?: Record<string, string[]> },
  callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
) => void;

class FakeSession {
  permissionRequestHandler: Listener | null = null;
  permissionCheckHandler: Listener | null = null;
  headersListener: HeadersListener | null = null;
  readonly webRequest = {
    onHeadersReceived: (listener: HeadersListener): void => {
      this.headersListener = listener;
    },
  };
  setPermissionRequestHandler(handler: Listener): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: Listener): void {
    this.permissionCheckHandler = handler;
  }
}

export const session = { defaultSession: new FakeSession() };

// Preload side.
export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(key: string, api: unknown): void {
    contextBridge.exposed.set(key, api);
  },
};

export const ipcRenderer = {
  calls: [] as { channel: string; args: unknown[] }[],
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    ipcRenderer.calls.push({ channel, args });
    return Promise.resolve(undefined);
  },
};

/** Back to a freshly started Electron, between tests. */
export function resetFakeElectron(): void {
  app.removeAllListeners();
  Object.assign(app, {
    gotLock: true,
    quitCalls: 0,
    badgeCount: 0,
    isPackaged: false,
    userDataDir: '/nonexistent',
    appUserModelId: null,
    sandboxEnabled: false,
    systemLanguages: ['en-US'],
  });
  BrowserWindow.instances = [];
  ipcMain.handlers.clear();
  Tray.instances = [];
  Notification.instances = [];
  Notification.supported = true;
  Menu.applicationMenu = null;
  shell.opened = [];
  protocol.privilegedSchemes = [];
  protocol.handlers.clear();
  session.defaultSession = new FakeSession();
  contextBridge.exposed.clear();
  ipcRenderer.calls = [];
}
