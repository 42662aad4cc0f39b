import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { resolveEncryptionKey } from './encryption-key.js';
import { createLogger } from './logger.js';

const folders: string[] = [];
function tempFolder(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ff-key-'));
  folders.push(folder);
  return folder;
}
afterEach(() => {
  for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

describe('the encryption key', () => {
  it('on SQLite without ENCRYPTION_KEY: generated once into encryption.key beside the database (0600), logged without the key, reused', () => {
    const folder = tempFolder();
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', write: (line) => lines.push(line) });
    const url = `sqlite:${path.join(folder, 'sub', '..', 'app.db')}`;
    const first = resolveEncryptionKey({ configuredKey: undefined, databaseUrl: url, dialect: 'sqlite' }, logger);
    const file = path.join(folder, 'encryption.key');
    expect(first).toHaveLength(32);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(folder)).toEqual(['encryption.key']);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ keyFile: file, msg: expect.stringMatching(/Generated a new encryption key/) });
    expect(lines[0]).not.toContain(first.toString('base64'));
    expect(lines[0]).not.toContain(first.toString('hex'));

    const second = resolveEncryptionKey({ configuredKey: undefined, databaseUrl: url, dialect: 'sqlite' }, logger);
    expect(second.equals(first)).toBe(true);
    expect(lines).toHaveLength(1);
  });

  it('ENCRYPTION_KEY wins, and no file is written', () => {
    const folder = tempFolder();
    const key = randomBytes(32);
    const resolved = resolveEncryptionKey(
      { configuredKey: key.toString('hex'), databaseUrl: `sqlite:${path.join(folder, 'app.db')}`, dialect: 'sqlite' },
      createLogger({ level: 'silent' }),
    );
    expect(resolved.equals(key)).toBe(true);
    expect(fs.readdirSync(folder)).toEqual([]);
  });

  it('PostgreSQL refuses to start without ENCRYPTION_KEY, and a malformed key is refused on any database', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://localhost/x' })).toThrow(/ENCRYPTION_KEY: required on PostgreSQL/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://localhost/x', ENCRYPTION_KEY: randomBytes(32).toString('base64') })).not.toThrow();
    expect(() => loadConfig({ ENCRYPTION_KEY: 'too-short' })).toThrow(/ENCRYPTION_KEY: must be 32 bytes/);
    expect(loadConfig({}).ENCRYPTION_KEY).toBeUndefined();
  });
});
