import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBankFile } from '../../src/adapters/bank/detect.js';
import { BankFileError, type BankFileWarningCode, type BankTransaction, type ParsedBankFile } from '../../src/domain/bank/bank-file.js';
import { CONFORMANCE_DIR, conformanceSetting } from '../helpers/conformance.js';

/**
 * Every sample in ../shared/conformance/bank (read in place, through CONFORMANCE_DIR)
 * checked against what its manifest says: accepted files give the manifest's payment
 * count, sums per currency, KIDs/creditor references and per-transaction values;
 * rejected files fail with an error naming the record or element; the warnings are
 * those the manifest's figures call for (amount details that disagree, batch counts,
 * foreign-currency entries, zero-filled KIDs) and no others.
 *
 * Without the samples the suite is skipped with a note; with CI=true it fails instead.
 */

const BANK_DIR = path.join(CONFORMANCE_DIR, 'bank');
const IS_CI = conformanceSetting().isCi;
const MANIFESTS = ['ocr', 'camt'].map((folder) => path.join(BANK_DIR, folder, 'manifest.json'));
const missingReason = MANIFESTS.every((file) => fs.existsSync(file))
  ? null
  : `bank samples not found under ${BANK_DIR} (set CONFORMANCE_DIR to the folder holding bank/ocr and bank/camt)`;
const skip = missingReason !== null && !IS_CI;
if (skip) console.warn(`[conformance] skipping "bank samples": ${missingReason}. With CI=true this is a failure instead.`);

interface OcrManifestTransaction {
  transaction_number: string;
  transaction_type: string;
  service_code: string;
  nets_date?: string | null;
  bank_date?: string | null;
  sign?: string;
  amount_ore?: number;
  kid: string | null;
  debit_account?: string;
  free_text?: string;
  quirks?: string[];
}

interface ControlCheck {
  num_transactions: { declared: number };
  num_records: { declared: number };
  total_amount_ore: { declared: number; convention?: string };
}

interface OcrManifestFile {
  file: string;
  sha256: string;
  expected_importer_outcome: string;
  payment_transactions: number;
  credit_transactions: number;
  negative_transactions: number;
  credited_sum_ore: number;
  negative_sum_ore: number;
  net_sum_ore: number;
  gross_sum_ore: number;
  kids: string[];
  kids_failing_mod10_and_mod11: string[];
  non_payment_items: { count: number; service_codes: string[] } | null;
  transmission: { transmission_number: string } | null;
  transmission_control_check: ControlCheck | string;
  assignments: Array<{ service_code: string; agreement_id: string | null; account?: string; assignment_account: string | null; control_check: ControlCheck | string }>;
  parse_errors: string[];
  transactions: OcrManifestTransaction[];
}

interface CamtManifestEntry {
  report: number;
  index: number;
  cdt_dbt: 'CRDT' | 'DBIT';
  reversal: boolean;
  status: string;
  amount_minor: number;
  currency: string;
  batch_nb_of_txs?: number[];
  tx_details: number;
}

interface CamtManifestTransaction {
  entry: string;
  source: string;
  is_payment: boolean;
  cdt_dbt: 'CRDT' | 'DBIT';
  entry_reversal: boolean;
  amount_minor?: number;
  currency?: string;
  booking_date?: string;
  value_date?: string;
  creditor_refs?: Array<{ type: string; ref: string }>;
  ustrd?: string[];
  debtor_name?: string;
  ultimate_debtor_name?: string;
  debtor_account?: string;
  end_to_end_id?: string;
  acct_svcr_ref?: string;
}

