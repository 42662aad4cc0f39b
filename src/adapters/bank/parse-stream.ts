/**
 * Bank files parsed while they are booked: a large file is read in a worker thread, which
 * hands its transactions over in batches as it reads, so matching and booking one batch on
 * the main thread overlaps reading the next (on two cores the import then costs about the
 * larger of the two, not their sum). A small file is parsed in place: starting a thread costs
 * more than it saves. The result is the same either way (test/bank/parse-stream.test.ts).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BankFileError, type BankFileErrorCode, type BankTransaction } from '../../domain/bank/bank-file.js';
import type { BankFileStreamParser, StreamedBankFile } from '../../app/bank-import.service.js';
import { parseBankFileStreaming } from './detect.js';
import type { ParseWorkerInput, ParseWorkerMessage } from './parse-worker.js';

export interface BankFileStreamOptions {
  /** Files at least this large are read in a worker thread (default 4 MiB); 0 = always, Infinity = never. */
  workerMinBytes?: number;
  /** Transactions per batch (default 5 000). */
  batchSize?: number;
}

const here = fileURLToPath(import.meta.url);

/**
 * The worker's entry: the compiled parse-worker.js beside this file; when running from the
 * TypeScript sources (tests, `tsx`), the .ts file, loaded through tsx's loader.
 */
function workerEntry(): { script: string | URL; eval: boolean; workerData: Record<string, unknown> } {
  const compiled = here.replace(/parse-stream\.[cm]?[jt]s$/, 'parse-worker.js');
  if (here.endsWith('.js') && fs.existsSync(compiled)) return { script: pathToFileURL(compiled), eval: false, workerData: {} };
  const source = here.replace(/parse-stream\.ts$/, 'parse-worker.ts');
  // tsx's ESM API (its CommonJS twin registers a loader path that does not resolve from a worker).
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const bootstrap = `
    const { workerData } = require('node:worker_threads');
    import(workerData.tsx).then((api) => { api.register(); return import(workerData.entry); });
  `;
  return { script: bootstrap, eval: true, workerData: { tsx, entry: pathToFileURL(source).href } };
}

export function createBankFileStreamParser(options: BankFileStreamOptions = {}): BankFileStreamParser {
  const workerMinBytes = options.workerMinBytes ?? 4 * 1024 * 1024;
  const batchSize = options.batchSize ?? 5_000;

  async function inPlace(bytes: Uint8Array, fileName: string | undefined, onBatch: (batch: BankTransaction[]) => Promise<void>): Promise<StreamedBankFile> {
    const { transactions, ...rest } = parseBankFileStreaming(bytes, fileName);
    for (let start = 0; start < transactions.length; start += batchSize) await onBatch(transactions.slice(start, start + batchSize));
    return rest;
  }

  return (bytes, fileName, onBatch) => {
    if (bytes.byteLength < workerMinBytes) return inPlace(bytes, fileName, onBatch);
    return new Promise<StreamedBankFile>((resolve, reject) => {
      const entry = workerEntry();
      // The worker gets its own copy of the bytes (moved, not copied again, into the thread).
      const copy = new Uint8Array(bytes);
      const input: ParseWorkerInput = { bytes: copy, fileName, batchSize };
      const worker = new Worker(entry.script, { eval: entry.eval, workerData: { ...entry.workerData, ...input }, transferList: [copy.buffer] });
      let settled = false;
      /** The worker said its last word (done, rejected, failed): its exit is then expected. */
      let finished = false;
      // Batches are booked one after the other, in file order; the end waits for the last.
      let chain: Promise<void> = Promise.resolve();
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        void worker.terminate();
        reject(error);
      };
      worker.on('message', (message: ParseWorkerMessage) => {
        if (settled) return;
        if (message.type !== 'batch') finished = true;
        switch (message.type) {
          case 'batch': {
            const json = message.json;
            // Parsed when its turn comes (only one batch's objects alive at a time).
            chain = chain.then(() => (settled ? undefined : onBatch(JSON.parse(json) as BankTransaction[])));
            chain.catch(fail);
            break;
          }
          case 'done':
            chain.then(() => {
              if (settled) return;
              settled = true;
              void worker.terminate();
              resolve(message.result as StreamedBankFile);
            }, fail);
            break;
          case 'rejected':
            // What was booked from the earlier batches is dropped by the caller's rollback; wait for the batch in hand.
            chain.then(
              () => fail(new BankFileError(message.code as BankFileErrorCode, message.location, message.message)),
              fail,
            );
            break;
          case 'failed':
            fail(new Error(`bank file parser failed: ${message.message}`));
            break;
        }
      });
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (!finished) fail(new Error(`bank file parser stopped (exit code ${code}) before it finished`));
      });
    });
  };
}
