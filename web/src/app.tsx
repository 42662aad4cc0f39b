import { useCallback, useEffect, useMemo, useState } from 'react';
import { isApiError, onUnauthenticated, setCsrfToken } from './api/client';
import { api } from './api/endpoints';
import type { Session } from './api/types';
import { Alert, Button, Loading, notify } from './components/ui';
import { problemText, useI18n } from './i18n';
import { navigate } from './router';
import { AuthLayout } from './screens/auth-layout';
import { Login } from './screens/login';
import { Onboarding } from './screens/onboarding';
import { Shell } from './screens/shell';
import { SessionProvider, type SessionValue } from './session';

type AppState =
  | { kind: 'booting' }
  | { kind: 'onboarding' }
  | { kind: 'login' }
  | { kind: 'ready'; session: Session }
  | { kind: 'failed'; error: unknown };

/**
 * Decides what the visitor sees: onboarding on a fresh install, the log-in form
 * without a session, otherwise the app. Keeps the CSRF token in the API client.
 */
export function App() {
  const { t } = useI18n();
  const [state, setState] = useState<AppState>({ kind: 'booting' });

  const enter = useCallback((session: Session) => {
    setCsrfToken(session.csrfToken);
    setState({ kind: 'ready', session });
  }, []);

  const toLogin = useCallback(() => {
    setCsrfToken(null);
    setState({ kind: 'login' });
  }, []);

  const boot = useCallback(async () => {
    setState({ kind: 'booting' });
    try {
      const { needed } = await api.onboardingStatus();
      if (needed) {
        setState({ kind: 'onboarding' });
        return;
      }
      try {
        enter(await api.session());
      } catch (error) {
        if (isApiError(error, 'auth.unauthenticated')) toLogin();
        else throw error;
      }
    } catch (error) {
      setState({ kind: 'failed', error });
    }
  }, [enter, toLogin]);

  useEffect(() => {
    void boot();
  }, [boot]);

  // A session that ends while the app is open (expired, logged out elsewhere) leads back to log-in.
  useEffect(() => {
    onUnauthenticated(() => {
      notify(t.errors.problems['auth.unauthenticated'] ?? '', 'error');
      toLogin();
    });
    return () => onUnauthenticated(null);
  }, [t, toLogin]);

  const session = state.kind === 'ready' ? state.session : null;

  const sessionValue = useMemo<SessionValue | null>(() => {
    if (!session) return null;
    return {
      session,
      role: session.role,
      setSession: enter,
      refresh: async () => enter(await api.session()),
      logout: async () => {
        try {
          await api.logout();
        } catch (error) {
          // Already gone on the server: logging out locally is what matters.
          if (!isApiError(error, 'auth.unauthenticated')) throw error;
        }
        toLogin();
        navigate('/', { replace: true });
      },
      switchCompany: async (companyId: string) => {
        enter(await api.switchCompany(companyId));
        // Detail pages belong to the old company: go to the section's list.
        const section = window.location.pathname.split('/')[1] ?? '';
        navigate(`/${section}`, { replace: true });
      },
    };
  }, [session, enter, toLogin]);

  switch (state.kind) {
    case 'booting':
      return (
        <div className="boot">
          <Loading />
        </div>
      );
    case 'failed':
      return (
        <AuthLayout title={t.app.name}>
          <Alert kind="error" title={problemText(t, state.error)} />
          <div className="form-actions">
            <Button variant="primary" onClick={() => void boot()}>
              {t.app.retry}
            </Button>
          </div>
        </AuthLayout>
      );
    case 'onboarding':
      return (
        <Onboarding
          onDone={(created) => {
            navigate('/customers', { replace: true });
            enter(created);
          }}
        />
      );
    case 'login':
      return <Login onDone={enter} />;
    case 'ready':
      return (
        <SessionProvider value={sessionValue!}>
          <Shell />
        </SessionProvider>
      );
  }
}