interface CamtManifestFile {
  file: string;
  sha256: string;
  expected_importer_outcome: string;
  format: string;
  version: string;
  namespace: string;
  accounts: Array<{ iban: string | null; other_id: string | null; currency: string | null; servicer_bic: string | null; servicer_name: string | null }> | null;
  transactions_total: number | null;
  payment_transactions: number | null;
  credited_sum_minor: Record<string, number>;
  debited_sum_minor: Record<string, number> | null;
  reversal_sum_minor: Record<string, number> | null;
  creditor_references: Array<{ type: string; ref: string }> | null;
  kids: string[] | null;
  parse_errors: string[];
  entry_list: CamtManifestEntry[];
  transaction_list: CamtManifestTransaction[];
}

function manifest<T>(folder: 'ocr' | 'camt'): T[] {
  if (missingReason !== null) return [];
  return (JSON.parse(fs.readFileSync(path.join(BANK_DIR, folder, 'manifest.json'), 'utf8')) as { files: T[] }).files;
}

const OCR_FILES = manifest<OcrManifestFile>('ocr');
const CAMT_FILES = manifest<CamtManifestFile>('camt');

function read(folder: 'ocr' | 'camt', file: string, sha256: string): Buffer {
  const bytes = fs.readFileSync(path.join(BANK_DIR, folder, file));
  expect(crypto.createHash('sha256').update(bytes).digest('hex'), `${file} differs from the manifest's copy`).toBe(sha256);
  return bytes;
}

function rejectionOf(bytes: Buffer, file: string): BankFileError {
  try {
    parseBankFile(bytes, file);
  } catch (error) {
    expect(error).toBeInstanceOf(BankFileError);
    return error as BankFileError;
  }
  throw new Error(`${file} was accepted; the manifest says it must be rejected`);
}

const isRejected = (outcome: string) => outcome.startsWith('reject');

function warningCodes(result: ParsedBankFile, codes: readonly BankFileWarningCode[]): string[] {
  return result.warnings.filter((warning) => codes.includes(warning.code)).map((warning) => `${warning.code} @ ${warning.location}`).sort();
}

function conventionOf(text: string | undefined): string {
  if (text === undefined) return 'unknown';
  if (text.startsWith('gross = net')) return 'gross_equals_net';
  if (text.startsWith('net')) return 'net';
  if (text.startsWith('gross')) return 'gross';
  return text;
}

function sums(result: ParsedBankFile, field: 'creditedMinor' | 'debitedMinor' | 'reversedMinor'): Record<string, number> {
  return Object.fromEntries(result.totals.filter((totals) => totals[field] !== 0).map((totals) => [totals.currency, totals[field]]));
}

