// The packaged app's Electron fuses (electron-builder.yml at the repo root): what a local
// attacker could otherwise use to run code as this signed app stays switched off.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

async function builderConfig(): Promise<Record<string, unknown>> {
  const text = await readFile(new URL('../../../electron-builder.yml', import.meta.url), 'utf8');
  return parse(text) as Record<string, unknown>;
}

describe('electron-builder packaging', () => {
  it.each([
    ['runAsNode', false],
    ['enableNodeOptionsEnvironmentVariable', false],
    ['enableNodeCliInspectArguments', false],
    ['enableEmbeddedAsarIntegrityValidation', true],
    ['onlyLoadAppFromAsar', true],
    ['enableCookieEncryption', true],
    ['grantFileProtocolExtraPrivileges', false],
  ])('sets the fuse %s to %s', async (fuse, value) => {
    const config = await builderConfig();
    expect(config.electronFuses).toBeTypeOf('object');
    expect((config.electronFuses as Record<string, unknown>)[fuse]).toBe(value);
  });

  it('packs the app into an asar archive, which the asar fuses rely on', async () => {
    expect((await builderConfig()).asar).toBe(true);
  });

  it('asks macOS for the microphone with a reason, and allows it under the hardened runtime', async () => {
    const mac = (await builderConfig()).mac as {
      entitlements: string;
      extendInfo: Record<string, string>;
    };
    expect(mac.extendInfo.NSMicrophoneUsageDescription).toMatch(/voice calls/);
    const plist = await readFile(new URL(`../../../${mac.entitlements}`, import.meta.url), 'utf8');
    expect(plist).toContain('<key>com.apple.security.device.audio-input</key>');
    expect(plist).not.toContain('com.apple.security.device.camera');
  });
});
