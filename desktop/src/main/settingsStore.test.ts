import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MainLanguage } from './mainLanguage';
import { DEFAULT_SETTINGS, SettingsStore, parseServerUrl } from './settingsStore';

const english = new MainLanguage('en').t;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'desktop-settings-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('server addresses', () => {
  it('accepts http(s) origins and normalises them', () => {
    expect(parseServerUrl('http://127.0.0.1:3000')).toEqual({
      ok: true,
      origin: 'http://127.0.0.1:3000',
    });
    expect(parseServerUrl('  HTTPS://Chat.Example.com/ ')).toEqual({
      ok: true,
      origin: 'https://chat.example.com',
    });
  });

  it.each([
    ['chat.example.com', /http:\/\/ or https:\/\//],
    ['ftp://chat.example.com', /http:\/\/ or https:\/\//],
    ['https://', /not a valid/],
    ['https://user:pw@chat.example.com', /passwords/],
    ['https://chat.example.com/agent/', /https:\/\/chat\.example\.com, without a path/],
    ['https://chat.example.com/?x=1', /without a path/],
  ])('refuses %s and says why', (input, reason) => {
    const result = parseServerUrl(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(english(result.problem.key, result.problem.values)).toMatch(reason);
  });
});

describe('SettingsStore', () => {
  it('gives the defaults without a file or with a damaged one', async () => {
    const store = SettingsStore.inFolder(dir);
    await expect(store.load()).resolves.toEqual(DEFAULT_SETTINGS);
    await writeFile(store.file, '{ not json');
    await expect(store.load()).resolves.toEqual(DEFAULT_SETTINGS);
    await writeFile(
      store.file,
      JSON.stringify({
        serverUrl: 'javascript:alert(1)',
        soundEnabled: 3,
        alertRepeatSeconds: -4,
        language: 'klingon',
      }),
    );
    await expect(store.load()).resolves.toEqual(DEFAULT_SETTINGS);
  });

  it('saves and loads again', async () => {
    const store = SettingsStore.inFolder(join(dir, 'nested'));
    await store.save({
      serverUrl: 'https://chat.example.com',
      soundEnabled: false,
      alertRepeatSeconds: 0,
      language: 'ar',
    });
    expect(JSON.parse(await readFile(store.file, 'utf8'))).toEqual({
      serverUrl: 'https://chat.example.com',
      soundEnabled: false,
      alertRepeatSeconds: 0,
      language: 'ar',
    });
    const again = SettingsStore.inFolder(join(dir, 'nested'));
    await expect(again.load()).resolves.toEqual({
      serverUrl: 'https://chat.example.com',
      soundEnabled: false,
      alertRepeatSeconds: 0,
      language: 'ar',
    });
  });
});
