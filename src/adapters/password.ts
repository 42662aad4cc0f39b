import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { PasswordHasher } from '../app/ports.js';

export interface ScryptParams {
  /** CPU/memory cost as log2(N). 15 (≈50 ms here) in production; tests may lower it. */
  logN: number;
  r: number;
  p: number;
}

export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { logN: 15, r: 8, p: 1 };

const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.logN;
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFC'),
      salt,
      KEY_LENGTH,
      { N, r: params.r, p: params.p, maxmem: 256 * N * params.r + 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

/**
 * scrypt password hashing with a per-password salt. The stored string carries
 * its own parameters (`scrypt$logN$r$p$salt$hash`), so raising the cost later
 * keeps old hashes verifiable.
 */
export function createScryptHasher(params: ScryptParams = DEFAULT_SCRYPT_PARAMS): PasswordHasher {
  return {
    async hash(password: string): Promise<string> {
      const salt = randomBytes(16);
      const key = await derive(password, salt, params);
      return ['scrypt', params.logN, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
    },
    async verify(password: string, stored: string): Promise<boolean> {
      const parts = stored.split('$');
      if (parts.length !== 6 || parts[0] !== 'scrypt') {
        return false;
      }
      const [, logN, r, p, salt, hash] = parts;
      const expected = Buffer.from(hash!, 'base64url');
      const actual = await derive(password, Buffer.from(salt!, 'base64url'), {
        logN: Number(logN),
        r: Number(r),
        p: Number(p),
      });
      return actual.length === expected.length && timingSafeEqual(actual, expected);
    },
  };
}
