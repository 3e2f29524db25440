import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import {
  chooseLanguage,
  isAppLanguage,
  LANGUAGE_ENDONYMS,
  SUPPORTED_LANGUAGES,
} from '@callcenter/client';

/** The console's language, chosen by the agent (remembered on this device). */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const id = useId();
  return (
    <div className="language-switch">
      <label htmlFor={id} className="visually-hidden">
        {t('language.label')}
      </label>
      <select
        id={id}
        value={i18n.language}
        onChange={(event) => {
          const language = event.target.value;
          if (isAppLanguage(language)) void chooseLanguage(i18n, localStorage, language);
        }}
      >
        {SUPPORTED_LANGUAGES.map((language) => (
          <option key={language} value={language} lang={language}>
            {LANGUAGE_ENDONYMS[language]}
          </option>
        ))}
      </select>
    </div>
  );
}
