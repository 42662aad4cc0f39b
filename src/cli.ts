import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { z } from 'zod';
import { apiKeyCreateSchema } from './app/api-key.service.js';
import { companyCreateSchema } from './app/company.schemas.js';
import { CLI_ACTOR, type CompanyContext } from './app/context.js';
import { memberAddSchema } from './app/member.schemas.js';
import { type Config, describeConfig, loadConfig } from './config.js';
import { findCompanyByOrgNumber } from './db/repositories/company.repository.js';
import { AppError, type FieldIssue } from './domain/errors.js';
import { normalizeOrgNumber } from './domain/norwegian-identifiers.js';
import { createDemoData } from './demo.js';
import { createRuntime, type Runtime, runWorker, serve } from './main.js';
import { createDb, ensurePostgresSchema } from './db/database.js';
import { migrateToLatest } from './db/migrator.js';

const USAGE = `Fakturaflyt — invoicing for Norwegian businesses

Usage: fakturaflyt <command> [options]

Commands:
  serve                                   Start the web app and API (runs migrations first), with the job worker
                                          in-process unless JOBS_ENABLED=false
  worker                                  Run only the background job worker (e-mail delivery, retries); start
                                          as many as you like beside serve on one PostgreSQL database
  migrate                                 Bring the database schema up to date
  company create --name <legal name> --org-number <9 digits>
                 [--not-vat-registered] [--not-in-foretaksregisteret] [--bank-account <11 digits>]
                 [--email <e-mail>] [--address <street>] [--postal-code <code>] [--city <city>]
  user create    --company <org number> --email <e-mail> --password <password> --role <role> [--name <name>]
  api-key create --company <org number> --name <key name> [--role <role>]
  import-bank <file> --company <org number>
                                          Import a bank file (Nets OCR giro, camt.053, camt.054): match the
                                          payments, book the confident ones, leave the rest for review
  demo                                    Create a demo company with an owner, customers and products

Options:
  --json        Print the result as one JSON object (for scripts)
  --help        Show this help

Roles: owner, admin, biller, accountant, read_only
The database is chosen as for serve: DATABASE_URL (default sqlite:./data/fakturaflyt.db).

Environment:
${describeConfig()
  .map((entry) => `  ${entry.name.padEnd(20)} ${entry.description ?? ''}`)
  .join('\n')}
`;

const OPTIONS = {
  name: { type: 'string' },
  'org-number': { type: 'string' },
  'not-vat-registered': { type: 'boolean' },
  'not-in-foretaksregisteret': { type: 'boolean' },
  'bank-account': { type: 'string' },
  address: { type: 'string' },
  'postal-code': { type: 'string' },
  city: { type: 'string' },
  company: { type: 'string' },
  email: { type: 'string' },
  password: { type: 'string' },
  role: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} satisfies ParseArgsConfig['options'];

/** Maps schema field paths to the CLI option that feeds them, for error messages. */
const OPTION_FOR_FIELD: Record<string, string> = {
  legalName: '--name',
  orgNumber: '--org-number',
  bankAccount: '--bank-account',
  email: '--email',
  password: '--password',
  role: '--role',
  name: '--name',
  'address.line1': '--address',
  'address.postalCode': '--postal-code',
  'address.city': '--city',
};

export class UsageError extends Error {}

interface Output {
  json: boolean;
  print(result: Record<string, unknown>, human: string): void;
}

function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issues: FieldIssue[] = result.error.issues.map((issue) => {
      const path = issue.path.join('.');
      return { path: OPTION_FOR_FIELD[path] ?? path, code: issue.code, message: issue.message };
    });
    throw new AppError('validation.failed', 'Invalid arguments', { issues });
  }
  return result.data;
}

function required(values: Record<string, unknown>, ...names: string[]): void {
  const missing = names.filter((name) => values[name] === undefined || values[name] === '');
  if (missing.length > 0) {
    throw new UsageError(`Missing ${missing.map((name) => `--${name}`).join(', ')}`);
  }
}

async function companyContextFor(runtime: Runtime, orgNumber: string): Promise<CompanyContext> {
  const company = await findCompanyByOrgNumber(runtime.db.kysely, normalizeOrgNumber(orgNumber));
  if (!company) {
    throw new AppError('company.not_found', `No company with organisation number ${orgNumber}`);
  }
  return { companyId: company.id, role: 'owner', actor: CLI_ACTOR, ipAddress: null };
}

async function withRuntime<T>(config: Config, work: (runtime: Runtime) => Promise<T>): Promise<T> {
  const runtime = await createRuntime(config);
  try {
    return await work(runtime);
  } finally {
    await runtime.close();
  }
}