describe.skipIf(skip)('bank samples (../shared/conformance/bank)', () => {
  it('are present, and every manifest lists files', () => {
    expect(missingReason).toBeNull();
    expect(OCR_FILES.length).toBeGreaterThan(0);
    expect(CAMT_FILES.length).toBeGreaterThan(0);
  });

  describe.skipIf(missingReason !== null)('OCR giro', () => {
    it.each(OCR_FILES.filter((entry) => isRejected(entry.expected_importer_outcome)).map((entry) => [entry.file, entry] as const))(
      '%s is rejected, naming the record',
      (file, entry) => {
        const error = rejectionOf(read('ocr', file, entry.sha256), file);
        expect(error.message).toMatch(/^(after )?record \d+: /);
        for (const problem of entry.parse_errors) {
          const line = /^line (\d+):/.exec(problem)?.[1];
          if (line !== undefined) expect(error.message.startsWith(`record ${line}: `), `${error.message} ↔ ${problem}`).toBe(true);
        }
      },
    );

    it.each(OCR_FILES.filter((entry) => !isRejected(entry.expected_importer_outcome)).map((entry) => [entry.file, entry] as const))(
      '%s is accepted as the manifest says',
      (file, entry) => {
        const result = parseBankFile(read('ocr', file, entry.sha256), file);
        expect(result.format).toBe('ocr_giro');
        expect(result.messageId).toBe(entry.transmission!.transmission_number);

        // Counts and sums.
        expect(result.transactions).toHaveLength(entry.payment_transactions);
        expect(result.transactions.filter((t) => t.amountMinor! > 0)).toHaveLength(entry.credit_transactions);
        expect(result.transactions.filter((t) => t.amountMinor! < 0)).toHaveLength(entry.negative_transactions);
        const nok = result.totals.find((totals) => totals.currency === 'NOK');
        expect(result.totals.every((totals) => totals.currency === 'NOK')).toBe(true);
        expect(nok?.creditedMinor ?? 0).toBe(entry.credited_sum_ore);
        expect(nok?.debitedMinor ?? 0).toBe(entry.negative_sum_ore);
        expect((nok?.creditedMinor ?? 0) - (nok?.debitedMinor ?? 0)).toBe(entry.net_sum_ore);
        expect((nok?.creditedMinor ?? 0) + (nok?.debitedMinor ?? 0)).toBe(entry.gross_sum_ore);

        // KIDs: exact strings, in order; the valid ones are the manifest's `kids`.
        expect(result.transactions.filter((t) => t.kidValid).map((t) => t.kid)).toEqual(entry.kids);
        expect(result.transactions.filter((t) => t.kid !== null && !t.kidValid).map((t) => t.kid)).toEqual(entry.kids_failing_mod10_and_mod11);

        // Each service-09 transaction.
        const expected = entry.transactions.filter((t) => t.service_code === '09');
        expect(result.transactions.map((t) => comparableOcr(t))).toEqual(
          expected.map((t) => ({
            transactionNumber: t.transaction_number,
            transactionType: t.transaction_type,
            netsDate: t.nets_date ?? null,
            bankDate: t.bank_date ?? null,
            sign: t.sign,
            amount: t.amount_ore,
            kid: t.kid === '' ? null : t.kid,
            payerAccount: t.debit_account === undefined || /^0*$/.test(t.debit_account) ? null : t.debit_account,
            freeText: t.free_text === undefined ? [] : [t.free_text.trim()],
            isReversal: t.transaction_type === '18' || t.transaction_type === '20',
            isPayment: t.transaction_type !== '18' && t.transaction_type !== '20',
          })),
        );

        // Control records: declared figures and the convention that matched.
        const transmission = entry.transmission_control_check as ControlCheck;
        expect(result.control!.transmission).toMatchObject({
          transactions: transmission.num_transactions.declared,
          records: transmission.num_records.declared,
          totalMinor: transmission.total_amount_ore.declared,
        });
        expect(
          result.control!.assignments.map((a) => [a.serviceCode, a.agreementId, a.account, a.transactions, a.records, a.totalMinor, a.convention]),
        ).toEqual(
          entry.assignments.map((a) => {
            const check = a.control_check as ControlCheck;
            return [
              a.service_code,
              a.agreement_id,
              a.assignment_account,
              check.num_transactions.declared,
              check.num_records.declared,
              check.total_amount_ore.declared,
              conventionOf(check.total_amount_ore.convention),
            ];
          }),
        );

        // Non-payment services are recognised with a note; nothing else is noted.
        if (entry.non_payment_items !== null) {
          expect(result.notes.map((note) => note.code)).toEqual(['avtalegiro_no_payments']);
          expect(result.notes[0]!.message).toContain(`with ${entry.non_payment_items.count} agreement/claim items`);
        } else {
          expect(result.notes).toEqual([]);
        }

        // Warnings: a zero-filled KID field exactly where the manifest notes one.
        const zeroFilled = expected
          .map((t, index) => ({ t, index }))
          .filter(({ t }) => (t.quirks ?? []).some((quirk) => quirk.includes('zero-filled')))
          .map(({ index }) => `kid_zero_filled @ ${result.transactions[index]!.location}`);
        expect(warningCodes(result, ['kid_zero_filled'])).toEqual(zeroFilled.sort());
        expect(result.warnings.filter((warning) => warning.code !== 'kid_zero_filled')).toEqual([]);
      },
    );
  });

  describe.skipIf(missingReason !== null)('camt.053 / camt.054', () => {
    it.each(CAMT_FILES.filter((entry) => isRejected(entry.expected_importer_outcome)).map((entry) => [entry.file, entry] as const))(
      '%s is rejected, naming the element',
      (file, entry) => {
        const error = rejectionOf(read('camt', file, entry.sha256), file);
        const message = entry.namespace.includes('camt.053') ? 'BkToCstmrStmt' : 'BkToCstmrDbtCdtNtfctn';
        expect(error.location).toBe(`Document/${message}`);
        expect(error.message).toContain(entry.version);
      },
    );

    it.each(CAMT_FILES.filter((entry) => !isRejected(entry.expected_importer_outcome)).map((entry) => [entry.file, entry] as const))(
      '%s is accepted as the manifest says',
      (file, entry) => {
        const result = parseBankFile(read('camt', file, entry.sha256), file);
        const [, kind, version] = /^camt\.(05[34])\.(001\.\d{2})$/.exec(entry.version)!;
        expect([result.format, result.version]).toEqual([`camt.${kind}`, version]);

        // Payments and sums per currency (entry amounts: what reached the account).
        const payments = result.transactions.filter((t) => t.isPayment);
        expect(payments).toHaveLength(entry.payment_transactions!);
        expect(result.transactions).toHaveLength(entry.transactions_total!);
        expect(sums(result, 'creditedMinor')).toEqual(entry.credited_sum_minor);
        expect(sums(result, 'debitedMinor')).toEqual(entry.debited_sum_minor ?? {});
        expect(sums(result, 'reversedMinor')).toEqual(entry.reversal_sum_minor ?? {});

        // References of the payments: all CdtrRefInf/Ref in order; valid KIDs.
        expect(payments.flatMap((t) => t.creditorReferences.map((reference) => reference.ref))).toEqual(
          (entry.creditor_references ?? []).map((reference) => reference.ref),
        );
        expect(payments.filter((t) => t.kidValid).map((t) => t.kid)).toEqual(entry.kids ?? []);

        // Accounts.
        expect(result.accounts.map((a) => [a.iban, a.otherId, a.currency, a.servicerBic, a.servicerName])).toEqual(
          (entry.accounts ?? []).map((a) => [a.iban, a.other_id, a.currency, a.servicer_bic, a.servicer_name]),
        );

        // Every transaction, in file order.
        expect(result.transactions.map(comparableCamt)).toEqual(entry.transaction_list.map(expectedCamt));

        // Warnings exactly where the manifest's figures call for them.
        expect(
          warningCodes(result, ['amount_details_mismatch', 'batch_count_mismatch', 'currency_differs_from_account', 'batch_without_details']),
        ).toEqual(expectedCamtWarnings(entry));
        expect(result.warnings.filter((warning) => warning.code === 'unreadable_value' || warning.code === 'details_direction_mismatch')).toEqual([]);
      },
    );
  });
});

