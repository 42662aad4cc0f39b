import type { ReactNode } from 'react';
import { LanguageSwitch } from '../components/language-switch';
import { Toaster } from '../components/ui';
import { useI18n } from '../i18n';

export function Logo() {
  return (
    <svg className="logo" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
      <rect width="32" height="32" rx="7" fill="currentColor" />
      <path d="M10 8h12v3h-8.5v3.5H21v3h-7.5V24H10z" fill="#fff" />
    </svg>
  );
}

/** The frame around the screens shown before log-in: brand, language, one card. */
export function AuthLayout({ title, wide, children }: { title: string; wide?: boolean; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="auth">
      <header className="auth__bar">
        <span className="brand">
          <Logo />
          <span className="brand__name">{t.app.name}</span>
        </span>
        <LanguageSwitch />
      </header>
      <main className={`auth__card card${wide ? ' auth__card--wide' : ''}`} id="main">
        <h1 className="auth__title">{title}</h1>
        {children}
      </main>
      <Toaster />
    </div>
  );
}
