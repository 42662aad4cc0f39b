import { Readable } from 'node:stream';
import yazl from 'yazl';
import type { ZipEntrySource, ZipWriter } from '../../app/bulk.service.js';

/**
 * ZIP output with yazl. Entries are added lazily: yazl asks for an entry's bytes only when
 * it has written every entry before it, and the output stream's back-pressure holds it
 * there while the client is slow, so one entry's bytes at a time are in memory. Entries
 * are stored, not deflated (PDFs are compressed already), and their sizes are known up
 * front, so the total length is known before the first byte (Content-Length).
 */
export function createYazlZipWriter(): ZipWriter {
  return {
    write(entries: readonly ZipEntrySource[]) {
      const zip = new yazl.ZipFile();
      const output = zip.outputStream as Readable;
      zip.on('error', (error: Error) => output.destroy(error));
      for (const entry of entries) {
        zip.addReadStreamLazy(entry.name, { size: entry.size, compress: false, mtime: entry.modifiedAt }, (callback) => {
          entry.read().then(
            (bytes) => callback(null, Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)])),
            (error: unknown) => callback(error, undefined as unknown as NodeJS.ReadableStream),
          );
        });
      }
      let byteLength: number | null = null;
      // yazl calls back with the total size (its typings omit the argument); -1 when it cannot know it.
      const onTotalSize = (total: number) => {
        byteLength = total >= 0 ? total : null;
      };
      zip.end(undefined, onTotalSize as unknown as () => void);
      return { stream: output, byteLength };
    },
  };
}
