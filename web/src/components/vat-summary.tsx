import type { InvoiceTotals, VatBreakdownLine } from '../api/types';
import { formatMinor, formatMoney, formatPercent } from '../format';
import { fill, useI18n } from '../i18n';

/** A document-level allowance or charge as a row of the totals (net signed: an allowance is negative). */
export interface SummaryAllowanceCharge {
  key: string;
  type: 'allowance' | 'charge';
  reason: string | null;
  /** Set when given as a percentage ("10", "2.5"). */
  percent: string | null;
  /** Null while it cannot be computed (shown as —). */
  netMinor: number | null;
}

/**
 * The VAT breakdown (grunnlag, sats, mva per VAT code) and the document totals.
 * A foreign-currency document also shows every figure in NOK, as VAT must be.
 */
export function VatSummary({
  breakdown,
  totals,
  currency,
  note,
  live,
  allowanceCharges = [],
}: {
  breakdown: readonly VatBreakdownLine[];
  totals: InvoiceTotals;
  currency: string;
  note?: string | undefined;
  /** Figures computed in the browser while typing (announced politely to screen readers). */
  live?: boolean | undefined;
  /** Document-level allowances and charges: shown between "Sum linjer" and "Sum eks. mva". */
  allowanceCharges?: readonly SummaryAllowanceCharge[] | undefined;
}) {
  const { t } = useI18n();
  const s = t.totals;
  const a = t.allowances;
  const foreign = currency !== 'NOK';
  return (
    <div className="vat-summary" aria-live={live ? 'polite' : undefined}>
      <div className="table-wrap">
        <table className="table table--dense">
          <caption className="table__caption">{s.vatBreakdown}</caption>
          <thead>
            <tr>
              <th scope="col">{s.vatCode}</th>
              <th scope="col" className="num">
                {s.base}
              </th>
              <th scope="col" className="num">
                {s.rate}
              </th>
              <th scope="col" className="num">
                {s.vat}
              </th>
              {foreign ? (
                <>
                  <th scope="col" className="num">
                    {fill(s.nok, { label: s.base })}
                  </th>
                  <th scope="col" className="num">
                    {fill(s.nok, { label: s.vat })}
                  </th>
                </>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {breakdown.map((entry) => (
              <tr key={entry.vatCode} data-vat-code={entry.vatCode}>
                <td>{entry.vatCode}</td>
                <td className="num">{formatMinor(entry.taxableMinor)}</td>
                <td className="num">{formatPercent(entry.ratePercent)}</td>
                <td className="num">{formatMinor(entry.vatMinor)}</td>
                {foreign ? (
                  <>
                    <td className="num">{formatMinor(entry.taxableNokMinor)}</td>
                    <td className="num">{formatMinor(entry.vatNokMinor)}</td>
                  </>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <table className="sum-table">
        <caption className="visually-hidden">{t.invoiceForm.totalsSection}</caption>
        <tbody>
          {allowanceCharges.length > 0 ? (
            <>
              <tr>
                <th scope="row">{a.lineTotal}</th>
                <td className="num">{formatMoney(totals.lineTotalMinor, currency)}</td>
                {foreign ? <td /> : null}
              </tr>
              {allowanceCharges.map((entry) => (
                <tr key={entry.key} data-allowance-charge={entry.type}>
                  <th scope="row">
                    {fill(a.totalRow, { type: entry.type === 'allowance' ? a.allowance : a.charge, reason: entry.reason ?? '' })}
                    {entry.percent ? <span className="muted"> ({formatPercent(entry.percent)})</span> : null}
                  </th>
                  <td className="num">{entry.netMinor === null ? '—' : formatMoney(entry.netMinor, currency)}</td>
                  {foreign ? <td /> : null}
                </tr>
              ))}
            </>
          ) : null}
          <tr>
            <th scope="row">{s.net}</th>
            <td className="num">{formatMoney(totals.netMinor, currency)}</td>
            {foreign ? <td className="num muted">{formatMoney(totals.netNokMinor)}</td> : null}
          </tr>
          <tr>
            <th scope="row">{s.vatTotal}</th>
            <td className="num">{formatMoney(totals.vatMinor, currency)}</td>
            {foreign ? <td className="num muted">{formatMoney(totals.vatNokMinor)}</td> : null}
          </tr>
          <tr className="sum-table__total">
            <th scope="row">{s.gross}</th>
            <td className="num">{formatMoney(totals.grossMinor, currency)}</td>
            {foreign ? <td className="num muted">{formatMoney(totals.grossNokMinor)}</td> : null}
          </tr>
        </tbody>
      </table>
      {note ? <p className="field__hint">{note}</p> : null}
    </div>
  );
}
