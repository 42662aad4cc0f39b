import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useDebounced } from '../hooks';
import { problemText, useI18n } from '../i18n';

/**
 * A search box that lists matches under it (ARIA combobox with a listbox):
 * type (or click, or press ↓) to search, arrow keys and Enter or a click to
 * pick. Focus alone does not open the list, so an error under the box stays
 * visible when focus is moved there. What was picked is shown by the parent;
 * the box itself is cleared after a pick.
 */
export interface SearchPickerProps<T> {
  label: ReactNode;
  search(query: string, signal: AbortSignal): Promise<T[]>;
  optionKey(item: T): string;
  renderOption(item: T): ReactNode;
  onPick(item: T): void;
  placeholder?: string | undefined;
  hint?: ReactNode | undefined;
  error?: string | undefined;
  disabled?: boolean | undefined;
  id?: string | undefined;
  className?: string | undefined;
  autoFocus?: boolean | undefined;
}

export function SearchPicker<T>({
  label,
  search,
  optionKey,
  renderOption,
  onPick,
  placeholder,
  hint,
  error,
  disabled,
  id,
  className,
  autoFocus,
}: SearchPickerProps<T>) {
  const { t } = useI18n();
  const autoId = useId();
  const fieldId = id ?? autoId;
  const listId = `${fieldId}-list`;
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<T[]>([]);
  const [status, setStatus] = useState<'loading' | 'ready' | 'error'>('loading');
  const [failure, setFailure] = useState<unknown>(null);
  const [active, setActive] = useState(-1);
  const query = useDebounced(text.trim(), 200);
  const searchRef = useRef(search);
  searchRef.current = search;

  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    setStatus('loading');
    searchRef.current(query, controller.signal).then(
      (found) => {
        if (controller.signal.aborted) return;
        setItems(found);
        setActive(found.length > 0 ? 0 : -1);
        setStatus('ready');
      },
      (cause: unknown) => {
        if (controller.signal.aborted) return;
        setFailure(cause);
        setStatus('error');
      },
    );
    return () => controller.abort();
  }, [query, open]);

  function pick(item: T) {
    setText('');
    setOpen(false);
    onPick(item);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      if (!open) setOpen(true);
      else setActive((index) => Math.min(items.length - 1, index + 1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((index) => Math.max(0, index - 1));
    } else if (event.key === 'Enter') {
      if (open && active >= 0 && items[active] && status === 'ready') {
        event.preventDefault();
        pick(items[active]);
      }
    } else if (event.key === 'Escape') {
      if (open) {
        event.preventDefault();
        setOpen(false);
      }
    }
  }

  const describedBy = [error ? `${fieldId}-error` : null, hint ? `${fieldId}-hint` : null].filter(Boolean).join(' ') || undefined;
  const showList = open && !disabled;
  return (
    <div className={`field picker${error ? ' field--invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label className="field__label" htmlFor={fieldId}>
        {label}
      </label>
      <div className="picker__box">
        <input
          id={fieldId}
          className="input"
          type="text"
          role="combobox"
          aria-expanded={showList}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={showList && active >= 0 && status === 'ready' ? `${listId}-${active}` : undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          autoComplete="off"
          placeholder={placeholder}
          value={text}
          disabled={disabled}
          autoFocus={autoFocus}
          onChange={(event) => {
            setText(event.target.value);
            setOpen(true);
          }}
          onClick={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
        />
        {showList ? (
          <div className="picker__popup">
            {status === 'loading' && items.length === 0 ? <p className="picker__note">{t.invoiceForm.searching}</p> : null}
            {status === 'error' ? <p className="picker__note picker__note--error">{problemText(t, failure)}</p> : null}
            {status === 'ready' && items.length === 0 ? <p className="picker__note">{t.invoiceForm.noMatches}</p> : null}
            <ul id={listId} role="listbox" className="picker__list" aria-label={typeof label === 'string' ? label : undefined}>
              {items.map((item, index) => (
                <li
                  key={optionKey(item)}
                  id={`${listId}-${index}`}
                  role="option"
                  aria-selected={index === active}
                  className={`picker__option${index === active ? ' picker__option--active' : ''}`}
                  onMouseDown={(event) => event.preventDefault()}
                  onMouseEnter={() => setActive(index)}
                  onClick={() => pick(item)}
                >
                  {renderOption(item)}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </div>
      {hint ? (
        <p className="field__hint" id={`${fieldId}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field__error" id={`${fieldId}-error`}>
          <span aria-hidden="true" className="field__error-icon">
            !
          </span>
          {error}
        </p>
      ) : null}
    </div>
  );
}
