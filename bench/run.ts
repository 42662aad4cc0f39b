// npm run bench — in-process API throughput on the embedded database, reported as
// ratios against a baseline (GET /api/v1/health) measured in the same run.
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { loadConfig } from '../src/config.js';
import { createHttpApp, createRuntime } from '../src/main.js';
import { createScryptHasher } from '../src/adapters/password.js';

const file = path.join(os.tmpdir(), `fakturaflyt-bench-${process.pid}.db`);
const config = loadConfig({ DATABASE_URL: `sqlite:${file}`, LOG_LEVEL: 'silent', ...process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {} });
const runtime = await createRuntime(config, { passwords: createScryptHasher({ logN: 10, r: 8, p: 1 }) });
const app = await createHttpApp(runtime, config);

const onboarding = await app.inject({
  method: 'POST',
  url: '/api/v1/onboarding',
  payload: {
    company: { legalName: 'Bench AS', orgNumber: '974760673' },
    owner: { name: 'Bench', email: 'bench@example.no', password: 'bench password 1' },
  },
});
const cookie = onboarding.cookies.find((entry) => entry.name === 'ff_session')!;
const headers = { cookie: `ff_session=${cookie.value}`, 'x-csrf-token': onboarding.json().csrfToken as string };

async function measure(name: string, count: number, request: (i: number) => Promise<unknown>) {
  for (let i = 0; i < Math.min(50, count); i++) await request(i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await request(i);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { name, perSecond: count / seconds };
}

const results = [
  await measure('GET /health (baseline)', 3000, () => app.inject({ method: 'GET', url: '/api/v1/health' })),
  await measure('POST /customers', 2000, (i) =>
    app.inject({ method: 'POST', url: '/api/v1/customers', headers, payload: { name: `Kunde ${i} AS`, kind: 'business' } }),
  ),
  await measure('GET /customers?limit=50', 2000, () => app.inject({ method: 'GET', url: '/api/v1/customers?limit=50', headers })),
  await measure('GET /customers?q=kunde 1', 2000, () =>
    app.inject({ method: 'GET', url: '/api/v1/customers?q=kunde%201&limit=50', headers }),
  ),
];
const baseline = results[0]!.perSecond;
for (const result of results) {
  process.stdout.write(
    `${result.name.padEnd(28)} ${result.perSecond.toFixed(0).padStart(7)} req/s  ${(result.perSecond / baseline).toFixed(2)}× baseline\n`,
  );
}
await app.close();
await runtime.close();
for (const extension of ['', '-wal', '-shm']) fs.rmSync(`${file}${extension}`, { force: true });
