import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFORMANCE_DIR, conformanceSetting } from '../helpers/conformance.js';
import { DIALECTS } from '../helpers/dialects.js';
import { customerBody } from '../helpers/factories.js';
import { type Caller, createHarness, createTenant, type Harness, json } from '../helpers/harness.js';

/**
 * Bank file import over HTTP: every shared sample as its manifest says (accepted with its
 * payment count and credited sum, or rejected naming the record/element), and imported a
 * second time books nothing; a generated camt.054 whose payments match by KID, by invoice
 * number in the text, or wait for review and are matched by hand; an overlapping file books
 * only what is new.
 */

const BANK_DIR = path.join(CONFORMANCE_DIR, 'bank');
const IS_CI = conformanceSetting().isCi;
const samplesPresent = ['ocr', 'camt'].every((folder) => fs.existsSync(path.join(BANK_DIR, folder, 'manifest.json')));
if (!samplesPresent && !IS_CI) console.warn(`[conformance] skipping "bank imports of the shared samples": no manifests under ${BANK_DIR}. With CI=true this is a failure instead.`);

interface ManifestEntry {
  file: string;
  expected_importer_outcome: string;
  payment_transactions: number | null;
  credited_sum_ore?: number;
  credited_sum_minor?: Record<string, number>;
  /** camt: every transaction; a DBIT entry with RvslInd is a reversed credit (an incoming payment taken back). */
  transaction_list?: Array<{ cdt_dbt: 'CRDT' | 'DBIT'; entry_reversal: boolean }>;
  /** OCR: every transaction; types 18 and 20 are reversals. */
  transactions?: Array<{ transaction_type: string; service_code: string }>;
}
const manifest = (folder: string): ManifestEntry[] =>
  samplesPresent ? (JSON.parse(fs.readFileSync(path.join(BANK_DIR, folder, 'manifest.json'), 'utf8')) as { files: ManifestEntry[] }).files : [];

interface Entry {
  amount: string;
  ref: string;
  kid?: string;
  text?: string;
  payer?: string;
}

