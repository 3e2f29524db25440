import type { PushPayload } from '@callcenter/shared';
// The subpath alone: the worker stays small (no protocol schemas).
import { textDirection } from '@callcenter/shared/languages';
import { SERVER_PATHS } from './serverPaths';

/** What a notification keeps for its click: where it leads. */
interface NotificationData {
  conversationId: string;
  url: string;
}

/**
 * What the worker tells an app window: a push's click (`push.open`, the window is then
 * focused), or a push that came while the app was focused (`push.arrived`: shown by no
 * notification; the server sent it because the app had no connection, so it reconnects now).
 */
export interface PushWindowMessage {
  type: 'push.open' | 'push.arrived';
  conversationId: string;
}

/** A push that is not ours (or not readable) still shows something: the browser requires it. */
const FALLBACK_TITLE = 'Support chat';
const ICON = '/icons/icon-192.png';

function payloadOf(data: PushMessageData | null): PushPayload | null {
  let value: unknown;
  try {
    value = data?.json();
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { kind, conversationId, title, body, url, lang } = value as Record<string, unknown>;
  if (
    (kind !== 'taken' && kind !== 'message' && kind !== 'call') ||
    typeof conversationId !== 'string' ||
    typeof title !== 'string' ||
    typeof url !== 'string' ||
    (body !== undefined && typeof body !== 'string')
  ) {
    return null;
  }
  // An older server sent no language: English, as its titles were.
  const language = typeof lang === 'string' ? lang : 'en';
  return {
    kind,
    conversationId,
    title,
    url,
    lang: language,
    ...(body === undefined ? {} : { body }),
  };
}

/** This app's windows: not the consoles the same server serves at /agent/ and /supervisor/. */
async function appWindows(worker: ServiceWorkerGlobalScope): Promise<readonly WindowClient[]> {
  const windows = await worker.clients.matchAll({ type: 'window', includeUncontrolled: true });
  return windows.filter((client) => {
    const path = new URL(client.url).pathname;
    return !SERVER_PATHS.some((serverPath) => serverPath.test(path));
  });
}

/**
 * Shows a push as a notification, one per conversation (a newer one replaces it and alerts
 * again), unless the app is on screen and focused: it is live then and shows the news itself.
 */
export async function showPush(
  worker: ServiceWorkerGlobalScope,
  data: PushMessageData | null,
): Promise<void> {
  const payload = payloadOf(data);
  const windows = await appWindows(worker);
  const onScreen = windows.filter(
    (client) => client.focused && client.visibilityState === 'visible',
  );
  if (onScreen.length > 0) {
    const message: PushWindowMessage = {
      type: 'push.arrived',
      conversationId: payload?.conversationId ?? '',
    };
    for (const client of onScreen) client.postMessage(message);
    return;
  }
  if (payload === null) {
    await worker.registration.showNotification(FALLBACK_TITLE, { icon: ICON });
    return;
  }
  const notificationData: NotificationData = {
    conversationId: payload.conversationId,
    url: payload.url,
  };
  await worker.registration.showNotification(payload.title, {
    ...(payload.body === undefined ? {} : { body: payload.body }),
    tag: `conversation:${payload.conversationId}`,
    // Shown in the customer's language and its direction (Arabic right to left).
    lang: payload.lang,
    dir: textDirection(payload.lang),
    // Replacing the conversation's last notification still alerts (not in the DOM's types).
    ...{ renotify: true },
    // A call rings out: it stays until answered or dismissed.
    requireInteraction: payload.kind === 'call',
    icon: ICON,
    data: notificationData,
  });
}

/**
 * A notification's click: an open app window is told which conversation and focused; with none
 * open, the conversation's page opens. Only this app's own pages are opened.
 */
export async function handlePushClick(
  worker: ServiceWorkerGlobalScope,
  data: unknown,
): Promise<void> {
  const { conversationId, url } = (data ?? {}) as Partial<NotificationData>;
  const scope = new URL(worker.registration.scope);
  const target = new URL(typeof url === 'string' ? url : '/', scope);
  const page = target.origin === scope.origin ? target.href : scope.href;
  const windows = await appWindows(worker);
  const open = windows.find((client) => client.focused) ?? windows[0];
  if (open === undefined) {
    await worker.clients.openWindow(page);
    return;
  }
  if (typeof conversationId === 'string') {
    const message: PushWindowMessage = { type: 'push.open', conversationId };
    open.postMessage(message);
  }
  // Refused only to a click made by a script (no user gesture): the message went anyway.
  await open.focus().catch(() => undefined);
}