function comparableOcr(t: BankTransaction) {
  return {
    transactionNumber: t.ocr!.transactionNumber,
    transactionType: t.transactionType,
    netsDate: t.bookingDate,
    bankDate: t.ocr!.bankDate,
    sign: t.ocr!.sign,
    amount: Math.abs(t.amountMinor!),
    kid: t.kid,
    payerAccount: t.payerAccount,
    freeText: t.freeText,
    isReversal: t.isReversal,
    isPayment: t.isPayment,
  };
}

function entryPath(entry: string): string {
  const [report, index] = entry.split('/').map(Number) as [number, number];
  return `[${report + 1}]/Ntry[${index + 1}]`;
}

function comparableCamt(t: BankTransaction) {
  const camt = t.camt!;
  const hasDetailAmount = camt.detailAmountMinor !== null;
  return {
    location: t.location.replace(/^.*?(\[\d+\]\/Ntry\[\d+\]).*?(TxDtls\[\d+\])?$/, '$1 $2').trim(),
    direction: t.direction,
    isReversal: t.isReversal,
    isPayment: t.isPayment,
    amount: hasDetailAmount ? [Math.abs(camt.detailAmountMinor!), camt.detailCurrency] : camt.detailsInEntry > 1 ? null : [Math.abs(t.amountMinor!), t.currency],
    bookingDate: t.bookingDate,
    valueDate: t.valueDate,
    references: t.creditorReferences,
    freeText: t.freeText,
    payerName: t.payerName,
    ultimateDebtorName: camt.ultimateDebtorName,
    payerAccount: t.payerAccount,
    endToEndId: t.endToEndId,
    servicerReference: camt.accountServicerReference ?? camt.entryAccountServicerReference,
  };
}

