import { describe, expect, it } from 'vitest';
import { parseCamt } from '../../src/adapters/bank/camt.js';
import { detectBankFileFormat, parseBankFile } from '../../src/adapters/bank/detect.js';
import { BankFileError, decimalToMinor, type ParsedBankFile } from '../../src/domain/bank/bank-file.js';

/**
 * Hand-made camt.053/054 documents for each rule and quirk of README §2/§3
 * (shared/conformance/bank): versions, batches, reversals, form of the XML, errors.
 */

type Version = '02' | '04' | '08';

interface TestDetail {
  amount?: string;
  currency?: string;
  indicator?: 'CRDT' | 'DBIT';
  references?: Array<{ type: string; ref: string; proprietary?: boolean }>;
  ustrd?: string[];
  debtor?: string;
  debtorIban?: string;
  debtorBban?: string;
  endToEndId?: string;
  servicerRef?: string;
}

interface TestEntry {
  amount: string;
  currency?: string;
  indicator: 'CRDT' | 'DBIT';
  reversal?: boolean;
  status?: string;
  servicerRef?: string;
  batchCount?: number;
  details?: TestDetail[];
  bookingDateTime?: string;
}

interface TestReport {
  iban: string;
  currency?: string;
  entries: TestEntry[];
}

function detailXml(version: Version, d: TestDetail): string {
  const amount = d.amount === undefined ? '' : `<Amt Ccy="${d.currency ?? 'NOK'}">${d.amount}</Amt>`;
  const parts: string[] = ['<TxDtls>'];
  parts.push(`<Refs>${d.servicerRef ? `<AcctSvcrRef>${d.servicerRef}</AcctSvcrRef>` : ''}<EndToEndId>${d.endToEndId ?? 'NOTPROVIDED'}</EndToEndId></Refs>`);
  if (version === '02') parts.push(amount === '' ? '' : `<AmtDtls><TxAmt>${amount}</TxAmt></AmtDtls>`);
  else parts.push(amount, d.indicator ? `<CdtDbtInd>${d.indicator}</CdtDbtInd>` : '');
  if (d.debtor || d.debtorIban || d.debtorBban) {
    const name = d.debtor ? (version === '08' ? `<Dbtr><Pty><Nm>${d.debtor}</Nm></Pty></Dbtr>` : `<Dbtr><Nm>${d.debtor}</Nm></Dbtr>`) : '';
    const account = d.debtorIban
      ? `<DbtrAcct><Id><IBAN>${d.debtorIban}</IBAN></Id></DbtrAcct>`
      : d.debtorBban
        ? `<DbtrAcct><Id><Othr><Id>${d.debtorBban}</Id><SchmeNm><Cd>BBAN</Cd></SchmeNm></Othr></Id></DbtrAcct>`
        : '';
    parts.push(`<RltdPties>${name}${account}</RltdPties>`);
  }
  if (d.references || d.ustrd) {
    parts.push('<RmtInf>');
    for (const text of d.ustrd ?? []) parts.push(`<Ustrd>${text}</Ustrd>`);
    for (const reference of d.references ?? []) {
      const type = reference.proprietary ? `<Prtry>${reference.type}</Prtry>` : `<Cd>${reference.type}</Cd>`;
      parts.push(`<Strd><CdtrRefInf><Tp><CdOrPrtry>${type}</CdOrPrtry></Tp><Ref>${reference.ref}</Ref></CdtrRefInf></Strd>`);
    }
    parts.push('</RmtInf>');
  }
  parts.push('</TxDtls>');
  return parts.join('\n');
}

