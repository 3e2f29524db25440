import type { Session, WebContents, WebPreferences } from 'electron';

/**
 * The only web preferences a window of this app gets: the page is isolated from the preload and
 * from Node, runs in Chromium's sandbox, and reaches the main process only through the bridge.
 */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    // A console minimised for hours must still hear queue changes and answer socket pings.
    backgroundThrottling: false,
    spellcheck: true,
  };
}

/**
 * Keeps a page where it belongs: navigations and redirects to anywhere `isAllowed` refuses are
 * cancelled, new windows are never opened, `<webview>` is never attached. Applied to every
 * WebContents the app creates, not only the main window's.
 */
export function guardWebContents(contents: WebContents, isAllowed: (url: string) => boolean): void {
  const blockUnlessAllowed = (event: { preventDefault: () => void }, url: string): void => {
    if (!isAllowed(url)) {
      event.preventDefault();
      console.warn(`blocked navigation to ${url}`);
    }
  };
  contents.on('will-navigate', blockUnlessAllowed);
  contents.on('will-redirect', blockUnlessAllowed);
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    console.warn(`blocked a new window for ${url}`);
    return { action: 'deny' };
  });
}

// Copying text needs the clipboard; nothing else (camera, location, notifications from the page:
// the bridge does those) is granted to web content, except the microphone to the console itself.
const GRANTED_PERMISSIONS = new Set<string>(['clipboard-sanitized-write']);

/** What a `media` request or check asks for, as Electron describes it. */
interface MediaDetails {
  requestingUrl?: string;
  mediaTypes?: string[];
  mediaType?: string;
}

/**
 * Refuses every permission a page may ask for, except writing to the clipboard and, for voice
 * calls, the microphone (audio only, never the camera) to the console's own pages
 * (`isConsoleUrl`): no other page the window could reach gets it.
 */
export function restrictPermissions(
  session: Session,
  isConsoleUrl: (url: string) => boolean,
): void {
  const allowed = (permission: string, url: string | undefined, media: MediaDetails): boolean => {
    if (GRANTED_PERMISSIONS.has(permission)) return true;
    if (permission !== 'media' || url === undefined || !isConsoleUrl(url)) return false;
    const types = media.mediaTypes ?? (media.mediaType === undefined ? [] : [media.mediaType]);
    return types.length > 0 && types.every((type) => type === 'audio');
  };
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const media = details as MediaDetails | undefined;
    callback(allowed(permission, media?.requestingUrl, media ?? {}));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) => {
    const media = details as MediaDetails | undefined;
    return allowed(permission, media?.requestingUrl ?? requestingOrigin, media ?? {});
  });
}
