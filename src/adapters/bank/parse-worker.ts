/**
 * Worker thread: parses one bank file and posts its transactions in batches as they are read,
 * then the rest of the result (see parse-stream.ts). Nothing here touches the database.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isBankFileError } from '../../domain/bank/bank-file.js';
import { parseBankFileStreaming } from './detect.js';

export interface ParseWorkerInput {
  bytes: Uint8Array;
  fileName: string | undefined;
  batchSize: number;
}

export type ParseWorkerMessage =
  /** The batch's transactions as JSON: JSON.parse on the receiving thread costs about half of structured-clone deserialisation. */
  | { type: 'batch'; json: string }
  | { type: 'done'; result: unknown }
  | { type: 'rejected'; code: string; location: string | null; message: string }
  | { type: 'failed'; message: string };

const port = parentPort!;
const input = workerData as ParseWorkerInput;
const post = (message: ParseWorkerMessage) => port.postMessage(message);

try {
  const { transactions: _all, ...rest } = parseBankFileStreaming(input.bytes, input.fileName, (transactions) => post({ type: 'batch', json: JSON.stringify(transactions) }), input.batchSize);
  post({ type: 'done', result: rest });
} catch (error) {
  if (isBankFileError(error)) {
    const message = error.location === null ? error.message : error.message.slice(error.location.length + 2);
    post({ type: 'rejected', code: error.code, location: error.location, message });
  } else {
    post({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
}
