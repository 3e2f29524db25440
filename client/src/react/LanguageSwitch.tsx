import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { chooseLanguage, isAppLanguage, LANGUAGE_ENDONYMS, SUPPORTED_LANGUAGES } from '../language';

/**
 * The app's language, chosen by its user (remembered on this device). Each language is named in
 * itself, so a reader finds theirs. `labelHidden`: the label is read out but not shown (a
 * toolbar where the select speaks for itself).
 */
export function LanguageSwitch({ labelHidden = false }: { labelHidden?: boolean }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  return (
    <div className="language-switch">
      <label htmlFor={id} className={labelHidden ? 'visually-hidden' : undefined}>
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
