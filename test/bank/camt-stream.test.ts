import { describe, expect, it } from 'vitest';
import { parseCamt } from '../../src/adapters/bank/camt.js';
import { BankFileError } from '../../src/domain/bank/bank-file.js';
import { createKid } from '../../src/domain/kid.js';

/**
 * The streaming camt reader on what only a stream can get wrong: a large file (every
 * TxDtls kept, counted and summed — a correctness test, not a timing one), elements out of
 * schema order, and which error wins when a file is both broken and wrong.
 */

const NS = 'urn:iso:std:iso:20022:tech:xsd:camt.054.001.02';

function rejection(xml: string): BankFileError {
  try {
    parseCamt(Buffer.from(xml, 'utf8'));
  } catch (error) {
    if (error instanceof BankFileError) return error;
    throw error;
  }
  throw new Error('expected the file to be rejected');
}

describe('camt: a large generated camt.054 (20 000 TxDtls)', () => {
  const TRANSACTIONS = 20_000;
  const PER_ENTRY = 5_000;
  const kidOf = (i: number) => createKid({ method: 'mod10', composition: 'invoice_number', customerDigits: 0, invoiceDigits: 8 }, { customerNumber: 0, invoiceNumber: 10_000_000 + i });
  const minorOf = (i: number) => 100 + ((i * 7919) % 99_900);
  const decimal = (minor: number) => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;

  let expectedSum = 0;
  const parts = [`<?xml version="1.0" encoding="UTF-8"?><Document xmlns="${NS}"><BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>BIG-1</MsgId></GrpHdr><Ntfctn><Id>N1</Id>`];
  parts.push('<Acct><Id><IBAN>NO9386011117947</IBAN></Id><Ccy>NOK</Ccy></Acct>');
  for (let first = 0, entry = 1; first < TRANSACTIONS; first += PER_ENTRY, entry++) {
    let entryMinor = 0;
    const details: string[] = [];
    for (let i = first; i < first + PER_ENTRY; i++) {
      entryMinor += minorOf(i);
      details.push(
        `<TxDtls><Refs><AcctSvcrRef>TX${i}</AcctSvcrRef></Refs><AmtDtls><TxAmt><Amt Ccy="NOK">${decimal(minorOf(i))}</Amt></TxAmt></AmtDtls>` +
          `<RltdPties><Dbtr><Nm>Kunde ${i}</Nm></Dbtr></RltdPties><RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${kidOf(i)}</Ref></CdtrRefInf></Strd></RmtInf></TxDtls>`,
      );
    }
    expectedSum += entryMinor;
    parts.push(
      `<Ntry><Amt Ccy="NOK">${decimal(entryMinor)}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-11-27</Dt></BookgDt><AcctSvcrRef>E${entry}</AcctSvcrRef>`,
      `<NtryDtls><Btch><NbOfTxs>${PER_ENTRY}</NbOfTxs></Btch>`,
      ...details,
      '</NtryDtls></Ntry>',
    );
  }
  parts.push('</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>');
  const result = parseCamt(Buffer.from(parts.join('\n'), 'utf8'));

  it('gives every TxDtls as a payment, and the sums add up', () => {
    expect(result.transactions).toHaveLength(20_000);
    expect(expectedSum).toBe(1_000_616_500);
    expect(result.transactions.reduce((sum, t) => sum + t.amountMinor!, 0)).toBe(1_000_616_500);
    expect(result.totals).toEqual([
      { currency: 'NOK', transactionCount: 20_000, paymentCount: 20_000, paymentSumMinor: 1_000_616_500, creditedMinor: 1_000_616_500, debitedMinor: 0, reversedMinor: 0 },
    ]);
    expect(result.transactions.filter((t) => t.kidValid)).toHaveLength(20_000);
    expect(result.warnings).toEqual([]);
    expect(result.notes).toEqual([]);
  });

  it('keeps each transaction in file order with its own values and path', () => {
    const t = result.transactions[12_345]!;
    expect(t).toMatchObject({
      index: 12_345,
      amountMinor: minorOf(12_345),
      kid: kidOf(12_345),
      payerName: 'Kunde 12345',
      bankReference: 'TX12345',
      bookingDate: '2026-11-27',
      location: 'Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[3]/NtryDtls/TxDtls[2346]',
      camt: { entryReference: null, entryAccountServicerReference: 'E3', detailsInEntry: 5_000, batchTransactionCount: 5_000, detailsConsistent: true },
    });
    expect(result.transactions.map((transaction) => transaction.index)).toEqual([...Array(20_000).keys()]);
    expect(new Set(result.transactions.map((transaction) => transaction.bankReference)).size).toBe(20_000);
  });
});

