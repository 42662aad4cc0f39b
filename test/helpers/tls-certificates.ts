import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Self-signed certificates made at test time with the system's openssl (never committed keys).
 * Without openssl the TLS tests are skipped with a note saying why, except when CI=true:
 * there a missing openssl is a failure, never a skip (the same rule as the EHF validator).
 * Usage: `describe.skipIf(shouldSkipTlsTests('name'))(…)`, `requireOpenssl()` first in beforeAll.
 */

const isCi = process.env.CI === 'true';

/** Why openssl cannot be used, or null when it can. */
export function missingOpensslReason(): string | null {
  const probe = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    return `openssl not found or not working (${probe.error?.message ?? probe.stderr.trim()}); install it (Debian: apt-get install openssl)`;
  }
  return null;
}

const MISSING = missingOpensslReason();

/** For `describe.skipIf(...)`: skip only when openssl is missing and this is not CI, and say so. */
export function shouldSkipTlsTests(suite: string): boolean {
  if (MISSING === null || isCi) return false;
  console.warn(`[tls] skipping "${suite}": ${MISSING}. With CI=true this is a failure instead.`);
  return true;
}

/** Throws when openssl is missing (call first in a suite's beforeAll). */
export function requireOpenssl(): void {
  if (MISSING !== null) throw new Error(`${MISSING}${isCi ? ' — CI=true: a missing openssl is a failure, not a skip' : ''}`);
}

export interface TestCertificate {
  key: string;
  cert: string;
  certFile: string;
}

export interface TestCertificates {
  dir: string;
  /** Generates a self-signed certificate (RSA 2048, valid 1 day) for the given names. */
  create(name: string, options?: { commonName?: string; subjectAltName?: string }): Promise<TestCertificate>;
  remove(): void;
}

/** A temp folder to make certificates in; `remove()` deletes it with every key. */
export function testCertificates(): TestCertificates {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fakturaflyt-tls-'));
  return {
    dir,
    async create(name, options = {}) {
      const keyFile = path.join(dir, `${name}.key.pem`);
      const certFile = path.join(dir, `${name}.cert.pem`);
      await run('openssl', [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        `/CN=${options.commonName ?? 'localhost'}`,
        '-addext',
        `subjectAltName=${options.subjectAltName ?? 'DNS:localhost,IP:127.0.0.1'}`,
        '-keyout',
        keyFile,
        '-out',
        certFile,
      ]);
      return { key: fs.readFileSync(keyFile, 'utf8'), cert: fs.readFileSync(certFile, 'utf8'), certFile };
    },
    remove() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
