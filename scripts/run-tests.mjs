#!/usr/bin/env node
// The whole test suite: prerequisites, build, type-check, Vitest (both database
// dialects), Playwright in Chromium. Ends with one plain line "N passed, N failed".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const resultsDir = path.join(root, 'test-results');
fs.mkdirSync(resultsDir, { recursive: true });
const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
const dialects = (process.env.DIALECTS ?? 'sqlite,postgres').split(',').map((name) => name.trim());
const skipE2e = process.env.SKIP_E2E === '1';

let passed = 0;
let failed = 0;
const problems = [];

function step(title) {
  process.stdout.write(`\n=== ${title}\n`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', env, ...options });
  return result.status ?? 1;
}

function canConnect(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

/** Chromium from Debian for the UI tests; installed with apt when missing and we are root. */
function ensureChromium() {
  if (skipE2e || fs.existsSync('/usr/bin/chromium')) return true;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || spawnSync('which', ['apt-get']).status !== 0) {
    problems.push('Chromium is missing: install Debian\'s chromium package (apt-get install chromium), or set SKIP_E2E=1');
    return false;
  }
  step('Installing Debian chromium for the UI tests');
  const status = spawnSync('bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation >/dev/null'], { stdio: 'inherit' }).status;
  return status === 0 && fs.existsSync('/usr/bin/chromium');
}

async function ensurePostgres() {
  if (!dialects.includes('postgres') || process.env.TEST_POSTGRES_URL) return true;
  if (await canConnect('127.0.0.1', 5432)) return true;
  step('Starting the local PostgreSQL cluster');
  spawnSync('bash', ['-c', 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql | head -n1) main start'], { stdio: 'inherit' });
  for (let i = 0; i < 20; i++) {
    if (await canConnect('127.0.0.1', 5432)) return true;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  problems.push('PostgreSQL is not reachable on 127.0.0.1:5432 (set TEST_POSTGRES_URL, or DIALECTS=sqlite to test SQLite only)');
  return false;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

const hasChromium = ensureChromium();
const hasPostgres = await ensurePostgres();

step('Build (server and web UI)');
if (run('npm', ['run', '--silent', 'build']) !== 0) {
  failed += 1;
  problems.push('build failed');
}

step('Type-check');
if (run('npm', ['run', '--silent', 'typecheck']) === 0) passed += 1;
else {
  failed += 1;
  problems.push('type-check failed');
}

step(`Vitest (dialects: ${dialects.join(', ')})`);
const vitestJson = path.join(resultsDir, 'vitest.json');
fs.rmSync(vitestJson, { force: true });
if (hasPostgres) {
  run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
  const report = readJson(vitestJson);
  if (report) {
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    if (report.numFailedTestSuites > 0 && report.numFailedTests === 0) {
      failed += report.numFailedTestSuites;
      problems.push('a Vitest file failed to load');
    }
  } else {
    failed += 1;
    problems.push('Vitest did not write a report');
  }
} else {
  failed += 1;
}

if (!skipE2e) {
  step('Playwright UI flows in Chromium');
  const playwrightJson = path.join(resultsDir, 'playwright.json');
  fs.rmSync(playwrightJson, { force: true });
  if (hasChromium) {
    run('npx', ['playwright', 'test', '--reporter=list,json'], {
      env: { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson },
    });
    const report = readJson(playwrightJson);
    if (report?.stats) {
      passed += report.stats.expected + (report.stats.flaky ?? 0);
      failed += report.stats.unexpected;
      if ((report.errors ?? []).length > 0 && report.stats.expected + report.stats.unexpected === 0) {
        failed += 1;
        problems.push('Playwright failed before running tests');
      }
    } else {
      failed += 1;
      problems.push('Playwright did not write a report');
    }
  } else {
    failed += 1;
  }
}

for (const problem of problems) process.stdout.write(`\n!! ${problem}`);
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed > 0 ? 1 : 0);
