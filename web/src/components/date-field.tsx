import { formatDate, inputToDate } from '../format';
import { useI18n } from '../i18n';
import { TextField, type TextFieldProps } from './fields';

/**
 * A date typed the Norwegian way (dd.mm.åååå), whatever the browser's locale.
 * The parent keeps the text; `inputToDate` turns it into YYYY-MM-DD when saving.
 * Leaving the field tidies a readable date ("1.2.26") into "01.02.2026".
 */
export function DateField({ onBlur, placeholder, ...props }: TextFieldProps) {
  const { t } = useI18n();
  return (
    <TextField
      {...props}
      className={`field--date${props.className ? ` ${props.className}` : ''}`}
      placeholder={placeholder ?? t.invoiceForm.datePlaceholder}
      autoComplete="off"
      onBlur={(event) => {
        const iso = inputToDate(props.value);
        if (iso) props.onChange(formatDate(iso));
        onBlur?.(event);
      }}
    />
  );
}
