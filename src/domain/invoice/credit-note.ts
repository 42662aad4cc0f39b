import type { InvoiceTotals, VatBreakdownEntry } from './invoice-totals.js';

/**
 * A credit note that takes the last of an invoice's lines must bring every VAT
 * code of the invoice to exactly zero, in the currency and in NOK. Computed
 * afresh, partial credits could differ from the invoice by an øre of rounding;
 * the final credit therefore uses what is left per VAT code.
 */
export function finalCreditTotals(
  totals: InvoiceTotals,
  remainingByCode: ReadonlyMap<string, Pick<VatBreakdownEntry, 'taxableMinor' | 'vatMinor' | 'taxableNokMinor' | 'vatNokMinor'>>,
): InvoiceTotals {
  const vatBreakdown = totals.vatBreakdown.map((entry) => {
    const remaining = remainingByCode.get(entry.vatCode);
    return remaining ? { ...entry, ...remaining } : entry;
  });
  const sum = (pick: (entry: VatBreakdownEntry) => number) => vatBreakdown.reduce((total, entry) => total + pick(entry), 0);
  const netTotalMinor = sum((entry) => entry.taxableMinor);
  const vatTotalMinor = sum((entry) => entry.vatMinor);
  const netTotalNokMinor = sum((entry) => entry.taxableNokMinor);
  const vatTotalNokMinor = sum((entry) => entry.vatNokMinor);
  return {
    ...totals,
    vatBreakdown,
    netTotalMinor,
    vatTotalMinor,
    grossTotalMinor: netTotalMinor + vatTotalMinor,
    payableMinor: netTotalMinor + vatTotalMinor,
    netTotalNokMinor,
    vatTotalNokMinor,
    grossTotalNokMinor: netTotalNokMinor + vatTotalNokMinor,
  };
}
