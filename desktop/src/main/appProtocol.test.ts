import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resolveAppFile, serveAppScheme } from './appProtocol';
import * as electron from './testing/fakeElectron';

vi.mock('electron', () => import('./testing/fakeElectron'));

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'desktop-renderer-'));
  await mkdir(join(root, 'assets'));
  await writeFile(join(root, 'settings.html'), '<!doctype html><title>Settings</title>');
  await writeFile(join(root, 'assets', 'app.js'), 'console.log(1)');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the app:// scheme', () => {
  it('maps app://local/agent/... into the renderer folder and nowhere else', () => {
    expect(resolveAppFile(root, 'app://local/agent/settings.html')).toBe(
      join(root, 'settings.html'),
    );
    expect(resolveAppFile(root, 'app://local/agent/assets/app.js?v=1')).toBe(
      join(root, 'assets', 'app.js'),
    );
    expect(resolveAppFile(root, 'app://local/agent/')).toBe(join(root, 'index.html'));
    for (const url of [
      'app://local/agent/..%2f..%2fetc%2fpasswd',
      'app://local/agent/%2e%2e/secret',
      'app://local/other/settings.html',
      'app://elsewhere/agent/settings.html',
      'app://local/agent/%E0%A4%A',
      'not a url',
    ]) {
      expect(resolveAppFile(root, url)).toBeNull();
    }
  });

  it('serves the files with the strict CSP and 404 for anything else', async () => {
    electron.resetFakeElectron();
    serveAppScheme(electron.protocol as never, root);
    const handler = electron.protocol.handlers.get('app')!;

    const page = await handler(new Request('app://local/agent/settings.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await page.text()).toContain('<title>Settings</title>');

    const script = await handler(new Request('app://local/agent/assets/app.js'));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');

    expect((await handler(new Request('app://local/agent/missing.js'))).status).toBe(404);
    expect((await handler(new Request('app://local/agent/..%2f..%2fx'))).status).toBe(404);
  });
});
