/**
 * One entry point for incoming payment files: the format is recognised by the
 * content — XML (ISO 20022 camt.053/054) or Nets `NY` records (OCR giro) — never by
 * the file name, which only goes into the result and the messages.
 */

import { BankFileError, type BankTransaction, type ParsedBankFile } from '../../domain/bank/bank-file.js';
import { parseCamt } from './camt.js';
import { parseOcrGiro } from './ocr-giro.js';

export type DetectedBankFormat = 'ocr_giro' | 'camt';

/** `camt` for XML, `ocr_giro` for Nets records, null for anything else. */
export function detectBankFileFormat(bytes: Uint8Array): DetectedBankFormat | null {
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  else if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return 'camt';
  while (start < bytes.length && (bytes[start] === 0x20 || bytes[start] === 0x09 || bytes[start] === 0x0a || bytes[start] === 0x0d)) start++;
  if (bytes[start] === 0x3c /* < */) return 'camt';
  if (bytes[start] === 0x4e /* N */ && bytes[start + 1] === 0x59 /* Y */) return 'ocr_giro';
  return null;
}

export function parseBankFile(bytes: Uint8Array, fileName?: string): ParsedBankFile {
  return parseBankFileStreaming(bytes, fileName);
}

/**
 * As parseBankFile, handing the transactions over in batches while the file is read (camt;
 * an OCR file, read in one quick pass, hands them over at the end). See CamtParseOptions.
 */
export function parseBankFileStreaming(
  bytes: Uint8Array,
  fileName?: string,
  onTransactions?: (batch: BankTransaction[]) => void,
  batchSize = 5_000,
): ParsedBankFile {
  const options = { fileName: fileName ?? null };
  switch (detectBankFileFormat(bytes)) {
    case 'camt':
      return parseCamt(bytes, { ...options, onTransactions, batchSize });
    case 'ocr_giro': {
      const parsed = parseOcrGiro(bytes, options);
      if (onTransactions) {
        for (let start = 0; start < parsed.transactions.length; start += batchSize) onTransactions(parsed.transactions.slice(start, start + batchSize));
      }
      return parsed;
    }
    default: {
      const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 16)).toString('latin1');
      throw new BankFileError(
        'bank_file.unknown_format',
        'byte 0',
        bytes.byteLength === 0
          ? `${fileName ?? 'the file'} is empty`
          : `${fileName ?? 'the file'} is neither ISO 20022 XML (camt.053/054) nor a Nets OCR file (NY records): it starts with '${head.replace(/[^\x20-\x7e]/g, '·')}'`,
      );
    }
  }
}
