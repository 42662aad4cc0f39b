import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBankFile } from '../../src/adapters/bank/detect.js';
import { createBankFileStreamParser } from '../../src/adapters/bank/parse-stream.js';
import { BankFileError, type BankTransaction } from '../../src/domain/bank/bank-file.js';
import { CONFORMANCE_DIR, conformanceSetting } from '../helpers/conformance.js';

/**
 * The streamed parse (in a worker thread, batches handed over while it reads) gives exactly
 * what parseBankFile gives: the same transactions in the same order, the same rest of the
 * result, the same error for a bad file — for every shared sample and for generated files;
 * an error found after batches were handed over still rejects; a batch that fails stops it.
 */

const BANK_DIR = path.join(CONFORMANCE_DIR, 'bank');
const IS_CI = conformanceSetting().isCi;
const samplesPresent = ['ocr', 'camt'].every((folder) => fs.existsSync(path.join(BANK_DIR, folder, 'manifest.json')));
if (!samplesPresent && !IS_CI) console.warn(`[conformance] skipping "streamed parse of the shared samples": no manifests under ${BANK_DIR}. With CI=true this is a failure instead.`);

const inWorker = createBankFileStreamParser({ workerMinBytes: 0, batchSize: 2 });
const inPlace = createBankFileStreamParser({ workerMinBytes: Number.POSITIVE_INFINITY, batchSize: 3 });

async function collect(parser: typeof inWorker, bytes: Uint8Array, fileName: string) {
  const batches: BankTransaction[][] = [];
  try {
    const rest = await parser(bytes, fileName, async (batch) => {
      batches.push(batch);
    });
    return { batches, rest, error: null };
  } catch (error) {
    return { batches, rest: null, error: error as Error };
  }
}

function syncResult(bytes: Uint8Array, fileName: string) {
  try {
    const { transactions, ...rest } = parseBankFile(bytes, fileName);
    return { transactions, rest, error: null };
  } catch (error) {
    return { transactions: [], rest: null, error: error as Error };
  }
}

function camt(entries: Array<{ amount: string; ref?: string; date?: string }>, options: { messageId?: string; tail?: string } = {}): Buffer {
  const ntry = (entry: { amount: string; ref?: string; date?: string }) =>
    `<Ntry><Amt Ccy="NOK">${entry.amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>${entry.date ?? '2026-11-25'}</Dt></BookgDt>` +
    `${entry.ref ? `<AcctSvcrRef>${entry.ref}</AcctSvcrRef>` : ''}<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>` +
    `<NtryDtls><TxDtls><AmtDtls><TxAmt><Amt Ccy="NOK">${entry.amount}</Amt></TxAmt></AmtDtls><RmtInf><Ustrd>Faktura</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>`;
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn>` +
      `<GrpHdr><MsgId>${options.messageId ?? 'STREAM-1'}</MsgId><CreDtTm>2026-11-25T10:00:00</CreDtTm></GrpHdr>` +
      `<Ntfctn><Id>N1</Id><CreDtTm>2026-11-25T10:00:00</CreDtTm><Acct><Id><Othr><Id>86011117947</Id></Othr></Id><Ccy>NOK</Ccy></Acct>` +
      `${entries.map(ntry).join('')}${options.tail ?? ''}</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`,
  );
}

describe('streamed bank file parse (worker thread and in place)', () => {
  it.skipIf(!samplesPresent && !IS_CI)('gives what parseBankFile gives for every shared sample, accepted or rejected', async () => {
    expect(samplesPresent, `bank samples missing under ${BANK_DIR}`).toBe(true);
    let compared = 0;
    for (const folder of ['ocr', 'camt']) {
      const { files } = JSON.parse(fs.readFileSync(path.join(BANK_DIR, folder, 'manifest.json'), 'utf8')) as { files: Array<{ file: string }> };
      for (const { file } of files) {
        const bytes = fs.readFileSync(path.join(BANK_DIR, folder, file));
        const expected = syncResult(bytes, file);
        for (const parser of [inWorker, inPlace]) {
          const streamed = await collect(parser, bytes, file);
          if (expected.error) {
            expect(streamed.error, file).toBeInstanceOf(BankFileError);
            expect({ code: (streamed.error as BankFileError).code, location: (streamed.error as BankFileError).location, message: streamed.error!.message }, file).toEqual({
              code: (expected.error as BankFileError).code,
              location: (expected.error as BankFileError).location,
              message: expected.error.message,
            });
          } else {
            expect(streamed.error, file).toBeNull();
            expect(streamed.batches.flat(), file).toEqual(expected.transactions);
            expect(streamed.rest, file).toEqual(expected.rest);
          }
        }
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(14);
  });

  it('hands a large file over in batches of the set size, in file order, with references made from the MsgId', async () => {
    const entries = Array.from({ length: 41 }, (_, i) => ({ amount: `${i + 1}.00`, ...(i % 5 === 0 ? {} : { ref: `REF-${i}` }) }));
    const bytes = camt(entries);
    const streamed = await collect(createBankFileStreamParser({ workerMinBytes: 0, batchSize: 10 }), bytes, 'big.xml');
    expect(streamed.error).toBeNull();
    expect(streamed.batches.map((batch) => batch.length)).toEqual([10, 10, 10, 10, 1]);
    const transactions = streamed.batches.flat();
    expect(transactions.map((transaction) => transaction.amountMinor)).toEqual(entries.map((_, i) => (i + 1) * 100));
    expect(transactions[0]!.bankReference).toMatch(/^STREAM-1:/);
    expect(transactions[1]!.bankReference).toBe('REF-1');
    expect(transactions).toEqual(parseBankFile(bytes, 'big.xml').transactions);
  });

  it('rejects a file whose error comes after batches were handed over, naming the element', async () => {
    const bytes = camt(
      Array.from({ length: 9 }, (_, i) => ({ amount: `${i + 1}.00`, ref: `R${i}` })),
      { tail: '<Ntry><Amt Ccy="NOK">12,50</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts></Ntry>' },
    );
    const expected = syncResult(bytes, 'late.xml').error as BankFileError;
    expect(expected).toBeInstanceOf(BankFileError);
    const streamed = await collect(inWorker, bytes, 'late.xml');
    expect(streamed.batches.length).toBeGreaterThan(0);
    expect(streamed.error).toBeInstanceOf(BankFileError);
    expect((streamed.error as BankFileError).code).toBe(expected.code);
    expect(streamed.error!.message).toBe(expected.message);
    expect(streamed.error!.message).toContain('Ntry');

    const notXml = await collect(inWorker, Buffer.from('<Document><unclosed>'), 'broken.xml');
    expect(notXml.error).toBeInstanceOf(BankFileError);
    expect(notXml.batches).toEqual([]);
  });

  it('stops when a batch fails: no batch after it, and the failure is what rejects', async () => {
    const bytes = camt(Array.from({ length: 30 }, (_, i) => ({ amount: `${i + 1}.00`, ref: `S${i}` })));
    let calls = 0;
    const failure = new Error('booking failed');
    await expect(
      inWorker(bytes, 'stop.xml', async () => {
        calls++;
        if (calls === 2) throw failure;
      }),
    ).rejects.toBe(failure);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toBe(2);
  });
});