function expectedCamt(t: CamtManifestTransaction) {
  return {
    location: `${entryPath(t.entry)} ${t.source}`.trim(),
    direction: t.cdt_dbt === 'CRDT' ? 'credit' : 'debit',
    isReversal: t.entry_reversal,
    isPayment: t.is_payment,
    amount: t.amount_minor === undefined ? null : [t.amount_minor, t.currency],
    bookingDate: t.booking_date?.slice(0, 10) ?? null,
    valueDate: t.value_date?.slice(0, 10) ?? null,
    references: t.creditor_refs ?? [],
    freeText: (t.ustrd ?? []).map((text) => text.trim()),
    payerName: t.debtor_name ?? null,
    ultimateDebtorName: t.ultimate_debtor_name ?? null,
    payerAccount: t.debtor_account ?? null,
    endToEndId: t.end_to_end_id ?? null,
    servicerReference: t.acct_svcr_ref ?? null,
  };
}

/**
 * The warnings a manifest's figures call for: booked entries in another currency than a
 * known account currency; for credits and reversals, TxDtls whose amounts are missing (in a
 * batch), in another currency or not adding up to the entry, and Btch/NbOfTxs differing from
 * the TxDtls count (or a batch without TxDtls).
 */
function expectedCamtWarnings(entry: CamtManifestFile): string[] {
  const expected: string[] = [];
  for (const e of entry.entry_list) {
    if (e.status !== 'BOOK') continue;
    const accountCurrency = entry.accounts?.[e.report]?.currency ?? null;
    if (accountCurrency !== null && e.currency !== accountCurrency) expected.push(`currency_differs_from_account @ ${location(entry, e)}/Amt`);
    const relevant = e.cdt_dbt === 'CRDT' || e.reversal;
    if (!relevant) continue;
    const details = entry.transaction_list.filter((t) => t.entry === `${e.report}/${e.index}`);
    const batch = e.batch_nb_of_txs === undefined ? null : e.batch_nb_of_txs.reduce((sum, n) => sum + n, 0);
    if (details.length === 0) {
      if (batch !== null && batch > 1) expected.push(`batch_without_details @ ${location(entry, e)}`);
      continue;
    }
    const missing = details.filter((t) => t.amount_minor === undefined).length;
    const foreign = details.filter((t) => t.amount_minor !== undefined && t.currency !== e.currency).length;
    const sum = details.reduce((total, t) => total + (t.amount_minor ?? 0), 0);
    if ((missing > 0 && details.length > 1) || foreign > 0 || (missing === 0 && sum !== e.amount_minor)) {
      expected.push(`amount_details_mismatch @ ${location(entry, e)}/NtryDtls`);
    }
    if (batch !== null && batch !== details.length) expected.push(`batch_count_mismatch @ ${location(entry, e)}/NtryDtls`);
  }
  return expected.sort();
}

function location(entry: CamtManifestFile, e: CamtManifestEntry): string {
  const [message, report] = entry.version.startsWith('camt.053') ? ['BkToCstmrStmt', 'Stmt'] : ['BkToCstmrDbtCdtNtfctn', 'Ntfctn'];
  return `Document/${message}/${report}[${e.report + 1}]/Ntry[${e.index + 1}]`;
}
