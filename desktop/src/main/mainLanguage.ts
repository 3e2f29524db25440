import { createI18n, type AppLanguage, type Translate } from '@callcenter/client/language';
import ar from '../locales/ar.json';
import en from '../locales/en.json';
import es from '../locales/es.json';

/**
 * The main process's words (tray, menus, native notifications, the server checks' answers), in
 * the language the console shows: the console reports it (`preferences/setLanguage`), the app
 * keeps it for the next start, and until then the operating system's languages decide. The same
 * locale files as the renderer's, so one translation covers both.
 */
export class MainLanguage {
  private readonly i18n;
  private readonly listeners = new Set<() => void>();

  constructor(language: AppLanguage) {
    this.i18n = createI18n({ en, ar, es }, language);
  }

  get language(): AppLanguage {
    return this.i18n.language as AppLanguage;
  }

  readonly t: Translate = (key, values) => this.i18n.t(key, values);

  /** Switches (synchronously: the resources are bundled) and tells whoever shows words. */
  use(language: AppLanguage): void {
    if (language === this.language) return;
    void this.i18n.changeLanguage(language);
    for (const listener of this.listeners) listener();
  }

  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }
}
