import { expect, test } from '@playwright/test';
import { ensureOnboarded, loginViaApi, unique } from './fixtures.js';

test('the language switch turns the UI English, remembers it, and keeps Norwegian number formats', async ({ page }) => {
  await loginViaApi(page);
  await page.goto('/products');
  await expect(page.getByRole('heading', { name: 'Produkter', level: 1 })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'nb');

  await page.getByLabel('Språk').selectOption('en');
  await expect(page.getByRole('heading', { name: 'Products', level: 1 })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  const nav = page.getByRole('navigation', { name: 'Main menu' });
  for (const item of ['Invoices', 'Customers', 'Products', 'Users', 'API keys', 'Company', 'Audit log']) {
    await expect(nav.getByRole('link', { name: item, exact: true })).toBeVisible();
  }
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
  await expect(page.getByLabel('Current company')).toBeVisible();
  expect(await page.evaluate("localStorage.getItem('fakturaflyt.language')")).toBe('en');

  // Field errors come in English too; amounts stay in Norwegian format.
  const productNumber = unique('EN').replace(' ', '-');
  await page.getByRole('link', { name: 'New product' }).click();
  await page.getByLabel('Product number').fill(productNumber);
  await page.getByLabel('Name', { exact: true }).fill('Consulting');
  await page.getByLabel('Unit', { exact: true }).selectOption({ label: 'hours' });
  await page.getByLabel('Unit price (excl. VAT)').fill('abc');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByLabel('Unit price (excl. VAT)')).toHaveAccessibleDescription(/Enter a number with at most six decimals/);
  await expect(page.getByRole('alert')).toContainText('Some fields need correcting.');
  await page.getByLabel('Unit price (excl. VAT)').fill('2000');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByText('The product has been created.')).toBeVisible();
  await page.getByLabel('Search products').fill(productNumber);
  await expect(page.locator('table tbody tr').first().locator('td.num')).toHaveText('2 000,00');

  // Remembered across a reload.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Products', level: 1 })).toBeVisible();

  // And before log-in.
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  await expect(page.getByLabel('E-mail')).toBeVisible();

  // Back to Norwegian from the log-in page.
  await page.getByLabel('Language').selectOption('nb');
  await expect(page.getByRole('heading', { name: 'Logg inn' })).toBeVisible();
  expect(await page.evaluate("localStorage.getItem('fakturaflyt.language')")).toBe('nb');
});

test('a stored English choice is used from the first screen', async ({ page }) => {
  await ensureOnboarded(page.request);
  await page.addInitScript("window.localStorage.setItem('fakturaflyt.language', 'en')");
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  await page.getByLabel('E-mail').fill('nobody@fjordtest.no');
  await page.getByLabel('Password').fill('wrong-password-1');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert')).toContainText('Wrong e-mail or password.');
});
