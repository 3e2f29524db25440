import { join } from 'node:path';
import { Menu, Tray, app, nativeImage } from 'electron';
import type { BrowserWindow, NativeImage } from 'electron';
import { arrivalNotice, queueLabel } from '../common/queueNotice';
import type { QueueUpdate } from '../ipc/channels';
import type { AttentionNotifications } from './attentionNotifications';
import type { MainLanguage } from './mainLanguage';

export interface QueueIndicatorOptions {
  /** Folder with `tray.png`, `tray-waiting.png` and `badge.png` (with their @2x variants). */
  assetsDir: string;
  /** The words' language; the tray is drawn again when it changes. */
  language: MainLanguage;
  notifications: AttentionNotifications;
  window: () => BrowserWindow | null;
  showWindow: () => void;
  openSettings: () => void;
  quit: () => void;
}

/**
 * The queue count outside the window (R12): tray icon, tooltip and menu, the app badge
 * (macOS dock, Unity launcher; Windows gets a taskbar overlay), and a native notification for
 * new arrivals while the window is not focused (see `AttentionNotifications`). Customers waiting
 * past their tier's threshold are counted in the tooltip, the menu and the macOS tray title.
 */
export class QueueIndicators {
  readonly tray: Tray;
  private total: number | null = null;
  private waitingLong = 0;
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
    options.language.onChange(() => {
      this.render();
    });
    this.render();
  }

  get count(): number | null {
    return this.total;
  }

  update(update: QueueUpdate): void {
    this.total = update.total;
    this.waitingLong = update.waitingLong ?? 0;
    this.render();
    if (update.arrivals.length > 0) {
      const { title, body } = arrivalNotice(this.options.language.t, update.arrivals, this.total);
      this.options.notifications.notify(title, body);
    }
  }

  destroy(): void {
    this.tray.destroy();
  }

  private render(): void {
    const { t } = this.options.language;
    const total = this.total ?? 0;
    const label = queueLabel(t, this.total, this.waitingLong);
    app.setBadgeCount(total);
    this.tray.setImage(total > 0 ? this.icons.waiting : this.icons.idle);
    this.tray.setToolTip(t('attention.trayTip', { product: t('app.title'), label }));
    // A customer waiting too long is marked next to the count (not by colour alone).
    const long = this.waitingLong > 0 ? ` ⚠${this.waitingLong}` : '';
    if (process.platform === 'darwin') this.tray.setTitle(total > 0 ? `${total}${long}` : '');
    this.tray.setContextMenu(
      Menu.buildFromTemplate([
        { label, enabled: false },
        { type: 'separator' },
        { label: t('menu.showConsole'), click: this.options.showWindow },
        { label: t('menu.serverSettings'), click: this.options.openSettings },
        { type: 'separator' },
        { label: t('menu.quit'), click: this.options.quit },
      ]),
    );
    const window = this.options.window();
    if (process.platform === 'win32' && window !== null && !window.isDestroyed()) {
      window.setOverlayIcon(total > 0 ? this.icons.badge : null, label);
    }
  }
}
