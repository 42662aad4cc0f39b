import { useId } from 'react';
import type { Language } from '../api/types';
import { useI18n } from '../i18n';

/** Each language is named in itself, so a reader who does not know the current one still finds theirs. */
const LANGUAGE_NAMES: Record<Language, string> = { nb: 'Norsk', en: 'English' };

export function LanguageSwitch({ className }: { className?: string }) {
  const { language, setLanguage, t } = useI18n();
  const id = useId();
  return (
    <div className={`language-switch${className ? ` ${className}` : ''}`}>
      <label htmlFor={id} className="language-switch__label">
        {t.header.language}
      </label>
      <select
        id={id}
        className="input input--select input--compact"
        value={language}
        onChange={(event) => setLanguage(event.target.value === 'en' ? 'en' : 'nb')}
      >
        {(Object.keys(LANGUAGE_NAMES) as Language[]).map((code) => (
          <option key={code} value={code} lang={code}>
            {LANGUAGE_NAMES[code]}
          </option>
        ))}
      </select>
    </div>
  );
}
