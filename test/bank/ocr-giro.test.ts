import { describe, expect, it } from 'vitest';
import { parseOcrGiro, parseOcrGiroText } from '../../src/adapters/bank/ocr-giro.js';
import { BankFileError, type ParsedBankFile } from '../../src/domain/bank/bank-file.js';

/**
 * Hand-made Nets OCR giro files for every rule and quirk of README §1/§3
 * (shared/conformance/bank). The builder writes correct control records unless told
 * otherwise; tests then break one thing at a time.
 */

interface TestTransaction {
  type: string;
  amount: number;
  sign?: '0' | '-';
  /** The KID value, right-aligned and blank-filled; or `field` for the raw 25 characters. */
  kid?: string;
  kidField?: string;
  netsDate?: string;
  bankDate?: string;
  debitAccount?: string;
  text?: string;
}

const digits = (value: number | string, width: number) => String(value).padStart(width, '0');

function record(content: string): string {
  if (content.length > 80) throw new Error(`record too long: ${content}`);
  return content.padEnd(80, '0');
}

function item1(t: TestTransaction, number: number): string {
  const kid = t.kidField ?? (t.kid ?? '').padStart(25, ' ');
  return record(`NY09${t.type}30${digits(number, 7)}${t.netsDate ?? '200192'}13201${'01464'}${t.sign ?? '0'}${digits(t.amount, 17)}${kid}`);
}

function item2(t: TestTransaction, number: number): string {
  return record(`NY09${t.type}31${digits(number, 7)}9636827194099038562${'0000000'}${t.bankDate ?? '160192'}${t.debitAccount ?? '99990512341'}`);
}

function item3(t: TestTransaction, number: number): string {
  return record(`NY09${t.type}32${digits(number, 7)}${(t.text ?? '').padEnd(40, ' ')}`);
}

interface FileOptions {
  convention?: 'gross' | 'net';
  /** Replace the computed total in record 88 / 89. */
  assignmentTotal?: number;
  transmissionTotal?: number;
}

/** Lines of a one-assignment file whose control records match (gross by default). */
function ocrLines(transactions: TestTransaction[], options: FileOptions = {}): string[] {
  const body: string[] = [];
  transactions.forEach((t, index) => {
    body.push(item1(t, index + 1), item2(t, index + 1));
    if (t.text !== undefined) body.push(item3(t, index + 1));
  });
  const signed = transactions.map((t) => (t.sign === '-' || t.type === '18' || t.type === '20' ? -t.amount : t.amount));
  const gross = signed.reduce((sum, amount) => sum + Math.abs(amount), 0);
  const net = signed.reduce((sum, amount) => sum + amount, 0);
  const total = options.convention === 'net' ? net : gross;
  const assignmentRecords = body.length + 2;
  return [
    record('NY000010000080800170031000102000'),
    record('NY090020001008566000000299991042764'),
    ...body,
    record(`NY090088${digits(transactions.length, 8)}${digits(assignmentRecords, 8)}${digits(options.assignmentTotal ?? total, 17)}200192200192200192`),
    record(`NY000089${digits(transactions.length, 8)}${digits(assignmentRecords + 2, 8)}${digits(options.transmissionTotal ?? total, 17)}200192`),
  ];
}

const THREE: TestTransaction[] = [
  { type: '10', amount: 102000, kid: '0036633', debitAccount: '99991005524' },
  { type: '13', amount: 55000, kid: '02310291038308', debitAccount: '00000000000' },
  { type: '21', amount: 1500, kid: '0000531', text: 'Foo bar baz' },
];

function parse(text: string): ParsedBankFile {
  return parseOcrGiroText(text);
}

function rejection(text: string): BankFileError {
  try {
    parse(text);
  } catch (error) {
    if (error instanceof BankFileError) return error;
    throw error;
  }
  throw new Error('expected the file to be rejected');
}

