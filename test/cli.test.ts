import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createHttpApp, createRuntime, type Runtime } from '../src/main.js';
import { DIALECTS, createTestDatabase, TEST_ENCRYPTION_KEY, type TestDatabase } from './helpers/dialects.js';
import { randomOrgNumber } from './helpers/factories.js';
import { testPasswords } from './helpers/harness.js';
import type { FastifyInstance } from 'fastify';

const run = promisify(execFile);
// Every call starts a process through tsx (2–4 s on a loaded CI machine): the tests that make several get 90 s.
const root = path.resolve(import.meta.dirname, '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

describe.each(DIALECTS)('fakturaflyt CLI (%s)', (dialect) => {
  let database: TestDatabase;
  let env: NodeJS.ProcessEnv;

  async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run(tsx, ['src/cli-main.ts', ...args], { cwd: root, env });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    env = {
      ...process.env,
      DATABASE_URL: database.url,
      ...(database.schema ? { DATABASE_SCHEMA: database.schema } : {}),
      PASSWORD_HASH_COST: '10',
      LOG_LEVEL: 'silent',
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    };
  });
  afterAll(async () => database?.drop());

  it('migrate, company create, user create and api-key create work together; the key works and revocation is immediate', async () => {
    const migrate = await cli('migrate', '--json');
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(JSON.parse(migrate.stdout).applied).toContain('2026-11-26T21-00_foundation');
    expect(JSON.parse((await cli('migrate', '--json')).stdout).applied).toEqual([]);

    const orgNumber = randomOrgNumber();
    const company = await cli('company', 'create', '--name', 'Kommandolinje AS', '--org-number', orgNumber, '--json');
    expect(company.code, company.stderr).toBe(0);
    expect(JSON.parse(company.stdout).company.orgNumber).toBe(orgNumber);

    const user = await cli(
      'user', 'create', '--company', orgNumber, '--email', 'Eier@Example.no', '--password', 'kommandolinje-passord', '--role', 'owner', '--json',
    );
    expect(user.code, user.stderr).toBe(0);
    expect(JSON.parse(user.stdout).user).toMatchObject({ email: 'eier@example.no', role: 'owner' });

    const created = await cli('api-key', 'create', '--company', orgNumber, '--name', 'integrasjon', '--role', 'biller', '--json');
    expect(created.code, created.stderr).toBe(0);
    const { key } = JSON.parse(created.stdout) as { key: string };
    expect(key).toMatch(/^ffk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);

    const config = loadConfig(env);
    const runtime: Runtime = await createRuntime(config, { passwords: testPasswords });
    const app: FastifyInstance = await createHttpApp(runtime, config);
    try {
      const bearer = { authorization: `Bearer ${key}` };
      const customers = await app.inject({ method: 'GET', url: '/api/v1/customers', headers: bearer });
      expect(customers.statusCode).toBe(200);
      const createdCustomer = await app.inject({
        method: 'POST', url: '/api/v1/customers', headers: bearer, payload: { name: 'Via nøkkel AS', kind: 'business' },
      });
      expect(createdCustomer.statusCode).toBe(201);

      const login = await app.inject({
        method: 'POST', url: '/api/v1/auth/login', payload: { email: 'eier@example.no', password: 'kommandolinje-passord' },
      });
      expect(login.statusCode).toBe(200);
      const cookie = login.cookies.find((entry) => entry.name === 'ff_session')!;
      const session = { cookie: `ff_session=${cookie.value}`, 'x-csrf-token': login.json().csrfToken as string };
      const keys = await app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: session });
      const keyId = (keys.json().items as Array<{ id: string; name: string }>).find((entry) => entry.name === 'integrasjon')!.id;
      const revoked = await app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${keyId}`, headers: session });
      expect(revoked.statusCode).toBe(200);
      expect(revoked.json().revokedAt).not.toBeNull();

      const after = await app.inject({ method: 'GET', url: '/api/v1/customers', headers: bearer });
      expect(after.statusCode).toBe(401);
      expect(after.json().code).toBe('auth.api_key_invalid');
    } finally {
      await app.close();
      await runtime.close();
    }
  }, 90_000);

  it('prints the key alone on a line without --json', async () => {
    const orgNumber = randomOrgNumber();
    expect((await cli('company', 'create', '--name', 'Tekst AS', '--org-number', orgNumber)).code).toBe(0);
    const created = await cli('api-key', 'create', '--company', orgNumber, '--name', 'plain');
    expect(created.code).toBe(0);
    expect(created.stdout.split('\n')[0]).toMatch(/^ffk_[0-9a-f]{8}_\S{43}$/);
  }, 90_000);

  it('bad arguments get a clear message and a non-zero exit', async () => {
    const cases: Array<{ args: string[]; code: number; message: RegExp }> = [
      { args: ['company', 'create', '--name', 'X AS'], code: 2, message: /Missing --org-number/ },
      { args: ['company', 'create', '--name', 'X AS', '--org-number', '974760672'], code: 1, message: /--org-number/ },
      { args: ['user', 'create', '--company', '974760673', '--email', 'a@b.no', '--password', 'long-enough-pw', '--role', 'boss'], code: 1, message: /--role/ },
      { args: ['api-key', 'create', '--company', '923609016', '--name', 'x'], code: 1, message: /No company with organisation number/ },
      { args: ['frobnicate'], code: 2, message: /Unknown command "frobnicate"/ },
      { args: ['company', 'create', '--nmae', 'X'], code: 2, message: /Unknown option '--nmae'/ },
    ];
    for (const { args, code, message } of cases) {
      const result = await cli(...args);
      expect(result.code, args.join(' ')).toBe(code);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
    // Six cold CLI processes (tsx compiles on start): ~3 s each on a loaded 2-core machine.
  }, 90_000);

  it('import-bank imports a bank file for a company, says what it booked, and a second time books nothing', async () => {
    const orgNumber = randomOrgNumber();
    expect((await cli('company', 'create', '--name', 'Bank AS', '--org-number', orgNumber)).code).toBe(0);
    const file = path.join(os.tmpdir(), `fakturaflyt-cli-${orgNumber}.xml`);
    fs.writeFileSync(
      file,
      `<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>CLI-1</MsgId><CreDtTm>2026-11-20T10:00:00</CreDtTm></GrpHdr><Ntfctn><Id>N1</Id><CreDtTm>2026-11-20T10:00:00</CreDtTm><Acct><Id><Othr><Id>86011117947</Id></Othr></Id><Ccy>NOK</Ccy></Acct><Ntry><Amt Ccy="NOK">250.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-11-20</Dt></BookgDt><AcctSvcrRef>CLI-REF-1</AcctSvcrRef><NtryDtls><TxDtls><Refs><AcctSvcrRef>CLI-REF-1</AcctSvcrRef></Refs><RmtInf><Ustrd>Ukjent</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry></Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`,
    );
    try {
      const first = await cli('import-bank', file, '--company', orgNumber);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toMatch(/1 payments, 0 booked, 1 waiting for review/);
      const again = await cli('import-bank', file, '--company', orgNumber, '--json');
      expect(again.code, again.stderr).toBe(0);
      expect(JSON.parse(again.stdout).import).toMatchObject({ status: 'duplicate_file', summary: { bookedCount: 0 } });
      const broken = path.join(os.tmpdir(), `fakturaflyt-cli-${orgNumber}.ocr`);
      fs.writeFileSync(broken, 'NY000010000080800000000000000000000000000000000000000000000000000000000000000000\n');
      const rejected = await cli('import-bank', broken, '--company', orgNumber);
      expect(rejected.code).toBe(1);
      expect(rejected.stderr).toMatch(/record|NY/i);
      fs.rmSync(broken);
      const missing = await cli('import-bank', '/nonexistent/file.xml', '--company', orgNumber);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/Cannot read/);
      expect((await cli('import-bank', file)).stderr).toMatch(/Missing --company/);
    } finally {
      fs.rmSync(file, { force: true });
    }
  }, 90_000);

  it('demo creates a company with an owner who can log in, customers and products', async () => {
    const demo = await cli('demo', '--json');
    expect(demo.code, demo.stderr).toBe(0);
    const result = JSON.parse(demo.stdout);
    expect(result.customers).toBeGreaterThanOrEqual(5);
    expect(result.products).toBeGreaterThanOrEqual(5);
    const again = await cli('demo');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/demo company exists/);
  }, 90_000);
});
