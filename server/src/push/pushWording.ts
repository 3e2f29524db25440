import { appLanguageOf, isolateBidi, type AppLanguage, type PushKind } from '@callcenter/shared';

/**
 * A push's title in the customer's language: the one their app last said it shows (kept on the
 * account), else English. The apps' own words live in their locale files; a push is written by
 * the server, so its three sentences are here, in the same languages.
 */
const TITLES: Record<AppLanguage, Record<PushKind, (agent: string) => string>> = {
  en: {
    taken: (agent) => `${agent} is ready to help you`,
    message: (agent) => `New message from ${agent}`,
    call: (agent) => `${agent} is calling you`,
  },
  es: {
    taken: (agent) => `${agent} está listo para ayudarte`,
    message: (agent) => `Nuevo mensaje de ${agent}`,
    call: (agent) => `${agent} te está llamando`,
  },
  ar: {
    taken: (agent) => `${agent} جاهز لمساعدتك`,
    message: (agent) => `رسالة جديدة من ${agent}`,
    call: (agent) => `${agent} يتصل بك`,
  },
};

/** The push language for a BCP 47 tag (`es-MX` → `es`); English for any other or none. */
export function pushLanguageOf(tag: string | undefined): AppLanguage {
  return (tag === undefined ? null : appLanguageOf(tag)) ?? 'en';
}

/** The title of a push of `kind` about `agentName`, in `language`; the name bidi-isolated. */
export function pushTitle(kind: PushKind, agentName: string, language: AppLanguage): string {
  return TITLES[language][kind](isolateBidi(agentName));
}