describe('OCR giro: a correct file', () => {
  const result = parse(ocrLines(THREE).join('\n') + '\n');

  it('gives one transaction per amount item 1 with exact fields', () => {
    expect(result.format).toBe('ocr_giro');
    expect(result.messageId).toBe('0170031');
    expect(result.transactions.map((t) => [t.transactionType, t.amountMinor, t.kid, t.kidValid, t.location])).toEqual([
      ['10', 102000, '0036633', true, 'record 3'],
      ['13', 55000, '02310291038308', true, 'record 5'],
      ['21', 1500, '0000531', true, 'record 7'],
    ]);
    const [first, second, third] = result.transactions;
    expect(first!.bookingDate).toBe('1992-01-20');
    expect(first!.ocr!.bankDate).toBe('1992-01-16');
    expect(first!.payerAccount).toBe('99991005524');
    expect(second!.payerAccount).toBeNull();
    expect(third!.freeText).toEqual(['Foo bar baz']);
    expect(first!.bankReference).toBe('OCR:001008566:0000002:200192:01464:0000001');
    expect(new Set(result.transactions.map((t) => t.bankReference)).size).toBe(3);
    expect(result.transactions.every((t) => t.isPayment && !t.isReversal && t.direction === 'credit' && t.currency === 'NOK')).toBe(true);
  });

  it('checks and reports the control records', () => {
    expect(result.control!.convention).toBe('gross_equals_net');
    expect(result.control!.transmission).toEqual({ location: 'record 11', transactions: 3, records: 11, totalMinor: 158500, convention: 'gross_equals_net' });
    expect(result.control!.assignments).toHaveLength(1);
    expect(result.control!.assignments[0]).toMatchObject({ location: 'record 10', transactions: 3, records: 9, totalMinor: 158500, agreementId: '001008566', account: '99991042764' });
    expect(result.totals).toEqual([
      { currency: 'NOK', transactionCount: 3, paymentCount: 3, paymentSumMinor: 158500, creditedMinor: 158500, debitedMinor: 0, reversedMinor: 0 },
    ]);
    expect(result.accounts).toEqual([expect.objectContaining({ otherId: '99991042764', currency: 'NOK', reportId: '0000002' })]);
    expect(result.warnings).toEqual([]);
    expect(result.notes).toEqual([]);
  });
});

describe('OCR giro: line breaks', () => {
  const lines = ocrLines(THREE);
  const expected = parse(lines.join('\n') + '\n').transactions;

  it.each([
    ['CRLF', lines.join('\r\n') + '\r\n'],
    ['no final newline', lines.join('\n')],
    ['CRLF without a final newline', lines.join('\r\n')],
    ['no line breaks at all', lines.join('')],
  ])('%s gives the same transactions', (_name, text) => {
    expect(parse(text).transactions).toEqual(expected);
  });

  it('rejects a record that is not 80 characters, naming it', () => {
    const broken = [...lines];
    broken[4] = broken[4]!.slice(0, 79);
    const error = rejection(broken.join('\n'));
    expect(error.code).toBe('bank_file.invalid');
    expect(error.message).toBe('record 5: 79 characters (line 5); OCR records are exactly 80 characters');
  });

  it('rejects a one-line file whose length is not a multiple of 80', () => {
    expect(rejection(lines.join('') + 'NY').message).toBe('record 12: 2 characters left after 11 whole records; OCR records are exactly 80 characters');
  });
});

describe('OCR giro: control records', () => {
  const lines = ocrLines(THREE);

  it('rejects an amount edited without fixing the totals, naming record 88', () => {
    const edited = [...lines];
    edited[4] = item1({ ...THREE[1]!, amount: 55001 }, 2);
    const error = rejection(edited.join('\n'));
    expect(error.code).toBe('bank_file.control_mismatch');
    expect(error.location).toBe('record 10');
    expect(error.message).toBe(
      'record 10: assignment end declares a total of 158500 øre, which matches neither the gross sum (158501) nor the net sum (158501) of the assignment started at record 2',
    );
  });

  it('rejects a transmission total that disagrees, naming record 89', () => {
    const error = rejection(ocrLines(THREE, { transmissionTotal: 158400 }).join('\n'));
    expect(error.code).toBe('bank_file.control_mismatch');
    expect(error.message).toMatch(/^record 11: transmission end declares a total of 158400 øre, which matches neither the gross sum \(158500\)/);
  });

  it('rejects wrong transaction and record counts', () => {
    const fewer = [...lines];
    fewer[9] = `NY09008800000002${fewer[9]!.slice(16)}`;
    expect(rejection(fewer.join('\n')).message).toBe('record 10: assignment end declares 2 transactions, the assignment holds 3');

    const records = [...lines];
    records[10] = `NY00008900000003${digits(12, 8)}${records[10]!.slice(24)}`;
    const error = rejection(records.join('\n'));
    expect(error.code).toBe('bank_file.control_mismatch');
    expect(error.message).toBe('record 11: transmission end declares 12 records, the file has 11');
  });

  it('rejects a file without record 89', () => {
    const error = rejection(lines.slice(0, -1).join('\n'));
    expect(error.code).toBe('bank_file.invalid');
    expect(error.message).toBe('after record 10: transmission end record 89 is missing: the file ends after record 10');
  });

  it('rejects a file without record 88', () => {
    const withoutEnd = [...lines.slice(0, 9), lines[10]!];
    expect(rejection(withoutEnd.join('\n')).message).toBe(
      'record 10: transmission end while the assignment of record 2 has no end record 88 (NY000089)',
    );
  });

  it('rejects transaction records without an assignment start (record 20)', () => {
    const withoutStart = [lines[0]!, ...lines.slice(2)];
    expect(rejection(withoutStart.join('\n')).message).toBe(
      'record 2: transaction record outside an assignment (no assignment start record 20 before it) (NY091030)',
    );
  });

  it('rejects a file that does not begin with the transmission start', () => {
    expect(rejection(lines.slice(1).join('\n')).message).toBe(
      'record 1: expected the transmission start record NY000010 first (NY090020)',
    );
  });

  it('rejects records after the transmission end', () => {
    expect(rejection([...lines, lines[2]!].join('\n')).message).toBe('record 12: record after the transmission end (record 11) (NY091030)');
  });

  it('rejects an amount item 1 without its amount item 2', () => {
    const missing = [...lines.slice(0, 3), ...lines.slice(4)];
    expect(rejection(missing.join('\n')).message).toBe(
      'record 4: amount item 1 of transaction 0000001 (record 3) is not followed by its amount item 2 (record type 31) (NY091330)',
    );
  });
});

