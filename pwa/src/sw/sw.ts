// The customer app's service worker: the app shell precached (the first visit works offline,
// a new release waits for the customer's "Reload"), and Web Push shown as notifications.
import { clientsClaim } from 'workbox-core';
import {
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { handlePushClick, showPush } from './pushHandlers';
import { SERVER_PATHS } from './serverPaths';

declare const self: ServiceWorkerGlobalScope;

// A new version waits until the page's update prompt asks it to take over.
self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
// Any page of the app (a deep link, a bookmark, a push's link) is the app shell, offline too.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: SERVER_PATHS }),
);
// The first install takes the open page at once, so the very first visit works offline.
clientsClaim();

self.addEventListener('push', (event) => {
  event.waitUntil(showPush(self, event.data));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const opened = handlePushClick(self, event.notification.data);
  try {
    event.waitUntil(opened);
  } catch {
    // A click dispatched by a script (tests) cannot extend its event; the work goes on.
  }
});
