import type { InvoiceTotals, VatBreakdownEntry } from './invoice-totals.js';

/**
 * A credit note that takes the last of an invoice's lines of a VAT code must
 * bring that code to exactly zero, in the currency and in NOK. Computed afresh,
 * partial credits could differ from the invoice by an øre of rounding; such a
 * credit therefore uses what is left of the code (`remainingByCode` holds the
 * codes to settle; the others keep their computed amounts).
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
