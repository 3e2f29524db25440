import { join } from 'node:path';
import { Menu, Notification, Tray, app, nativeImage } from 'electron';
import type { BrowserWindow, NativeImage } from 'electron';
import { arrivalNotice, queueLabel } from '../common/queueNotice';
import type { QueueArrival, QueueUpdate } from '../ipc/channels';

export interface QueueIndicatorOptions {
  /** Folder with `tray.png`, `tray-waiting.png` and `badge.png` (with their @2x variants). */
  assetsDir: string;
  productName: string;
  window: () => BrowserWindow | null;
  showWindow: () => void;
  openSettings: () => void;
  quit: () => void;
}

/**
 * The queue count outside the window (R12): tray icon, tooltip and menu, the app badge
 * (macOS dock, Unity launcher; Windows gets a taskbar overlay), and a native notification for
 * new arrivals while the window is not focused. Clicking the notification brings the console up.
 */
export class QueueIndicators {
  readonly tray: Tray;
  private total: number | null = null;
  // Electron drops a notification's click handler if the object is garbage collected.
  private readonly live = new Set<Notification>();
  private readonly icons: { idle: NativeImage; waiting: NativeImage; badge: NativeImage };

  constructor(private readonly options: QueueIndicatorOptions) {
    this.icons = {
      idle: nativeImage.createFromPath(join(options.assetsDir, 'tray.png')),
      waiting: nativeImage.createFromPath(join(options.assetsDir, 'tray-waiting.png')),
      badge: nativeImage.createFromPath(join(options.assetsDir, 'badge.png')),
    };
    this.tray = new Tray(this.icons.idle);
    this.tray.on('click', () => {
      options.showWindow();
    });
    this.render();
  }

  get count(): number | null {
    return this.total;
  }

  update(update: QueueUpdate): void {
    this.total = update.total;
    this.render();
    if (update.arrivals.length > 0 && !this.isWindowFocused()) this.notify(update.arrivals);
  }

  destroy(): void {
    for (const notification of this.live) notification.close();
    this.live.clear();
    this.tray.destroy();
  }

  private isWindowFocused(): boolean {
    const window = this.options.window();
    return window !== null && !window.isDestroyed() && window.isVisible() && window.isFocused();
  }

  private render(): void {
    const total = this.total ?? 0;
    const label = queueLabel(this.total);
    app.setBadgeCount(total);
    this.tray.setImage(total > 0 ? this.icons.waiting : this.icons.idle);
    this.tray.setToolTip(`${this.options.productName}: ${label}`);
    if (process.platform === 'darwin') this.tray.setTitle(total > 0 ? String(total) : '');
    this.tray.setContextMenu(
      Menu.buildFromTemplate([
        { label, enabled: false },
        { type: 'separator' },
        { label: 'Show console', click: this.options.showWindow },
        { label: 'Server settings…', click: this.options.openSettings },
        { type: 'separator' },
        { label: 'Quit', click: this.options.quit },
      ]),
    );
    const window = this.options.window();
    if (process.platform === 'win32' && window !== null && !window.isDestroyed()) {
      window.setOverlayIcon(total > 0 ? this.icons.badge : null, label);
    }
  }

  private notify(arrivals: readonly QueueArrival[]): void {
    if (!Notification.isSupported()) return;
    const { title, body } = arrivalNotice(arrivals, this.total);
    // Silent: the console plays its own (optional) chime, so the sound setting is respected.
    const notification = new Notification({ title, body, silent: true });
    this.live.add(notification);
    const forget = (): void => {
      this.live.delete(notification);
    };
    notification.on('click', () => {
      forget();
      this.options.showWindow();
    });
    notification.on('close', forget);
    notification.show();
  }
}
