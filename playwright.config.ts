import os from 'node:os';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';

/**
 * End-to-end tests against the BUILT app (`npm run build` first): one fresh
 * SQLite database per run, one server, one worker. The browser is the system
 * Chromium; Playwright never downloads one.
 *
 * The config is evaluated again in each worker process: the database path must
 * only be chosen once, by the runner, which hands it down through the env.
 */
const PORT = Number(process.env.E2E_PORT ?? 4517);
const BASE_URL = `http://127.0.0.1:${PORT}`;
process.env.E2E_DATABASE_FILE ??= path.join(
  os.tmpdir(),
  `fakturaflyt-e2e-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}.db`,
);
const DATABASE_FILE = process.env.E2E_DATABASE_FILE;

export default defineConfig({
  testDir: 'e2e',
  globalTeardown: './e2e/global-teardown.ts',
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 7_500 },
  reporter: 'list',
  outputDir: 'test-results/playwright-artifacts',
  use: {
    baseURL: BASE_URL,
    locale: 'nb-NO',
    timezoneId: 'Europe/Oslo',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      // The first-run flow needs the untouched database, so it runs before everything else.
      name: 'onboarding',
      testMatch: 'onboarding.spec.ts',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
    {
      name: 'chromium',
      testIgnore: 'onboarding.spec.ts',
      dependencies: ['onboarding'],
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
  ],
  webServer: {
    command: 'node bin/fakturaflyt.js serve',
    url: `${BASE_URL}/api/v1/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      DATABASE_URL: `sqlite:${DATABASE_FILE}`,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      PASSWORD_HASH_COST: '12',
      LOG_LEVEL: 'warn',
    },
  },
});