describe('camt: streaming', () => {
  const entry = (amount: string, ccy = 'NOK', ref = 'R') =>
    `<Ntry><Amt Ccy="${ccy}">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><AcctSvcrRef>${ref}</AcctSvcrRef></Ntry>`;
  const file = (report: string, header = '<GrpHdr><MsgId>M1</MsgId></GrpHdr>') =>
    `<?xml version="1.0"?><Document xmlns="${NS}"><BkToCstmrDbtCdtNtfctn>${header}<Ntfctn>${report}</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`;

  it('reads an account that comes after its entries, and a message id after the reports', () => {
    const result = parseCamt(
      Buffer.from(
        `<?xml version="1.0"?><Document xmlns="${NS}"><BkToCstmrDbtCdtNtfctn><Ntfctn>${entry('5.00', 'SEK', 'A')}<Acct><Id><IBAN>NO9386011117947</IBAN></Id><Ccy>NOK</Ccy></Acct>` +
          '<Ntry><Amt Ccy="NOK">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts></Ntry></Ntfctn><GrpHdr><MsgId>LATE</MsgId></GrpHdr></BkToCstmrDbtCdtNtfctn></Document>',
      ),
    );
    expect(result.messageId).toBe('LATE');
    expect(result.accounts.map((a) => [a.iban, a.currency])).toEqual([['NO9386011117947', 'NOK']]);
    expect(result.transactions.map((t) => [t.amountMinor, t.currency, t.bankReference])).toEqual([
      [500, 'SEK', 'A'],
      [100, 'NOK', 'LATE:Ntfctn[1]/Ntry[2]'],
    ]);
    expect(result.warnings).toEqual([
      { code: 'currency_differs_from_account', location: 'Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/Amt', message: 'entry in SEK on an account in NOK' },
    ]);
  });

  it('takes the first of an element that does not repeat, as the tree reader did', () => {
    const result = parseCamt(
      Buffer.from(
        file(
          '<Ntry><Amt Ccy="NOK">2.00</Amt><Amt Ccy="NOK">3.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><NtryDtls><TxDtls><Refs><EndToEndId>E1</EndToEndId></Refs><Refs><AcctSvcrRef>LATER</AcctSvcrRef></Refs></TxDtls></NtryDtls></Ntry>',
        ),
      ),
    );
    expect(result.transactions.map((t) => [t.amountMinor, t.endToEndId, t.camt!.accountServicerReference])).toEqual([[200, 'E1', null]]);
  });

  it('reports a file that is broken further on as not well-formed, even after an entry it rejects', () => {
    const broken = file(`${entry('1.005')}${entry('1.00')}`).replace('</Ntfctn>', '<Ntry></Ntfctn>');
    const error = rejection(broken);
    expect(error.code).toBe('bank_file.invalid');
    expect(error.message).toMatch(/^line 1, column \d+: not well-formed XML: /);
    expect(rejection(file(entry('1.005'))).message).toBe("Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/Amt: '1.005' has more decimals than NOK has minor units (2)");
  });

  it('names a bare & where it is, not where the parser gives up', () => {
    const error = rejection(file(entry('1.00')).replace('<Ntfctn>', '\n<Ntfctn><Id>Hansen & Sønn</Id>'));
    expect(error.message).toBe("line 2, column 20: not well-formed XML: '&' that does not start an entity or character reference (it must be written &amp;)");
  });

  it('keeps an undefined entity as written and decodes the HTML ones the previous reader knew', () => {
    const result = parseCamt(
      Buffer.from(file('<Ntry><Amt Ccy="NOK">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><AddtlNtryInf>A&amp;B&nbsp;&foo;&#229;</AddtlNtryInf></Ntry>')),
    );
    expect(result.transactions[0]!.camt!.additionalInfo).toBe('A&B\u00a0&foo;å');
  });
});
