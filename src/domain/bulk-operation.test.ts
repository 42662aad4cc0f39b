import { describe, expect, it } from 'vitest';
import { isBulkFinished, uniqueFileNames } from './bulk-operation.js';

describe('uniqueFileNames', () => {
  it('keeps distinct names and numbers repeats before the extension, ignoring case', () => {
    expect(uniqueFileNames(['Faktura-1.pdf', 'Kreditnota-KN-2.pdf', 'Faktura-1.pdf', 'faktura-1.PDF', 'Faktura-1.pdf'])).toEqual([
      'Faktura-1.pdf',
      'Kreditnota-KN-2.pdf',
      'Faktura-1-2.pdf',
      'faktura-1-3.PDF',
      'Faktura-1-4.pdf',
    ]);
  });

  it('does not collide with a name that already looks numbered', () => {
    expect(uniqueFileNames(['A-2.pdf', 'A.pdf', 'A.pdf'])).toEqual(['A-2.pdf', 'A.pdf', 'A-3.pdf']);
    expect(uniqueFileNames(['README', 'README'])).toEqual(['README', 'README-2']);
  });
});

describe('isBulkFinished', () => {
  it('is true only for the end states', () => {
    expect(['queued', 'running', 'completed', 'completed_with_errors', 'failed'].map((status) => isBulkFinished(status as never))).toEqual([
      false,
      false,
      true,
      true,
      true,
    ]);
  });
});