export async function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    process.stderr.write(`fakturaflyt: ${(error as Error).message}\nRun "fakturaflyt --help" for usage.\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const command = positionals.join(' ');
  if (values.help || command === '' || command === 'help') {
    process.stdout.write(USAGE);
    return command === '' && !values.help ? 2 : 0;
  }
  const output: Output = {
    json: values.json === true,
    print(result, human) {
      process.stdout.write(this.json ? `${JSON.stringify(result)}\n` : `${human}\n`);
    },
  };

  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    process.stderr.write(`fakturaflyt: ${(error as Error).message}\n`);
    return 2;
  }

  try {
    if (positionals[0] === 'import-bank') {
      if (positionals.length !== 2) throw new UsageError('Name one file: fakturaflyt import-bank <file> --company <org number>');
      required(values, 'company');
      const file = positionals[1]!;
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (error) {
        throw new UsageError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      const result = await withRuntime(config, async (runtime) =>
        runtime.services.bankImports.importFile(await companyContextFor(runtime, values.company!), { bytes, fileName: path.basename(file) }),
      );
      const summary = result.summary;
      const sums = summary.sums.map((sum) => `${sum.currency} credited ${sum.creditedMinor / 100}, booked ${sum.bookedMinor / 100}, review ${sum.reviewMinor / 100}`).join('; ');
      output.print(
        { import: result },
        result.status === 'duplicate_file'
          ? `${path.basename(file)} was imported before (import ${result.duplicateOfId}); nothing booked`
          : `Imported ${path.basename(file)} (${summary.format}): ${summary.paymentCount} payments, ${summary.bookedCount} booked, ${summary.reviewCount} waiting for review, ${summary.duplicateCount} duplicates, ${summary.ignoredCount} other transactions${summary.reversalCount ? `, ${summary.reversalCount} reversals (${summary.reversedCount} reversed, ${summary.reversalReviewCount} waiting for review)` : ''}${sums ? `. ${sums}` : ''}${summary.warnings.length ? `\nWarnings:\n${summary.warnings.map((warning) => `  ${warning.location}: ${warning.message}`).join('\n')}` : ''}`,
      );
      return 0;
    }
    switch (command) {
      case 'serve': {
        const { url } = await serve(config);
        process.stdout.write(`Fakturaflyt is running at ${url.replace('127.0.0.1', 'localhost')}\n`);
        return -1; // keep running
      }
      case 'worker': {
        const runtime = await runWorker(config);
        process.stdout.write(`Fakturaflyt worker ${runtime.jobs.workerId} is running on ${runtime.db.dialect}\n`);
        return -1; // keep running
      }
      case 'migrate': {
        if (config.DATABASE_SCHEMA && config.DATABASE_URL.startsWith('postgres')) {
          await ensurePostgresSchema(config.DATABASE_URL, config.DATABASE_SCHEMA);
        }
        const db = createDb({ url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA, poolSize: 2 });
        const result = await migrateToLatest(db).finally(() => db.destroy());
        const applied = (result.results ?? []).map((entry) => entry.migrationName);
        output.print({ applied }, applied.length > 0 ? `Applied: ${applied.join(', ')}` : 'The database is up to date');
        return 0;
      }
      case 'company create': {
        required(values, 'name', 'org-number');
        const input = parseInput(companyCreateSchema, {
          legalName: values.name,
          orgNumber: values['org-number'],
          isVatRegistered: values['not-vat-registered'] !== true,
          isInForetaksregisteret: values['not-in-foretaksregisteret'] !== true,
          ...(values['bank-account'] ? { bankAccount: values['bank-account'] } : {}),
          ...(values.email ? { email: values.email } : {}),
          address: {
            line1: values.address ?? null,
            postalCode: values['postal-code'] ?? null,
            city: values.city ?? null,
            countryCode: 'NO',
          },
        });
        const company = await withRuntime(config, (runtime) =>
          runtime.services.companies.createCompany(input, CLI_ACTOR),
        );
        output.print({ company }, `Created company ${company.legalName} (${company.orgNumber}), id ${company.id}`);
        return 0;
      }
      case 'user create': {
        required(values, 'company', 'email', 'password', 'role');
        const input = parseInput(memberAddSchema, {
          email: values.email,
          password: values.password,
          role: values.role,
          name: values.name ?? values.email,
        });
        const member = await withRuntime(config, async (runtime) =>
          runtime.services.members.addMember(await companyContextFor(runtime, values.company!), input),
        );
        output.print({ user: member }, `Added ${member.email} as ${member.role}`);
        return 0;
      }
      case 'api-key create': {
        required(values, 'company', 'name');
        const input = parseInput(apiKeyCreateSchema, { name: values.name, role: values.role ?? 'biller' });
        const created = await withRuntime(config, async (runtime) =>
          runtime.services.apiKeys.createApiKey(await companyContextFor(runtime, values.company!), input),
        );
        output.print(
          { key: created.key, apiKey: created.apiKey },
          `${created.key}\n(API key "${created.apiKey.name}", role ${created.apiKey.role}. Store it now: it is not shown again.)`,
        );
        return 0;
      }
      case 'demo': {
        const demo = await withRuntime(config, (runtime) => createDemoData(runtime));
        output.print(
          { ...demo },
          `Demo company ${demo.company.legalName} (${demo.company.orgNumber}) with ${demo.customers} customers and ${demo.products} products.\n` +
            `Log in as ${demo.login.email} with password ${demo.login.password}`,
        );
        return 0;
      }
      default:
        throw new UsageError(`Unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`fakturaflyt: ${error.message}\nRun "fakturaflyt --help" for usage.\n`);
      return 2;
    }
    if (error instanceof AppError) {
      if (output.json) {
        process.stderr.write(`${JSON.stringify({ error: { code: error.code, message: error.message, issues: error.issues } })}\n`);
      } else {
        const lines = (error.issues ?? []).map((issue) => `  ${issue.path}: ${issue.message}`);
        process.stderr.write(`fakturaflyt: ${error.message}${lines.length ? `\n${lines.join('\n')}` : ''}\n`);
      }
      return 1;
    }
    process.stderr.write(`fakturaflyt: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}
