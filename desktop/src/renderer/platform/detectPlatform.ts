import { t } from '../i18n/i18n';
import { browserPlatform } from './browserPlatform';
import { desktopPlatform } from './desktopPlatform';
import type { ConsolePlatform } from './platform';

/** The desktop app when its bridge is there, a plain browser otherwise. */
export function detectPlatform(): ConsolePlatform {
  const serverUrl = window.location.origin;
  return window.desktop
    ? desktopPlatform(window.desktop, serverUrl)
    : browserPlatform(serverUrl, t);
}