describe('OCR giro: negative items and reversals', () => {
  const items: TestTransaction[] = [
    { type: '10', amount: 100000, kid: '0036633' },
    { type: '13', amount: 25000, sign: '-', kid: '44000366370078' },
    { type: '18', amount: 4000, kid: '0048763' },
    { type: '20', amount: 1000, text: 'refund' },
  ];

  it('accepts net totals (negative items deducted) and records the convention', () => {
    const result = parse(ocrLines(items, { convention: 'net' }).join('\n'));
    expect(result.control!.convention).toBe('net');
    expect(result.control!.transmission.totalMinor).toBe(70000);
    expect(result.control!.assignments[0]!.convention).toBe('net');
    expect(result.transactions.map((t) => [t.amountMinor, t.direction, t.isReversal, t.isPayment])).toEqual([
      [100000, 'credit', false, true],
      [-25000, 'debit', false, true],
      [-4000, 'debit', true, false],
      [-1000, 'debit', true, false],
    ]);
    expect(result.transactions[1]!.ocr!.sign).toBe('-');
    expect(result.transactions[3]!.kid).toBeNull();
    expect(result.transactions[3]!.freeText).toEqual(['refund']);
    expect(result.totals).toEqual([
      { currency: 'NOK', transactionCount: 4, paymentCount: 2, paymentSumMinor: 75000, creditedMinor: 100000, debitedMinor: 30000, reversedMinor: 5000 },
    ]);
  });

  it('accepts gross totals (reversals added, as the specification says) and records the convention', () => {
    const result = parse(ocrLines(items, { convention: 'gross' }).join('\n'));
    expect(result.control!.convention).toBe('gross');
    expect(result.control!.transmission.totalMinor).toBe(130000);
    expect(result.transactions.map((t) => t.amountMinor)).toEqual([100000, -25000, -4000, -1000]);
  });

  it('rejects a total that is neither gross nor net', () => {
    const error = rejection(ocrLines(items, { assignmentTotal: 125000 }).join('\n'));
    expect(error.code).toBe('bank_file.control_mismatch');
    expect(error.message).toContain('gross sum (130000) nor the net sum (70000)');
  });
});

