import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isAppLanguage } from '@callcenter/client/language';
import { isRepeatPeriod } from '../common/alertRepeat';
import type { DesktopSettings } from '../ipc/channels';

export const DEFAULT_SETTINGS: DesktopSettings = { serverUrl: null, soundEnabled: true };

/** Words for a person, by locale key: the main process says them in the console's language. */
export interface Wording {
  key: string;
  values?: Record<string, string | number>;
}

/** A server URL as typed by a person: the origin to use, or why it cannot be used. */
export type ServerUrlCheck = { ok: true; origin: string } | { ok: false; problem: Wording };

/**
 * The console lives at `<origin>/agent/` and its socket at `<origin>/socket.io/`, so only an
 * http(s) origin makes sense: no path, query, fragment or credentials.
 */
export function parseServerUrl(input: string): ServerUrlCheck {
  const text = input.trim();
  if (!/^https?:\/\//i.test(text)) {
    return { ok: false, problem: { key: 'server.startWithScheme' } };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: { key: 'server.invalid' } };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, problem: { key: 'server.noCredentials' } };
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
    return { ok: false, problem: { key: 'server.noPath', values: { origin: url.origin } } };
  }
  return { ok: true, origin: url.origin };
}

function isSettings(value: unknown): value is Partial<Record<keyof DesktopSettings, unknown>> {
  return typeof value === 'object' && value !== null;
}

/** Reads and writes `settings.json` in the user-data folder. */
export class SettingsStore {
  private current: DesktopSettings = DEFAULT_SETTINGS;

  constructor(readonly file: string) {}

  static inFolder(userDataDir: string): SettingsStore {
    return new SettingsStore(join(userDataDir, 'settings.json'));
  }

  get settings(): DesktopSettings {
    return this.current;
  }

  /** Loads the file; a missing or damaged file gives the defaults (never blocks start-up). */
  async load(): Promise<DesktopSettings> {
    let stored: unknown;
    try {
      stored = JSON.parse(await readFile(this.file, 'utf8'));
    } catch {
      stored = {};
    }
    const next = { ...DEFAULT_SETTINGS };
    if (isSettings(stored)) {
      if (typeof stored.serverUrl === 'string') {
        const parsed = parseServerUrl(stored.serverUrl);
        if (parsed.ok) next.serverUrl = parsed.origin;
      }
      if (typeof stored.soundEnabled === 'boolean') next.soundEnabled = stored.soundEnabled;
      if (isRepeatPeriod(stored.alertRepeatSeconds)) {
        next.alertRepeatSeconds = stored.alertRepeatSeconds;
      }
      if (typeof stored.language === 'string' && isAppLanguage(stored.language)) {
        next.language = stored.language;
      }
    }
    this.current = next;
    return next;
  }

  /** Writes atomically (temp file, then rename) so a crash never leaves half a file. */
  async save(settings: DesktopSettings): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(settings, null, 2)}\n`, 'utf8');
    await rename(temporary, this.file);
    this.current = settings;
  }
}