function entryXml(version: Version, e: TestEntry): string {
  const status = e.status ?? 'BOOK';
  const booking = e.bookingDateTime ? `<DtTm>${e.bookingDateTime}</DtTm>` : '<Dt>2026-11-20</Dt>';
  const details =
    e.details || e.batchCount !== undefined
      ? `<NtryDtls>${e.batchCount !== undefined ? `<Btch><NbOfTxs>${e.batchCount}</NbOfTxs></Btch>` : ''}${(e.details ?? []).map((d) => detailXml(version, d)).join('\n')}</NtryDtls>`
      : '';
  return [
    '<Ntry>',
    `<Amt Ccy="${e.currency ?? 'NOK'}">${e.amount}</Amt>`,
    `<CdtDbtInd>${e.indicator}</CdtDbtInd>`,
    e.reversal === undefined ? '' : `<RvslInd>${e.reversal}</RvslInd>`,
    version === '08' ? `<Sts><Cd>${status}</Cd></Sts>` : `<Sts>${status}</Sts>`,
    `<BookgDt>${booking}</BookgDt>`,
    '<ValDt><Dt>2026-11-21</Dt></ValDt>',
    e.servicerRef ? `<AcctSvcrRef>${e.servicerRef}</AcctSvcrRef>` : '',
    '<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>DMCT</SubFmlyCd></Fmly></Domn></BkTxCd>',
    details,
    '</Ntry>',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

function camtXml(kind: '053' | '054', version: Version, reports: TestReport[]): string {
  const [message, report] = kind === '053' ? ['BkToCstmrStmt', 'Stmt'] : ['BkToCstmrDbtCdtNtfctn', 'Ntfctn'];
  const bic = version === '08' ? '<BICFI>DNBANOKKXXX</BICFI>' : '<BIC>DNBANOKK</BIC>';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.${kind}.001.${version}">`,
    `<${message}>`,
    '<GrpHdr><MsgId>MSG-1</MsgId><CreDtTm>2026-11-21T06:00:00</CreDtTm></GrpHdr>',
    ...reports.map((r, index) =>
      [
        `<${report}>`,
        `<Id>R${index + 1}</Id>`,
        `<Acct><Id><IBAN>${r.iban}</IBAN></Id>${r.currency ? `<Ccy>${r.currency}</Ccy>` : ''}<Svcr><FinInstnId>${bic}</FinInstnId></Svcr></Acct>`,
        ...r.entries.map((e) => entryXml(version, e)),
        `</${report}>`,
      ].join('\n'),
    ),
    `</${message}>`,
    '</Document>',
  ].join('\n');
}

const ACCOUNT = 'NO9386011117947';

function parse(xml: string): ParsedBankFile {
  return parseCamt(Buffer.from(xml, 'utf8'));
}

function rejection(bytes: string | Uint8Array): BankFileError {
  try {
    parseCamt(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
  } catch (error) {
    if (error instanceof BankFileError) return error;
    throw error;
  }
  throw new Error('expected the file to be rejected');
}

describe('camt.054 .02: a batch of KID payments', () => {
  const result = parse(
    camtXml('054', '02', [
      {
        iban: ACCOUNT,
        currency: 'NOK',
        entries: [
          {
            amount: '1500.50',
            indicator: 'CRDT',
            servicerRef: 'E-1',
            batchCount: 2,
            details: [
              { amount: '1000.00', references: [{ type: 'SCOR', ref: '0000531' }], debtor: 'Ærlig Østby AS', debtorBban: '12345678903', endToEndId: 'E2E-1', servicerRef: 'T-1' },
              { amount: '500.50', references: [{ type: 'SCOR', ref: '47914511' }], ustrd: ['Faktura 1001'], servicerRef: 'T-2' },
            ],
          },
        ],
      },
    ]),
  );

  it('gives one transaction per TxDtls with the amount from AmtDtls/TxAmt', () => {
    expect(result.format).toBe('camt.054');
    expect(result.version).toBe('001.02');
    expect(result.messageId).toBe('MSG-1');
    expect(result.transactions.map((t) => [t.amountMinor, t.currency, t.kid, t.kidValid, t.bankReference, t.location])).toEqual([
      [100000, 'NOK', '0000531', true, 'T-1', 'Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/NtryDtls/TxDtls[1]'],
      [50050, 'NOK', '47914511', false, 'T-2', 'Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/NtryDtls/TxDtls[2]'],
    ]);
    const [first, second] = result.transactions;
    expect(first).toMatchObject({
      direction: 'credit',
      isPayment: true,
      isReversal: false,
      bookingDate: '2026-11-20',
      valueDate: '2026-11-21',
      payerName: 'Ærlig Østby AS',
      payerAccount: '12345678903',
      endToEndId: 'E2E-1',
      transactionType: 'PMNT/RCDT/DMCT',
      creditorReferences: [{ type: 'SCOR', ref: '0000531' }],
      accountIndex: 0,
    });
    expect(second!.freeText).toEqual(['Faktura 1001']);
    expect(second!.camt).toMatchObject({ entryAmountMinor: 150050, detailsInEntry: 2, batchTransactionCount: 2, detailsConsistent: true, entryAccountServicerReference: 'E-1' });
  });

  it('sums per currency, reports the account, and has nothing to warn about', () => {
    expect(result.totals).toEqual([
      { currency: 'NOK', transactionCount: 2, paymentCount: 2, paymentSumMinor: 150050, creditedMinor: 150050, debitedMinor: 0, reversedMinor: 0 },
    ]);
    expect(result.accounts).toEqual([
      { index: 0, iban: ACCOUNT, otherId: null, currency: 'NOK', servicerBic: 'DNBANOKK', servicerName: null, ownerName: null, reportId: 'R1', location: 'Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]' },
    ]);
    expect(result.warnings).toEqual([]);
    expect(result.notes).toEqual([]);
    expect(result.control).toBeNull();
  });
});

describe('camt: reversals', () => {
  const result = parse(
    camtXml('054', '04', [
      {
        iban: ACCOUNT,
        currency: 'NOK',
        entries: [
          { amount: '250.00', indicator: 'CRDT', reversal: false, servicerRef: 'P-1', details: [{ amount: '250.00', indicator: 'CRDT', references: [{ type: 'SCOR', ref: '0036633' }] }] },
          { amount: '100.00', indicator: 'DBIT', reversal: true, servicerRef: 'R-1', details: [{ amount: '100.00', indicator: 'DBIT', references: [{ type: 'SCOR', ref: '0048763' }] }] },
          { amount: '40.00', indicator: 'CRDT', reversal: true, servicerRef: 'R-2' },
        ],
      },
    ]),
  );

  it('reports reversed credits and reversed debits as reversals, never as payments', () => {
    expect(result.transactions.map((t) => [t.amountMinor, t.direction, t.isReversal, t.isPayment, t.kid])).toEqual([
      [25000, 'credit', false, true, '0036633'],
      [-10000, 'debit', true, false, '0048763'],
      [4000, 'credit', true, false, null],
    ]);
    expect(result.totals).toEqual([
      { currency: 'NOK', transactionCount: 3, paymentCount: 1, paymentSumMinor: 25000, creditedMinor: 25000, debitedMinor: 0, reversedMinor: 14000 },
    ]);
    expect(result.warnings).toEqual([]);
  });
});

describe('camt: batches', () => {
  it('a batch without details gives one transaction for the entry, flagged', () => {
    const result = parse(
      camtXml('053', '02', [{ iban: ACCOUNT, currency: 'NOK', entries: [{ amount: '3000.00', indicator: 'CRDT', servicerRef: 'SUM-1', batchCount: 3 }] }]),
    );
    expect(result.transactions).toHaveLength(1);
    expect(result.transactions[0]).toMatchObject({
      amountMinor: 300000,
      isPayment: true,
      kid: null,
      bankReference: 'SUM-1',
      location: 'Document/BkToCstmrStmt/Stmt[1]/Ntry[1]',
      camt: { detailsInEntry: 0, batchTransactionCount: 3 },
    });
    expect(result.warnings).toEqual([
      {
        code: 'batch_without_details',
        location: 'Document/BkToCstmrStmt/Stmt[1]/Ntry[1]',
        message: 'batch entry of 3 transactions without TxDtls: one transaction of 300000 NOK stands for all of them (match from the camt.054 details)',
      },
    ]);
  });

  it('a batch whose details disagree is flagged, and the entry amount is trusted for the sums', () => {
    const result = parse(
      camtXml('054', '04', [
        {
          iban: ACCOUNT,
          currency: 'NOK',
          entries: [
            {
              amount: '100.00',
              indicator: 'CRDT',
              servicerRef: 'B-1',
              batchCount: 3,
              details: [
                { amount: '60.00', references: [{ type: 'SCOR', ref: '0000531' }] },
                { amount: '30.00', references: [{ type: 'SCOR', ref: '0036633' }] },
              ],
            },
          ],
        },
      ]),
    );
    expect(result.transactions.map((t) => [t.amountMinor, t.bankReference, t.camt!.detailsConsistent])).toEqual([
      [6000, 'B-1#1', false],
      [3000, 'B-1#2', false],
    ]);
    expect(result.warnings).toEqual([
      {
        code: 'amount_details_mismatch',
        location: 'Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/NtryDtls',
        message: 'the 2 TxDtls amounts disagree with the entry amount 10000 NOK: they add up to 9000 minor units, the entry is 10000; the entry amount is trusted for the sums',
      },
      {
        code: 'batch_count_mismatch',
        location: 'Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/NtryDtls',
        message: 'Btch/NbOfTxs says 3 transactions, the entry has 2 TxDtls',
      },
    ]);
    expect(result.totals[0]).toMatchObject({ creditedMinor: 10000, paymentSumMinor: 9000, paymentCount: 2 });
  });

  it('a single TxDtls with an amount in another currency keeps the entry amount and is flagged', () => {
    const result = parse(
      camtXml('053', '08', [
        { iban: ACCOUNT, entries: [{ amount: '8.85', currency: 'EUR', indicator: 'CRDT', details: [{ amount: '0', currency: 'SEK', references: [{ type: 'SCOR', ref: '4654654654654654' }] }] }] },
      ]),
    );
    expect(result.transactions[0]).toMatchObject({ amountMinor: 885, currency: 'EUR', camt: { detailAmountMinor: 0, detailCurrency: 'SEK', detailsConsistent: false } });
    expect(result.warnings.map((w) => [w.code, w.message])).toEqual([
      ['amount_details_mismatch', 'the 1 TxDtls amounts disagree with the entry amount 885 EUR: 1 in another currency (SEK); the entry amount is trusted for the sums'],
    ]);
  });

  it('details without amounts in a debit batch give transactions without amounts and no warning', () => {
    const result = parse(
      camtXml('054', '02', [{ iban: ACCOUNT, entries: [{ amount: '200000', currency: 'SEK', indicator: 'DBIT', servicerRef: 'D-1', details: [{ ustrd: ['a'] }, { ustrd: ['b'] }] }] }]),
    );
    expect(result.transactions.map((t) => [t.amountMinor, t.currency, t.isPayment, t.bankReference])).toEqual([
      [null, 'SEK', false, 'D-1#1'],
      [null, 'SEK', false, 'D-1#2'],
    ]);
    expect(result.totals).toEqual([
      { currency: 'SEK', transactionCount: 2, paymentCount: 0, paymentSumMinor: 0, creditedMinor: 0, debitedMinor: 20000000, reversedMinor: 0 },
    ]);
    expect(result.warnings).toEqual([]);
  });
});

describe('camt: version differences', () => {
  it('reads a .08 file: Sts/Cd, Dbtr/Pty/Nm, BICFI, TxDtls/Amt and a DtTm booking date', () => {
    const result = parse(
      camtXml('053', '08', [
        {
          iban: ACCOUNT,
          currency: 'NOK',
          entries: [
            {
              amount: '1234.56',
              indicator: 'CRDT',
              servicerRef: 'V8-1',
              bookingDateTime: '2026-11-20T23:30:00+01:00',
              details: [{ amount: '1234.56', indicator: 'CRDT', debtor: 'Kari Nordmann', debtorIban: 'NO8330001234567', references: [{ type: 'SCOR', ref: '02212291038306' }] }],
            },
          ],
        },
      ]),
    );
    expect(result.version).toBe('001.08');
    expect(result.accounts[0]!.servicerBic).toBe('DNBANOKKXXX');
    expect(result.transactions).toHaveLength(1);
    expect(result.transactions[0]).toMatchObject({
      amountMinor: 123456,
      bookingDate: '2026-11-20',
      payerName: 'Kari Nordmann',
      payerAccount: 'NO8330001234567',
      kid: '02212291038306',
      kidValid: true,
      isPayment: true,
    });
  });

  it('leaves out entries that are not booked (Sts/Cd PDNG), with a note', () => {
    const result = parse(
      camtXml('054', '08', [
        {
          iban: ACCOUNT,
          entries: [
            { amount: '10.00', indicator: 'CRDT', status: 'PDNG', servicerRef: 'P' },
            { amount: '20.00', indicator: 'CRDT', servicerRef: 'B' },
          ],
        },
      ]),
    );
    expect(result.transactions.map((t) => t.bankReference)).toEqual(['B']);
    expect(result.totals[0]!.creditedMinor).toBe(2000);
    expect(result.notes).toEqual([
      {
        code: 'entries_not_booked',
        location: 'Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]',
        message: '1 entry with status PDNG (not BOOK) left out: Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]',
      },
    ]);
  });

  it('picks the SCOR reference as KID among proprietary ones and keeps them all', () => {
    const result = parse(
      camtXml('054', '04', [
        {
          iban: ACCOUNT,
          entries: [
            {
              amount: '1.00',
              indicator: 'CRDT',
              details: [{ amount: '1.00', references: [{ type: 'ISR Reference', ref: 'ISR 1', proprietary: true }, { type: 'SCOR', ref: '0000531' }, { type: 'SCOR', ref: 'RF18539007547034' }] }],
            },
          ],
        },
      ]),
    );
    expect(result.transactions[0]!.kid).toBe('0000531');
    expect(result.transactions[0]!.creditorReferences).toEqual([
      { type: 'ISR Reference', ref: 'ISR 1' },
      { type: 'SCOR', ref: '0000531' },
      { type: 'SCOR', ref: 'RF18539007547034' },
    ]);
  });
});

describe('camt: several reports and currencies', () => {
  it('keeps each Ntfctn with its account and flags an entry in another currency', () => {
    const result = parse(
      camtXml('054', '02', [
        { iban: ACCOUNT, currency: 'NOK', entries: [{ amount: '5.00', indicator: 'CRDT', servicerRef: 'A' }] },
        {
          iban: 'NO0215037577003',
          currency: 'NOK',
          entries: [
            { amount: '7.00', indicator: 'CRDT', servicerRef: 'B' },
            { amount: '1000', currency: 'JPY', indicator: 'CRDT', servicerRef: 'C' },
          ],
        },
      ]),
    );
    expect(result.accounts.map((a) => a.iban)).toEqual([ACCOUNT, 'NO0215037577003']);
    expect(result.transactions.map((t) => [t.accountIndex, t.amountMinor, t.currency])).toEqual([
      [0, 500, 'NOK'],
      [1, 700, 'NOK'],
      [1, 1000, 'JPY'],
    ]);
    expect(result.totals.map((t) => [t.currency, t.creditedMinor])).toEqual([
      ['JPY', 1000],
      ['NOK', 1200],
    ]);
    expect(result.warnings).toEqual([
      { code: 'currency_differs_from_account', location: 'Document/BkToCstmrDbtCdtNtfctn/Ntfctn[2]/Ntry[2]/Amt', message: 'entry in JPY on an account in NOK' },
    ]);
  });

  it('flags a bank reference that occurs twice', () => {
    const result = parse(
      camtXml('053', '02', [{ iban: ACCOUNT, entries: [{ amount: '1.00', indicator: 'CRDT', servicerRef: 'SAME' }, { amount: '2.00', indicator: 'CRDT', servicerRef: 'SAME' }] }]),
    );
    expect(result.warnings).toEqual([
      {
        code: 'duplicate_bank_reference',
        location: 'Document/BkToCstmrStmt/Stmt[1]/Ntry[1]',
        message: "bank reference 'SAME' occurs 2 times (Document/BkToCstmrStmt/Stmt[1]/Ntry[1], Document/BkToCstmrStmt/Stmt[1]/Ntry[2])",
      },
    ]);
  });
});

describe('camt: amounts are exact decimals', () => {
  it.each([
    ['8.850', 'EUR', 885],
    ['200000', 'SEK', 20000000],
    ['2700', 'JPY', 2700],
    ['0.29', 'NOK', 29],
    ['1.005', 'KWD', 1005],
    ['9007199254740.99', 'NOK', 900719925474099],
  ])('%s %s → %i', (text, currency, minor) => {
    expect(decimalToMinor(text, currency)).toEqual({ minor });
  });

  it.each([
    ['8.855', 'EUR', "'8.855' has more decimals than EUR has minor units (2)"],
    ['1.5', 'JPY', "'1.5' has more decimals than JPY has minor units (0)"],
    ['1e3', 'NOK', "'1e3' is not a decimal amount"],
    ['90071992547409.93', 'NOK', "'90071992547409.93' is too large"],
  ])('%s %s is refused', (text, currency, problem) => {
    expect(decimalToMinor(text, currency)).toEqual({ problem });
  });

  it('rejects an entry amount it cannot represent, naming the element', () => {
    const error = rejection(camtXml('054', '02', [{ iban: ACCOUNT, entries: [{ amount: '8.855', currency: 'EUR', indicator: 'CRDT' }] }]));
    expect(error.code).toBe('bank_file.invalid');
    expect(error.message).toBe("Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/Amt: '8.855' has more decimals than EUR has minor units (2)");
  });

  it('rejects an entry without CRDT/DBIT, naming the element', () => {
    const error = rejection(camtXml('054', '02', [{ iban: ACCOUNT, entries: [{ amount: '1.00', indicator: 'CRDX' as 'CRDT' }] }]));
    expect(error.message).toBe("Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/CdtDbtInd: is 'CRDX', expected CRDT or DBIT");
  });
});

describe('camt: form of the XML', () => {
  const pretty = camtXml('054', '04', [
    { iban: ACCOUNT, currency: 'NOK', entries: [{ amount: '12.00', indicator: 'CRDT', servicerRef: 'X', details: [{ amount: '12.00', references: [{ type: 'SCOR', ref: '0000531' }] }] }] },
  ]);
  const expected = parse(pretty).transactions;

  it('reads a single-line document with comments', () => {
    const oneLine = pretty
      .split('\n')
      .join('')
      .replace('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.04">', '$&<!--Versio 1.4-->')
      .replace('<Ntry>', '<Ntry><!-- entry <Amt>999</Amt> -->');
    expect(oneLine).not.toContain('\n');
    expect(parse(oneLine.replace('?>', '?><!-- exported -->')).transactions).toEqual(expected);
  });

  it('reads a namespace prefix, a byte order mark and ISO-8859-1', () => {
    const prefixed = pretty
      .replace('<Document xmlns=', '<ns2:Document xmlns:ns2=')
      .replace('</Document>', '</ns2:Document>')
      .replace(/<(\/?)(?!ns2:|\?|!)([A-Za-z])/g, '<$1ns2:$2');
    expect(prefixed).toContain('<ns2:Ntry>');
    expect(prefixed).toContain('</ns2:TxDtls>');
    expect(parse(prefixed).transactions).toEqual(expected);

    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(pretty, 'utf8')]);
    expect(parseCamt(withBom).transactions).toEqual(expected);

    const latin = pretty.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').replace('<EndToEndId>NOTPROVIDED', '<EndToEndId>Blåbær');
    const result = parseCamt(Buffer.from(latin, 'latin1'));
    expect(result.transactions[0]!.endToEndId).toBe('Blåbær');
  });

  it('rejects bytes that are not XML', () => {
    const error = rejection(Buffer.from('%PDF-1.4\n%âãÏÓ\n', 'latin1'));
    expect(error.code).toBe('bank_file.not_xml');
    expect(error.message).toBe("byte 0: not XML: the file starts with '%PDF-1.4·%·····', not '<'");
    expect(rejection(Buffer.from([0x00, 0x01, 0x02])).code).toBe('bank_file.not_xml');
  });

  it('rejects XML that is not well-formed (a truncated file)', () => {
    const error = rejection(pretty.slice(0, pretty.indexOf('</Ntry>')));
    expect(error.code).toBe('bank_file.invalid');
    expect(error.message).toMatch(/^line \d+, column \d+: not well-formed XML: /);
  });

  it('rejects invalid UTF-8 and a DOCTYPE', () => {
    const bad = Buffer.concat([Buffer.from(pretty.slice(0, 200), 'utf8'), Buffer.from([0xc3, 0x28]), Buffer.from(pretty.slice(200), 'utf8')]);
    expect(rejection(bad).message).toBe('XML declaration: the bytes are not valid utf-8 text');
    const doctype = pretty.replace('<Document', '<!DOCTYPE lol [<!ENTITY a "aaaa">]><Document');
    expect(rejection(doctype).message).toBe('DOCTYPE: a document type declaration is not allowed in a bank file');
  });
});

