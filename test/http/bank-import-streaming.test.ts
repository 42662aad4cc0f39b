import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/dialects.js';
import { customerBody } from '../helpers/factories.js';
import { type Caller, createHarness, createTenant, type Harness, json } from '../helpers/harness.js';

/**
 * A bank import read in a worker thread and booked batch by batch (here: every file, two
 * transactions per batch), over HTTP on both databases:
 * - the bookkeeping of a file: one voucher per booking date, its bank debit (line 1) the sum
 *   of its payments, a credit of receivables per invoice cleared naming the bank reference;
 * - a file found bad after batches were booked leaves nothing behind;
 * - one payment of a shared voucher reversed: only its share is mirrored, under a voucher of
 *   its own; the other payments stay booked.
 */

type JournalLine = { lineNumber?: number; account: string; debitMinor: number; creditMinor: number; customerId: string | null; description: string };
type JournalEntry = { id: string; voucher: string; entryDate: string; lines: JournalLine[] };

function camt054(messageId: string, entries: Array<{ amount: string; ref: string; kid: string; date: string }>, tail = ''): Buffer {
  const ntry = (entry: { amount: string; ref: string; kid: string; date: string }) =>
    `<Ntry><Amt Ccy="NOK">${entry.amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>${entry.date}</Dt></BookgDt><ValDt><Dt>${entry.date}</Dt></ValDt>` +
    `<AcctSvcrRef>${entry.ref}</AcctSvcrRef><BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>` +
    `<NtryDtls><TxDtls><Refs><AcctSvcrRef>${entry.ref}</AcctSvcrRef></Refs><AmtDtls><TxAmt><Amt Ccy="NOK">${entry.amount}</Amt></TxAmt></AmtDtls>` +
    `<RltdPties><Dbtr><Nm>Betaler AS</Nm></Dbtr></RltdPties><RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${entry.kid}</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>`;
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><BkToCstmrDbtCdtNtfctn>` +
      `<GrpHdr><MsgId>${messageId}</MsgId><CreDtTm>2026-11-25T10:00:00</CreDtTm></GrpHdr><Ntfctn><Id>${messageId}-1</Id><CreDtTm>2026-11-25T10:00:00</CreDtTm>` +
      `<Acct><Id><Othr><Id>86011117947</Id></Othr></Id><Ccy>NOK</Ccy></Acct>${entries.map(ntry).join('')}${tail}</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`,
  );
}

describe.each(DIALECTS)('bank import streamed in batches (%s)', (dialect) => {
  let harness: Harness;
  let owner: Caller;
  let customerId: string;

  const call = (method: 'GET' | 'POST', url: string, payload?: object) => harness.app.inject({ method, url, headers: owner.headers, ...(payload ? { payload } : {}) });
  const upload = (bytes: Buffer, fileName: string) =>
    harness.app.inject({
      method: 'POST',
      url: `/api/v1/bank-imports?fileName=${encodeURIComponent(fileName)}`,
      headers: { ...owner.headers, 'content-type': 'application/octet-stream' },
      payload: bytes,
    });
  const journal = async () => json(await call('GET', '/api/v1/journal-entries?includeTest=true&limit=200')).items as JournalEntry[];
  const balance = (entries: JournalEntry[], account: string) =>
    entries.flatMap((entry) => entry.lines).filter((line) => line.account === account).reduce((total, line) => total + line.debitMinor - line.creditMinor, 0);

  beforeAll(async () => {
    harness = await createHarness(dialect, { env: { BANK_IMPORT_WORKER_MIN_BYTES: '0', BANK_IMPORT_BATCH_SIZE: '2' } });
    owner = await createTenant(harness);
    customerId = json(await call('POST', '/api/v1/customers', customerBody({ name: 'Betaler AS' }))).id;
  });
  afterAll(async () => harness?.close());

  async function issued(unitPrice: string) {
    const draft = json(await call('POST', '/api/v1/invoices', { customerId, deliveryDate: '2026-11-20', lines: [{ description: 'Fisk', quantity: '1', unitPrice, vatCode: '3' }] }));
    return json(await call('POST', `/api/v1/invoices/${draft.id}/issue`));
  }

  it('books a file as one voucher per booking date: one bank debit, a credit per invoice naming its bank reference', async () => {
    const invoices = await Promise.all(['100.00', '200.00', '300.00', '400.00', '500.00'].map(issued));
    const dates = ['2026-11-24', '2026-11-24', '2026-11-25', '2026-11-24', '2026-11-25'];
    const file = camt054(
      'STREAM-OK',
      // The last one pays 10,00 too much: the customer's credit, on a line of its own.
      invoices.map((invoice, i) => ({ amount: ((invoice.totals.payableMinor + (i === 4 ? 1000 : 0)) / 100).toFixed(2), ref: `SB-${i}`, kid: invoice.kid, date: dates[i]! })),
    );
    const response = await upload(file, 'stream-ok.xml');
    expect(response.statusCode, response.body).toBe(201);
    expect(json(response).summary).toMatchObject({ paymentCount: 5, bookedCount: 5, reviewCount: 0, reconciles: true });
    for (const invoice of invoices) expect(json(await call('GET', `/api/v1/invoices/${invoice.id}`)).status).toBe('paid');

    const payments = json(await call('GET', '/api/v1/payments?limit=200')).items as Array<{ id: string; voucher: string; journalEntryId: string; bankReference: string; paymentDate: string; amountMinor: number }>;
    const mine = invoices.map((_, i) => payments.find((payment) => payment.bankReference === `SB-${i}`)!);
    expect(new Set(mine.map((payment) => payment.journalEntryId)).size).toBe(2);
    const entries = await journal();
    for (const date of ['2026-11-24', '2026-11-25']) {
      const ofDate = mine.filter((payment) => payment.paymentDate === date);
      expect(new Set(ofDate.map((payment) => payment.voucher)).size).toBe(1);
      const entry = entries.find((candidate) => candidate.id === ofDate[0]!.journalEntryId)!;
      expect(entry).toMatchObject({ voucher: ofDate[0]!.voucher, entryDate: date });
      const total = ofDate.reduce((sum, payment) => sum + payment.amountMinor, 0);
      expect(entry.lines[0]).toMatchObject({ account: '1920', debitMinor: total, creditMinor: 0 });
      const credits = entry.lines.slice(1);
      const expected = ofDate.flatMap((payment) =>
        payment.bankReference === 'SB-4'
          ? [['1500', payment.amountMinor - 1000, customerId, `SB-4 Betaler AS: faktura ${invoices[4].documentNumber}`], ['1500', 1000, customerId, 'SB-4 Betaler AS: kundens tilgode']]
          : [['1500', payment.amountMinor, customerId, `${payment.bankReference} Betaler AS: faktura ${invoices[Number(payment.bankReference.slice(3))].documentNumber}`]],
      );
      expect(credits.map((line) => [line.account, line.creditMinor, line.customerId, line.description])).toEqual(expected);
    }
    const vouchers = entries.map((entry) => entry.voucher);
    expect(new Set(vouchers).size).toBe(vouchers.length);
    const overpaid = json(await call('GET', `/api/v1/payments/${mine[4]!.id}`));
    expect(overpaid).toMatchObject({ amountMinor: invoices[4].totals.payableMinor + 1000, unallocatedMinor: 1000, customerId, voucher: mine[4]!.voucher });
  });

  it('leaves nothing behind when the file turns out bad after batches were booked', async () => {
    const invoices = await Promise.all(['110.00', '220.00', '330.00'].map(issued));
    const paymentsBefore = json(await call('GET', '/api/v1/payments?limit=200')).items.length;
    const entriesBefore = (await journal()).length;
    const file = camt054(
      'STREAM-BAD',
      invoices.map((invoice, i) => ({ amount: (invoice.totals.payableMinor / 100).toFixed(2), ref: `SX-${i}`, kid: invoice.kid, date: '2026-11-25' })),
      '<Ntry><Amt Ccy="NOK">12,50</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts></Ntry>',
    );
    const response = await upload(file, 'stream-bad.xml');
    expect(response.statusCode, response.body).toBe(422);
    expect(json(response)).toMatchObject({ code: 'bank_import.rejected', reason: expect.stringMatching(/^bank_file\./) });
    expect(json(await call('GET', '/api/v1/payments?limit=200')).items.length).toBe(paymentsBefore);
    expect((await journal()).length).toBe(entriesBefore);
    for (const invoice of invoices) expect(json(await call('GET', `/api/v1/invoices/${invoice.id}`)).status).not.toBe('paid');
    const imports = json(await call('GET', '/api/v1/bank-imports')).items as Array<{ id: string; fileName: string; status: string }>;
    const rejected = imports.find((entry) => entry.fileName === 'stream-bad.xml')!;
    expect(rejected.status).toBe('rejected');
    expect(json(await call('GET', `/api/v1/bank-transactions?importId=${rejected.id}`)).items).toEqual([]);
  });

  it('reverses one payment of a shared voucher: its share only, under a voucher of its own', async () => {
    const invoices = await Promise.all(['150.00', '250.00', '350.00'].map(issued));
    const file = camt054(
      'STREAM-REV',
      invoices.map((invoice, i) => ({ amount: (invoice.totals.payableMinor / 100).toFixed(2), ref: `SR-${i}`, kid: invoice.kid, date: '2026-11-23' })),
    );
    expect((await upload(file, 'stream-rev.xml')).statusCode).toBe(201);
    const payments = json(await call('GET', '/api/v1/payments?limit=200')).items as Array<{ id: string; voucher: string; bankReference: string; amountMinor: number; status: string }>;
    const middle = payments.find((payment) => payment.bankReference === 'SR-1')!;
    const before = await journal();
    const reversed = await call('POST', `/api/v1/payments/${middle.id}/reverse`, { reason: 'Feil innbetaling' });
    expect(reversed.statusCode, reversed.body).toBe(200);
    const body = json(reversed);
    expect(body.status).toBe('reversed');
    const after = await journal();
    const mirror = after.find((entry) => entry.id === body.reversalJournalEntryId)!;
    expect(mirror.voucher).toMatch(/^INN-\d+$/);
    expect(mirror.voucher).not.toBe(middle.voucher);
    expect(mirror.lines.map((line) => [line.account, line.debitMinor, line.creditMinor])).toEqual([
      ['1920', 0, middle.amountMinor],
      ['1500', middle.amountMinor, 0],
    ]);
    expect(balance(after, '1920') - balance(before, '1920')).toBe(-middle.amountMinor);
    expect(balance(after, '1500') - balance(before, '1500')).toBe(middle.amountMinor);
    expect(json(await call('GET', `/api/v1/invoices/${invoices[1].id}`)).status).toBe('issued');
    for (const k of [0, 2]) expect(json(await call('GET', `/api/v1/invoices/${invoices[k].id}`)).status).toBe('paid');
    const vouchers = after.map((entry) => entry.voucher);
    expect(new Set(vouchers).size).toBe(vouchers.length);
  });
});
