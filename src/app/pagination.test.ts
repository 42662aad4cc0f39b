import { describe, expect, it } from 'vitest';
import { AppError } from '../domain/errors.js';
import { decodeCursor, encodeCursor, likeContains, toPage, type CursorValue } from './pagination.js';

function captureError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return expect.fail('expected the call to throw');
}

function expectInvalidCursor(run: () => unknown): void {
  const error = captureError(run);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('validation.failed');
  expect((error as AppError).issues?.map((issue) => [issue.path, issue.code])).toEqual([['cursor', 'cursor.invalid']]);
}

function rawCursor(json: string): string {
  return Buffer.from(json).toString('base64url');
}

describe('encodeCursor / decodeCursor', () => {
  it.each<[string, CursorValue]>([
    ['name', ['Acme AS', '01956a3c-0000-7000-8000-000000000001']],
    ['name', ['', 'id-1']],
    ['name', ['Ærlig Øl & Ålesund "AS" \\ / ?=+', 'id-2']],
    ['name', ['emoji 🧾', 'id-3']],
    ['number', [0, 'id-4']],
    ['number', [-17, 'id-5']],
    ['amount', [123.5, 'id-6']],
    ['amount', [Number.MAX_SAFE_INTEGER, 'id-7']],
    ['created_at', ['2025-03-01T09:00:00.000Z', 'id-8']],
  ])('round-trips sort key %s with value %j', (sortKey, value) => {
    const cursor = encodeCursor(sortKey, value);
    expect(decodeCursor(sortKey, cursor)).toEqual(value);
  });

  it('keeps a numeric value a number and a numeric-looking string a string', () => {
    expect(decodeCursor('number', encodeCursor('number', [42, 'a']))[0]).toBe(42);
    expect(decodeCursor('number', encodeCursor('number', ['42', 'a']))[0]).toBe('42');
  });

  it.each(['Acme', 'a/b+c=d', 'ÆØÅ', '\u0000'])('produces a URL-safe cursor for %j', (value) => {
    expect(encodeCursor('name', [value, 'id'])).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    ['name', 'number'],
    ['name', 'Name'],
    ['name', 'name '],
    ['created_at', 'name'],
  ])('rejects a cursor made for sort key %j when decoding for %j', (encodedFor, decodedFor) => {
    const cursor = encodeCursor(encodedFor, ['x', 'id']);
    expectInvalidCursor(() => decodeCursor(decodedFor, cursor));
  });

  it.each([
    ['', 'empty string'],
    ['garbage', 'not base64 of JSON'],
    ['!!!***', 'not base64 at all'],
    ['%7B%7D', 'URL-encoded text'],
    [rawCursor('not json'), 'base64 of non-JSON'],
    [rawCursor('null'), 'JSON null'],
    [rawCursor('"name"'), 'JSON string'],
    [rawCursor('42'), 'JSON number'],
    [rawCursor('{"0":"name","1":"x","2":"id"}'), 'object instead of array'],
    [rawCursor('[]'), 'empty array'],
    [rawCursor('["name","x"]'), 'two elements'],
    [rawCursor('["name","x","id","extra"]'), 'four elements'],
    [rawCursor('["name",true,"id"]'), 'boolean value'],
    [rawCursor('["name",null,"id"]'), 'null value'],
    [rawCursor('["name",["x"],"id"]'), 'array value'],
    [rawCursor('["name",{"v":1},"id"]'), 'object value'],
    [rawCursor('["name","x",7]'), 'numeric id'],
    [rawCursor('["name","x",null]'), 'null id'],
    [rawCursor('[null,"x","id"]'), 'null sort key'],
    [rawCursor('["name","x","id"'), 'truncated JSON'],
    [encodeCursor('name', ['x', 'id']).slice(0, -3), 'truncated cursor'],
  ])('rejects %j (%s)', (cursor) => {
    expectInvalidCursor(() => decodeCursor('name', cursor));
  });
});

describe('toPage', () => {
  type Row = { id: string; name: string };
  const rows: Row[] = [
    { id: 'a', name: 'Alfa' },
    { id: 'b', name: 'Bravo' },
    { id: 'c', name: 'Charlie' },
  ];
  const cursorOf = (row: Row): CursorValue => [row.name, row.id];
  const map = (row: Row): string => row.name.toUpperCase();

  it('returns limit items and a cursor for the last returned row when one extra row was fetched', () => {
    const page = toPage(rows, 2, 'name', cursorOf, map);
    expect(page.items).toEqual(['ALFA', 'BRAVO']);
    expect(page.nextCursor).not.toBeNull();
    expect(decodeCursor('name', page.nextCursor!)).toEqual(['Bravo', 'b']);
  });

  it.each([
    [3, 'exactly limit rows'],
    [5, 'fewer than limit rows'],
  ])('returns every row and no cursor for limit %d (%s)', (limit) => {
    const page = toPage(rows, limit, 'name', cursorOf, map);
    expect(page.items).toEqual(['ALFA', 'BRAVO', 'CHARLIE']);
    expect(page.nextCursor).toBeNull();
  });

  it('returns an empty page without a cursor for no rows', () => {
    expect(toPage([], 10, 'name', cursorOf, map)).toEqual({ items: [], nextCursor: null });
  });

  it('binds the cursor to the sort key', () => {
    const page = toPage(rows, 1, 'name', cursorOf, map);
    expectInvalidCursor(() => decodeCursor('created_at', page.nextCursor!));
  });
});

describe('likeContains', () => {
  it.each([
    ['acme', '%acme%'],
    ['', '%%'],
    ['ACME As', '%acme as%'],
    ['ÆØÅ', '%æøå%'],
    ['100%', '%100\\%%'],
    ['a_b', '%a\\_b%'],
    ['C:\\temp', '%c:\\\\temp%'],
    ['%', '%\\%%'],
    ['_', '%\\_%'],
    ['\\', '%\\\\%'],
    ['%_\\', '%\\%\\_\\\\%'],
    ['\\%', '%\\\\\\%%'],
    ['50%_off\\now', '%50\\%\\_off\\\\now%'],
    ["o'neil", "%o'neil%"],
    ['[a-z]*?', '%[a-z]*?%'],
  ])('turns %j into %j', (search, expected) => {
    expect(likeContains(search)).toBe(expected);
  });

  it('leaves no unescaped wildcard inside the pattern', () => {
    const inner = likeContains('x%y_z\\%%__').slice(1, -1);
    // Remove escaped pairs; nothing special may remain.
    expect(inner.replace(/\\[\\%_]/g, '')).not.toMatch(/[\\%_]/);
  });
});
