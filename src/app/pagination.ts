import { AppError } from '../domain/errors.js';

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page, or null on the last page. */
  nextCursor: string | null;
}

export type CursorValue = [string | number, string];

/** Encodes the sort key and id of the last row of a page (keyset pagination). */
export function encodeCursor(sortKey: string, value: CursorValue): string {
  return Buffer.from(JSON.stringify([sortKey, ...value])).toString('base64url');
}

export function decodeCursor(sortKey: string, cursor: string): CursorValue {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 3 &&
      parsed[0] === sortKey &&
      (typeof parsed[1] === 'string' || typeof parsed[1] === 'number') &&
      typeof parsed[2] === 'string'
    ) {
      return [parsed[1], parsed[2]];
    }
  } catch {
    // fall through to the validation error below
  }
  throw new AppError('validation.failed', 'Invalid cursor', {
    issues: [{ path: 'cursor', code: 'cursor.invalid', message: 'The cursor is not valid for this list and sort order' }],
  });
}

/** Turns `limit + 1` fetched rows into a page and its next cursor. */
export function toPage<Row, T>(
  rows: Row[],
  limit: number,
  sortKey: string,
  cursorOf: (row: Row) => CursorValue,
  map: (row: Row) => T,
): Page<T> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return {
    items: pageRows.map(map),
    nextCursor: hasMore && last !== undefined ? encodeCursor(sortKey, cursorOf(last)) : null,
  };
}

/** Escapes LIKE wildcards so user search text is matched literally (ESCAPE '\'). */
export function likeContains(search: string): string {
  return `%${search.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}
