import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeEncryptionKey } from '../config.js';
import { createSecretBox } from './secret-box.js';

const key = randomBytes(32);

/** Flips one bit of one base64url part of a sealed value. */
function tamper(sealed: string, part: 1 | 2 | 3): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[part]!, 'base64url');
  bytes[0] = bytes[0]! ^ 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

describe('secret box (AES-256-GCM)', () => {
  it('round-trips text, including non-ASCII and the empty string', () => {
    const box = createSecretBox(key);
    for (const secret of ['hunter2', 'pässwörd-æøå-🔑', '', 'x'.repeat(2000)]) {
      const sealed = box.seal(secret, 'smtp-password:company-a');
      expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{22}$/);
      expect(box.open(sealed, 'smtp-password:company-a')).toBe(secret);
    }
  });

  it('never stores the plaintext and uses a fresh IV every time', () => {
    const box = createSecretBox(key);
    const first = box.seal('same secret', 'ctx');
    const second = box.seal('same secret', 'ctx');
    expect(first).not.toBe(second);
    expect(first.split('.')[1]).not.toBe(second.split('.')[1]);
    expect(first).not.toContain('same secret');
    expect(Buffer.from(first.split('.')[2]!, 'base64url').toString('utf8')).not.toContain('same');
  });

  it.each([1, 2, 3] as const)('detects tampering with part %i (IV, ciphertext, tag)', (part) => {
    const box = createSecretBox(key);
    const sealed = box.seal('hunter2', 'ctx');
    expect(() => box.open(tamper(sealed, part), 'ctx')).toThrow();
  });

  it('refuses another context (a value copied to another company), another key, and unknown formats', () => {
    const box = createSecretBox(key);
    const sealed = box.seal('hunter2', 'smtp-password:company-a');
    expect(() => box.open(sealed, 'smtp-password:company-b')).toThrow(/could not be decrypted/);
    expect(() => createSecretBox(randomBytes(32)).open(sealed, 'smtp-password:company-a')).toThrow(/could not be decrypted/);
    expect(() => box.open(sealed.replace(/^v1/, 'v2'), 'smtp-password:company-a')).toThrow(/format/);
    expect(() => box.open('hunter2', 'smtp-password:company-a')).toThrow();
    expect(() => box.open(sealed.split('.').slice(0, 3).join('.'), 'smtp-password:company-a')).toThrow();
  });

  it('accepts only 32-byte keys, as hex or base64', () => {
    expect(() => createSecretBox(randomBytes(16))).toThrow();
    const bytes = randomBytes(32);
    expect(decodeEncryptionKey(bytes.toString('hex'))).toEqual(bytes);
    expect(decodeEncryptionKey(bytes.toString('base64'))).toEqual(bytes);
    expect(decodeEncryptionKey(bytes.toString('base64url'))).toEqual(bytes);
    expect(decodeEncryptionKey(randomBytes(16).toString('hex'))).toBeUndefined();
    expect(decodeEncryptionKey(randomBytes(31).toString('base64'))).toBeUndefined();
    expect(decodeEncryptionKey('not a key')).toBeUndefined();
  });
});
