import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, type FieldIssue } from '../api/client';
import type { Language } from '../api/types';
import { en } from './en';
import { nb } from './nb';

export type Messages = typeof nb;

const DICTIONARIES: Record<Language, Messages> = { nb, en };
export const LANGUAGE_STORAGE_KEY = 'fakturaflyt.language';

function storedLanguage(): Language {
  try {
    const value = window.localStorage.getItem(LANGUAGE_STORAGE_KEY);
    return value === 'en' || value === 'nb' ? value : 'nb';
  } catch {
    return 'nb';
  }
}

/** Fills `{name}` placeholders. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

interface I18nValue {
  language: Language;
  setLanguage(language: Language): void;
  t: Messages;
}

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(storedLanguage);

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  const setLanguage = useCallback((next: Language) => {
    setLanguageState(next);
    try {
      window.localStorage.setItem(LANGUAGE_STORAGE_KEY, next);
    } catch {
      // private mode: the choice lasts for this page only
    }
  }, []);

  const value = useMemo(() => ({ language, setLanguage, t: DICTIONARIES[language] }), [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}

/** The text for a failing field: `field.code` first (e.g. password.too_small), then the code, then the API's message. */
export function fieldErrorText(t: Messages, issue: FieldIssue): string {
  const field = issue.path.split('.').at(-1) ?? '';
  return t.errors.fields[`${field}.${issue.code}`] ?? t.errors.fields[issue.code] ?? issue.message;
}

/** The sentence for a failed request as a whole. */
export function problemText(t: Messages, error: unknown): string {
  if (error instanceof ApiError) {
    const template = t.errors.problems[error.code];
    if (template) {
      const retry = error.problem.retryAfterSeconds;
      const minutes = typeof retry === 'number' ? Math.max(1, Math.ceil(retry / 60)) : 15;
      return fill(template, { minutes });
    }
    return error.detail || fill(t.errors.problemFallback, { code: error.code });
  }
  return fill(t.errors.problemFallback, { code: error instanceof Error ? error.message : String(error) });
}
