import {
  useCallback,
  useEffect,
  useRef,
  useState,
  useSyncExternalStore,
  type ComponentProps,
  type ReactNode,
  type RefObject,
} from 'react';
import { ApiError } from '../api/client';
import { fieldErrorText, problemText, useI18n } from '../i18n';

type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'ghost';

export function Button({
  variant = 'secondary',
  className,
  type = 'button',
  ...rest
}: ComponentProps<'button'> & { variant?: ButtonVariant }) {
  return <button type={type} className={`btn btn--${variant}${className ? ` ${className}` : ''}`} {...rest} />;
}

export function PageHeader({ title, actions, children }: { title: ReactNode; actions?: ReactNode; children?: ReactNode }) {
  return (
    <div className="page-header">
      <div className="page-header__text">
        <h1 className="page-header__title">{title}</h1>
        {children ? <p className="page-header__intro">{children}</p> : null}
      </div>
      {actions ? <div className="page-header__actions">{actions}</div> : null}
    </div>
  );
}

export function Alert({ kind = 'error', title, children }: { kind?: 'error' | 'warning' | 'info' | 'success'; title?: ReactNode; children?: ReactNode }) {
  return (
    <div className={`alert alert--${kind}`} role={kind === 'error' || kind === 'warning' ? 'alert' : 'status'}>
      {title ? <p className="alert__title">{title}</p> : null}
      {children ? <div className="alert__body">{children}</div> : null}
    </div>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {t.app.loading}
    </p>
  );
}

export function Badge({ tone = 'neutral', children }: { tone?: 'neutral' | 'accent' | 'success' | 'warning' | 'danger'; children: ReactNode }) {
  return <span className={`badge badge--${tone}`}>{children}</span>;
}

/**
 * The API error of the last submit, and the field errors in it keyed by path.
 * `fieldPaths` lists the paths the form shows beside fields; other issues are
 * listed in the form's alert so nothing is lost.
 */
export function useApiErrors() {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>(null);

  const field = useCallback(
    (path: string): string | undefined => {
      if (!(error instanceof ApiError)) return undefined;
      const issue = error.fieldErrors.find((entry) => entry.path === path);
      return issue ? fieldErrorText(t, issue) : undefined;
    },
    [error, t],
  );

  return { error, setError, clear: () => setError(null), field };
}

/** The alert over a form: the problem sentence, plus issues that have no field on the form. */
export function FormAlert({ error, fieldPaths }: { error: unknown; fieldPaths: readonly string[] }) {
  const { t } = useI18n();
  if (!error) return null;
  const orphaned =
    error instanceof ApiError ? error.fieldErrors.filter((issue) => !fieldPaths.includes(issue.path)) : [];
  return (
    <Alert kind="error" title={problemText(t, error)}>
      {orphaned.length > 0 ? (
        <ul className="alert__list">
          {orphaned.map((issue) => (
            <li key={`${issue.path}:${issue.code}`}>
              {issue.path ? <code>{issue.path}</code> : null} {fieldErrorText(t, issue)}
            </li>
          ))}
        </ul>
      ) : null}
    </Alert>
  );
}

/** After a failed submit, moves focus to the first invalid field so keyboard and screen-reader users land on it. */
export function useFocusFirstError(formRef: RefObject<HTMLFormElement | null>, error: unknown) {
  useEffect(() => {
    if (!error || !formRef.current) return;
    const invalid = formRef.current.querySelector<HTMLElement>('[aria-invalid="true"]');
    invalid?.focus();
  }, [error, formRef]);
}

/** A button that asks "are you sure?" inline before doing something destructive. */
export function ConfirmAction({
  label,
  question,
  confirmLabel,
  onConfirm,
  variant = 'danger',
  disabled,
}: {
  label: string;
  question: string;
  confirmLabel?: string;
  onConfirm(): Promise<void> | void;
  variant?: ButtonVariant;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);

  if (!asking) {
    return (
      <Button variant={variant === 'danger' ? 'ghost' : variant} className={variant === 'danger' ? 'btn--danger-text' : undefined} onClick={() => setAsking(true)} disabled={disabled}>
        {label}
      </Button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={question}>
      <span className="confirm__question">{question}</span>
      <Button
        ref={confirmRef}
        variant={variant}
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            await onConfirm();
          } finally {
            setBusy(false);
            setAsking(false);
          }
        }}
      >
        {confirmLabel ?? label}
      </Button>
      <Button variant="ghost" onClick={() => setAsking(false)} disabled={busy}>
        {t.common.cancel}
      </Button>
    </span>
  );
}

// ---- Toasts: short confirmations that survive a navigation ----

interface Toast {
  id: number;
  text: string;
  kind: 'success' | 'error';
}

let toasts: Toast[] = [];
let nextToastId = 1;
const toastListeners = new Set<() => void>();

function emitToasts() {
  for (const listener of toastListeners) listener();
}

export function notify(text: string, kind: Toast['kind'] = 'success'): void {
  const toast = { id: nextToastId++, text, kind };
  toasts = [...toasts, toast];
  emitToasts();
  window.setTimeout(() => dismissToast(toast.id), 6000);
}

function dismissToast(id: number) {
  toasts = toasts.filter((toast) => toast.id !== id);
  emitToasts();
}

function subscribeToasts(listener: () => void) {
  toastListeners.add(listener);
  return () => toastListeners.delete(listener);
}

export function Toaster() {
  const { t } = useI18n();
  const current = useSyncExternalStore(subscribeToasts, () => toasts, () => toasts);
  return (
    <div className="toaster" role="status" aria-live="polite">
      {current.map((toast) => (
        <div key={toast.id} className={`toast toast--${toast.kind}`}>
          <span>{toast.text}</span>
          <button type="button" className="toast__close" aria-label={t.common.close} onClick={() => dismissToast(toast.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