/** A camt.054.001.02 notification with one credit entry per payment, each with its own bank reference. */
function camt054(messageId: string, entries: Entry[]): Buffer {
  const ntry = (entry: Entry) => `
      <Ntry>
        <Amt Ccy="NOK">${entry.amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>2026-11-25</Dt></BookgDt><ValDt><Dt>2026-11-25</Dt></ValDt>
        <AcctSvcrRef>${entry.ref}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls><TxDtls>
          <Refs><AcctSvcrRef>${entry.ref}</AcctSvcrRef></Refs>
          <AmtDtls><TxAmt><Amt Ccy="NOK">${entry.amount}</Amt></TxAmt></AmtDtls>
          <RltdPties><Dbtr><Nm>${entry.payer ?? 'Betaler AS'}</Nm></Dbtr></RltdPties>
          <RmtInf>${entry.text ? `<Ustrd>${entry.text}</Ustrd>` : ''}${
            entry.kid ? `<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${entry.kid}</Ref></CdtrRefInf></Strd>` : ''
          }</RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>`;
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02">
  <BkToCstmrDbtCdtNtfctn>
    <GrpHdr><MsgId>${messageId}</MsgId><CreDtTm>2026-11-25T10:00:00</CreDtTm></GrpHdr>
    <Ntfctn>
      <Id>${messageId}-1</Id><CreDtTm>2026-11-25T10:00:00</CreDtTm>
      <Acct><Id><Othr><Id>86011117947</Id><SchmeNm><Cd>BBAN</Cd></SchmeNm></Othr></Id><Ccy>NOK</Ccy></Acct>${entries.map(ntry).join('')}
    </Ntfctn>
  </BkToCstmrDbtCdtNtfctn>
</Document>`);
}

describe.each(DIALECTS)('bank file import (%s)', (dialect) => {
  let harness: Harness;
  let owner: Caller;
  let customerId: string;

  const call = (method: 'GET' | 'POST', url: string, payload?: object) =>
    harness.app.inject({ method, url, headers: owner.headers, ...(payload ? { payload } : {}) });
  const upload = (bytes: Buffer, fileName: string) =>
    harness.app.inject({
      method: 'POST',
      url: `/api/v1/bank-imports?fileName=${encodeURIComponent(fileName)}`,
      headers: { ...owner.headers, 'content-type': 'application/octet-stream' },
      payload: bytes,
    });
  const paymentCount = async () => json(await call('GET', '/api/v1/payments?limit=200')).items.length as number;

  beforeAll(async () => {
    harness = await createHarness(dialect);
    owner = await createTenant(harness);
    customerId = json(await call('POST', '/api/v1/customers', customerBody({ name: 'Fjord Fisk AS' }))).id;
  });
  afterAll(async () => harness?.close());

  async function issued(unitPrice: string) {
    const draft = json(await call('POST', '/api/v1/invoices', { customerId, deliveryDate: '2026-11-20', lines: [{ description: 'Fisk', quantity: '1', unitPrice, vatCode: '3' }] }));
    return json(await call('POST', `/api/v1/invoices/${draft.id}/issue`));
  }

  it.skipIf(!samplesPresent && !IS_CI)('imports every shared sample as its manifest says, and a second time books nothing', async () => {
    expect(samplesPresent, `bank samples missing under ${BANK_DIR}`).toBe(true);
    const entries = [...manifest('ocr').map((entry) => ({ ...entry, folder: 'ocr' })), ...manifest('camt').map((entry) => ({ ...entry, folder: 'camt' }))];
    expect(entries.length).toBeGreaterThanOrEqual(14);
    for (const entry of entries) {
      const bytes = fs.readFileSync(path.join(BANK_DIR, entry.folder, entry.file));
      const response = await upload(bytes, entry.file);
      if (entry.expected_importer_outcome.startsWith('reject')) {
        expect(response.statusCode, `${entry.file}: ${response.body}`).toBe(422);
        const problem = json(response);
        expect(problem.code).toBe('bank_import.rejected');
        expect(problem.detail.length, entry.file).toBeGreaterThan(10);
        expect(problem.importId).toEqual(expect.any(String));
        continue;
      }
      expect(response.statusCode, `${entry.file}: ${response.body}`).toBe(201);
      const summary = json(response).summary;
      expect(summary.paymentCount, entry.file).toBe(entry.payment_transactions);
      // Reversed credits (camt DBIT + RvslInd, OCR 18/20) are handled as reversals; none of the samples' match a payment.
      const reversals =
        entry.transaction_list?.filter((transaction) => transaction.entry_reversal && transaction.cdt_dbt === 'DBIT').length ??
        entry.transactions?.filter((transaction) => transaction.service_code === '09' && ['18', '20'].includes(transaction.transaction_type)).length ??
        0;
      expect(summary, entry.file).toMatchObject({ reversalCount: reversals, reversedCount: 0, reversalReviewCount: reversals });
      const credited = entry.credited_sum_minor ?? (entry.credited_sum_ore ? { NOK: entry.credited_sum_ore } : {});
      for (const [currency, minor] of Object.entries(credited)) {
        expect(summary.sums.find((sum: { currency: string }) => sum.currency === currency)?.creditedMinor, `${entry.file} ${currency}`).toBe(minor);
      }
      const before = await paymentCount();
      const again = await upload(bytes, entry.file);
      expect(again.statusCode, entry.file).toBe(200);
      expect(json(again)).toMatchObject({ status: 'duplicate_file', duplicateOfId: json(response).id, summary: { bookedCount: 0 } });
      expect(await paymentCount()).toBe(before);
    }
  });

  it('books KID and invoice-number matches, leaves the rest for review, and books a reviewed one by hand', async () => {
    const a = await issued('1000.00'); // 1 250,00
    const b = await issued('2000.00'); // 2 500,00
    const c = await issued('400.00'); // 500,00
    const file = camt054('MSG-A', [
      { amount: '1250.00', ref: 'BANKREF-A1', kid: a.kid },
      { amount: '1000.00', ref: 'BANKREF-A2', kid: b.kid },
      { amount: '500.00', ref: 'BANKREF-A3', text: `Faktura ${c.documentNumber}` },
      { amount: '777.00', ref: 'BANKREF-A4', text: 'Ukjent innbetaling', payer: 'Noen Andre' },
    ]);
    const response = await upload(file, 'camt054-a.xml');
    expect(response.statusCode, response.body).toBe(201);
    const result = json(response);
    expect(result.summary).toMatchObject({ format: 'camt.054', paymentCount: 4, bookedCount: 3, reviewCount: 1, duplicateCount: 0, reconciles: true });
    expect(result.summary.sums).toEqual([{ currency: 'NOK', creditedMinor: 352700, bookedMinor: 275000, reviewMinor: 77700, duplicateMinor: 0 }]);
    expect(json(await call('GET', `/api/v1/invoices/${a.id}`)).status).toBe('paid');
    expect(json(await call('GET', `/api/v1/invoices/${b.id}`))).toMatchObject({ status: 'partially_paid', openMinor: 150000 });
    expect(json(await call('GET', `/api/v1/invoices/${c.id}`)).status).toBe('paid');
    const transactions = json(await call('GET', `/api/v1/bank-transactions?importId=${result.id}`)).items as Array<{ id: string; status: string; matchReason: string; confidence: number; bankReference: string; paymentId: string | null }>;
    expect(transactions.map((transaction) => [transaction.bankReference, transaction.status, transaction.matchReason])).toEqual([
      ['BANKREF-A1', 'booked', 'kid'],
      ['BANKREF-A2', 'booked', 'kid'],
      ['BANKREF-A3', 'booked', 'reference_in_text'],
      ['BANKREF-A4', 'review', 'no_match'],
    ]);
    const booked = json(await call('GET', `/api/v1/payments/${transactions[0]!.paymentId}`));
    expect(booked).toMatchObject({ source: 'bank_import', bankReference: 'BANKREF-A1', payerName: 'Betaler AS', amountMinor: 125000 });

    // The review queue, and matching by hand: 777,00 → 750,00 on b and 27,00 credit.
    const queue = json(await call('GET', '/api/v1/bank-transactions?status=review')).items as Array<{ id: string }>;
    expect(queue.map((transaction) => transaction.id)).toContain(transactions[3]!.id);
    const matched = await call('POST', `/api/v1/bank-transactions/${transactions[3]!.id}/match`, { allocations: [{ invoiceId: b.id, amount: '750.00' }] });
    expect(matched.statusCode, matched.body).toBe(200);
    expect(json(matched)).toMatchObject({ status: 'booked', matchReason: 'manual' });
    const manual = json(await call('GET', `/api/v1/payments/${json(matched).paymentId}`));
    expect(manual).toMatchObject({ amountMinor: 77700, unallocatedMinor: 2700, customerId });
    expect(json(await call('GET', `/api/v1/invoices/${b.id}`))).toMatchObject({ openMinor: 75000 });
    const twice = await call('POST', `/api/v1/bank-transactions/${transactions[3]!.id}/match`, { allocations: [] });
    expect(twice.statusCode).toBe(409);

    // An overlapping file: the old transaction is a duplicate, the new one is booked.
    const overlap = camt054('MSG-B', [
      { amount: '1250.00', ref: 'BANKREF-A1', kid: a.kid },
      { amount: '750.00', ref: 'BANKREF-B1', kid: b.kid },
    ]);
    const second = json(await upload(overlap, 'camt054-b.xml'));
    expect(second.summary).toMatchObject({ paymentCount: 2, bookedCount: 1, duplicateCount: 1, reviewCount: 0, reconciles: true });
    expect(json(await call('GET', `/api/v1/invoices/${b.id}`)).status).toBe('paid');
  });

  it('rejects a file that is not a bank file, records the attempt, and books nothing', async () => {
    const before = await paymentCount();
    const notXml = await upload(Buffer.from('<Document><unclosed>'), 'broken.xml');
    expect(notXml.statusCode).toBe(422);
    expect(json(notXml).code).toBe('bank_import.rejected');
    const truncated = camt054('MSG-C', [{ amount: '10.00', ref: 'X1', kid: '12345674' }]).subarray(0, 600);
    const cut = await upload(truncated, 'cut.xml');
    expect(cut.statusCode).toBe(422);
    const empty = await upload(Buffer.alloc(0), 'empty');
    expect(empty.statusCode).toBe(400);
    expect(await paymentCount()).toBe(before);
    const imports = json(await call('GET', '/api/v1/bank-imports')).items as Array<{ status: string; fileName: string; error: { code: string } | null }>;
    expect(imports.find((entry) => entry.fileName === 'broken.xml')).toMatchObject({ status: 'rejected', error: { code: expect.stringMatching(/^bank_file\./) } });
  });
});