describe('camt: namespaces and root', () => {
  const body = (namespace: string, message = 'BkToCstmrDbtCdtNtfctn') =>
    `<?xml version="1.0"?><Document xmlns="${namespace}"><${message}><GrpHdr><MsgId>1</MsgId></GrpHdr><Ntfctn><Id>1</Id></Ntfctn></${message}></Document>`;

  it.each([
    ['urn:iso:std:iso:20022:tech:xsd:camt.054.001.11', "Document: camt.054.001.11 (namespace 'urn:iso:std:iso:20022:tech:xsd:camt.054.001.11') is not supported; supported are camt.053 and camt.054, versions .02 to .10"],
    ['urn:iso:std:iso:20022:tech:xsd:camt.053.001.01', "Document: camt.053.001.01 (namespace 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.01') is not supported; supported are camt.053 and camt.054, versions .02 to .10"],
    ['urn:iso:std:iso:20022:tech:xsd:camt.052.001.02', "Document: camt.052.001.02 (namespace 'urn:iso:std:iso:20022:tech:xsd:camt.052.001.02') is not supported; supported are camt.053 and camt.054, versions .02 to .10"],
    ['urn:iso:std:iso:20022:tech:xsd:pain.001.001.03', "Document: namespace 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03' is not an ISO 20022 camt message"],
  ])('rejects %s', (namespace, message) => {
    const error = rejection(body(namespace));
    expect(error.code).toBe('bank_file.unsupported_version');
    expect(error.message).toBe(message);
  });

  it('accepts every version from .02 to .10', () => {
    for (let version = 2; version <= 10; version++) {
      const digits = String(version).padStart(2, '0');
      expect(parse(body(`urn:iso:std:iso:20022:tech:xsd:camt.054.001.${digits}`)).version).toBe(`001.${digits}`);
    }
  });

  it('rejects a document without a namespace, a wrong root and a message that does not fit the namespace', () => {
    expect(rejection('<Document><BkToCstmrStmt/></Document>').message).toBe(
      'Document: the root element has no namespace; expected urn:iso:std:iso:20022:tech:xsd:camt.053/054.001.nn',
    );
    expect(rejection(body('urn:iso:std:iso:20022:tech:xsd:camt.054.001.02').replace(/Document/g, 'Doc')).message).toBe(
      'Doc: root element is <Doc>, expected <Document>',
    );
    const error = rejection(body('urn:iso:std:iso:20022:tech:xsd:camt.054.001.02', 'BkToCstmrStmt'));
    expect(error.code).toBe('bank_file.invalid');
    expect(error.message).toBe('Document/BkToCstmrDbtCdtNtfctn: missing in the camt.054.001.02 namespace (found <BkToCstmrStmt>)');
  });
});

