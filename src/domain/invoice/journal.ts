import { findVatCode, VAT_CODES } from '../vat.js';
import { effectiveVat, type InvoiceTotals, toNokMinor } from './invoice-totals.js';

/**
 * The journal entry (bilag) of an issued invoice or credit note, in NOK øre
 * (shared/docs/norway-invoicing-rules.md §3.3, NS 4102 defaults):
 * debit 1500 receivables; credit revenue per account; credit output VAT per rate.
 * A credit note mirrors its invoice. The entry balances by construction.
 */

export interface AccountSettings {
  receivable: string;
  /** Output VAT account per VAT code that carries VAT. */
  outputVat: Record<string, string>;
  /** Default revenue account per VAT code, when neither line nor product names one. */
  revenueByVatCode: Record<string, string>;
}

export const DEFAULT_ACCOUNT_SETTINGS: AccountSettings = {
  receivable: '1500',
  outputVat: { '3': '2700', '31': '2701', '32': '2702', '33': '2703' },
  revenueByVatCode: Object.fromEntries(VAT_CODES.map((vat) => [vat.code, vat.defaultRevenueAccount])),
};

export interface JournalLine {
  account: string;
  debitMinor: number;
  creditMinor: number;
  /** SAF-T standard tax code of the posting, where it has one. */
  vatCode: string | null;
  description: string;
}

export interface JournalSourceLine {
  netMinor: number;
  vatCode: string;
  revenueAccount: string | null;
}

export function revenueAccountFor(
  line: { vatCode: string; revenueAccount: string | null },
  isVatRegistered: boolean,
  accounts: AccountSettings,
): string {
  if (line.revenueAccount) return line.revenueAccount;
  const code = effectiveVat(line.vatCode, isVatRegistered).vatCode;
  return accounts.revenueByVatCode[code] ?? findVatCode(code)?.defaultRevenueAccount ?? '3000';
}

export function buildJournalLines(input: {
  kind: 'invoice' | 'credit_note';
  documentLabel: string;
  lines: readonly JournalSourceLine[];
  totals: InvoiceTotals;
  isVatRegistered: boolean;
  exchangeRateMicros: number;
  accounts: AccountSettings;
}): JournalLine[] {
  const { totals, accounts } = input;
  const credits: JournalLine[] = [];

  for (const entry of totals.vatBreakdown) {
    // Revenue per account within this VAT code; the NOK amounts add up to the code's taxable NOK exactly.
    const byAccount = new Map<string, number>();
    for (const line of input.lines) {
      if (effectiveVat(line.vatCode, input.isVatRegistered).vatCode !== entry.vatCode) continue;
      const account = revenueAccountFor(line, input.isVatRegistered, accounts);
      byAccount.set(account, (byAccount.get(account) ?? 0) + line.netMinor);
    }
    const parts = [...byAccount.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([account, amount]) => ({ account, nok: toNokMinor(amount, input.exchangeRateMicros), amount }));
    const difference = entry.taxableNokMinor - parts.reduce((total, part) => total + part.nok, 0);
    if (parts.length > 0 && difference !== 0) {
      const largest = parts.reduce((best, part) => (Math.abs(part.amount) > Math.abs(best.amount) ? part : best));
      largest.nok += difference;
    }
    for (const part of parts) {
      if (part.nok === 0) continue;
      credits.push({ account: part.account, debitMinor: 0, creditMinor: part.nok, vatCode: entry.vatCode, description: `Salg mva-kode ${entry.vatCode}` });
    }
    if (entry.vatNokMinor !== 0) {
      const vatAccount = accounts.outputVat[entry.vatCode] ?? DEFAULT_ACCOUNT_SETTINGS.outputVat[entry.vatCode] ?? '2700';
      credits.push({ account: vatAccount, debitMinor: 0, creditMinor: entry.vatNokMinor, vatCode: entry.vatCode, description: `Utgående mva ${entry.rateBasisPoints / 100} %` });
    }
  }

  const receivable = credits.reduce((total, line) => total + line.creditMinor, 0);
  const lines: JournalLine[] = [
    { account: accounts.receivable, debitMinor: receivable, creditMinor: 0, vatCode: null, description: input.documentLabel },
    ...credits,
  ];
  // Negative postings (a deduction larger than the rest of its VAT code) move to the other side.
  const normalized = lines.map((line) => {
    const net = line.debitMinor - line.creditMinor;
    return { ...line, debitMinor: net > 0 ? net : 0, creditMinor: net < 0 ? -net : 0 };
  });
  if (input.kind === 'credit_note') {
    return normalized.map((line) => ({ ...line, debitMinor: line.creditMinor, creditMinor: line.debitMinor }));
  }
  return normalized;
}

export function isBalanced(lines: readonly JournalLine[]): boolean {
  const debit = lines.reduce((total, line) => total + line.debitMinor, 0);
  const credit = lines.reduce((total, line) => total + line.creditMinor, 0);
  return debit === credit;
}

/** A posted journal entry (bilag) as the application shows it; amounts in NOK øre. */
export interface JournalEntry {
  id: string;
  voucher: string;
  entryDate: string;
  description: string;
  sourceType: string;
  sourceId: string;
  isTest: boolean;
  lines: Array<{
    lineNumber: number;
    account: string;
    debitMinor: number;
    creditMinor: number;
    vatCode: string | null;
    customerId: string | null;
    description: string;
  }>;
  currency: 'NOK';
  createdAt: string;
}
