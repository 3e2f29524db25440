import { describe, expect, it } from 'vitest';
import { CustomerPage } from './support/customerPage';
import { usePrivatePwaBuild } from './support/privateBuild';
import { screenshot, usePwaSuite } from './support/pwaSuite';
import { SwitchableProxy } from './support/switchableProxy';

// A private copy of the built PWA, so the update test can publish a "new release" in place.
const build = usePrivatePwaBuild();
const suite = usePwaSuite({ staticDir: build.staticDir });

interface Manifest {
  name?: string;
  short_name?: string;
  start_url?: string;
  scope?: string;
  display?: string;
  theme_color?: string;
  background_color?: string;
  icons?: { src: string; sizes: string; type: string; purpose?: string }[];
}

/** Width and height from a PNG's header. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('customer PWA: installable, with a service worker', () => {
  it('the service worker controls the page and the manifest passes the installability checks', async () => {
    const context = await suite.newContext({ serviceWorker: true });
    const customer = await CustomerPage.open(context, suite.stack.url);
    await customer.waitForServiceWorker();
    const precached = await customer.page.evaluate(async () => {
      const names = await caches.keys();
      const urls = await Promise.all(
        names.map(async (name) => (await (await caches.open(name)).keys()).map((r) => r.url)),
      );
      return urls.flat().map((url) => new URL(url).pathname);
    });
    expect(precached).toEqual(
      expect.arrayContaining([
        '/index.html',
        '/manifest.webmanifest',
        // The install name in the other languages (the page links its language's).
        '/manifest.ar.webmanifest',
        '/manifest.es.webmanifest',
        '/icons/icon-192.png',
      ]),
    );
    expect(precached.some((path) => /^\/assets\/index-.*\.js$/.test(path))).toBe(true);

    const cdp = await context.newCDPSession(customer.page);
    const { errors } = (await cdp.send('Page.getAppManifest')) as { errors: unknown[] };
    expect(errors).toEqual([]);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
      installabilityErrors: { errorId: string }[];
    };
    // Playwright's contexts are off-the-record profiles, which Chromium never offers to install.
    expect(installabilityErrors.filter((error) => error.errorId !== 'in-incognito')).toEqual([]);

    const href = await customer.page.getAttribute('link[rel="manifest"]', 'href');
    const response = await fetch(new URL(href ?? '', suite.stack.url));
    expect(response.headers.get('content-type')).toContain('application/manifest+json');
    const manifest = (await response.json()) as Manifest;
    expect(manifest).toMatchObject({
      name: 'Customer Support Chat',
      short_name: 'Support',
      start_url: '/',
      scope: '/',
      display: 'standalone',
      theme_color: expect.stringMatching(/^#[0-9a-f]{6}$/) as unknown,
      background_color: expect.stringMatching(/^#[0-9a-f]{6}$/) as unknown,
    });
    const icons = manifest.icons ?? [];
    for (const [size, purpose] of [
      ['192x192', 'any'],
      ['512x512', 'any'],
      ['512x512', 'maskable'],
    ] as const) {
      const icon = icons.find((entry) => entry.sizes === size && entry.purpose === purpose);
      expect(icon, `${purpose} icon ${size}`).toBeDefined();
      const bytes = Buffer.from(
        await (await fetch(new URL(icon?.src ?? '', suite.stack.url))).arrayBuffer(),
      );
      const { width, height } = pngSize(bytes);
      expect(`${width}x${height}`).toBe(size);
    }
  });

  it('after the first visit the app opens with no network at all', async () => {
    const proxy = await SwitchableProxy.start(suite.stack.url);
    try {
      const { customer } = await suite.signedInCustomer({ url: proxy.url, serviceWorker: true });
      const context = customer.page.context();
      await customer.requestChat();

      proxy.cut();
      await context.setOffline(true);
      const later = await CustomerPage.open(context, proxy.url);
      await later.connectionBanner.filter({ hasText: "You're offline." }).waitFor();
      await later.waitForState('Request Sent');
      expect(await later.composer.isEnabled()).toBe(true);
      await screenshot(later.page, '08-opened-offline');
    } finally {
      await proxy.close();
    }
  });

  it('serves the shell fresh, hashed assets for good, and deep links as the app', async () => {
    const url = suite.stack.url;
    const html = await fetch(`${url}/`);
    expect(html.headers.get('cache-control')).toBe('no-cache');
    expect(html.headers.get('content-type')).toContain('text/html');
    const page = await html.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(page)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${url}${script ?? ''}`);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toContain('javascript');

    const worker = await fetch(`${url}/sw.js`);
    expect(worker.status).toBe(200);
    expect(worker.headers.get('cache-control')).toBe('no-cache');
    for (const manifest of ['manifest.webmanifest', 'manifest.ar.webmanifest']) {
      const response = await fetch(`${url}/${manifest}`);
      expect(response.headers.get('cache-control'), manifest).toBe('no-cache');
      expect(response.headers.get('content-type'), manifest).toContain('application/manifest+json');
    }

    const deepLink = await fetch(`${url}/chat/history`, { headers: { accept: 'text/html' } });
    expect(deepLink.status).toBe(200);
    expect(await deepLink.text()).toBe(page);
    // Server paths, and missing files, stay 404s.
    for (const [path, accept] of [
      ['/api/nothing', 'text/html'],
      ['/assets/index-gone.js', '*/*'],
      ['/chat/history', 'application/json'],
    ] as const) {
      const response = await fetch(`${url}${path}`, { headers: { accept } });
      expect(response.status, path).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
    }
  });

  it('offers a new release with an update prompt and switches to it when asked', async () => {
    const context = await suite.newContext({ serviceWorker: true });
    const customer = await CustomerPage.open(context, suite.stack.url);
    await customer.waitForServiceWorker();

    // A new release (any byte change of the worker is one) that says which release it is.
    await build.publishRelease(
      `self.addEventListener('message', (event) => {
        if (event.data === 'which release?') event.source.postMessage('release 2');
      });`,
    );
    await customer.page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())?.update();
    });
    const prompt = customer.page.getByRole('status', { name: 'App update' });
    await prompt.filter({ hasText: 'A new version of the app is available.' }).waitFor();
    await screenshot(customer.page, '10-update-available');

    const reloaded = customer.page.waitForEvent('load');
    await prompt.getByRole('button', { name: 'Update now' }).click();
    await reloaded;
    await customer.waitForServiceWorker();
    const release = await customer.page.evaluate(
      () =>
        new Promise<unknown>((resolve) => {
          navigator.serviceWorker.addEventListener('message', (event) => {
            resolve(event.data);
          });
          navigator.serviceWorker.controller?.postMessage('which release?');
        }),
    );
    expect(release).toBe('release 2');
    await customer.signInButton.waitFor();
    expect(await prompt.filter({ hasText: 'A new version' }).count()).toBe(0);
  });
});
