import { useRef, useState, type FormEvent } from 'react';
import { ApiError, localValidationError } from '../api/client';
import { api } from '../api/endpoints';
import type { CreditNoteInput, Invoice } from '../api/types';
import { CheckboxField, RadioGroup, TextField } from '../components/fields';
import { Alert, Button, useApiErrors, useFocusFirstError } from '../components/ui';
import { formatMinor, formatPercent, formatQuantity, inputToDecimal } from '../format';
import { useLoad } from '../hooks';
import { fieldErrorText, fill, problemText, useI18n } from '../i18n';
import { allowanceCreditAmount } from '../invoice-math';
import { orNull } from '../text';

type Mode = 'full' | 'quantity' | 'amount';

interface Choice {
  picked: boolean;
  mode: Mode;
  value: string;
}

/**
 * "Krediter": a credit note for the whole remaining invoice, or for chosen lines
 * (each wholly, by quantity or by net amount) and allowances/charges (wholly or by
 * amount), with an optional reason.
 */
export function CreditNoteForm({
  invoice,
  onCancel,
  onDone,
}: {
  invoice: Invoice;
  onCancel(): void;
  onDone(creditNote: Invoice): void;
}) {
  const { t } = useI18n();
  const c = t.creditNote;
  const a = t.allowances;
  const [scope, setScope] = useState<'full' | 'lines'>('full');
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [sentIds, setSentIds] = useState<string[]>([]);
  const errors = useApiErrors();
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, errors.error);

  // What is left of each line after earlier credit notes.
  const [credited] = useLoad(`credited:${invoice.id}:${invoice.creditNotes.map((note) => note.id).join(',')}`, async () => {
    const notes = await Promise.all(invoice.creditNotes.map((note) => api.invoice(note.id)));
    const byLine = new Map<string, number>();
    for (const note of notes) {
      for (const line of [...note.lines, ...note.allowanceCharges]) {
        if (line.creditedLineId) byLine.set(line.creditedLineId, (byLine.get(line.creditedLineId) ?? 0) + line.netMinor);
      }
    }
    return byLine;
  });
  const remainingOf = (lineId: string, net: number) =>
    credited.status === 'ready' ? net - (credited.data.get(lineId) ?? 0) : net;

  const choiceOf = (lineId: string): Choice => choices[lineId] ?? { picked: false, mode: 'full', value: '' };
  const setChoice = (lineId: string, change: Partial<Choice>) =>
    setChoices((all) => ({ ...all, [lineId]: { ...choiceOf(lineId), ...change } }));

  /** Errors of the API refer to the lines as sent (lines.0 …); map them back to invoice lines. */
  function lineError(lineId: string): string | undefined {
    const index = sentIds.indexOf(lineId);
    if (index < 0 || !(errors.error instanceof ApiError)) return undefined;
    const texts = errors.error.fieldErrors
      .filter((issue) => issue.path === `lines.${index}` || issue.path.startsWith(`lines.${index}.`))
      .map((issue) => fieldErrorText(t, issue));
    return texts.length > 0 ? texts.join(' ') : undefined;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    errors.clear();
    const input: CreditNoteInput = {};
    const text = orNull(reason);
    if (text) input.reason = text;
    if (scope === 'lines') {
      const picked = invoice.lines.filter((line) => choiceOf(line.id).picked);
      const pickedAllowances = invoice.allowanceCharges.filter((entry) => choiceOf(entry.id).picked);
      if (picked.length === 0 && pickedAllowances.length === 0) {
        errors.setError(localValidationError([{ path: 'lines', code: 'required', message: c.noLinesChosen }]));
        return;
      }
      setSentIds([...picked.map((line) => line.id), ...pickedAllowances.map((entry) => entry.id)]);
      input.lines = picked.map((line) => {
        const choice = choiceOf(line.id);
        const value = inputToDecimal(choice.value);
        if (choice.mode === 'quantity') return { invoiceLineId: line.id, quantity: value };
        if (choice.mode === 'amount') return { invoiceLineId: line.id, amount: value };
        return { invoiceLineId: line.id };
      });
      for (const entry of pickedAllowances) {
        const choice = choiceOf(entry.id);
        input.lines.push(
          choice.mode === 'amount'
            ? { invoiceLineId: entry.id, amount: allowanceCreditAmount(entry.type, choice.value) }
            : { invoiceLineId: entry.id },
        );
      }
    }
    setBusy(true);
    try {
      onDone(await api.createCreditNote(invoice.id, input));
    } catch (error) {
      errors.setError(error);
      setBusy(false);
    }
  }

  const linesError = errors.error instanceof ApiError ? errors.error.fieldError('lines') : undefined;
  return (
    <form ref={formRef} onSubmit={submit} noValidate className="form form--page credit-form" aria-labelledby="credit-form-title">
      <h2 className="section-title" id="credit-form-title">
        {fill(c.title, { number: invoice.documentNumber ?? '' })}
      </h2>
      <p className="muted">{c.intro}</p>
      {errors.error ? (
        <Alert kind="error" title={linesError ? linesError.message : problemText(t, errors.error)} />
      ) : null}
      <RadioGroup
        legend={c.scope}
        name="credit-scope"
        value={scope}
        onChange={(value) => setScope(value === 'lines' ? 'lines' : 'full')}
        options={[
          { value: 'full', label: c.full },
          { value: 'lines', label: c.choose },
        ]}
      />
      {scope === 'lines' ? (
        <ol className="credit-lines">
          {invoice.lines.map((line, index) => {
            const n = index + 1;
            const choice = choiceOf(line.id);
            const remaining = remainingOf(line.id, line.netMinor);
            const done = remaining === 0;
            return (
              <li key={line.id} className={`credit-line${done ? ' credit-line--done' : ''}`}>
                <CheckboxField
                  label={
                    <>
                      {fill(c.pick, { n })}: {line.description}{' '}
                      <span className="muted small">
                        ({formatQuantity(line.quantity)} · {formatMinor(line.netMinor)}; {c.remaining} {formatMinor(remaining)})
                      </span>
                    </>
                  }
                  checked={choice.picked}
                  disabled={done}
                  onChange={(picked) => setChoice(line.id, { picked })}
                  error={choice.picked && choice.mode === 'full' ? lineError(line.id) : undefined}
                />
                {choice.picked ? (
                  <div className="credit-line__detail">
                    <RadioGroup
                      legend={c.mode}
                      name={`credit-mode-${line.id}`}
                      value={choice.mode}
                      onChange={(mode) => setChoice(line.id, { mode: mode === 'quantity' || mode === 'amount' ? mode : 'full' })}
                      options={[
                        { value: 'full', label: c.modeFull },
                        { value: 'quantity', label: c.modeQuantity },
                        { value: 'amount', label: c.modeAmount },
                      ]}
                    />
                    {choice.mode !== 'full' ? (
                      <TextField
                        className="field--money credit-line__value"
                        label={fill(choice.mode === 'quantity' ? c.quantity : c.amount, { n })}
                        value={choice.value}
                        onChange={(value) => setChoice(line.id, { value })}
                        inputMode="decimal"
                        error={lineError(line.id)}
                      />
                    ) : null}
                  </div>
                ) : null}
              </li>
            );
          })}
        </ol>
      ) : null}
      {scope === 'lines' && invoice.allowanceCharges.length > 0 ? (
        <>
          <h3 className="party__subtitle">{a.credit.section}</h3>
          <ol className="credit-lines">
            {invoice.allowanceCharges.map((entry, index) => {
              const n = index + 1;
              const choice = choiceOf(entry.id);
              const remaining = remainingOf(entry.id, entry.netMinor);
              const done = remaining === 0;
              return (
                <li key={entry.id} className={`credit-line${done ? ' credit-line--done' : ''}`} data-allowance-charge={entry.type}>
                  <CheckboxField
                    label={
                      <>
                        {fill(a.credit.pick, { n })}: {entry.type === 'allowance' ? a.allowance : a.charge} – {entry.reason}
                        {entry.percent ? ` (${formatPercent(entry.percent)})` : ''}{' '}
                        <span className="muted small">
                          ({formatMinor(entry.netMinor)}; {c.remaining} {formatMinor(remaining)})
                        </span>
                      </>
                    }
                    checked={choice.picked}
                    disabled={done}
                    onChange={(picked) => setChoice(entry.id, { picked })}
                    error={choice.picked && choice.mode === 'full' ? lineError(entry.id) : undefined}
                  />
                  {choice.picked ? (
                    <div className="credit-line__detail">
                      <RadioGroup
                        legend={c.mode}
                        name={`credit-mode-${entry.id}`}
                        value={choice.mode === 'amount' ? 'amount' : 'full'}
                        onChange={(mode) => setChoice(entry.id, { mode: mode === 'amount' ? 'amount' : 'full' })}
                        options={[
                          { value: 'full', label: c.modeFull },
                          { value: 'amount', label: c.modeAmount },
                        ]}
                      />
                      {choice.mode === 'amount' ? (
                        <TextField
                          className="field--money credit-line__value"
                          label={fill(a.credit.amount, { n })}
                          hint={entry.type === 'allowance' ? a.credit.amountHint : undefined}
                          value={choice.value}
                          onChange={(value) => setChoice(entry.id, { value })}
                          inputMode="decimal"
                          error={lineError(entry.id)}
                        />
                      ) : null}
                    </div>
                  ) : null}
                </li>
              );
            })}
          </ol>
        </>
      ) : null}
      <TextField label={c.reason} value={reason} onChange={setReason} hint={c.reasonHint} optional={t.common.optional} maxLength={500} />
      <div className="form-actions">
        <Button type="submit" variant="primary" disabled={busy}>
          {busy ? c.submitting : c.submit}
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={busy}>
          {t.common.cancel}
        </Button>
      </div>
    </form>
  );
}
