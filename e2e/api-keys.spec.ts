import { expect, test } from '@playwright/test';
import { loginViaApi, unique } from './fixtures.js';

test.beforeEach(async ({ page }) => {
  await loginViaApi(page);
});

test('a new API key is shown once, works, and stops working when revoked', async ({ page, playwright, baseURL }) => {
  const name = unique('Regnskapssystem');
  await page.goto('/api-keys');
  await expect(page.getByRole('heading', { name: 'API-nøkler', level: 1 })).toBeVisible();

  // Without a name the API says so beside the field.
  await page.getByRole('button', { name: 'Opprett nøkkel' }).click();
  await expect(page.getByLabel('Navn', { exact: true })).toHaveAccessibleDescription(/Må fylles ut\./);

  await page.getByLabel('Navn', { exact: true }).fill(name);
  await page.getByLabel('Rolle', { exact: true }).selectOption('accountant');
  await page.getByRole('button', { name: 'Opprett nøkkel' }).click();

  // The key, once, with the warning, ready to copy.
  const box = page.getByRole('region', { name: `Nøkkelen «${name}» er opprettet` });
  await expect(box).toBeVisible();
  await expect(box.getByRole('alert')).toContainText('Den vises bare denne ene gangen');
  const keyField = box.getByLabel('Ny API-nøkkel');
  await expect(keyField).toHaveValue(/^ffk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
  await expect(keyField).toHaveAttribute('readonly', '');
  const key = await keyField.inputValue();
  const prefix = key.split('_')[1]!;

  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await box.getByRole('button', { name: 'Kopier' }).click();
  await expect(box.getByRole('button', { name: 'Kopiert!' })).toBeVisible();
  expect(await page.evaluate('navigator.clipboard.readText()')).toBe(key);

  // The list shows the key by its prefix only.
  const row = page.locator('table tbody tr', { hasText: name });
  await expect(row).toContainText(`ffk_${prefix}_…`);
  await expect(row).toContainText('Regnskapsfører');
  await expect(row).toContainText('Aktiv');
  await expect(row).toContainText('Aldri');

  // The key works as a bearer token, with its role.
  const bearer = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${key}` } });
  expect((await bearer.get('/api/v1/customers')).status()).toBe(200);
  expect((await bearer.get('/api/v1/audit-events')).status()).toBe(200);
  expect((await bearer.post('/api/v1/customers', { data: { name: 'Nei' } })).status()).toBe(403);

  // "Ferdig" forgets it: gone from the page, and not shown again after a reload.
  await box.getByRole('button', { name: 'Ferdig' }).click();
  await expect(box).toHaveCount(0);
  await expect(page.locator('body')).not.toContainText(key);
  await page.reload();
  await expect(page.locator('table tbody tr', { hasText: name })).toBeVisible();
  expect(await page.content()).not.toContain(key);

  // Revoke (asks first); the key stops working at once.
  await page.locator('table tbody tr', { hasText: name }).getByRole('button', { name: 'Tilbakekall' }).click();
  await page.getByRole('group', { name: /Tilbakekalle nøkkelen/ }).getByRole('button', { name: 'Tilbakekall' }).click();
  await expect(page.locator('table tbody tr', { hasText: name })).toContainText('Tilbakekalt');
  await expect(page.locator('table tbody tr', { hasText: name }).getByRole('button', { name: 'Tilbakekall' })).toHaveCount(0);
  expect((await bearer.get('/api/v1/customers')).status()).toBe(401);
  await bearer.dispose();
});