describe('OCR giro: KIDs', () => {
  it('keeps a zero-filled KID field exactly and flags it', () => {
    const result = parse(ocrLines([{ type: '10', amount: 102000, kidField: '0000000000000000000000531' }]).join('\n'));
    const [transaction] = result.transactions;
    expect(transaction!.kid).toBe('0000000000000000000000531');
    expect(transaction!.kidZeroFilled).toBe(true);
    expect(transaction!.kidValid).toBe(true);
    expect(result.warnings).toEqual([
      {
        code: 'kid_zero_filled',
        location: 'record 3',
        message: "the KID field is zero-filled ('0000000000000000000000531'); match on this exact value first, a comparison without leading zeros ('531') only as a flagged fallback",
      },
    ]);
  });

  it('keeps leading zeros of a blank-filled KID without a warning, and checks MOD10 and MOD11 (check digit "-")', () => {
    const result = parse(
      ocrLines([
        { type: '10', amount: 100, kid: '0000531' },
        { type: '10', amount: 100, kid: '47914510' },
        { type: '10', amount: 100, kid: '0006-' },
        { type: '10', amount: 100, kid: '47914511' },
        { type: '21', amount: 100, text: 'no KID' },
      ]).join('\n'),
    );
    expect(result.transactions.map((t) => [t.kid, t.kidValid, t.kidZeroFilled])).toEqual([
      ['0000531', true, false],
      ['47914510', true, false],
      ['0006-', true, false],
      ['47914511', false, false],
      [null, false, false],
    ]);
    expect(result.warnings).toEqual([]);
  });
});

describe('OCR giro: dates', () => {
  it('reads DDMMYY with the pivot 70 and 000000 as no date', () => {
    const result = parse(
      ocrLines([
        { type: '10', amount: 100, kid: '0000531', netsDate: '240304', bankDate: '000000' },
        { type: '10', amount: 100, kid: '0000531', netsDate: '311299', bankDate: '010170' },
      ]).join('\n'),
    );
    expect(result.transactions.map((t) => [t.bookingDate, t.ocr!.bankDate])).toEqual([
      ['2004-03-24', null],
      ['1999-12-31', '1970-01-01'],
    ]);
  });

  it('rejects an impossible date, naming the record and field', () => {
    const error = rejection(ocrLines([{ type: '10', amount: 100, kid: '0000531', netsDate: '300292' }]).join('\n'));
    expect(error.code).toBe('bank_file.invalid');
    expect(error.message).toBe("record 3: Nets date (positions 16–21) '300292' is not a DDMMYY date (NY091030)");
  });
});

describe('OCR giro: AvtaleGiro and other services', () => {
  const agreements = [
    record('NY000010000080801091949000102000'),
    record('NY212420000000000000000299991042764'),
    record('NY21947000000011          000112000507155J'),
    record('NY21947000000021          001006300507304N'),
    record('NY212488000000020000000400000000000000000'),
    record('NY000089000000020000000600000000000000000190417'),
  ];

  it('recognises service 21 and gives no payments, with a note', () => {
    const result = parse(agreements.join('\n'));
    expect(result.transactions).toEqual([]);
    expect(result.totals).toEqual([]);
    expect(result.notes).toEqual([
      {
        code: 'avtalegiro_no_payments',
        location: 'record 2–record 5',
        message: 'AvtaleGiro assignment (service 21, assignment type 24) with 2 agreement/claim items: AvtaleGiro carries no payments, nothing to book',
      },
    ]);
    expect(result.control!.assignments[0]).toMatchObject({ serviceCode: '21', transactions: 2, records: 4, totalMinor: 0 });
  });

  it('still checks the AvtaleGiro control records', () => {
    const broken = [...agreements];
    broken[4] = record('NY212488000000030000000400000000000000000');
    expect(rejection(broken.join('\n')).message).toBe('record 5: assignment end declares 3 transactions, the assignment holds 2');
  });

  it('rejects an unknown service code and an unknown transaction type', () => {
    const lines = ocrLines(THREE);
    const otherService = [...lines];
    otherService[1] = record('NY040020001008566000000299991042764');
    expect(rejection(otherService.join('\n')).message).toBe(
      "record 2: service code '04' is neither OCR giro (09) nor AvtaleGiro (21) (NY040020)",
    );
    const otherType = [...lines];
    otherType[2] = `NY0922${otherType[2]!.slice(6)}`;
    expect(rejection(otherType.join('\n')).message).toBe("record 3: transaction type '22' is not an OCR giro type (10–21) (NY092230)");
  });
});

describe('OCR giro: bytes', () => {
  it('decodes ISO-8859-1', () => {
    const lines = ocrLines([{ type: '21', amount: 100, kid: '0000531', text: 'Betaling for Ærø og Østby' }]);
    const result = parseOcrGiro(Buffer.from(lines.join('\r\n'), 'latin1'), { fileName: 'OCR.001' });
    expect(result.transactions[0]!.freeText).toEqual(['Betaling for Ærø og Østby']);
    expect(result.fileName).toBe('OCR.001');
    const withBom = parseOcrGiro(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\n'), 'latin1')]));
    expect(withBom.transactions).toEqual(result.transactions);
  });
});
