// Writes openapi.json (committed) from the route schemas. CI checks it is up to date.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { createHttpApp, createRuntime } from '../src/main.js';

export async function generateOpenApi(): Promise<string> {
  const config = loadConfig({ DATABASE_URL: 'sqlite::memory:', LOG_LEVEL: 'silent' });
  const runtime = await createRuntime(config);
  const app = await createHttpApp(runtime, config);
  try {
    const response = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    return `${JSON.stringify(response.json(), null, 2)}\n`;
  } finally {
    await app.close();
    await runtime.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const target = path.resolve(import.meta.dirname, '..', 'openapi.json');
  fs.writeFileSync(target, await generateOpenApi());
  process.stdout.write(`Wrote ${target}\n`);
}