describe('parseBankFile: format by content, not by name', () => {
  const xml = camtXml('054', '02', [{ iban: ACCOUNT, entries: [{ amount: '1.00', indicator: 'CRDT', servicerRef: 'A' }] }]);
  const ocr = [
    'NY000010000080800170031000102000',
    'NY090020001008566000000299991042764',
    'NY09103000000012001921320101464000000000000102000                  0036633',
    'NY091031000000196368271940990385620000000160192999910055240',
    'NY090088000000010000000400000000000102000200192200192200192',
    'NY000089000000010000000600000000000102000200192',
  ]
    .map((line) => line.padEnd(80, '0'))
    .join('\n');

  it('recognises camt in a .txt file and OCR in a .xml file', () => {
    expect(detectBankFileFormat(Buffer.from(`\n  ${xml}`))).toBe('camt');
    expect(detectBankFileFormat(Buffer.from(ocr))).toBe('ocr_giro');
    const camt = parseBankFile(Buffer.from(xml), 'innbetalinger.txt');
    expect([camt.format, camt.fileName, camt.transactions.length]).toEqual(['camt.054', 'innbetalinger.txt', 1]);
    const nets = parseBankFile(Buffer.from(ocr), 'OCR.xml');
    expect([nets.format, nets.fileName, nets.transactions[0]!.kid, nets.transactions[0]!.amountMinor]).toEqual(['ocr_giro', 'OCR.xml', '0036633', 102000]);
  });

  it('rejects anything else', () => {
    let error: unknown;
    try {
      parseBankFile(Buffer.from('Dato;Beløp;KID\n'), 'export.csv');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BankFileError);
    expect((error as BankFileError).code).toBe('bank_file.unknown_format');
    expect((error as BankFileError).message).toBe(
      "byte 0: export.csv is neither ISO 20022 XML (camt.053/054) nor a Nets OCR file (NY records): it starts with 'Dato;Bel··p;KID·'",
    );
  });
});
