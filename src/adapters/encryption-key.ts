import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../app/ports.js';
import { decodeEncryptionKey } from '../config.js';
import { type DialectName, sqliteFilePath } from '../db/database.js';

/**
 * The key for stored secrets: ENCRYPTION_KEY when set. On SQLite without it, `encryption.key`
 * beside the database file, created on first start (mode 0600, exclusive create so two
 * processes starting together agree on one key). PostgreSQL requires ENCRYPTION_KEY
 * (config.ts refuses to start without it): instances on one database must share the key.
 */
export function resolveEncryptionKey(
  options: { configuredKey: string | undefined; databaseUrl: string; dialect: DialectName },
  logger: Logger,
): Buffer {
  if (options.configuredKey !== undefined) {
    const key = decodeEncryptionKey(options.configuredKey);
    if (!key) throw new Error('ENCRYPTION_KEY must be 32 bytes (hex or base64)');
    return key;
  }
  if (options.dialect === 'postgres') {
    throw new Error('ENCRYPTION_KEY is required on PostgreSQL');
  }
  const file = sqliteFilePath(options.databaseUrl);
  if (file === ':memory:' || file === '') {
    // Nothing outlives an in-memory database, so neither need its key.
    return randomBytes(32);
  }
  const keyFile = path.join(path.dirname(path.resolve(file)), 'encryption.key');
  if (!fs.existsSync(keyFile)) {
    // Written whole to a private temp file, then linked into place: link() fails if another
    // process got there first, so nobody ever reads a half-written key.
    const key = randomBytes(32);
    const temp = `${keyFile}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    fs.writeFileSync(temp, `${key.toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
    try {
      fs.linkSync(temp, keyFile);
      logger.info({ keyFile }, 'Generated a new encryption key for stored secrets; back it up with the database (or set ENCRYPTION_KEY)');
      return key;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      fs.rmSync(temp, { force: true });
    }
  }
  const stored = decodeEncryptionKey(fs.readFileSync(keyFile, 'utf8'));
  if (!stored) throw new Error(`${keyFile} does not hold a 32-byte key (hex or base64)`);
  return stored;
}
