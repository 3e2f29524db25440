import { Notification } from 'electron';
import type { BrowserWindow } from 'electron';

/**
 * Native notifications that ask for the agent's attention: shown only while the console window
 * is not focused, and a click brings the window up.
 */
export class AttentionNotifications {
  // Electron drops a notification's click handler if the object is garbage collected.
  private readonly live = new Set<Notification>();

  constructor(
    private readonly window: () => BrowserWindow | null,
    private readonly showWindow: () => void,
  ) {}

  isWindowFocused(): boolean {
    const window = this.window();
    return window !== null && !window.isDestroyed() && window.isVisible() && window.isFocused();
  }

  /** Shows the notification unless the window is focused; true when shown. */
  notify(title: string, body: string): boolean {
    if (this.isWindowFocused() || !Notification.isSupported()) return false;
    // Silent: the console plays its own (optional) chime, so the sound setting is respected.
    const notification = new Notification({ title, body, silent: true });
    this.live.add(notification);
    const forget = (): void => {
      this.live.delete(notification);
    };
    notification.on('click', () => {
      forget();
      this.showWindow();
    });
    notification.on('close', forget);
    notification.show();
    return true;
  }

  dispose(): void {
    for (const notification of this.live) notification.close();
    this.live.clear();
  }
}
